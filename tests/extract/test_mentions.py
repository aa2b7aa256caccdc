"""Who can be a party: months, outlets, nationalities, people, places, titles and public bodies never are
(sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.gazetteer import is_never_party, looks_like_person

B = Decimal(10) ** 9


def parties(text: str) -> list[tuple[str, str]]:
    return [(c.payer.id, c.recipient.id) for c in extract(text, directory=directory_for(None)).deals]


def proposed(text: str) -> set[str]:
    return {p.surface for c in extract(text, directory=directory_for(None)).deals for p in (c.payer, c.recipient)
            if not p.known}


@pytest.mark.parametrize("word", ["Nov", "Sept", "Reuters", "Bloomberg", "Chinese", "French", "South Korean",
                                  "Abu Dhabi", "Silicon Valley", "Cloud AI", "Foreign Investment Review Board",
                                  "European Commission"])
def test_words_that_are_never_parties(word: str) -> None:
    assert is_never_party(word)


@pytest.mark.parametrize("name", ["Mistral AI", "Lambda Labs", "Global Infrastructure Partners", "Crusoe",
                                  "Public Sector Pension Investment Board"])
def test_company_names_are_not_mistaken_for_non_parties(name: str) -> None:
    assert not is_never_party(name)


def test_people_after_a_title_or_with_a_common_given_name() -> None:
    assert looks_like_person("Ada Quill", "chief executive ")
    assert looks_like_person("Sam Altman")
    assert not looks_like_person("Crusoe Energy")


def test_a_dateline_month_is_not_the_payer() -> None:
    text = "OSLO, Nov 3 (Reuters) - Meta will pay $2 billion to Nebius for computing capacity."
    assert parties(text) == [("meta", "nebius")]


def test_nationality_adjectives_are_not_investor_and_startup() -> None:
    text = "Japanese conglomerate SoftBank will invest $1 billion in the French startup Mistral."
    assert parties(text) == [("softbank", "mistral-ai")]


def test_an_outlet_after_speaking_to_is_not_the_recipient() -> None:
    text = "Nvidia will invest $2 billion in Nokia, its chief executive said speaking to Bloomberg in March."
    assert parties(text) == [("nvidia", "nokia")]


def test_a_known_name_set_in_capitals_is_the_ledger_entity() -> None:
    text = "HUMAIN will spend up to $3 billion on chips from AMD."
    found = extract(text, directory=directory_for(None)).deals
    assert [(c.payer.id, c.payer.known) for c in found] == [("humain", True)]


def test_a_regulator_is_not_proposed_as_a_new_entity() -> None:
    text = "The Australian Competition Tribunal cleared Blackstone's $16 billion purchase of a data centre firm."
    assert "Australian Competition Tribunal" not in proposed(text)


def test_an_unknown_company_in_a_deal_role_is_proposed() -> None:
    text = "Zephyr Compute Inc. signed a $2 billion contract with Microsoft to supply it with GPU capacity."
    found = extract(text, directory=directory_for(None)).deals
    assert [(c.payer.id, c.recipient.id, c.recipient.known) for c in found] == [("microsoft", "zephyr-compute", False)]
    assert found[0].amount == 2 * B


def test_unnamed_investors_who_give_money_are_the_investor_group() -> None:
    assert parties("Anthropic raised $9 billion from investors.") == [("venture-investors", "anthropic")]
    assert parties("Anthropic raised $9 billion from new and existing investors including Fidelity.") == [
        ("venture-investors", "anthropic")]


def test_investors_as_an_audience_are_not_a_party() -> None:
    assert all("venture-investors" not in pair for pair in parties(
        "OpenAI told investors that Microsoft would invest $1 billion in the company."))


def test_initials_of_a_long_name_are_the_entity_unless_they_are_a_word() -> None:
    from dealweb.extract.parties import Directory
    from dealweb.model import Entity

    d = Directory([Entity("zeta", "Zeta Capital Partners", "investor", aliases=("Zeta Asset Management",)),
                   Entity("apex", "Apex Global Markets", "bank")])
    assert [m.party.id for m in d.mentions("funds managed by ZAM and ZCP")] == ["zeta", "zeta"]
    assert d.mentions("shareholders voted at the AGM") == []
