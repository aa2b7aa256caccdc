"""Which spans are parties, on the shapes real reporting gives them (sentences written for these tests).

Each test names the shape it covers: a pooled customer the text does not name, a word that is
no company (a currency code, a sentence opener, a unit, a hyphenated adjective, a politician, a
place told by the place after it), a description that cannot fit a listed company, a ticker
after a possessive, a former employer, the maker of a part inside the goods.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import deal_tuples as deals
from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.gazetteer import is_never_party, is_place
from dealweb.extract.parties import Directory
from dealweb.model import Entity

B = Decimal(10) ** 9
M = Decimal(10) ** 6


def parties(text: str) -> set[str]:
    return {p.id for c in extract(text, directory=directory_for(None)).deals for p in (c.payer, c.recipient)}


def unknown(text: str) -> list[str]:
    d = directory_for(None).for_article()
    return [m.party.id for m in d.unknown_orgs(text, [(m.start, m.end) for m in d.mentions(text)])]


# --- a customer the text does not name -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Polaris Digital has signed a 12-year, $3.1 billion lease with an unnamed US-based hyperscaler at its Ohio campus.",
    "Polaris Digital signed a $3.1 billion lease agreement with an unnamed U.S.-based, investment-grade hyperscaler.",
])
def test_an_unnamed_hyperscaler_is_the_pooled_hyperscalers(text: str) -> None:
    assert deals(text) == [("hyperscalers", "polaris-digital", "lease", Decimal("3.1") * B)]


def test_a_hyperscale_customer_after_from_is_the_buyer() -> None:
    text = "Lumenic Photonics said on March 3 it won a $64 million transceiver order from a major hyperscale customer."
    assert {(d[0], d[1], d[3]) for d in deals(text)} == {("hyperscalers", "lumenic-photonics", 64 * M)}


def test_a_hyperscaler_in_apposition_or_referred_back_is_no_pool() -> None:
    d = directory_for(None)
    assert [m.party.id for m in d.mentions("Oracle, a hyperscaler, signed the deal.")] == ["oracle"]
    assert [m.party.id for m in d.mentions("The hyperscaler will pay Nebius.")] == ["nebius"]


# --- words that are no company -----------------------------------------------------------------------------------

def test_currency_codes_units_and_openers_are_no_companies() -> None:
    assert unknown("Quokka Compute has raised AUD 120 million; the raise values it at AUD 1.2 billion.") == [
        "quokka-compute"]
    assert unknown("Vexil Systems will supply a 6 exaFLOP supercomputer with 40 GB SRAM per node.") == ["vexil-systems"]
    assert unknown("According to Dana Whitlow, chief executive of Quarry Labs, the site is leased.") == ["quarry-labs"]
    assert unknown("Asked about the order, the company declined to comment.") == []
    assert unknown("Since Bloomberg first reported the talks, the number has doubled.") == []
    assert unknown("Just weeks later, Led by two funds, Funding will go to Texas.") == []


def test_hyphenated_adjectives_are_no_companies() -> None:
    assert unknown("demand for AI-focused data centres and AI-native clouds keeps rising.") == []
    assert unknown("orders rose sharply since mid-March and NeoCloud-related spending doubled.") == []


def test_a_politician_named_alone_is_no_party() -> None:
    text = ("In February, the chairman joined Trump and Sam Altman of OpenAI in announcing an investment of up to"
            " $500 billion.")
    assert "trump" not in parties(text)
    assert is_never_party("Trump") and not is_never_party("Trump Media")


def test_a_place_is_told_by_the_place_after_it() -> None:
    assert is_place("Hobart", ", Tasmania, where") and is_place("Cedar Flats", ", a suburb west of Austin")
    assert is_place("Milam County") and not is_place("Quarry Labs", ", a startup,")
    text = "Quokka Compute has raised AUD 120 million to build its campus in Hobart, Tasmania, the company said."
    assert "hobart" not in parties(text) and "hobart" not in unknown(text)


def test_a_holiday_is_no_company() -> None:
    assert unknown("On Christmas Eve, it announced a licensing agreement with Groq.") == []


# --- descriptions and names in another form ----------------------------------------------------------------------

def test_the_startup_is_never_a_listed_company() -> None:
    text = ("AI lab Anthropic has placed orders worth $21 billion with Broadcom. Broadcom's chief executive confirmed"
            " that the startup is buying racks equipped with Google's TPUs.")
    assert deals(text) == [("anthropic", "broadcom", "chip_purchase", 21 * B)]


def test_the_maker_of_a_part_inside_the_goods_is_no_party() -> None:
    text = "Dell will deliver servers equipped with Nvidia's GB300 chips to xAI for $5 billion."
    assert "nvidia" not in parties(text)


def test_a_name_kept_in_capitals_by_the_ledger_is_found_as_a_word() -> None:
    d = Directory([Entity("iren", "IREN", "neocloud"), Entity("microsoft", "Microsoft", "cloud_provider")])
    assert [m.party.id for m in d.mentions("Microsoft signed with Australian operator Iren.")] == ["microsoft", "iren"]


def test_a_ticker_after_a_possessive_is_no_party() -> None:
    text = "Nebius' (NBIS) $3 billion deal to supply AI infrastructure to Meta Platforms (META) starts next month."
    assert deals(text) == [("meta", "nebius", "compute_commitment", 3 * B)]


def test_a_former_employer_is_no_party() -> None:
    from dealweb.extract.modifiers import plain_sentence

    text = "The former Databricks AI chief closed $300 million for Quarry Labs, his new chip startup."
    assert "Databricks" not in plain_sentence(text, directory_for(None).for_article())
    assert "databricks-ai" not in parties(text)


def test_investors_before_their_names_describe_them() -> None:
    d = directory_for(None)
    found = [m.party.id for m in d.mentions("The round is backed by existing investors Nvidia and Quarry Capital.")]
    assert "venture-investors" not in found
    found = [m.party.id for m in d.mentions("Quarry Labs raised $90 million from existing investors, including Nvidia.")]
    assert "venture-investors" in found


# --- the investors of a raise told in the next sentence ----------------------------------------------------------

def test_the_lead_after_a_which_clause_pays_for_the_raise_before() -> None:
    text = ("Quokka Compute has raised AUD 120 million in equity funding to build its campus. The funding round, which"
            " was oversubscribed, was led by Wattle Capital with participation from Nvidia.")
    assert deals(text) == [("wattle-capital", "quokka-compute", "equity_investment", 120 * M)]


def test_several_backers_are_the_investor_group_and_a_fronted_lead_is_the_lead() -> None:
    from dealweb.extract.coref import lead_of_raise

    d = directory_for(None).for_article()
    backed = lead_of_raise("The round is backed by existing investors Nvidia and Wattle Capital.", d)
    assert backed is not None and backed.id == "venture-investors"
    fronted = lead_of_raise("Led by Wattle Capital and Emu Ventures, this funding is the first tranche.", d)
    assert fronted is not None and fronted.id == "wattle-capital"
    assert lead_of_raise("Led by its founders, the company grew fast.", d) is None


def test_a_numeronym_is_a_name() -> None:
    assert deals("Voxtral Labs raised $180 million from a16z.") == [
        ("a16z", "voxtral-labs", "equity_investment", 180 * M)]


# --- a description in subject position ---------------------------------------------------------------------------

def test_a_descriptive_subject_is_written_out_so_its_words_do_not_vote_on_the_kind() -> None:
    text = ("Nvidia and OpenAI announced a partnership. The chip giant will invest up to $100 billion in the ChatGPT"
            " maker.")
    assert [d[:3] for d in deals(text)] == [("nvidia", "openai", "equity_investment")]


def test_a_description_with_a_city_and_state_and_one_with_several_words_after_the() -> None:
    text = ("CoreWeave signed a deal with Meta. The Livingston, New Jersey-based company will provide $14 billion of"
            " compute to the social media giant.")
    assert deals(text) == [("meta", "coreweave", "compute_commitment", 14 * B)]


def test_a_nationality_picks_a_company_of_that_country() -> None:
    text = ("Microsoft will buy $9.7 billion of capacity from IREN. The Australian company will buy GPUs from Dell for"
            " $5.8 billion.")
    assert ("iren", "dell", "chip_purchase", Decimal("5.8") * B) in deals(text)


def test_a_company_being_formed_or_named_by_a_role_is_not_written_out() -> None:
    from dealweb.extract.coref import described_subject
    from dealweb.extract.roles import Context

    d = directory_for(None)
    c = Context(previous=[d.mentions("SoftBank")[0].party, d.mentions("OpenAI")[0].party])
    assert described_subject("The new company will be named Crystal.", c, d) == "The new company will be named Crystal."
    assert described_subject("The company, named Crystal, starts in May.", c, d).startswith("The company")
    assert described_subject("The company said it would buy chips.", c, d) == "SoftBank said it would buy chips."


# --- more words that are no company, and names of other shapes ---------------------------------------------------

def test_sentence_nouns_outlets_and_glued_amounts_are_no_companies() -> None:
    assert unknown("Proceeds will fund the build-out, and Participants were not named.") == []
    assert unknown("The deal was first reported by the Australian Financial Review and by Cointelegraph.") == []
    assert unknown("Kestrel Power will put INR6.3 billion into the plant.") == ["kestrel-power"]
    assert is_never_party("INR6.3") and is_never_party("LCD")


def test_a_place_where_a_site_stands_is_no_company() -> None:
    assert unknown("Kestrel Power will invest $15 billion to build an AI hub in Vizagar over five years.") == [
        "kestrel-power"]
    assert unknown("The campus sits in Vizagar in the state of Andhra Pradesh.") == []


def test_names_of_other_shapes() -> None:
    assert unknown("Nvidia will buy Run:ai for $700 million.") == ["run-ai"]
    assert unknown("Silver Lake will invest $800 million in G42.") == ["silver-lake"]
    assert not is_never_party("Menlo Ventures")


def test_an_abbreviation_after_a_new_company_stands_for_it() -> None:
    text = ("Kestrel and Oak Ridge Capital committed $2 billion to Northwind Technical Realty (NTR). Kestrel will invest"
            " $1.5 billion in NTR.")
    assert ("kestrel", "northwind-technical-realty", "equity_investment", Decimal("1.5") * B) in deals(text)


def test_a_persons_affiliation_before_their_name_is_no_party() -> None:
    from dealweb.extract.modifiers import plain_sentence

    text = "OpenAI will acquire Apple design legend Jony Ive's device startup for $6.5 billion."
    assert "Apple" not in plain_sentence(text, directory_for(None).for_article())


def test_the_initials_of_a_new_company_named_in_full_stand_for_it() -> None:
    d = directory_for(None).for_article()
    d.remember_names("Northwind Music Partners settled its lawsuit with Quillsong.")
    found = d.unknown_orgs("Later, NMP sold its ticketing app to Quillsong.", [])
    assert [m.party.id for m in found][:1] == ["northwind-music-partners"]
    assert looks_like_person_name("Brent Mayo")


def looks_like_person_name(name: str) -> bool:
    from dealweb.extract.gazetteer import looks_like_person

    return looks_like_person(name)
