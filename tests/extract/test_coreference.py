"""Descriptive subjects, pronouns and parties told in another sentence (texts written for these tests)."""

from __future__ import annotations

from decimal import Decimal

from conftest import deal_tuples as deals
from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.clauses import Context
from dealweb.extract.coref import description_kinds, lead_of_raise, ledger_descriptions, refer
from dealweb.extract.parties import Directory, PartyRef
from dealweb.model import Entity

B = Decimal(10) ** 9
M = Decimal(10) ** 6


def test_the_chatgpt_maker_and_the_cloud_giant() -> None:
    text = ("OpenAI met Microsoft executives last year. The ChatGPT maker will pay the cloud giant $10 billion over"
            " five years for computing capacity.")
    assert deals(text) == [("openai", "microsoft", "compute_commitment", 10 * B)]


def test_the_chipmaker_is_the_last_chipmaker_named_not_the_last_company() -> None:
    text = "Nvidia and Mistral have worked together since 2024. The chipmaker put $2 billion into the startup on Monday."
    assert deals(text) == [("nvidia", "mistral-ai", "equity_investment", 2 * B)]


def test_it_as_subject_is_the_company_named_before() -> None:
    text = "Microsoft hired most of Inflection's staff. It then paid Inflection $650 million to license its models."
    assert [d[:3] for d in deals(text)] == [("microsoft", "inflection", "licensing")]


def test_descriptions_fit_entity_kinds() -> None:
    assert {k.value for k in description_kinds("the chipmaker") or ()} == {"chipmaker"}
    assert {k.value for k in description_kinds("the bank") or ()} == {"bank"}
    assert {k.value for k in description_kinds("the lender") or ()} == {"bank", "investor"}
    assert description_kinds("the company") is None


def test_refer_skips_companies_that_do_not_fit() -> None:
    d = Directory([Entity("nvidia", "Nvidia", "chipmaker"), Entity("openai", "OpenAI", "ai_lab"),
                   Entity("oracle", "Oracle", "cloud_provider")])
    ctx = Context()
    for eid, name in (("nvidia", "Nvidia"), ("oracle", "Oracle"), ("openai", "OpenAI")):
        ctx.note(PartyRef(eid, name, name))
    assert getattr(refer(ctx, "the chipmaker", d), "id", None) == "nvidia"
    assert getattr(refer(ctx, "the cloud provider", d), "id", None) == "oracle"
    assert getattr(refer(ctx, "the company", d), "id", None) == "openai"
    assert getattr(refer(ctx, "the company", d, {"openai"}), "id", None) == "oracle"
    assert refer(ctx, "the lender", d) is None  # no bank or fund named: no guess


def test_descriptions_come_from_the_ledgers_notes() -> None:
    found = ledger_descriptions([Entity("acme-ai", "Acme AI", "ai_lab", notes="Maker of the Roadrunner models."),
                                 Entity("beta", "Beta", "chipmaker", notes="Maker of AI accelerators (GPUs).")])
    assert found["the Roadrunner maker"] == "acme-ai" and found["the maker of Roadrunner"] == "acme-ai"
    assert not any(v == "beta" for v in found.values())  # "AI accelerators" names no product


def test_a_ledger_description_resolves_in_a_sentence() -> None:
    d = Directory([Entity("acme-ai", "Acme AI", "ai_lab", notes="Maker of the Roadrunner models."),
                   Entity("nvidia", "Nvidia", "chipmaker")])
    found = extract("Nvidia will invest $3 billion in the Roadrunner maker.", directory=d).deals
    assert [(c.payer.id, c.recipient.id, c.amount) for c in found] == [("nvidia", "acme-ai", 3 * B)]


def test_the_lead_named_in_the_next_sentence_pays_the_raise() -> None:
    text = "CoreWeave raised $4 billion in debt financing on Monday. Blackstone led the financing."
    assert deals(text) == [("blackstone", "coreweave", "debt", 4 * B)]
    text = "Anthropic raised $900 million in a new funding round. The round was led by Lightspeed."
    assert [d[1:] for d in deals(text)] == [("anthropic", "equity_investment", 900 * M)]


def test_a_lead_needs_a_raise_just_before() -> None:
    assert deals("Blackstone led the financing.") == []
    text = "Reddit raised $750 million in its IPO. Morgan Stanley led the offering."
    assert deals(text) == []


def test_lead_of_raise_reads_both_orders() -> None:
    d = directory_for(None)
    assert getattr(lead_of_raise("Investment firm Blackstone led the transaction.", d), "id", None) == "blackstone"
    assert getattr(lead_of_raise("The round was led by Thrive Capital.", d), "surface", None) == "Thrive Capital"


def test_an_investor_without_a_company_invests_in_the_one_raising() -> None:
    text = "Mistral raised $1 billion in a funding round this week. Nvidia invested $300 million."
    assert ("nvidia", "mistral-ai", "equity_investment", 300 * M) in deals(text)


def test_a_debt_financing_with_a_fund_is_lent_by_the_fund() -> None:
    text = "Lambda closed a $900 million senior secured loan with Blackstone."
    assert [d[:3] for d in deals(text)] == [("blackstone", "lambda", "debt")]
    text = "Crusoe signed a $2 billion debt financing with Zephyr Capital Partners."
    assert [d[:3] for d in deals(text)] == [("zephyr-capital-partners", "crusoe", "debt")]


def test_an_explicit_lending_verb_is_not_overruled() -> None:
    text = "Nvidia lent $500 million to Lambda."
    assert [d[:3] for d in deals(text)] == [("nvidia", "lambda", "debt")]


def test_a_described_counterparty_is_filled_by_the_next_sentence_that_names_it() -> None:
    text = ("Microsoft is investing $1.5 billion in a technology company based in Oslo. Microsoft and the holding"
            " company G42 announced the deal on Tuesday.")
    found = extract(text, directory=directory_for(None)).deals
    assert [(c.payer.id, c.recipient.id, c.amount) for c in found] == [("microsoft", "g42", 1500 * M)]
    assert any("names it" in n for n in found[0].notes)


def test_a_described_counterparty_is_not_filled_by_an_unrelated_sentence() -> None:
    text = "Microsoft is investing $1.5 billion in a technology company based in Oslo. Shares of Oracle rose 3%."
    assert deals(text) == []


def test_it_after_pay_is_the_company_speaking() -> None:
    assert deals("Nscale said Microsoft would pay it $24 billion for computing capacity.") == [
        ("microsoft", "nscale", "compute_commitment", 24 * B)]


def test_a_speaker_with_an_appositive_is_still_the_speaker() -> None:
    text = "Nscale, the British AI cloud company, said Microsoft would pay it $24 billion for computing capacity."
    assert deals(text) == [("microsoft", "nscale", "compute_commitment", 24 * B)]


def test_a_makers_name_on_a_product_is_not_the_counterparty() -> None:
    text = "Nscale said Microsoft would pay it $24 billion for Nvidia chips in Texas."
    assert [d[:2] for d in deals(text)] == [("microsoft", "nscale")]
    text = ("OpenAI has signed a $38 billion deal with Amazon. Under the agreement, the ChatGPT maker will get access"
            " to Nvidia chips in AWS data centres.")
    assert [d[:2] for d in deals(text)] == [("openai", "amazon")]


def test_a_makers_name_is_the_vendor_when_no_one_else_sells() -> None:
    assert [d[:2] for d in deals("OpenAI will buy AMD chips worth $10 billion.")] == [("openai", "amd")]


def test_a_descriptive_appositive_does_not_vote_on_the_kind() -> None:
    text = "ASML, the Dutch chip equipment maker, invested €1.3 billion in Mistral."
    found = extract(text, directory=directory_for(None)).deals
    assert [(c.payer.id, c.recipient.id, c.kind.value, c.currency) for c in found] == [
        ("asml", "mistral-ai", "equity_investment", "EUR")]


def test_a_second_investor_made_an_investment_too() -> None:
    text = "Amazon made a $4 billion investment in Anthropic. Google made a $2 billion investment too."
    assert deals(text) == [("amazon", "anthropic", "equity_investment", 4 * B),
                           ("google", "anthropic", "equity_investment", 2 * B)]


def test_the_neocloud_after_a_clause_break_is_the_neocloud_named() -> None:
    text = "Nebius shares soared after the neocloud announced a $17.4 billion deal to supply GPU capacity to Microsoft."
    assert deals(text) == [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B)]
