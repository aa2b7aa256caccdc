"""Deals stated without a verb frame: noun phrases, possessives, "between A and B", "under the agreement",
headline fragments (sentences written for these tests, in our own words; the parties are ledger companies).

Direction follows the labelling conventions of the development set: the customer pays the provider in
compute, chip and lease deals, the investor pays in equity, the lender pays in debt.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9
M = Decimal(10) ** 6
C, CH, EQ, DEBT, LEASE = "compute_commitment", "chip_purchase", "equity_investment", "debt", "lease"


def deals(text: str) -> list[tuple[str, str, str, Decimal | None]]:
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount)
            for c in extract(text, directory=directory_for(None), published="2025-11-20").deals]


POSITIVE = [
    # possessive + "with"
    ("The move follows CoreWeave's $14 billion contract with Meta, disclosed last month.",
     ("meta", "coreweave", C, 14 * B)),
    ("Analysts pointed to Oracle's $300 billion cloud deal with OpenAI as the largest such contract yet.",
     ("openai", "oracle", C, 300 * B)),
    ("Investors cheered Nebius's $3 billion agreement with Meta for AI infrastructure.",
     ("meta", "nebius", C, 3 * B)),
    # possessive, counterparty as a modifier of the deal noun
    ("Microsoft's $19.4 billion Nebius contract is the largest in the neocloud's short history.",
     ("microsoft", "nebius", C, Decimal("19.4") * B)),
    ("Anthropic's $21 billion Broadcom order will ship in late 2026.",
     ("anthropic", "broadcom", CH, 21 * B)),
    # "between A and B"
    ("The $17.4 billion deal between Microsoft and Nebius covers GPU capacity in New Jersey.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    ("A $2 billion agreement between Crusoe and OpenAI runs for five years.",
     ("openai", "crusoe", C, 2 * B)),
    # "the A-B agreement, valued at $X"
    ("The Anthropic-Microsoft agreement, valued at $30 billion, covers Azure capacity.",
     ("anthropic", "microsoft", C, 30 * B)),
    ("The Meta-Google cloud agreement, worth more than $10 billion, spans six years.",
     ("meta", "google", C, 10 * B)),
    # "under the agreement, A will use / run on B's …"
    ("Under the agreement, OpenAI will run its models on Amazon's cloud over seven years, at a cost of $38 billion.",
     ("openai", "amazon", C, 38 * B)),
    ("Under the deal, worth up to $12 billion, Poolside will use CoreWeave's data centres in Texas.",
     ("poolside", "coreweave", C, 12 * B)),
    # a commitment to / the largest customer
    ("Meta has a $14.2 billion commitment to CoreWeave that runs through 2031.",
     ("meta", "coreweave", C, Decimal("14.2") * B)),
    ("OpenAI is Oracle's largest customer under a $300 billion contract signed in September.",
     ("openai", "oracle", C, 300 * B)),
    ("Microsoft is IREN's only customer under the $9.7 billion contract.",
     ("microsoft", "iren", C, Decimal("9.7") * B)),
    ("Humain is Nvidia's biggest customer in the Gulf under a $10 billion chip agreement.",
     ("humain", "nvidia", CH, 10 * B)),
    # signed with no verb role: the entity kinds decide
    ("Nscale signed a multiyear agreement worth $14 billion with Microsoft.",
     ("microsoft", "nscale", C, 14 * B)),
    ("Lambda struck a multibillion-dollar agreement with Microsoft earlier this month.",
     ("microsoft", "lambda", C, None)),
    # headline fragments
    ("Nebius, Meta in $3 billion AI infrastructure pact",
     ("meta", "nebius", C, 3 * B)),
    ("OpenAI to spend $10 billion on Broadcom chips",
     ("openai", "broadcom", CH, 10 * B)),
    ("xAI inks $5 billion deal with Oracle for GPUs",
     ("xai", "oracle", C, 5 * B)),
    ("CoreWeave lands $1.2 billion Poolside contract",
     ("poolside", "coreweave", C, Decimal("1.2") * B)),
    ("Lambda lands multibillion-dollar Microsoft deal",
     ("microsoft", "lambda", C, None)),
    ("Meta to spend $14 billion on CoreWeave capacity",
     ("meta", "coreweave", C, 14 * B)),
    # equity: possessive investment or stake, "made a … investment too"
    ("SoftBank's $22.5 billion investment in OpenAI closed in December.",
     ("softbank", "openai", EQ, Decimal("22.5") * B)),
    ("Regulators cleared Nvidia's $5 billion stake in Intel on Friday.",
     ("nvidia", "intel", EQ, 5 * B)),
    ("Microsoft put $1 billion into xAI's round, and Nvidia made a $2 billion investment too.",
     [("microsoft", "xai", EQ, 1 * B), ("nvidia", "xai", EQ, 2 * B)]),
    # debt: the bank lends
    ("Morgan Stanley, Lambda in $1.5 billion loan deal",
     ("morgan-stanley", "lambda", DEBT, Decimal("1.5") * B)),
    # lease: the landlord is paid
    ("Core Scientific's $3.5 billion lease with CoreWeave covers its Denton campus.",
     ("coreweave", "core-scientific", LEASE, Decimal("3.5") * B)),
    ("Under the agreement, Fluidstack will occupy TeraWulf's Lake Mariner campus for ten years, in a deal worth "
     "$3.7 billion.",
     ("fluidstack", "terawulf", LEASE, Decimal("3.7") * B)),
]

# Written after the rules, before running them on these sentences: how the rules carry over.
POSITIVE += [
    ("SAN FRANCISCO, Nov 3 (Reuters) - Amazon's seven-year, $38 billion agreement with OpenAI gives the ChatGPT maker "
     "access to hundreds of thousands of Nvidia chips.",
     ("openai", "amazon", C, 38 * B)),
    ("The contract between Oracle and Meta, worth $20 billion, covers several years of cloud capacity.",
     ("meta", "oracle", C, 20 * B)),
    ("CoreWeave and Poolside in $5.2 billion compute tie-up",
     ("poolside", "coreweave", C, Decimal("5.2") * B)),
    ("The Crusoe–OpenAI contract, valued at $15 billion, is for the Abilene campus.",
     ("openai", "crusoe", C, 15 * B)),
    ("Google is Anthropic's cloud provider under a deal valued at tens of billions of dollars.",
     ("anthropic", "google", C, None)),
    ("Meta signs $10 billion Google Cloud deal",
     ("meta", "google", C, 10 * B)),
    ("xAI's $12.5 billion debt deal with Apollo closed in July.",
     ("apollo", "xai", DEBT, Decimal("12.5") * B)),
    ("Anthropic has a $30 billion Azure commitment.",
     ("anthropic", "microsoft", C, 30 * B)),
    ("Humain's chip agreement with AMD is worth $10 billion.",
     ("humain", "amd", CH, 10 * B)),
    ("The TeraWulf-Fluidstack lease, worth $9.5 billion over 25 years, starts in 2026.",
     ("fluidstack", "terawulf", LEASE, Decimal("9.5") * B)),
    ("Nvidia's planned $100 billion investment in OpenAI will arrive in stages.",
     ("nvidia", "openai", EQ, 100 * B)),
    ("Goldman Sachs, Crusoe in $750 million loan deal",
     ("goldman-sachs", "crusoe", DEBT, 750 * M)),
]

# Third round, written after the second: pronoun and description owners, stock moves next to the deal, joint
# subjects of a headline verb, a cumulative total for one pair.
POSITIVE += [
    ("CoreWeave's contracts with OpenAI now total $22.4 billion.",
     ("openai", "coreweave", C, Decimal("22.4") * B)),
    ("Shares of Nebius rose 40% on the news of the company's $17.4 billion contract with Microsoft.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    ("Nebius shares jumped 40% after it signed a $17.4 billion deal with Microsoft.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    ("Nebius shares jumped. Its $3 billion Meta contract starts in November.",
     ("meta", "nebius", C, 3 * B)),
    ("Microsoft, IREN sign $9.7 billion cloud deal",
     ("microsoft", "iren", C, Decimal("9.7") * B)),
    ("Lambda, Microsoft ink multibillion-dollar AI infrastructure agreement",
     ("microsoft", "lambda", C, None)),
    ("OpenAI's agreement with Cerebras, worth more than $10 billion, covers 750 megawatts of computing.",
     ("openai", "cerebras", C, 10 * B)),
    ("Oracle's deal to supply OpenAI with 4.5 gigawatts of capacity is valued at $300 billion.",
     ("openai", "oracle", C, 300 * B)),
    ("The Nscale deal is Microsoft's fourth neocloud contract this year, worth $14 billion.",
     ("microsoft", "nscale", C, 14 * B)),
    ("It is Nebius's second such deal, after a $17.4 billion Microsoft contract in September.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    ("Under the pact, Anthropic will tap Google's TPUs, a deal worth tens of billions of dollars.",
     ("anthropic", "google", C, None)),
]

# Fourth round: access given, loans with both prepositions, the investor as a modifier, funding "from".
POSITIVE += [
    ("The deal gives OpenAI access to Amazon's EC2 UltraServers for $38 billion over seven years.",
     ("openai", "amazon", C, 38 * B)),
    ("The partnership gives Meta access to Google Cloud TPUs in a deal worth more than $10 billion.",
     ("meta", "google", C, 10 * B)),
    ("The $2.3 billion loan from JPMorgan to Crusoe closed on Friday.",
     ("jpmorgan", "crusoe", DEBT, Decimal("2.3") * B)),
    ("A $1 billion loan to Lambda from Morgan Stanley closed on Friday.",
     ("morgan-stanley", "lambda", DEBT, 1 * B)),
    ("The $40 billion SoftBank investment in OpenAI arrives in two tranches.",
     ("softbank", "openai", EQ, 40 * B)),
    ("OpenAI's $40 billion funding from SoftBank arrives in two tranches.",
     ("softbank", "openai", EQ, 40 * B)),
    ("Nvidia's investment of $5 billion in Intel was cleared by the FTC.",
     ("nvidia", "intel", EQ, 5 * B)),
]

# Fifth round: companies the ledger does not hold, a dateline and pounds, two phrases sharing an owner, a passive
# "was announced", a pronoun owner in the next sentence.
POSITIVE += [
    ("LONDON, Oct 1 (Reuters) - Nscale's £1.5 billion contract with Microsoft will put 23,000 GPUs in a site near "
     "London.",
     ("microsoft", "nscale", C, Decimal("1.5") * B)),
    ("The $3 billion agreement between Firmus and Nvidia is for Blackwell systems.",
     ("firmus", "nvidia", CH, 3 * B)),
    ("Cipher Mining's $5.5 billion, 15-year lease with Amazon Web Services starts in 2026.",
     ("amazon", "cipher-mining", LEASE, Decimal("5.5") * B)),
    ("Nebius has a $17.4 billion deal with Microsoft and a $3 billion deal with Meta.",
     [("microsoft", "nebius", C, Decimal("17.4") * B), ("meta", "nebius", C, 3 * B)]),
    ("Nvidia's $5 billion Intel stake makes it one of the chipmaker's largest shareholders.",
     ("nvidia", "intel", EQ, 5 * B)),
    ("Google's multibillion-dollar deal with Anthropic for up to one million TPUs was announced on Thursday.",
     ("anthropic", "google", C, None)),
    ("OpenAI announced the deal on Tuesday. Its $10 billion commitment to Cerebras runs through 2028.",
     ("openai", "cerebras", CH, 10 * B)),
    ("Microsoft's agreement with Nebius, announced in September, is worth up to $19.4 billion.",
     ("microsoft", "nebius", C, Decimal("19.4") * B)),
]

# Sixth round: headline verbs of winning and choosing, and deal nouns next to stock moves and market values.
POSITIVE += [
    ("OpenAI picks Oracle for $30 billion cloud deal", ("openai", "oracle", C, 30 * B)),
    ("CoreWeave expands OpenAI contract by $6.5 billion", ("openai", "coreweave", C, Decimal("6.5") * B)),
    ("Broadcom bags $10 billion OpenAI chip order", ("openai", "broadcom", CH, 10 * B)),
    ("AMD scores multibillion-dollar OpenAI chip deal", ("openai", "amd", CH, None)),
    ("Nebius nabs $3 billion Meta contract", ("meta", "nebius", C, 3 * B)),
    ("Meta taps Google Cloud in $10 billion deal", ("meta", "google", C, 10 * B)),
    ("The Microsoft contract is worth $9.7 billion to IREN.", ("microsoft", "iren", C, Decimal("9.7") * B)),
    ("IREN's $9.7 billion Microsoft contract sent its shares up 20%, adding $3 billion to its market value.",
     ("microsoft", "iren", C, Decimal("9.7") * B)),
]

NEGATIVE = [
    "Analysts estimate Microsoft's AI infrastructure spending will reach $120 billion next year, including contracts "
    "with neoclouds.",
    "Nvidia's $4 trillion valuation rests partly on its deals with OpenAI and xAI.",
    "Microsoft has signed contracts worth a combined $60 billion with neoclouds including Nebius, Nscale and IREN.",
    "CoreWeave's $55.6 billion revenue backlog includes its Meta and OpenAI contracts.",
    "The $100 billion Stargate project between OpenAI and SoftBank starts in Texas.",
    "Microsoft said its $80 billion data centre budget for the year includes deals with Nebius and Lambda.",
    "Nebius's market value rose by $10 billion after its Microsoft deal.",
    "Google owns a 14% stake in Anthropic worth about $25 billion.",
    "Amazon's stake in Anthropic is now worth $60 billion.",
    "Brookfield, Bloom Energy in $5 billion fuel-cell pact",
    "OpenAI's compute commitments to Oracle, Microsoft and Amazon exceed $1 trillion.",
    "CoreWeave reported revenue of $1.4 billion. Its contract with OpenAI is its largest.",
    "Meta's $600 billion US investment pledge covers data centres and jobs.",
    "OpenAI's deal with Microsoft is under review by regulators.",
    "Amazon's $200 billion spending plan dwarfs Google's.",
    "The Microsoft-OpenAI relationship has soured, analysts say.",
    "CoreWeave's $55 billion backlog now includes contracts with Meta and OpenAI.",
    "Amazon and Microsoft are Nvidia's largest customers, together accounting for $40 billion of sales.",
    "CoreWeave's revenue from its Microsoft contract reached $1.2 billion last quarter.",
    "Microsoft's $80 billion capital spending plan for data centres was confirmed on Tuesday.",
    "OpenAI's $500 billion valuation makes it the most valuable startup in the world.",
    "Nvidia's $5 trillion market value now dwarfs AMD's.",
    "Talks over a $10 billion cloud pact between Google and Meta have stalled.",
    "OpenAI and Anthropic are rivals in a $200 billion market for AI models.",
    "CoreWeave's Nvidia GB300 cluster cost $1 billion to build.",
    "Oracle's $455 billion backlog includes its contract with OpenAI.",
    "Anthropic's cloud deals with Google, Amazon and Microsoft total $80 billion.",
    "Broadcom booked $12 billion of AI revenue, helped by its Google contract.",
    "Microsoft's $135 billion stake in OpenAI is now worth more than the whole of Intel.",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE, ids=[f"p{i:02d}" for i in range(len(POSITIVE))])
def test_a_deal_stated_without_a_verb_frame(text: str, expected: Any) -> None:
    assert deals(text) == (expected if isinstance(expected, list) else [expected])


@pytest.mark.parametrize("text", NEGATIVE, ids=[f"n{i:02d}" for i in range(len(NEGATIVE))])
def test_money_that_is_not_a_deal_gives_nothing(text: str) -> None:
    assert deals(text) == []


# A cloud or a chipmaker also invests and licenses: with no word for compute, chips or an investment, the kind is
# a guess, and the rule gives nothing rather than guess.
KIND_UNSAID = [
    "Microsoft signed a $10 billion deal with OpenAI in 2023.",
    "Amazon's $4 billion deal with Anthropic was its largest venture bet.",
    "Nvidia and xAI struck a $2 billion deal.",
    "Apple's $1 billion a year deal with Google covers Gemini models.",
    "The Amazon-OpenAI pact, worth $38 billion, was signed on Monday.",
]


@pytest.mark.parametrize("text", KIND_UNSAID, ids=[f"k{i:02d}" for i in range(len(KIND_UNSAID))])
def test_a_deal_whose_kind_no_word_gives_yields_nothing_rather_than_a_guess(text: str) -> None:
    assert deals(text) == []


def test_a_seller_that_landed_the_deal_sells_what_it_makes() -> None:
    assert deals("AMD said it landed a multiyear deal with Meta that could be worth as much as $100 billion.") == [
        ("meta", "amd", CH, 100 * B)]


def test_a_deal_phrase_that_is_the_subject_of_an_announcement_is_a_deal_without_a_figure() -> None:
    assert deals("A cloud services agreement between Meta and CoreWeave was announced on Monday.") == [
        ("meta", "coreweave", C, None)]
    assert deals("Microsoft's deal with OpenAI was announced in 2019.") == []  # the kind is not said


def test_a_headline_that_nears_a_deal_is_talks_and_could_be_worth_is_a_deal() -> None:
    found = extract("Report: Meta nears $10 billion Google cloud deal", directory=directory_for(None)).deals
    assert all(any(n.startswith("talks") for n in c.notes) for c in found)  # kept as talks (a rumour), never a deal
    assert deals("A potential $10 billion deal between Meta and CoreWeave was discussed.") == []
    assert deals("Nebius's contract with Microsoft could be worth up to $19.4 billion.") == [
        ("microsoft", "nebius", C, Decimal("19.4") * B)]
