"""Readings that named a wrong party or kind (sixth round): sentences written for these tests.

Each case is a shape seen in several real passages: a chip's maker taken as the counterparty of an investment or of
rented capacity, an adviser that arranged a loan taken for its borrower, and a deal the sentence says did not happen.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import deal_tuples as deals

B = Decimal(10) ** 9


@pytest.mark.parametrize("text", [
    # money raised is spent on a maker's chips: the maker is no investor and no investee
    "Inflection AI raised $900 million in a round led by Microsoft. The startup will spend much of it on the "
    "largest Nvidia H100 GPU cluster in Europe.",
    # a customer gets access to a maker's GPUs through someone else's cloud
    "Under the new contract, Microsoft will gain access to about 100,000 of Nvidia's GB300 GPUs in Norway.",
])
def test_a_products_maker_is_not_a_party(text: str) -> None:
    # (spending on the maker's chips may still read as a purchase from it; an investment in or by it may not)
    assert not [d for d in deals(text) if "nvidia" in d[:2] and d[2] != "chip_purchase"]


def test_a_takeover_next_to_a_product_does_not_buy_its_maker() -> None:
    text = "OpenAI will deploy two gigawatts of AMD Instinct GPUs from next year while possibly acquiring shares later."
    assert ("openai", "amd", "acquisition", None) not in deals(text)
    assert ("openai", "amd", "chip_purchase", None) in deals(text)  # the GPUs are bought from their maker


def test_the_cloud_that_gives_access_stays_the_recipient() -> None:
    text = ("Microsoft signed a $6 billion cloud contract with Nebius that gives it access to Nvidia's newest GPUs "
            "for five years.")
    assert ("microsoft", "nebius", "compute_commitment", 6 * B) in deals(text)


def test_a_makers_chips_bought_keep_the_maker() -> None:
    # the product is what is bought: the maker is the seller
    assert deals("xAI agreed to buy $5 billion of Nvidia chips.") == [("xai", "nvidia", "chip_purchase", 5 * B)]


@pytest.mark.parametrize("text", [
    "Google is not acquiring Windsurf; it is hiring the startup's leaders and licensing its code instead.",
    "Despite the rumours, Microsoft hasn't bought a stake in Mistral.",
    "Amazon did not acquire Adept, people familiar with the matter said.",
])
def test_a_deal_said_not_to_have_happened_is_no_candidate(text: str) -> None:
    assert deals(text) == []


def test_a_negation_elsewhere_keeps_the_deal() -> None:
    text = "Google acquired Windsurf for $2.4 billion, a price it did not explain."
    assert ("google", "windsurf", "acquisition", Decimal("2.4") * B) in deals(text)


def test_a_cloud_that_makes_the_chips_it_rents_stays_the_provider() -> None:
    text = "The $3 billion agreement gives Anthropic access to Google's TPUs for four years."
    assert ("anthropic", "google", "compute_commitment", 3 * B) in deals(text)


@pytest.mark.parametrize("text", [
    "Cushman & Wakefield has arranged a $4 billion construction loan for a data center campus in Ohio.",
    "The broker arranged the financing for the $9 billion development through a bank group led by Citigroup.",
])
def test_an_arranger_is_not_the_borrower(text: str) -> None:
    # the adviser borrows nothing, and the project's owner is not named
    assert not [d for d in deals(text) if d[2] == "debt"], deals(text)


def test_the_borrower_an_arranger_works_for_is_the_recipient() -> None:
    text = ("Newmark Group has arranged a $1.8 billion loan to build a data centre in Ohio on behalf of Crusoe and "
            "Blue Owl Capital.")
    got = [d for d in deals(text) if d[2] == "debt"]
    assert got and all(d[1] == "crusoe" for d in got), got


def test_a_borrower_arranging_its_own_facility_stays_the_borrower() -> None:
    text = "OpenAI arranged a $4 billion revolving credit facility with a group of banks."
    assert ("bank-lenders", "openai", "debt", 4 * B) in deals(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("Microsoft has agreed to back up $2 billion of Nebius's lease obligations for the new campus.",
     ("microsoft", "nebius", "backstop", 2 * B)),
    ("Amazon is backing $900 million of CoreWeave's long-term rent obligations at the Texas site.",
     ("amazon", "coreweave", "backstop", Decimal("0.9") * B)),
])
def test_backing_another_companys_obligations_is_a_backstop(text: str, expected: tuple[object, ...]) -> None:
    assert expected in deals(text)


def test_collateral_is_not_bought() -> None:
    # the GPUs secure the loan: no chip purchase from their maker
    got = deals("Lambda borrowed $1.5 billion from a group of banks, using Nvidia GPUs as collateral.")
    assert not [d for d in got if d[2] == "chip_purchase"], got
    assert ("bank-lenders", "lambda", "debt", Decimal("1.5") * B) in got


def test_a_purpose_clause_does_not_name_the_kind_of_an_investment() -> None:
    text = "Nvidia said it would make an investment of up to $80 billion in OpenAI to create AI infrastructure of 8 GW."
    assert ("nvidia", "openai", "equity_investment", 80 * B) in deals(text)


@pytest.mark.parametrize("text", [
    "As part of the lease, Microsoft will acquire warrants for about 10 million shares of Nebius common stock.",
    "Amazon bought warrants to purchase up to 5% of CoreWeave's shares.",
])
def test_warrants_bought_are_held_by_the_buyer(text: str) -> None:
    got = deals(text)
    assert got and all(d[2] == "warrant" for d in got), got  # not a stake bought now, not a takeover
    assert got[0][1] in ("microsoft", "amazon"), got  # the issuer hands them to the holder


def test_a_maker_does_not_pay_for_its_own_product() -> None:
    text = "Under the contract, Lambda will deliver about 20,000 Nvidia Blackwell graphics processing units to the site."
    assert not [d for d in deals(text) if d[0] == "nvidia"]


def test_a_customer_named_as_an_example_pays() -> None:
    text = "Samsung said that customers such as Apple have committed $5 billion to secure memory chips."
    assert ("apple", "samsung", "chip_purchase", 5 * B) in deals(text)


@pytest.mark.parametrize("text", [
    "Lambda got the go-ahead from lenders such as Macquarie to borrow up to $2 billion, using its servers as collateral.",
    "Blackstone led the financing, which also drew money from backers such as Wellington and Alphabet's GV.",
])
def test_an_example_of_the_paying_side_is_never_paid(text: str) -> None:
    got = deals(text)
    assert not [d for d in got if d[1] in ("macquarie", "google", "fidelity")], got


@pytest.mark.parametrize(("text", "expected"), [
    ("TeraWulf has won three 10-year hosting agreements with Fluidstack, representing roughly $5 billion in "
     "contracted revenue.", ("fluidstack", "terawulf", "lease", 5 * B)),
    ("Core Scientific said the deal with CoreWeave will add more than $2 billion in revenue over its 12-year term.",
     ("coreweave", "core-scientific", "lease", 2 * B)),
])
def test_revenue_a_lease_brings_its_landlord_is_the_deals_value(text: str, expected: tuple[object, ...]) -> None:
    assert expected in deals(text)


def test_a_companys_own_revenue_is_still_no_deal() -> None:
    got = deals("CoreWeave reported $1.4 billion in revenue for the quarter, helped by its contract with Microsoft.")
    assert not [d for d in got if d[3] is not None], got


def test_buying_every_share_is_a_takeover() -> None:
    text = ("Under the merger agreement, CoreWeave will acquire all outstanding shares of Core Scientific for $20.40 per "
            "share in stock.")
    assert [d[2] for d in deals(text)] == ["acquisition"]


def test_buying_some_shares_stays_a_stake() -> None:
    assert deals("Nvidia will buy $5 billion of Intel shares.") == [("nvidia", "intel", "equity_investment", 5 * B)]


def test_a_takeover_told_again_per_share_is_one_candidate() -> None:
    text = ("CoreWeave agreed to acquire Core Scientific in a deal valued at about $9 billion. Under the agreement, "
            "CoreWeave will purchase all outstanding shares of Core Scientific for $20.40 per share.")
    assert deals(text) == [("coreweave", "core-scientific", "acquisition", 9 * B)]


def test_capex_named_after_several_words_is_no_deal() -> None:
    text = "Amazon and Microsoft together plan about $450 billion in AI data centre capex next year, a wire service said."
    assert not [d for d in deals(text) if d[3] is not None]
