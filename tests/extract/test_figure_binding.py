"""Which figure belongs to a deal reading (issue 16, fourth round: the amount).

Every sentence here was written for this file, the way wire stories, trade press and releases
attach a figure to a deal: inside the deal's noun phrase ("a multiyear, $18 billion agreement"),
after the noun ("a contract worth", "valued at", "totalling", "of as much as"), in a clause, an
opening phrase or a parenthesis of its own, with quantity words ("an incremental", "$5 billion
worth of", "$19.4 billion of capacity"), per period, with a tranche beside its ceiling, and next
to figures of other roles (a valuation, revenue, backlog, capex, market value) that must never be
bound. Labels follow ../shared/reference/extraction-dev/README.md: the text's currency, the
qualifier its words give (hearsay → estimate), per-period figures with their period, the "up to"
total over a first tranche.

Rounds, each run once before the rules that read it were written (or, for the third, after):
``ROUND_1`` 41 sentences, 32 right on the first run; ``ROUND_2`` 20 (a 21st repeated one of round
1), 16 right; ``ROUND_3`` 9 written after :mod:`dealweb.extract.binding` to try to break it (mostly
negatives), 8 right; ``ROUND_4`` 13, 10 right before its rules (which-clauses that are the news, quantity
words, "for a total of"); ``ROUND_5`` 2 negatives written after; ``ROUND_6`` 10, 8 right before its
rule ("a total of"); ``ROUND_7`` 7, 6 right before its rule (a period "in the first nine months of
2025"); ``ROUND_8`` 6, 4 right before its rule (a first part told after its figure). The four
marked ``xfail`` are wrong on direction or kind, not on the figure.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.amounts import context_role, find_money
from dealweb.extract.binding import conversions
from dealweb.extract.candidates import directory_for

T = Decimal(10) ** 12
B = Decimal(10) ** 9
M = Decimal(10) ** 6

Deal = tuple[str, str, str, Decimal | None, str, str, str]


def deals(text: str) -> list[Deal]:
    return sorted((c.payer.id, c.recipient.id, c.kind.value, c.amount, c.currency, c.qualifier.value, c.period)
                  for c in extract(text, directory=directory_for(None), published="2026-03-02").deals)


def _norm(rows: list[Deal]) -> list[Deal]:
    return sorted((p, r, k, None if a is None else Decimal(a).normalize(), c, q, per) for p, r, k, a, c, q, per in rows)


ROUND_1: list = [
    ('Oracle signed a multiyear, $18 billion agreement to supply computing capacity to Meta, the companies said on Thursday.',
     [("meta", "oracle", "compute_commitment", 18 * B, "USD", "exact", "")]),
    ('Lambda has won a $1.5 billion, four-year contract to rent GPU servers back to Nvidia.',
     [("nvidia", "lambda", "compute_commitment", Decimal("1.5") * B, "USD", "exact", "")]),
    ('Microsoft struck a five-year, $9.7 billion cloud deal with IREN on Monday.',
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B, "USD", "exact", "")]),
    ("The $3 billion agreement gives Anthropic access to Google's TPUs for five years.",
     [("anthropic", "google", "compute_commitment", 3 * B, "USD", "exact", "")]),
    pytest.param('Nebius said the 17-billion-dollar pact with Microsoft covers GPU capacity at its New Jersey site.',
                 [("microsoft", "nebius", "compute_commitment", 17 * B, "USD", "exact", "")],
                 marks=pytest.mark.xfail(strict=True, reason='direction: the company reporting a noun-phrase deal is read as '
                                                             'its payer (nominal/direction, not the figure)')),
    ('In a filing on Friday, CoreWeave disclosed a new $6.3 billion order from OpenAI for cloud capacity.',
     [("openai", "coreweave", "compute_commitment", Decimal("6.3") * B, "USD", "exact", "")]),
    ('Meta has signed a six-year cloud computing contract worth more than $10 billion with Google, people familiar '
     'with the matter said.',
     [("meta", "google", "compute_commitment", 10 * B, "USD", "estimate", "")]),
    ('CoreWeave signed a contract with Poolside worth $5.2 billion to provide Nvidia GPUs over four years.',
     [("poolside", "coreweave", "compute_commitment", Decimal("5.2") * B, "USD", "exact", "")]),
    ('Microsoft has signed an agreement with Nscale, valued at $24 billion, for access to GPU capacity in Texas and Portugal.',
     [("microsoft", "nscale", "compute_commitment", 24 * B, "USD", "exact", "")]),
    ('Amazon and OpenAI reached a compute deal that could be worth up to $38 billion over seven years.',
     [("openai", "amazon", "compute_commitment", 38 * B, "USD", "up_to", "")]),
    ("Anthropic placed orders with Broadcom totalling $21 billion for TPU racks, Broadcom's chief executive said.",
     [("anthropic", "broadcom", "chip_purchase", 21 * B, "USD", "exact", "")]),
    ('xAI secured a loan from Apollo of as much as $3.5 billion to pay for Nvidia chips.',
     [("apollo", "xai", "debt", Decimal("3.5") * B, "USD", "up_to", "")]),
    pytest.param('Crusoe agreed to a lease with Blue Owl Capital valued at roughly $15 billion for the Abilene campus.',
                 [("crusoe", "blue-owl", "lease", 15 * B, "USD", "estimate", "")],
                 marks=pytest.mark.xfail(strict=True, reason="direction: a lease 'with' an investor-landlord is read investor "
                                                             "→ tenant (entity kinds, not the figure)")),
    ('Oracle will supply OpenAI with 4.5 gigawatts of computing capacity, a deal worth about $300 billion, starting in 2027.',
     [("openai", "oracle", "compute_commitment", 300 * B, "USD", "estimate", "")]),
    ('Nvidia will take a stake in Intel, an investment worth $5 billion, and the two will design chips together.',
     [("nvidia", "intel", "equity_investment", 5 * B, "USD", "exact", "")]),
    ('Macquarie will lend Applied Digital A$7.5 billion (about $5 billion) to build its North Dakota campus.',
     [("macquarie", "applied-digital", "debt", Decimal("7.5") * B, "AUD", "exact", "")]),
    ('Mistral AI raised €1.7 billion ($2 billion) in a round led by ASML, the Dutch chip-equipment company.',
     [("asml", "mistral-ai", "equity_investment", Decimal("1.7") * B, "EUR", "exact", "")]),
    ('Nscale agreed to buy GPU servers from Dell for €3 billion (about $3.5 billion), the company said.',
     [("nscale", "dell", "chip_purchase", 3 * B, "EUR", "exact", "")]),
    ('Meta agreed to rent capacity from Nebius for the next five years (a contract worth $3 billion).',
     [("meta", "nebius", "compute_commitment", 3 * B, "USD", "exact", "")]),
    ('OpenAI has committed to buy an incremental $250 billion of Azure services from Microsoft.',
     [("openai", "microsoft", "compute_commitment", 250 * B, "USD", "exact", "")]),
    ('Anthropic will spend an additional $30 billion on compute capacity from Microsoft.',
     [("anthropic", "microsoft", "compute_commitment", 30 * B, "USD", "exact", "")]),
    ('Meta committed a further $3 billion to Nebius for GPU capacity in Finland.',
     [("meta", "nebius", "compute_commitment", 3 * B, "USD", "exact", "")]),
    ('xAI ordered $5 billion worth of servers from Dell Technologies for its Memphis supercomputer.',
     [("xai", "dell", "chip_purchase", 5 * B, "USD", "exact", "")]),
    ('Microsoft will take $19.4 billion of capacity from Nebius under the expanded agreement.',
     [("microsoft", "nebius", "compute_commitment", Decimal("19.4") * B, "USD", "exact", "")]),
    pytest.param('Humain will buy $10 billion in compute from Nvidia over the coming years.',
                 [("humain", "nvidia", "chip_purchase", 10 * B, "USD", "exact", "")],
                 marks=pytest.mark.xfail(strict=True, reason="kind: 'compute' bought from a chipmaker reads as compute, not "
                                                             "chips (patterns, not the figure)")),
    ('Apple will pay Google about $1 billion a year to use a custom Gemini model for Siri.',
     [("apple", "google", "licensing", 1 * B, "USD", "estimate", "year")]),
    ('OpenAI agreed to pay Oracle $30 billion annually for cloud capacity, according to a filing.',
     [("openai", "oracle", "compute_commitment", 30 * B, "USD", "exact", "year")]),
    ('Microsoft will pay CoreWeave $10 billion over five years for GPU capacity.',
     [("microsoft", "coreweave", "compute_commitment", 10 * B, "USD", "exact", "")]),
    ('Meta will pay Google $2 billion per year for access to its TPUs in Google Cloud.',
     [("meta", "google", "compute_commitment", 2 * B, "USD", "exact", "year")]),
    ('Nvidia will invest up to $100 billion in OpenAI, starting with $10 billion once the first gigawatt is deployed.',
     [("nvidia", "openai", "equity_investment", 100 * B, "USD", "up_to", "")]),
    ('SoftBank invested $22.5 billion in OpenAI at a $300 billion valuation.',
     [("softbank", "openai", "equity_investment", Decimal("22.5") * B, "USD", "exact", "")]),
    ('CoreWeave, which reported a $55.6 billion backlog last quarter, signed a $14.2 billion deal to provide compute to Meta.',
     [("meta", "coreweave", "compute_commitment", Decimal("14.2") * B, "USD", "exact", "")]),
    ('Mistral AI raised €1.7 billion from ASML, valuing the company at €11.7 billion.',
     [("asml", "mistral-ai", "equity_investment", Decimal("1.7") * B, "EUR", "exact", "")]),
    ('Nebius, whose shares have tripled this year to a $25 billion market value, signed a $3 billion contract with Meta.',
     [("meta", "nebius", "compute_commitment", 3 * B, "USD", "exact", "")]),
    ('Amazon invested a further $4 billion in Anthropic, bringing its total investment to $8 billion.',
     [("amazon", "anthropic", "equity_investment", 4 * B, "USD", "exact", "")]),
    ('Google is reportedly investing $2 billion in Anthropic.',
     [("google", "anthropic", "equity_investment", 2 * B, "USD", "estimate", "")]),
    ('Blackstone will lend CoreWeave roughly $7.5 billion, according to people familiar with the deal.',
     [("blackstone", "coreweave", "debt", Decimal("7.5") * B, "USD", "estimate", "")]),
    ('Anthropic, valued at $183 billion, signed an agreement with Google for TPU capacity.',
     [("anthropic", "google", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Lambda, which generated $425 million of revenue last year, signed a multibillion-dollar agreement '
     'with Microsoft for GPU capacity.',
     [("microsoft", "lambda", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Oracle, which plans $35 billion of capital spending this year, agreed to supply OpenAI with additional capacity.',
     [("openai", "oracle", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('CoreWeave, whose backlog stands at $55.6 billion, agreed to provide GPU capacity to Poolside.',
     [("poolside", "coreweave", "compute_commitment", None, "USD", "undisclosed", "")]),
    # a variant of the xfailed 17-billion-dollar sentence, the owner named by its possessive
    ("Microsoft's 17-billion-dollar pact with Nebius covers GPU capacity at a New Jersey site.",
     [("microsoft", "nebius", "compute_commitment", 17 * B, "USD", "exact", "")]),
]

ROUND_2: list = [
    ('Nscale signed an agreement with Microsoft to deploy GPU capacity in Norway; the contract is worth $6.2 billion.',
     [("microsoft", "nscale", "compute_commitment", Decimal("6.2") * B, "USD", "exact", "")]),
    ('Oracle agreed to provide cloud capacity to Meta, with the deal valued at about $20 billion.',
     [("meta", "oracle", "compute_commitment", 20 * B, "USD", "estimate", "")]),
    ('Fluidstack will rent GPU clusters to Anthropic, in a transaction valued at $4 billion, the startup said.',
     [("anthropic", "fluidstack", "compute_commitment", 4 * B, "USD", "exact", "")]),
    ('In a deal worth $2.5 billion, Lambda agreed to provide GPU capacity to Microsoft.',
     [("microsoft", "lambda", "compute_commitment", Decimal("2.5") * B, "USD", "exact", "")]),
    ('For $8 billion, OpenAI will rent capacity from CoreWeave through 2030.',
     [("openai", "coreweave", "compute_commitment", 8 * B, "USD", "exact", "")]),
    ("A $1.2 billion credit facility from JPMorgan will fund Crusoe's next data centre, the company said.",
     [("jpmorgan", "crusoe", "debt", Decimal("1.2") * B, "USD", "exact", "")]),
    ('CoreWeave agreed to provide capacity to Poolside (about $5 billion over four years).',
     [("poolside", "coreweave", "compute_commitment", 5 * B, "USD", "estimate", "")]),
    ('Anthropic, now valued at $350 billion, agreed to buy $30 billion of compute capacity from Microsoft.',
     [("anthropic", "microsoft", "compute_commitment", 30 * B, "USD", "exact", "")]),
    ('Nvidia, whose quarterly revenue hit $57 billion, will invest $2 billion in xAI.',
     [("nvidia", "xai", "equity_investment", 2 * B, "USD", "exact", "")]),
    ('Oracle, which has a $455 billion backlog, will buy $40 billion of Nvidia chips for the Abilene site.',
     [("oracle", "nvidia", "chip_purchase", 40 * B, "USD", "exact", "")]),
    ('Microsoft, which plans to spend $80 billion on data centres this year, signed a $17.4 billion contract with Nebius.',
     [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B, "USD", "exact", "")]),
    ('Microsoft will invest an initial $1 billion in Mistral AI, and up to $5 billion over time.',
     [("microsoft", "mistral-ai", "equity_investment", 5 * B, "USD", "up_to", "")]),
    ('AMD will invest as much as $10 billion in Humain, beginning with $2 billion this year.',
     [("amd", "humain", "equity_investment", 10 * B, "USD", "up_to", "")]),
    ('SoftBank agreed to invest up to $30 billion in OpenAI, with a first tranche of $10 billion due in April.',
     [("softbank", "openai", "equity_investment", 30 * B, "USD", "up_to", "")]),
    ('Meta will reportedly pay Google more than $10 billion for TPU capacity, according to The Information.',
     [("meta", "google", "compute_commitment", 10 * B, "USD", "estimate", "")]),
    ('Samsung won a 3 trillion won ($2.1 billion) order from Tesla for AI chips.',
     [("tesla", "samsung", "chip_purchase", 3 * T, "KRW", "exact", "")]),
    ('Mistral AI secured a €600 million (about $700 million) loan from a group of banks led by BNP Paribas.',
     [("bank-lenders", "mistral-ai", "debt", 600 * M, "EUR", "exact", "")]),
    ('Microsoft, valued at $3.5 trillion, agreed to provide Azure capacity to OpenAI.',
     [("openai", "microsoft", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Nebius signed an agreement with Meta for GPU capacity, days after reporting $146 million of revenue.',
     [("meta", "nebius", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('CoreWeave agreed to provide GPU capacity to Poolside, and its shares rose 5% to a $60 billion market value.',
     [("poolside", "coreweave", "compute_commitment", None, "USD", "undisclosed", "")]),
]

ROUND_3: list = [
    ('Nebius signed an agreement with Meta for GPU capacity, days after raising $1 billion from investors.',
     [("meta", "nebius", "compute_commitment", None, "USD", "undisclosed", ""),
      ("venture-investors", "nebius", "equity_investment", 1 * B, "USD", "exact", "")]),
    ('Google agreed to provide TPU capacity to Anthropic, whose annualised revenue is about $5 billion.',
     [("anthropic", "google", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Amazon will supply compute to Anthropic, while Google spent $2 billion buying back its own shares.',
     [("anthropic", "amazon", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('CoreWeave signed a contract with Poolside to provide GPU capacity (the startup is valued at $12 billion).',
     [("poolside", "coreweave", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Lambda agreed to provide GPU capacity to Microsoft, a week after Nvidia reported a $500 billion order book.',
     [("microsoft", "lambda", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Under a deal valued at $1.1 billion, Cerebras will supply inference capacity to OpenAI.',
     [("openai", "cerebras", "compute_commitment", Decimal("1.1") * B, "USD", "exact", "")]),
    ('Crusoe will lease its Abilene campus to Oracle (roughly $15 billion over 15 years), the companies said.',
     [("oracle", "crusoe", "lease", 15 * B, "USD", "estimate", "")]),
    ('Intel agreed to sell a stake to SoftBank, a transaction worth $2 billion, as it seeks to shore up its finances.',
     [("softbank", "intel", "equity_investment", 2 * B, "USD", "exact", "")]),
    ('Microsoft will invest an initial $2 billion in G42 and as much as $5 billion over three years.',
     [("microsoft", "g42", "equity_investment", 5 * B, "USD", "up_to", "")]),
]

# Round 4 (written before its rules; 10 of 13 right on the first run: the figure in a which-clause that is the news,
# "for a total of" as a price, and one label we corrected: a regulatory filing is no hearsay).
ROUND_4: list = [
    ('Microsoft signed a deal with Nebius, which will provide $17.4 billion of GPU capacity over five '
     'years.',
     [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B, "USD", "exact", "")]),
    ('Meta struck an agreement with Google, under which it will pay more than $10 billion for cloud '
     'services.',
     [("meta", "google", "compute_commitment", 10 * B, "USD", "estimate", "")]),
    ('Anthropic and Google signed a new TPU agreement, and the deal could be worth tens of billions of '
     'dollars.',
     [("anthropic", "google", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('OpenAI signed a cloud agreement with Oracle, and the contract could be worth as much as $300 '
     'billion.',
     [("openai", "oracle", "compute_commitment", 300 * B, "USD", "up_to", "")]),
    ('Nvidia agreed to buy $6.3 billion of unused capacity from CoreWeave through 2032, according to a '
     'regulatory filing.',
     [("nvidia", "coreweave", "compute_commitment", Decimal("6.3") * B, "USD", "exact", "")]),
    ('AMD will supply Humain with chips at a cost of about $10 billion over five years.',
     [("humain", "amd", "chip_purchase", 10 * B, "USD", "estimate", "")]),
    ('Blackstone agreed to buy AirTrunk from Macquarie for a total of A$24 billion, including debt.',
     [("blackstone", "macquarie", "acquisition", 24 * B, "AUD", "exact", "")]),
    ('Microsoft agreed to supply OpenAI, which is valued at $500 billion, with additional Azure capacity.',
     [("openai", "microsoft", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Oracle will pay Crusoe roughly $1 billion a year, or about $15 billion over the 15-year lease, for '
     'the Abilene campus.',
     [("oracle", "crusoe", "lease", 1 * B, "USD", "estimate", "year")]),
    ('CoreWeave agreed to a $2 billion loan from Blackstone, its second this year, after raising $1.5 '
     'billion in its IPO.',
     [("blackstone", "coreweave", "debt", 2 * B, "USD", "exact", "")]),
    ('xAI has lined up $12.5 billion of debt from Morgan Stanley to buy Nvidia chips.',
     [("morgan-stanley", "xai", "debt", Decimal("12.5") * B, "USD", "exact", "")]),
    ('Nscale won a contract from Microsoft to deploy 104,000 GPUs in Texas, a deal valued at up to $14 '
     'billion.',
     [("microsoft", "nscale", "compute_commitment", 14 * B, "USD", "up_to", "")]),
    ('Mistral AI will buy capacity from Fluidstack (€1 billion, or about $1.2 billion, over four years).',
     [("mistral-ai", "fluidstack", "compute_commitment", 1 * B, "EUR", "exact", "")]),
]

# Round 5, written after: a which-clause telling an earlier deal keeps its figure to itself.
ROUND_5: list = [
    ('Microsoft, which has already bought $10 billion of capacity from Nebius, signed a new agreement with '
     'Nebius for GPU capacity.',
     [("microsoft", "nebius", "compute_commitment", None, "USD", "undisclosed", "")]),
    ('Amazon, which had invested $8 billion in Anthropic by last year, agreed to supply Anthropic with '
     'more capacity.',
     [("anthropic", "amazon", "compute_commitment", None, "USD", "undisclosed", "")]),
]

# Round 6 (before its rule; 8 of 10 right on the first run): "a total of" for one pair is the deal, for several
# payers or a company's raises it is not; "another", "more"; a figure of another role beside the deal's.
ROUND_6: list = [
    ('Microsoft will invest a total of $3 billion in Mistral AI over three years.',
     [("microsoft", "mistral-ai", "equity_investment", 3 * B, "USD", "exact", "")]),
    ('Nvidia has committed a total of about $2 billion to xAI, the filing showed.',
     [("nvidia", "xai", "equity_investment", 2 * B, "USD", "estimate", "")]),
    ('Oracle agreed to supply Meta with cloud capacity in a deal valued at a total of $20 billion.',
     [("meta", "oracle", "compute_commitment", 20 * B, "USD", "exact", "")]),
    ('Amazon will put another $4 billion into Anthropic.',
     [("amazon", "anthropic", "equity_investment", 4 * B, "USD", "exact", "")]),
    ('Google agreed to invest up to $2 billion more in Anthropic.',
     [("google", "anthropic", "equity_investment", 2 * B, "USD", "up_to", "")]),
    ('xAI has raised a total of $22 billion from investors since it was founded.',
     []),
    ('SoftBank and Oracle will invest a total of $19 billion in Stargate.',
     []),
    ('Anthropic will pay Microsoft $30 billion for Azure capacity, the company said, a figure that dwarfs '
     'its $5 billion in revenue.',
     [("anthropic", "microsoft", "compute_commitment", 30 * B, "USD", "exact", "")]),
    ('Meta agreed to a $27 billion financing package with Blue Owl for its Hyperion data centre, one of '
     'the largest private credit deals on record.',
     [("blue-owl", "meta", "debt", 27 * B, "USD", "exact", "")]),
    ('The deal, under which OpenAI will pay AMD for six gigawatts of chips, could be worth tens of '
     'billions of dollars.',
     [("openai", "amd", "chip_purchase", None, "USD", "undisclosed", "")]),
]

# Round 7 (before its rule; 6 of 7 right on the first run): figures for several periods are one deal each, a
# figure "up from" an earlier period is not, a per-period figure beside its total keeps its period, the ceiling over
# its first part.
ROUND_7: list = [
    ('OpenAI paid Microsoft $494 million in 2024 and $866 million in the first nine months of 2025 under '
     'their revenue-sharing deal.',
     [("openai", "microsoft", "revenue_share", 494 * M, "USD", "exact", ""),
      ("openai", "microsoft", "revenue_share", 866 * M, "USD", "exact", "")]),
    ('Meta paid CoreWeave $1.2 billion last year and $2.5 billion this year for GPU capacity.',
     [("meta", "coreweave", "compute_commitment", Decimal("1.2") * B, "USD", "exact", ""),
      ("meta", "coreweave", "compute_commitment", Decimal("2.5") * B, "USD", "exact", "")]),
    ('Microsoft paid Nebius $900 million for GPU capacity in the quarter, up from $300 million a year '
     'earlier.',
     [("microsoft", "nebius", "compute_commitment", 900 * M, "USD", "exact", "")]),
    ('Apple will pay Google roughly $1 billion annually for Gemini, or about $5 billion over the five-year '
     'term.',
     [("apple", "google", "licensing", 1 * B, "USD", "estimate", "year")]),
    ('The contract could be worth $10 billion to $12 billion, and Meta agreed to rent capacity from Google '
     'under it.',
     [("meta", "google", "compute_commitment", 12 * B, "USD", "estimate", "")]),
    ('Anthropic will buy up to $30 billion of Azure capacity from Microsoft, an initial commitment of $10 '
     'billion.',
     [("anthropic", "microsoft", "compute_commitment", 30 * B, "USD", "up_to", "")]),
    ('Nvidia plans to invest as much as $100 billion in OpenAI; the first $10 billion will be deployed '
     'once the first gigawatt is online.',
     [("nvidia", "openai", "equity_investment", 100 * B, "USD", "up_to", "")]),
]

# Round 8 (before its rule; 4 of 6 right on the first run, one of the two failing for want of a kind word, which
# we then added: "a cloud contract"): several figures of one sentence, the deal's and others (a contingent part, an
# earlier payment, another deal), and a first part told after its figure ("$6 billion upfront").
ROUND_8: list = [
    ('AMD agreed to acquire ZT Systems for $4.9 billion, including a contingent payment of up to $400 '
     'million.',
     [("amd", "zt-systems", "acquisition", Decimal("4.9") * B, "USD", "exact", "")]),
    ('Oracle signed a cloud contract with OpenAI worth at least $30 billion a year, people familiar said.',
     [("openai", "oracle", "compute_commitment", 30 * B, "USD", "estimate", "year")]),
    ('Microsoft will pay Nscale $6 billion upfront and up to $24 billion in total for GPU capacity in '
     'Texas.',
     [("microsoft", "nscale", "compute_commitment", 24 * B, "USD", "up_to", "")]),
    ('SoftBank will invest $22.5 billion in OpenAI, having already put in $7.5 billion in April.',
     [("softbank", "openai", "equity_investment", Decimal("22.5") * B, "USD", "exact", "")]),
    ('CoreWeave won a $14.2 billion contract from Meta, on top of the $11.9 billion deal it signed with '
     'OpenAI in March.',
     [("meta", "coreweave", "compute_commitment", Decimal("14.2") * B, "USD", "exact", "")]),
    ('Anthropic expects to spend about $30 billion on Azure over several years, while Microsoft will '
     'invest up to $5 billion in the startup.',
     [("anthropic", "microsoft", "compute_commitment", 30 * B, "USD", "estimate", ""),
      ("microsoft", "anthropic", "equity_investment", 5 * B, "USD", "up_to", "")]),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_1 + ROUND_2 + ROUND_3 + ROUND_4 + ROUND_5 + ROUND_6 + ROUND_7 +
                                              ROUND_8)
def test_the_deal_takes_its_own_figure(text: str, expected: list[Deal]) -> None:
    assert _norm(deals(text)) == _norm(expected)


def test_a_figure_bound_from_outside_its_clause_says_so() -> None:
    [c] = extract("CoreWeave agreed to provide capacity to Poolside (about $5 billion over four years).",
                  directory=directory_for(None)).deals
    assert "bound" in c.signals and c.amount == 5 * B and c.qualifier.value == "estimate"
    [c] = extract("Microsoft will invest an initial $1 billion in Mistral AI, and up to $5 billion over time.",
                  directory=directory_for(None)).deals
    assert "bound" in c.signals and c.amount == 5 * B and c.qualifier.value == "up_to"


@pytest.mark.parametrize(("text", "roles"), [
    # the noun of an earlier figure or aside does not colour the next figure
    ("CoreWeave, which reported a $55.6 billion backlog, signed a $14.2 billion deal with Meta.", ["backlog", "deal"]),
    ("Nebius, whose market value is $25 billion, signed a $3 billion contract.", ["market", "deal"]),
    ("Anthropic, valued at $183 billion, signed an agreement with Google.", ["valuation"]),
    ("Nvidia reported a $500 billion order book and a $2 billion investment in xAI.", ["backlog", "deal"]),
    ("Anthropic placed orders with Broadcom totalling $21 billion.", ["deal"]),
    ("Revenue rose to $12 billion, the company said.", ["revenue"]),
    # a figure in brackets after another currency has that figure's role
    ("It approved the repurchase of up to $70 billion (€65 billion) of its shares.", ["buyback", "buyback"]),
    ("Revenue was $80.5 billion (€75 billion), compared with estimates of $78.6 billion.",
     ["revenue", "revenue", "previous"]),
    # the same measure, later
    ("It could bring $21 billion in AI revenue in 2026, rising to $42 billion in 2027.", ["revenue", "revenue"]),
    ("Microsoft will invest $2 billion in xAI this year, and up to $5 billion next year.", ["deal", "deal"]),
    # a figure's own noun after it
    ("It spent a record $34.9 billion in capital expenditures.", ["capex"]),
    ("The chipmaker reached $5 trillion in market value.", ["market"]),
    ("The shares jumped, adding $800 million to the company's market cap.", ["market"]),
    ("The two customers made up half of its $114 million cloud revenue.", ["revenue"]),
    ("Microsoft hired most of the staff of the $4 billion startup.", ["valuation"]),
    ("Nvidia will invest up to $10 billion into the startup.", ["deal"]),
    ("The cost is $8 million to $10 million per MW.", ["price"]),  # one range
    ("Macquarie will invest $2.25 million for each executed lease.", ["price"]),
    ("A deal could value the chip designer at about $6.5 billion.", ["valuation"]),
    ("The financing is a jump from Lambda's original $275 million credit facility.", ["previous"]),
    ("Blackstone agreed to buy AirTrunk for a total of A$24 billion.", ["deal"]),
])
def test_a_figure_takes_the_role_of_its_own_words(text: str, roles: list[str]) -> None:
    assert [context_role(text, m) for m in find_money(text)] == roles


def test_a_dollar_figure_in_brackets_after_another_currency_is_the_same_figure() -> None:
    for text in ("Macquarie will lend A$7.5 billion (about $5 billion).", "It raised €1.7 billion ($2 billion).",
                 "a 3 trillion won, or about $2.1 billion, order"):
        money = find_money(text)
        assert conversions(text, money) == {money[1].start}
    text = "It will invest $1 billion (and up to $5 billion later)."
    assert conversions(text, find_money(text)) == set()


@pytest.mark.parametrize(("phrase", "amount", "currency"), [
    ("the 17-billion-dollar pact", 17 * B, "USD"), ("a 2-billion-euro loan", 2 * B, "EUR"),
    ("a 10 billion pound deal", 10 * B, "GBP"),
])
def test_compound_adjective_figures(phrase: str, amount: Decimal, currency: str) -> None:
    [m] = find_money(phrase)
    assert (m.amount, m.currency) == (amount, currency)


# Asides news puts after a company that give its size, not a deal: they must change no reading.
ASIDES = [", which reported $2.1 billion of revenue last quarter,", ", valued at $40 billion,",
          ", whose backlog stands at $55 billion,", ", which plans $12 billion of capital spending this year,",
          ", whose market value has topped $90 billion,", " (valued at $61 billion)", ", a $300 billion company,"]


def _plain_rows() -> list[str]:
    return [row[0] for row in ROUND_1 + ROUND_2 + ROUND_4 + ROUND_6 if isinstance(row[0], str)]  # not the xfailed


@pytest.mark.parametrize("aside", ASIDES)
def test_an_aside_with_a_company_s_size_changes_no_deal(aside: str) -> None:
    directory = directory_for(None)
    changed = []
    for text in _plain_rows():
        first = directory.mentions(text)
        if not first:
            continue
        varied = text[:first[0].end] + aside + text[first[0].end:]
        if deals(varied) != deals(text):
            changed.append(varied)
    assert changed == []


# Closing clauses news adds after a deal: their figures are not the deal's; hearsay makes the deal's an estimate.
TAILS = [", days after reporting $146 million of quarterly revenue", ", as its shares rose to a $60 billion market value",
         ", the latest in a string of deals worth more than $1 trillion", ", adding to a backlog of $55 billion",
         " (the company is valued at $12 billion)", ", and the company plans $20 billion of capital spending next year",
         ", according to people familiar with the matter"]


@pytest.mark.parametrize("tail", TAILS)
def test_a_closing_clause_with_another_figure_changes_no_deal(tail: str) -> None:
    changed = []
    for text in _plain_rows():
        expected = deals(text)
        if "people familiar" in tail:
            expected = sorted((p, r, k, a, c, "estimate" if q == "exact" else q, per) for p, r, k, a, c, q, per in expected)
        varied = text.rstrip(".") + tail + "."
        if deals(varied) != expected:
            changed.append(varied)
    assert changed == []


# The figure in the next sentence (followups.follow_up_figure): written before the rule, 5 of 7 right on the first run.
FOLLOW_UPS: list[tuple[str, Decimal | None, str]] = [
    ("Lambda signed an agreement to provide GPU capacity to Microsoft. The contract, which runs for five years, is valued "
     "at roughly $2.5 billion, the companies said.", Decimal("2.5") * B, "estimate"),
    ("Nebius agreed to provide GPU capacity to Microsoft. The deal, Nebius's largest, is worth up to $19.4 billion, "
     "according to a filing.", Decimal("19.4") * B, "up_to"),
    ("Crusoe agreed to provide GPU capacity to OpenAI. The value of the contract was put at $4 billion by people familiar "
     "with it.", 4 * B, "estimate"),
    ("Microsoft signed an agreement with IREN for GPU capacity. The five-year contract, valued at $9.7 billion, includes "
     "a 20% prepayment.", Decimal("9.7") * B, "exact"),
    # a figure of the company, not of the deal
    ("Microsoft signed an agreement with IREN for GPU capacity. The deal values IREN at $20 billion.", None, "undisclosed"),
    ("Microsoft signed an agreement with IREN for GPU capacity. The company, valued at $20 billion, is based in Sydney.",
     None, "undisclosed"),
    ("Microsoft signed an agreement with IREN for GPU capacity. The value of the company is $20 billion.", None,
     "undisclosed"),
]


@pytest.mark.parametrize(("text", "amount", "qualifier"), FOLLOW_UPS)
def test_the_next_sentence_gives_the_figure_of_the_deal_only(text: str, amount: Decimal | None, qualifier: str) -> None:
    [c] = extract(text, directory=directory_for(None)).deals
    assert (c.amount, c.qualifier.value) == (amount, qualifier)


@pytest.mark.parametrize(("phrase", "qualifier"), [
    ("the agreement could reach $19.4 billion", "up_to"), ("it may eventually grow to $5 billion", "up_to"),
    ("a deal that could be worth up to $38 billion", "up_to"), ("about $1 billion", "estimate"),
    ("$2 billion", "exact"),
])
def test_a_ceiling_said_with_a_verb_is_up_to(phrase: str, qualifier: str) -> None:
    [m] = find_money(phrase)
    assert m.qualifier.value == qualifier


@pytest.mark.parametrize(("text", "expected"), [
    ("SoftBank will acquire chip designer Ampere Computing in a transaction valuing the company at $6.5 billion.",
     [("softbank", "ampere-computing", "acquisition", Decimal("6.5") * B)]),
    ("Nvidia agreed to buy Lepton AI in a deal valuing the startup at about $700 million.",
     [("nvidia", "lepton-ai", "acquisition", Decimal("0.7") * B)]),
    ("CoreWeave agreed to acquire Core Scientific in an all-stock deal that values the bitcoin miner at about $9 billion.",
     [("coreweave", "core-scientific", "acquisition", 9 * B)]),
    ("Blackstone will acquire AirTrunk from Macquarie for an implied enterprise value of over A$24 billion.",
     [("blackstone", "macquarie", "acquisition", 24 * B)]),
    # A valuation from an earlier round is not the price; an investment's valuation is never its amount.
    ("Meta agreed to buy Scale AI, which was valued at $14 billion in its last funding round.",
     [("meta", "scale-ai", "acquisition", None)]),
    ("Nvidia will invest $2 billion in xAI, valuing the startup at $230 billion.",
     [("nvidia", "xai", "equity_investment", 2 * B)]),
])
def test_what_a_takeover_values_its_target_at_is_its_price(text: str, expected: list[tuple]) -> None:
    assert [d[:4] for d in deals(text)] == [(p, r, k, None if a is None else Decimal(a).normalize())
                                            for p, r, k, a in expected]
