"""The constructions news uses, one known answer each (sentences written for these tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import Candidate, extract
from dealweb.extract.amounts import context_role, find_money
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9
M = Decimal(10) ** 6


def deals(text: str, published: str | None = None) -> list[tuple[str, str, str, Decimal | None, str]]:
    found: list[Candidate] = extract(text, directory=directory_for(None), published=published).deals
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount, c.qualifier.value) for c in found]


@pytest.mark.parametrize(("phrase", "amount", "currency", "qualifier"), [
    ("up to $5 billion", 5 * B, "USD", "up_to"),
    ("as much as $2.5bn", Decimal("2.5") * B, "USD", "up_to"),
    ("about $750 million", 750 * M, "USD", "estimate"),
    ("roughly US$1.2 billion", Decimal("1.2") * B, "USD", "estimate"),
    ("more than $20 billion", 20 * B, "USD", "estimate"),
    ("€1.3 billion", Decimal("1.3") * B, "EUR", "exact"),
    ("£500m", 500 * M, "GBP", "exact"),
    ("$1.4 trillion", Decimal("1.4") * 10**12, "USD", "exact"),
    ("5 billion dollars", 5 * B, "USD", "exact"),
])
def test_money_phrases(phrase: str, amount: Decimal, currency: str, qualifier: str) -> None:
    [m] = find_money(f"The company will pay {phrase} for it.")
    assert (m.amount, m.currency, m.qualifier.value) == (amount, currency, qualifier)


def test_a_range_keeps_both_ends_and_is_an_estimate() -> None:
    [m] = find_money("a $3-4 billion order")
    assert (m.low, m.high, m.amount, m.qualifier.value) == (3 * B, 4 * B, 4 * B, "estimate")


@pytest.mark.parametrize(("sentence", "role"), [
    ("Nvidia posted revenue of $57 billion.", "revenue"),
    ("Apple approved a $100 billion share buyback.", "buyback"),
    ("Its market value topped $5 trillion.", "market"),
    ("OpenAI was valued at $500 billion.", "valuation"),
    ("The shares were priced at $40 each.", "price"),
    ("Capital spending will reach $72 billion.", "capex"),
    ("Microsoft will invest $2 billion in the lab.", "deal"),
])
def test_figures_that_are_not_deals_are_told_apart(sentence: str, role: str) -> None:
    assert context_role(sentence, find_money(sentence)[0]) == role


def test_respectively_pairs_payers_and_amounts_in_order() -> None:
    assert deals("Nvidia and AMD will invest $300 million and $200 million respectively in xAI.") == [
        ("nvidia", "xai", "equity_investment", 300 * M, "exact"), ("amd", "xai", "equity_investment", 200 * M, "exact")]


def test_several_payers_with_one_figure_is_an_aggregate_not_a_deal_each() -> None:
    assert deals("Microsoft and Nvidia will together invest up to $15 billion in Anthropic.") == []


def test_a_company_backing_the_buyer_is_not_a_party() -> None:
    got = deals("Poolside, which is also backed by Nvidia, agreed to rent $2 billion of cloud capacity from CoreWeave.")
    assert got == [("poolside", "coreweave", "compute_commitment", 2 * B, "exact")]


def test_an_x_backed_company_is_background() -> None:
    got = deals("The Amazon-backed startup Anthropic will pay Fluidstack $3 billion to build data centres.")
    assert got == [("anthropic", "fluidstack", "compute_commitment", 3 * B, "exact")]


def test_passive_voice() -> None:
    assert deals("A $1 billion stake in Nokia was acquired by Nvidia.") == [
        ("nvidia", "nokia", "equity_investment", 1 * B, "exact")]


def test_passive_valuation_is_a_fact_not_a_deal() -> None:
    x = extract("Cerebras was valued at $8.1 billion.", directory=directory_for(None), published="2025-09-30")
    assert x.deals == []
    assert [(f.entity.id, f.metric.value, f.value) for f in x.facts] == [("cerebras", "valuation", Decimal("8.1") * B)]


def test_two_deals_in_one_sentence() -> None:
    got = deals("Meta will rent $3 billion of capacity from Nebius, and Nvidia will invest $700 million in Nebius.")
    assert got == [("meta", "nebius", "compute_commitment", 3 * B, "exact"),
                   ("nvidia", "nebius", "equity_investment", 700 * M, "exact")]


def test_the_amount_in_the_next_sentence() -> None:
    got = deals("Microsoft agreed to lease a data centre campus from Crusoe. The lease is worth about $4 billion.")
    assert got == [("microsoft", "crusoe", "lease", 4 * B, "estimate")]


def test_billions_without_a_figure_is_undisclosed() -> None:
    assert deals("Oracle signed a multibillion-dollar deal to buy AMD chips.") == [
        ("oracle", "amd", "chip_purchase", None, "undisclosed")]


def test_hearsay_makes_a_stated_figure_an_estimate() -> None:
    assert deals("Google will reportedly invest $1 billion in Anthropic.") == [
        ("google", "anthropic", "equity_investment", 1 * B, "estimate")]


def test_a_loan_and_a_bond_sale() -> None:
    assert deals("Morgan Stanley lent CoreWeave $2 billion.") == [("morgan-stanley", "coreweave", "debt", 2 * B, "exact")]
    assert deals("Alphabet sold $17 billion of bonds.") == [("bond-investors", "google", "debt", 17 * B, "exact")]


def test_warrant_and_backstop() -> None:
    assert deals("Cipher Mining granted Google warrants for 24 million shares.") == [
        ("cipher-mining", "google", "warrant", None, "undisclosed")]
    assert deals("Google will backstop $1.4 billion of Fluidstack's lease payments.") == [
        ("google", "fluidstack", "backstop", Decimal("1.4") * B, "exact")]


def test_money_that_is_not_a_deal_makes_no_candidate() -> None:
    assert deals("Nvidia's quarterly revenue rose to $57 billion and its market value passed $4 trillion.") == []
    assert deals("Oracle's backlog grew to $455 billion.") == []


def test_new_companies_are_proposed_with_a_slug() -> None:
    x = extract("Valor Equity Partners will invest $1 billion in xAI.", directory=directory_for(None))
    [c] = x.deals
    assert (c.payer.id, c.payer.known, c.recipient.id, c.recipient.known) == ("valor-equity-partners", False, "xai", True)
    assert c.confidence < 0.8


def test_aliases_resolve_to_ledger_entities() -> None:
    assert deals("OpenAI will buy $38 billion of cloud services from AWS.")[0][:2] == ("openai", "amazon")
    assert deals("Anthropic will buy $30 billion of compute on Microsoft Azure.")[0][:2] == ("anthropic", "microsoft")


def test_dates_explicit_relative_and_published() -> None:
    x = extract("On 3 March 2025 Nvidia said it will invest $1 billion in Nokia.", directory=directory_for(None),
                published="2025-11-19")
    assert str(x.deals[0].date) == "2025-03-03" and x.deals[0].date_source == "explicit"
    x = extract("Nvidia said on Monday it will invest $1 billion in Nokia.", directory=directory_for(None),
                published="2025-11-19")
    assert str(x.deals[0].date) == "2025-11-17" and x.deals[0].date_source == "relative"
    x = extract("Nvidia will invest $1 billion in Nokia.", directory=directory_for(None), published="2025-11-19")
    assert str(x.deals[0].date) == "2025-11-19" and x.deals[0].date_source == "published"
    assert extract("Nvidia will invest $1 billion in Nokia.", directory=directory_for(None)).deals[0].date is None


def test_horizon() -> None:
    [c] = extract("Meta will spend $14 billion on CoreWeave cloud capacity over six years.",
                  directory=directory_for(None)).deals
    assert c.horizon_years == 6


def test_the_amount_in_a_later_clause() -> None:
    assert deals("Microsoft signed a cloud deal with OpenAI; it is worth $10 billion.") == [
        ("openai", "microsoft", "compute_commitment", 10 * B, "exact")]


def test_raised_from_names_the_investor_and_a_sale_to_names_the_buyer() -> None:
    assert deals("Anthropic raised $13 billion from ICONIQ and others.") == [
        ("iconiq", "anthropic", "equity_investment", 13 * B, "exact")]
    assert deals("Intel sold a 10% stake to the US government for $8.9 billion.") == [
        ("us-government", "intel", "equity_investment", Decimal("8.9") * B, "exact")]
    assert deals("SoftBank sold its entire Nvidia stake for $5.8 billion.") == []  # sold to the market: no counterparty


# Real-news constructions from issue 16, each in a sentence written for this test.
@pytest.mark.parametrize(("text", "want"), [
    # A wire dateline's month and outlet are not parties.
    ("OSLO, March 3 (Reuters) - Nvidia will invest $2 billion in Nokia.",
     [("nvidia", "nokia", "equity_investment", 2 * B, "exact")]),
    ("TOKYO (AP) — Microsoft is putting $1.2 billion into Nscale, the companies said.",
     [("microsoft", "nscale", "equity_investment", Decimal("1.2") * B, "exact")]),
    # A press release wrapped at a fixed width is one paragraph.
    ("Oracle Corporation\nwill pay Crusoe\n$4 billion for\ncomputing capacity at its\ncampus.",
     [("oracle", "crusoe", "compute_commitment", 4 * B, "exact")]),
    # A nationality adjective is not the investor.
    ("German software group SAP will invest €500 million in Anthropic.",
     [("sap", "anthropic", "equity_investment", 500 * M, "exact")]),
    # Acquirer pays the seller named after "from".
    ("Blackstone agreed to acquire Lumen Data Centers from KKR for about $9 billion.",
     [("blackstone", "kkr", "acquisition", 9 * B, "estimate")]),
    # Paying for access to a model is licensing.
    ("Samsung will pay Anthropic $300 million a year for access to its Claude models.",
     [("samsung", "anthropic", "licensing", 300 * M, "exact")]),
    # A share of revenue is a revenue share.
    ("Perplexity will share 25% of its subscription revenue with Microsoft.",
     [("perplexity", "microsoft", "revenue_share", None, "undisclosed")]),
    # The holder of warrants as the subject: the issuer is the company just named.
    ("Broadcom will buy $2 billion of chips from AMD and will receive warrants for AMD shares.",
     [("broadcom", "amd", "chip_purchase", 2 * B, "exact"), ("amd", "broadcom", "warrant", None, "undisclosed")]),
    # A bond sale: the buyers are the bond-investor group.
    ("Oracle is tapping the bond market with a sale of $18 billion of notes.",
     [("bond-investors", "oracle", "debt", 18 * B, "exact")]),
    # The lead of a facility or a round pays.
    ("Lambda closed a $700 million credit facility led by JPMorgan.",
     [("jpmorgan", "lambda", "debt", 700 * M, "exact")]),
    # Hyphenated amounts and won.
    ("Nvidia is taking a $1.25-billion stake in Nokia.", [("nvidia", "nokia", "equity_investment", Decimal("1.25") * B,
                                                            "exact")]),
    ("Tesla signed a 3 trillion-won contract with Samsung for chips.",
     [("tesla", "samsung", "chip_purchase", 3 * 10**12, "exact")]),
    # Two joint subjects of a supply deal: the chipmaker sells.
    ("Samsung and Tesla have signed a contract worth $4 billion for chips.",
     [("tesla", "samsung", "chip_purchase", 4 * B, "exact")]),
    # Refusals are not deals.
    ("Mistral turned down an offer from Microsoft to invest $5 billion.", []),
    # Gapping: the second investor shares the verb and the startup.
    ("Microsoft will invest up to $10 billion and Nvidia up to $5 billion in Anthropic.",
     [("microsoft", "anthropic", "equity_investment", 10 * B, "up_to"),
      ("nvidia", "anthropic", "equity_investment", 5 * B, "up_to")]),
    # "worth $X" after the thing bought is its price, not a valuation.
    ("OpenAI will buy Nvidia GPUs worth $90 billion.", [("openai", "nvidia", "chip_purchase", 90 * B, "exact")]),
    # The subject receives another company's money.
    ("Anthropic will receive Google's $2 billion investment.",
     [("google", "anthropic", "equity_investment", 2 * B, "exact")]),
    # Leasing space to a tenant: the tenant pays; colocation is a lease.
    ("Equinix leased a colocation facility to OpenAI for $1 billion.",
     [("openai", "equinix", "lease", 1 * B, "exact")]),
    # A described subject: the company the text is about.
    ("Nebius shares rose on Monday. The Amsterdam-based company said it signed a $3 billion deal to supply Meta "
     "with computing capacity.", [("meta", "nebius", "compute_commitment", 3 * B, "exact")]),
])
def test_real_news_constructions(text: str, want: list[tuple[str, str, str, Decimal | None, str]]) -> None:
    assert deals(text) == want


def test_a_whole_article_gives_one_candidate_per_deal() -> None:
    # Headline, byline, photo credit, dateline and hard wraps, written for this test: the headline's deal and
    # the body sentence that repeats it are one candidate, and the price per share is not a deal.
    article = ("Nvidia to take $2B stake in Nokia\n\nBy Jane Roe\nPhoto: Getty Images\n\n"
               "HELSINKI, Oct 28 (Reuters) - Nvidia will invest $2 billion in Nokia, the\n"
               "Finnish network equipment maker said on Tuesday, buying new shares at a\npremium.\n\n"
               "Nokia said the chipmaker would pay $6.01 for each share.\n")
    assert deals(article) == [("nvidia", "nokia", "equity_investment", 2 * B, "exact")]


def test_talks_are_kept_as_rumours_with_low_confidence() -> None:
    found = extract("Microsoft is in advanced talks to invest $5 billion in Mistral.", directory=directory_for(None)).deals
    assert [(c.payer.id, c.recipient.id, c.qualifier.value) for c in found] == [("microsoft", "mistral-ai", "estimate")]
    assert found[0].confidence < 0.5 and any(n.startswith("talks") for n in found[0].notes)
