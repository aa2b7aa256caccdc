"""The back-off reading: a sentence that names two companies and one deal figure but fits no verb frame or
noun phrase (sentences written for these tests, in our own words, the way wire stories and trade press
write; the parties are ledger companies).

Direction follows the labelling conventions of the development set: the customer pays the provider in
compute, chip and lease deals, the investor pays in equity, the lender pays in debt, the licensee pays
the licensor, and the company whose revenue is shared pays a revenue share. Money that is not a deal
(revenue, capex, valuations, market value, buybacks, totals, talks) and names in lists give nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealweb.extract import backoff, extract
from dealweb.extract.amounts import find_money
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9
M = Decimal(10) ** 6
C, CH, EQ, DEBT, LEASE, LIC, RS = ("compute_commitment", "chip_purchase", "equity_investment", "debt", "lease",
                                   "licensing", "revenue_share")


def deals(text: str) -> list[tuple[str, str, str, Decimal | None]]:
    return [(c.payer.id, c.recipient.id, c.kind.value, c.amount)
            for c in extract(text, directory=directory_for(None), published="2025-11-20").deals]


def signals(text: str) -> list[frozenset[str]]:
    return [c.signals for c in extract(text, directory=directory_for(None), published="2025-11-20").deals]


POSITIVE = [
    # a role word in an appositive: "one of B's largest customers"
    ("The agreement with Meta Platforms, one of Nebius's largest customers, is worth $3 billion over five years.",
     ("meta", "nebius", C, 3 * B)),
    # a joint possessive: "A and B's $N arrangement" (the kinds decide: the neocloud sells)
    ("Microsoft and Nebius's $17.4 billion arrangement for GPU capacity in Vineland, New Jersey, runs through 2031.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    # "a $N order from A for B's …"
    ("A $10 billion order from OpenAI for Broadcom's custom accelerators will start shipping in the second half of "
     "next year.", ("openai", "broadcom", CH, 10 * B)),
    # the seller's goods by possessive, the buyer after "for"
    ("The $10 billion package covers 18,000 of Nvidia's GB300 chips for Humain's data centres in Riyadh, according "
     "to a person briefed on the matter.", ("humain", "nvidia", CH, 10 * B)),
    # "payments to B"
    ("OpenAI is on the hook for about $22 billion in payments to CoreWeave through 2029, filings show.",
     ("openai", "coreweave", C, 22 * B)),
    # "an investor in B" in an appositive
    ("Jane Street, an investor in CoreWeave, put $1 billion into the neocloud's stock as part of the arrangement.",
     ("jane-street", "coreweave", EQ, 1 * B)),
    # "A's chip supplier B" (known failure, see below)
    pytest.param("Poolside's chip supplier Nvidia will sell it up to $1 billion of hardware for the Horizon project "
                 "under the agreement.", ("poolside", "nvidia", CH, 1 * B),
                 marks=pytest.mark.xfail(strict=True, reason="modifiers.plain_sentence drops the descriptor "
                                         "\"Poolside's chip supplier\" before the clause reader sees the role word")),
    # "makes A its biggest customer"; an opening "For B," is no role
    ("For Lambda, the $1.5 billion, four-year lease-back of 18,000 Nvidia GPUs makes Nvidia its biggest customer.",
     ("nvidia", "lambda", C, Decimal("1.5") * B)),
    # "gives A rights to B's technology"
    ("The licensing agreement gives Nvidia rights to Groq's inference technology for about $20 billion in cash.",
     ("nvidia", "groq", LIC, 20 * B)),
    # "payments from A to B"
    ("Payments from Google to Fluidstack for the Abernathy site, in a deal running ten years, come to about $3.2 "
     "billion.", ("google", "fluidstack", C, Decimal("3.2") * B)),
    # written after the rule (first run counted in the report)
    ("Oracle's $40 billion bill for Nvidia's GB200 chips, to be installed at the Abilene site, will be spread over "
     "15 years, the Financial Times reported.", ("oracle", "nvidia", CH, 40 * B)),
    ("Meta Platforms and Google's $10 billion cloud arrangement covers six years of servers and storage.",
     ("meta", "google", C, 10 * B)),
    ("SoftBank's $22.5 billion cheque for OpenAI cleared on Friday, completing the funding round.",
     ("softbank", "openai", EQ, Decimal("22.5") * B)),
    ("Under the revenue-sharing arrangement, roughly $500 million a year flows from OpenAI to Microsoft.",
     ("openai", "microsoft", RS, 500 * M)),
    ("A $2 billion cheque from Nvidia for Mistral AI's latest round leaves the chipmaker with a small stake.",
     ("nvidia", "mistral-ai", EQ, 2 * B)),
    ("In a filing, Nebius put the value of Meta's five-year commitment at about $3 billion.",
     ("meta", "nebius", C, 3 * B)),
    # a second batch, written after the first rule
    ("The deal will see OpenAI pay Cerebras more than $10 billion over three years for compute, people familiar with "
     "the matter said.", ("openai", "cerebras", C, 10 * B)),
    ("The chip order, worth around $10 billion, makes OpenAI Broadcom's fourth custom silicon customer.",
     ("openai", "broadcom", CH, 10 * B)),
    ("The deal gives Microsoft about $17.4 billion of Nebius capacity over five years.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    ("Under a newly signed contract valued at $14.2 billion, Meta secures CoreWeave compute through 2031.",
     ("meta", "coreweave", C, Decimal("14.2") * B)),
    # an opening phrase ends in a name before the subject: "… with Meta, Nebius expects" is no joint subject
    ("Thanks to a $3 billion deal inked with Meta, Nebius expects to double its backlog.",
     ("meta", "nebius", C, 3 * B)),
    # money "in hand from" the buyer
    ("With an order of about $10 billion in hand from OpenAI, Broadcom lifted its outlook.",
     ("openai", "broadcom", CH, 10 * B)),
    # a third company outside the figure's phrase, and "Like Google," opening the sentence
    ("A $10 billion order from OpenAI for Broadcom's custom accelerators is a blow to Nvidia, analysts said.",
     ("openai", "broadcom", CH, 10 * B)),
    ("Like Google, Meta has agreed to a commitment of more than $10 billion for capacity from CoreWeave.",
     ("meta", "coreweave", C, 10 * B)),
    ("Revenue-share payments of about $500 million flowed from OpenAI to Microsoft in the first half.",
     ("openai", "microsoft", RS, 500 * M)),
    # "the pact / arrangement, valued at $N," is the deal's figure, not a company's valuation
    ("The pact, valued at roughly $38 billion, puts OpenAI workloads on Amazon Web Services' Nvidia-powered servers.",
     ("openai", "amazon", C, 38 * B)),
    ("The arrangement, valued at about $17.4 billion, gives Microsoft capacity at Nebius's New Jersey site.",
     ("microsoft", "nebius", C, Decimal("17.4") * B)),
    # a backstop "from" or "by" the guarantor, for the one protected
    ("The $6.3 billion backstop from Nvidia covers CoreWeave's unsold capacity.",
     ("nvidia", "coreweave", "backstop", Decimal("6.3") * B)),
    ("A $1.3 billion backstop by Google for Fluidstack's lease obligations was disclosed in a filing.",
     ("google", "fluidstack", "backstop", Decimal("1.3") * B)),
]

# Frames and defaults that the back-off sentences showed wrong (direction.py, frames.py), read by the clause rules.
FRAMED = [
    # the seller books, wins or receives money from the buyer
    ("IREN, the bitcoin miner turned AI cloud, booked $9.7 billion from Microsoft for five years of GB300 capacity.",
     ("microsoft", "iren", C, Decimal("9.7") * B)),
    ("Nscale secured $14 billion from Microsoft for GPU capacity in Texas.", ("microsoft", "nscale", C, 14 * B)),
    ("Broadcom has received more than $10 billion in orders from OpenAI for its custom chips.",
     ("openai", "broadcom", CH, 10 * B)),
    # … but what is bought from the seller stays a purchase
    ("Anthropic secured $30 billion of compute from Google.", ("anthropic", "google", C, 30 * B)),
    # a licensor that receives or gets fees from the licensee is paid
    ("Anthropic gets $1.5 billion in licensing fees from Apple each year for Claude, according to reports.",
     ("apple", "anthropic", LIC, Decimal("1.5") * B)),
    ("Character.AI will receive $2.7 billion from Google for a non-exclusive licence to its models.",
     ("google", "character-ai", LIC, Decimal("2.7") * B)),
    ("Disney will license its characters to OpenAI for $1 billion over three years.", ("openai", "disney", LIC, 1 * B)),
    # whose revenue is shared pays; the one who expects money from a revenue share receives it
    ("Microsoft expects about $1 billion a year from its revenue share with OpenAI.", ("openai", "microsoft", RS, 1 * B)),
    ("Microsoft's revenue share from OpenAI came to about $500 million last year.",
     ("openai", "microsoft", RS, 500 * M)),
    ("Microsoft is entitled to 20% of OpenAI's revenue under their revenue-sharing agreement.",
     ("openai", "microsoft", RS, None)),
    # a noun phrase's figure after ", at": "Humain's AMD order, at around $10 billion" (the order's owner buys)
    ("Humain's AMD order, at around $10 billion, was one of the largest of the year.",
     ("humain", "amd", CH, 10 * B)),
    # rent paid for space is a lease; "put the value … at" is no investment
    ("Crusoe's tenant, Oracle, is committed to about $15 billion in rent over the 15-year term of the Abilene lease.",
     ("oracle", "crusoe", LEASE, 15 * B)),
]

NEGATIVE = [
    # lists of customers, relative clauses, revenue, backlog, capex
    "CoreWeave, whose customers include Microsoft, OpenAI and Meta, has a revenue backlog of $55.6 billion.",
    "Oracle's customers include OpenAI, xAI and Meta, and its remaining performance obligations jumped to $455 billion.",
    "Nebius, which counts Microsoft and Meta as customers, said capital spending would reach $5 billion this year.",
    "CoreWeave's customers include Microsoft, and its revenue rose to $1.4 billion.",
    "Microsoft's Azure division, which counts OpenAI as a customer, reported $75 billion in annual revenue.",
    "Alphabet's cloud unit, which supplies Anthropic and Meta, grew sales 34% to $15.2 billion.",
    # market value, buybacks, valuations
    "The deal with Meta, one of Google's largest cloud customers, lifted Alphabet's market value by $100 billion on "
    "Friday.",
    "Microsoft bought back $10 billion of its shares in the quarter, while its Azure contract with OpenAI continued "
    "to grow.",
    "Investors including Nvidia, Microsoft and BlackRock valued xAI at $230 billion in the round.",
    "AMD shares rose 24% to a market value of $330 billion after the OpenAI agreement.",
    "Oracle shares have lost $300 billion in market value since the OpenAI contract was announced.",
    "CoreWeave, which rents Nvidia chips to Microsoft and OpenAI, is valued at about $40 billion.",
    "Nvidia's stake in CoreWeave, now worth about $3 billion, has tripled since the listing.",
    "Meta and Google, two of Nvidia's largest customers, bought back $30 billion of stock between them.",
    "Oracle said it would buy back $5 billion of shares, citing demand from OpenAI and Meta.",
    # totals shared by several payers, joint subjects
    "Nvidia and Microsoft have pledged a combined $15 billion to Anthropic, which will buy $30 billion of Azure compute.",
    "Google and Amazon, Anthropic's two biggest backers, together hold stakes worth more than $60 billion.",
    "Meta, Microsoft and Amazon spent more than $100 billion on capital projects in the quarter, much of it with "
    "Nvidia.",
    "Microsoft and Meta will together spend $60 billion on neocloud capacity, with Nebius a big winner.",
    "OpenAI expects to spend $115 billion through 2029, much of it with Oracle and Microsoft.",
    "Nvidia, AMD and Broadcom are racing to supply OpenAI, whose commitments top $1.4 trillion.",
    # a side named only in a description, and a figure that is no payment
    "OpenAI, Oracle's biggest cloud customer, lost $12 billion in the quarter.",
    "Anthropic, a Google cloud customer, paid $1.5 billion to settle a lawsuit brought by authors.",
    "CoreWeave, a Microsoft supplier, burned through $3 billion of cash in the first half.",
    "Nebius, Microsoft's GPU landlord, posted revenue of $146 million in the quarter.",
    "xAI, a big Nvidia customer, is burning about $1 billion a month, Bloomberg reported.",
    "Lambda, an Nvidia GPU customer, expects $500 million of sales this year.",
    "Anthropic, a big Google Cloud customer, said it would spend $50 billion on its own data centres in Texas and New "
    "York.",
    # talks and conjecture
    "Analysts said a deal between Microsoft and OpenAI could be worth $100 billion.",
    "Nvidia's market capitalisation of $4.5 trillion dwarfs that of Intel, in which it holds a stake.",
    # "each quarter" is no "each" of several payers
    "Intel and AMD, like Nvidia, sell chips worth billions to Microsoft and Meta each quarter.",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_a_sentence_that_fits_no_frame_is_read_by_the_back_off_rule(text: str, expected: Any) -> None:
    assert deals(text) == [expected]


@pytest.mark.parametrize(("text", "expected"), FRAMED)
def test_frames_the_back_off_sentences_showed_wrong(text: str, expected: Any) -> None:
    assert deals(text) == [expected]


@pytest.mark.parametrize("text", NEGATIVE)
def test_money_that_is_not_one_deal_between_two_named_companies_gives_nothing(text: str) -> None:
    assert deals(text) == []


def test_the_back_off_reading_records_its_own_signal() -> None:
    text = "A $10 billion order from OpenAI for Broadcom's custom accelerators will ship next year."
    assert [("backoff" in s, "frame" in s) for s in signals(text)] == [(True, False)]


def test_a_figure_that_is_revenue_is_not_the_deal_figure() -> None:
    text = ("AMD and OpenAI's agreement, which covers six gigawatts of Instinct GPUs, could bring the chipmaker more "
            "than $100 billion in revenue over four years.")
    assert all(d[3] is None for d in deals(text))


def test_words_that_contradict_each_other_give_no_reading() -> None:
    # Both named as the customer: nothing decides who pays (the rule alone; the clause reader reads this by kinds).
    d = directory_for(None)
    text = "Nebius, the customer, and Microsoft, another customer, share a $3 billion agreement."
    assert backoff.read(text, d.mentions(text), find_money(text), [], d) == []
    text = "Nebius, the customer, shares a $3 billion agreement with Microsoft, the provider."
    assert [(x.payer.id, x.recipient.id) for x in backoff.read(text, d.mentions(text), find_money(text), [], d)] == \
        [("nebius", "microsoft")]


def test_the_kinds_decide_when_no_word_does_and_nothing_when_they_do_not() -> None:
    # A neocloud sells to a cloud; a cloud and an AI lab with a bare "arrangement" are not plainly a purchase.
    assert deals("Microsoft and Nscale's $24 billion arrangement runs for five years.") == \
        [("microsoft", "nscale", C, 24 * B)]
    assert deals("Microsoft and OpenAI's $10 billion arrangement runs for five years.") == []


# Properties: the words around the parties decide the direction whatever the parties' entity kinds, and money that
# is not one deal between two named sides gives no back-off reading, whoever is named.
_NAMES = ["Microsoft", "Nebius", "CoreWeave", "Meta", "OpenAI", "Anthropic", "Oracle", "Nscale", "Lambda", "Crusoe",
          "Fluidstack", "IREN", "Broadcom", "AMD", "Nvidia", "Humain", "Poolside", "xAI"]
_SAID = [  # (template, kind of the words) with {p} the payer and {r} the recipient
    "A {f} order from {p} for {r}'s custom accelerators will start shipping next year.",
    "Payments from {p} to {r} under the five-year cloud agreement come to about {f}.",
    "The capacity agreement with {p}, one of {r}'s largest customers, is worth {f} over five years.",
    "{p} is on the hook for about {f} in payments to {r} for GPU capacity through 2029, filings show.",
    "The licensing agreement gives {p} rights to {r}'s models for about {f} in cash.",
]
_NOT_ONE_DEAL = [
    "{a}, {b} and {c} together spent {f} on chips last year.",
    "{a} reported {f} in revenue, with {b} and {c} its biggest customers.",
    "Analysts at {d} said {a} could sign a {f} cloud deal with {b}.",
    "{a}, whose customers include {b}, {c} and {d}, reported revenue of {f} for the quarter.",
    "{a} and {b} will together spend {f} on capacity from {c} this year.",
    "{a}'s customers include {b} and {c}, and its market value rose by {f} on Friday.",
    "{a}, a big {b} customer, lost {f} in the quarter, while {c} signed a cloud deal.",
    "{a} is in talks with {b} about a cloud agreement worth {f}.",
]
_FIGURES = st.sampled_from(["$3 billion", "$17.4 billion", "$650 million", "€2 billion", "$1.25 billion"])


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_SAID), st.lists(st.sampled_from(_NAMES), min_size=2, max_size=2, unique=True), _FIGURES)
def test_words_around_the_parties_decide_the_direction_whatever_their_kinds(template: str, pair: list[str],
                                                                            figure: str) -> None:
    d = directory_for(None)
    text = template.format(p=pair[0], r=pair[1], f=figure)
    found = backoff.read(text, d.mentions(text), find_money(text), [], d)
    ids = [d.mentions(n)[0].party.id for n in pair]
    assert [(x.payer.id, x.recipient.id, "backoff" in x.signals) for x in found] == [(ids[0], ids[1], True)]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_NOT_ONE_DEAL), st.lists(st.sampled_from(_NAMES), min_size=4, max_size=4, unique=True), _FIGURES)
def test_money_that_is_not_one_deal_gives_no_back_off_reading(template: str, names: list[str], figure: str) -> None:
    text = template.format(a=names[0], b=names[1], c=names[2], d=names[3], f=figure)
    assert not any("backoff" in s for s in signals(text))
