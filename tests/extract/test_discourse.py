"""Deals told across sentences, and joint ventures whose vehicle is never named (issue 16).

Short paragraphs written for these tests, in the manner of wire copy, trade press and releases
(subject first, object first, headline above the body, "the customer is …", "the contract is
worth …", "terms were not disclosed"), each with the deals a reader would enter, labelled by
the conventions of the development set's README: the customer pays the provider, partners pay
into a venture (a venture with no name is proposed as "<partner>-<partner>-jv"), talks and
background relative clauses are not scored (``maybe``: may appear or not), money that is
revenue, capex, a valuation, market value or a buyback is never a deal amount.

Negatives (a second sentence about revenue, capex or market value; background history; talks;
two unrelated companies in neighbouring sentences) expect exactly the deals listed, often none.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9
M = Decimal(10) ** 6
U = None  # undisclosed

Deal = tuple[str, str, str, Decimal | None]

# (id, text, expected deals, deals that may appear or not)
CASES: list[tuple[str, str, list[Deal], list[Deal]]] = [
    # --- the counterparty in another sentence -----------------------------------------------------------------
    ("customer-is", "Nebius signed a five-year agreement worth $17.4 billion to provide GPU capacity. The customer is "
     "Microsoft, which will use the capacity at a site in New Jersey.",
     [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B)], []),
    ("supplier-appositive", "Anthropic said on Tuesday it would buy $21 billion of custom accelerator chips. The "
     "supplier, Broadcom, confirmed the order in a regulatory filing.",
     [("anthropic", "broadcom", "chip_purchase", 21 * B)], []),
    ("client-is-startup", "CoreWeave disclosed a new $6 billion contract to supply computing capacity over four years. "
     "The client is Poolside, the coding startup.",
     [("poolside", "coreweave", "compute_commitment", 6 * B)], []),
    ("customer-memory", "SK Hynix has won a $6 billion order for high-bandwidth memory chips. The customer is OpenAI, "
     "which needs the memory for its new data centres.",
     [("openai", "sk-hynix", "chip_purchase", 6 * B)], []),
    ("provider-named-later", "Google signed a $3 billion agreement to rent additional computing capacity. The provider, "
     "CoreWeave, will host the servers in Texas.",
     [("google", "coreweave", "compute_commitment", 3 * B)], []),
    ("headline-counterparty", "Poolside signs deal with CoreWeave\n\nThe AI coding startup agreed to buy $2 billion of "
     "computing capacity, the companies said on Monday.",
     [("poolside", "coreweave", "compute_commitment", 2 * B)], []),
    ("company-said-headline", "OpenAI widens its chip supply\n\nThe company said on Tuesday it would buy $3 billion of "
     "chips over two years. The supplier, AMD, will deliver the first batch next year.",
     [("openai", "amd", "chip_purchase", 3 * B)], []),
    ("investor-description", "Microsoft is raising its bet on Mistral AI. The software maker will invest $1 billion, "
     "the companies said on Tuesday.",
     [("microsoft", "mistral-ai", "equity_investment", 1 * B)], []),
    # --- the figure in another sentence -----------------------------------------------------------------------
    ("contract-worth", "Meta signed a cloud computing agreement with Google on Thursday. The contract is worth more "
     "than $10 billion over six years, according to people familiar with the matter.",
     [("meta", "google", "compute_commitment", 10 * B)], []),
    ("deal-valued-at", "OpenAI agreed to rent computing capacity from Oracle. The deal, Oracle's largest ever, is "
     "valued at $300 billion over roughly five years.",
     [("openai", "oracle", "compute_commitment", 300 * B)], []),
    ("terms-not-disclosed", "Anthropic agreed to use Amazon's Trainium chips for its next models under a new cloud "
     "contract. Financial terms were not disclosed.",
     [("anthropic", "amazon", "compute_commitment", U)], []),
    ("it-is-worth", "Amazon signed a cloud agreement with OpenAI. It is worth $38 billion over seven years.",
     [("openai", "amazon", "compute_commitment", 38 * B)], []),
    ("possessive-commitment", "Meta agreed to buy capacity from Nebius. Meta's commitment comes to $3 billion over "
     "five years.",
     [("meta", "nebius", "compute_commitment", 3 * B)], []),
    ("investment-amounts-to", "Nvidia is adding to its stake in Nokia. The new investment amounts to $1 billion, the "
     "companies said.",
     [("nvidia", "nokia", "equity_investment", 1 * B)], []),
    ("loan-comes-to", "Apollo is providing a loan to xAI for its Memphis site. The financing comes to $3.5 billion, "
     "split between senior and junior debt.",
     [("apollo", "xai", "debt", Decimal("3.5") * B)], []),
    # --- whole articles --------------------------------------------------------------------------------------
    ("headline-and-body", "Nvidia to invest $2 billion in xAI\n\nNvidia will invest $2 billion in xAI as part of the "
     "startup's latest funding round, the chipmaker said on Friday.",
     [("nvidia", "xai", "equity_investment", 2 * B)], []),
    ("restated-reversed", "CoreWeave signed a $14 billion agreement with Meta to supply computing power through 2031. "
     "Shares of the cloud provider rose 12% on the news. Meta's $14 billion commitment to CoreWeave is one of several "
     "it has made this year.",
     [("meta", "coreweave", "compute_commitment", 14 * B)], []),
    ("background-relative", "Google agreed to invest up to $1 billion more in Anthropic. Google, which first backed "
     "the startup with $300 million in 2023, now owns 14% of the company.",
     [("google", "anthropic", "equity_investment", 1 * B)],
     [("google", "anthropic", "equity_investment", 300 * M)]),
    # --- joint ventures whose vehicle is never named ---------------------------------------------------------
    ("jv-each-contributing", "Nvidia and Samsung formed a joint venture to build AI factories in Korea, each "
     "contributing $1 billion.",
     [("nvidia", "nvidia-samsung-jv", "jv", 1 * B), ("samsung", "nvidia-samsung-jv", "jv", 1 * B)], []),
    ("jv-percent", "BlackRock's GIP and MGX agreed to set up a joint venture to develop data centres. GIP will hold "
     "51% of the venture, with MGX owning the rest.",
     [("blackrock-gip", "blackrock-gip-mgx-jv", "jv", U), ("mgx", "blackrock-gip-mgx-jv", "jv", U)], []),
    ("jv-will-form", "SoftBank and OpenAI will form a joint venture in Japan to sell AI to large companies.",
     [("softbank", "softbank-openai-jv", "jv", U), ("openai", "softbank-openai-jv", "jv", U)], []),
    ("jv-with-two", "Oracle is forming a joint venture with Crusoe and Blue Owl Capital to build a campus in Texas, "
     "the company said on Monday.",
     [("oracle", "oracle-crusoe-blue-owl-jv", "jv", U), ("crusoe", "oracle-crusoe-blue-owl-jv", "jv", U),
      ("blue-owl", "oracle-crusoe-blue-owl-jv", "jv", U)], []),
    ("jv-figure-next", "Blue Owl Capital and Crusoe set up a joint venture to finance a campus in Wyoming. Blue Owl "
     "will put $4 billion into the venture.",
     [("blue-owl", "blue-owl-crusoe-jv", "jv", 4 * B), ("crusoe", "blue-owl-crusoe-jv", "jv", U)], []),
    # --- negatives: money that is not this deal, talks, unrelated neighbours -----------------------------------
    ("neg-revenue-next", "CoreWeave signed a cloud contract with Meta on Tuesday. The company's revenue rose to "
     "$1.4 billion in the quarter.",
     [("meta", "coreweave", "compute_commitment", U)], []),
    ("neg-capex-next", "Oracle signed a new cloud contract with OpenAI this week. Oracle expects capital spending of "
     "about $35 billion this fiscal year.",
     [("openai", "oracle", "compute_commitment", U)], []),
    ("neg-market-value-next", "Nvidia agreed to supply chips to xAI. Its market value topped $5 trillion on "
     "Wednesday.",
     [("xai", "nvidia", "chip_purchase", U)], []),
    ("neg-valuation-next", "Thrive Capital led a new funding round in OpenAI. The deal values the company at $500 "
     "billion.",
     [], [("thrive-capital", "openai", "equity_investment", U)]),
    ("neg-buyback-next", "Broadcom signed a chip supply deal with OpenAI. The chipmaker also approved a $10 billion "
     "share buyback.",
     [("openai", "broadcom", "chip_purchase", U)], []),
    ("neg-talks", "OpenAI is in talks with Oracle about more computing capacity. The contract could be worth $20 "
     "billion, people familiar with the matter said.",
     [], [("openai", "oracle", "compute_commitment", 20 * B), ("openai", "oracle", "compute_commitment", U)]),
    ("neg-talks-jv", "Nvidia and Intel are in talks to form a joint venture, according to a report.", [], []),
    ("neg-unrelated-bonds", "Nvidia reported record quarterly revenue of $57 billion. Separately, Oracle said it had "
     "raised $18 billion in a bond sale.",
     [("bond-investors", "oracle", "debt", 18 * B)], []),
    ("neg-unrelated-neighbour", "Microsoft signed a $9.7 billion deal with IREN for cloud capacity. Separately, "
     "Google said it would build a data centre in Texas.",
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B)], []),
    ("neg-shares-cash", "Intel shares rose 5% on Friday. AMD said it had $5 billion in cash at the end of the "
     "quarter.", [], []),
    ("neg-largest-customer", "CoreWeave shares fell 8% after its results. The company said its largest customer, "
     "Microsoft, accounted for 62% of revenue.", [], []),
    ("neg-customer-no-deal", "Lambda opened a new data centre in Kansas City. Its biggest customer is Microsoft, "
     "which uses the site to train models.", [], []),
]

# Written after the rules above passed, and run once before any change to see how they carry over
# (first run: 11 of these 20 passed; after generalising the rules from the misses, 17), same labelling conventions.
CASES += [
    ("after-buyer-is", "Nscale has agreed to provide 104,000 Nvidia GPUs under a $14 billion contract. Microsoft is "
     "the buyer, Nscale said.",
     [("microsoft", "nscale", "compute_commitment", 14 * B)], []),
    ("after-customer-not-named", "Oracle booked a $30 billion cloud contract, it said in a filing. The customer was "
     "not named.", [], []),
    ("after-customer-appositive-before", "Cerebras won a contract worth more than $10 billion to supply computing "
     "power over three years. OpenAI, the customer, will use the systems to serve its chatbot.",
     [("openai", "cerebras", "compute_commitment", 10 * B)], []),
    ("after-counterparty-word", "In a regulatory filing, IREN disclosed a five-year, $9.7 billion contract for GPU "
     "cloud services. Its counterparty is Microsoft.",
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B)], []),
    ("after-headline-restated", "Meta taps Google Cloud in $10 billion deal\n\nMeta Platforms has signed a cloud "
     "computing agreement with Google worth more than $10 billion over six years.",
     [("meta", "google", "compute_commitment", 10 * B)], []),
    ("after-restated-twice", "Microsoft will buy $9.7 billion of capacity from IREN over five years. The deal makes "
     "IREN one of the largest suppliers to Microsoft. IREN said its $9.7 billion contract with Microsoft includes a "
     "prepayment.",
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B)], []),
    ("after-between-then-worth", "A cloud services agreement between OpenAI and Amazon was announced on Monday. The "
     "agreement is valued at $38 billion.",
     [("openai", "amazon", "compute_commitment", 38 * B)], []),
    ("after-landlord-unnamed", "xAI has signed a lease with a data centre developer in Memphis. The 15-year lease is "
     "worth $2 billion.", [], []),
    ("after-terms-undisclosed", "Lambda struck a deal to rent Nvidia chips to Microsoft. Financial terms were not "
     "disclosed.",
     [("microsoft", "lambda", "compute_commitment", U)], []),
    ("after-it-invests", "Amazon deepened its ties with Anthropic on Friday. It will invest another $4 billion in the "
     "startup.",
     [("amazon", "anthropic", "equity_investment", 4 * B)], []),
    ("after-jv-each-next", "SoftBank and OpenAI agreed to launch a 50-50 joint venture. Each company will contribute "
     "$3 billion to the venture.",
     [("softbank", "softbank-openai-jv", "jv", 3 * B), ("openai", "softbank-openai-jv", "jv", 3 * B)], []),
    ("after-jv-teaming-up", "Microsoft is teaming up with BlackRock and MGX in a joint venture to invest in data "
     "centres and power.",
     [("microsoft", "microsoft-blackrock-gip-mgx-jv", "jv", U), ("blackrock-gip", "microsoft-blackrock-gip-mgx-jv", "jv", U),
      ("mgx", "microsoft-blackrock-gip-mgx-jv", "jv", U)], []),
    ("after-jv-respectively", "Nvidia and Samsung will form a joint venture in Korea, contributing $600 million and "
     "$400 million respectively.",
     [("nvidia", "nvidia-samsung-jv", "jv", 600 * M), ("samsung", "nvidia-samsung-jv", "jv", 400 * M)], []),
    ("after-neg-jv-discussions", "Intel has held preliminary discussions with Samsung about a possible joint venture.",
     [], []),
    ("after-neg-cumulative", "Microsoft and OpenAI have worked together since 2019. The software company has invested "
     "$13 billion in OpenAI over that time.",
     [("microsoft", "openai", "equity_investment", 13 * B)], []),
    ("after-neg-customers-list", "Nvidia reported $57 billion in quarterly revenue. The chipmaker's biggest customers "
     "include Microsoft and Meta.", [], []),
    ("after-neg-market-value", "CoreWeave signed a deal with OpenAI in March. The company's shares have since tripled, "
     "giving it a market value of $60 billion.",
     [], [("openai", "coreweave", "compute_commitment", U)]),
    ("after-neg-separately", "Oracle shares jumped 5% on Monday. Separately, Amazon said it would spend $50 billion on "
     "AI infrastructure for government agencies.", [], []),
    ("after-neg-background-customer", "Microsoft signed a $17.4 billion agreement with Nebius. Nebius also counts Meta "
     "as a customer, which signed a $3 billion deal with it last year.",
     [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B)],
     [("meta", "nebius", "compute_commitment", 3 * B)]),
    ("after-neg-supplier-of-someone-else", "Anthropic agreed to buy $30 billion of Azure capacity from Microsoft. "
     "The supplier of its chips, Nvidia, will also invest in the startup.",
     [("anthropic", "microsoft", "compute_commitment", 30 * B), ("nvidia", "anthropic", "equity_investment", U)], []),
]

# Third round, written after the second (first run: 2 of 6 passed; now 6): "The contract is with X", a headline
# figure for the body's pair, "X will pay $Y" after a deal of X.
CASES += [
    ("third-contract-is-with", "Oracle disclosed a $300 billion contract for cloud capacity in a filing. The contract "
     "is with OpenAI, according to people familiar with the matter.",
     [("openai", "oracle", "compute_commitment", 300 * B)], []),
    ("third-headline-figure", "Meta strikes $10 billion cloud deal\n\nMeta Platforms has agreed to rent computing "
     "capacity from Google over six years, people familiar with the matter said.",
     [("meta", "google", "compute_commitment", 10 * B)], []),
    ("third-figure-with-party-next", "Meta signed a cloud deal with Google on Thursday. Meta will pay more than $10 "
     "billion over six years.",
     [("meta", "google", "compute_commitment", 10 * B)], []),
    ("third-placed-order-next", "Anthropic said it would buy $21 billion of custom chips. It placed the order with "
     "Broadcom.",
     [("anthropic", "broadcom", "chip_purchase", 21 * B)], []),
    ("third-neg-other-pair-next", "Meta will spend $10 billion on cloud capacity this year. Microsoft signed a cloud "
     "deal with OpenAI.",
     [], [("openai", "microsoft", "compute_commitment", U)]),
    ("third-neg-contract-is-with-no-open", "Oracle shares rose 4% on Monday. The contract is with OpenAI, the paper "
     "said.", [], []),
]

# Fourth round (first run: 1 of 6 passed; now 6): a venture named in apposition or "will be named" a sentence
# later, partners' parts with gapping, and a speaker after the comma who is not the venture.
CASES += [
    ("fourth-jv-named-next-company", "SoftBank and OpenAI agreed to form a joint venture in Japan. The new company will "
     "be named Crystal Intelligence Japan.",
     [("softbank", "crystal-intelligence-japan", "jv", U), ("openai", "crystal-intelligence-japan", "jv", U)], []),
    ("fourth-jv-apposed-next", "SoftBank and OpenAI agreed to form a joint venture in Japan. The joint venture, SB "
     "OpenAI Japan, will sell AI tools to companies.",
     [("softbank", "sb-openai-japan", "jv", U), ("openai", "sb-openai-japan", "jv", U)], []),
    ("fourth-jv-apposed-same", "SoftBank and OpenAI agreed to form a joint venture, SB OpenAI Japan, to sell AI "
     "tools.",
     [("softbank", "sb-openai-japan", "jv", U), ("openai", "sb-openai-japan", "jv", U)], []),
    ("fourth-jv-speaker-not-venture", "SoftBank and OpenAI agreed to form a joint venture, OpenAI Chief Executive "
     "Sam Altman said.",
     [("softbank", "softbank-openai-jv", "jv", U), ("openai", "softbank-openai-jv", "jv", U)], []),
    ("fourth-jv-gapped-parts", "Nvidia and Samsung formed a joint venture. Nvidia will contribute $1 billion and "
     "Samsung $500 million.",
     [("nvidia", "nvidia-samsung-jv", "jv", 1 * B), ("samsung", "nvidia-samsung-jv", "jv", 500 * M)], []),
    ("fourth-jv-one-part", "Microsoft and G42 set up a joint venture to build data centres in Kenya. Microsoft will "
     "contribute $1 billion.",
     [("microsoft", "microsoft-g42-jv", "jv", 1 * B), ("g42", "microsoft-g42-jv", "jv", U)], []),
]

# Fifth round (written with its rules): a customer "believed to be" X; neighbours with no tie; the arranger of a raise.
CASES += [
    ("fifth-customer-believed", "Oracle signed a cloud contract worth more than $30 billion a year, it said in a "
     "filing. The customer is widely believed to be OpenAI.",
     [("openai", "oracle", "compute_commitment", 30 * B)], []),
    ("fifth-neg-shares-then-invest", "Nvidia and AMD shares fell on Monday. Nvidia will invest $5 billion, the company "
     "said, without naming a target.", [], []),
    ("fifth-neg-customer-unnamed", "Oracle signed a cloud contract worth $30 billion. The customer, which Oracle did "
     "not name, will start using the capacity next year.", [], []),
    ("fifth-lead-arranged", "xAI raised $5 billion of debt this week. Morgan Stanley arranged the financing, people "
     "familiar with the matter said.",
     [("morgan-stanley", "xai", "debt", 5 * B)], [("bank-lenders", "xai", "debt", 5 * B)]),
]

# Sixth round, wire-style (first run: 2 of 8 passed; now 6): "Under the new terms, the social media company will
# pay …", "The contract value is …", "Sources say the tech giant is putting in …".
CASES += [
    ("sixth-under-terms-description-pays", "CoreWeave expands Meta pact\n\nCoreWeave said on Tuesday that it had "
     "signed an expanded agreement with Meta Platforms. Under the new terms, the social media company will pay up to "
     "$14.2 billion for computing capacity through 2031.",
     [("meta", "coreweave", "compute_commitment", Decimal("14.2") * B)], []),
    ("sixth-contract-value-two-later", "Nebius Group has signed a multi-year deal with Microsoft. Under the agreement, "
     "Nebius will deliver dedicated GPU capacity from a new data center in New Jersey. The contract value is $17.4 "
     "billion.",
     [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B)], []),
    ("sixth-receive-then-investment", "Anthropic is set to receive another $4 billion from Amazon. The investment, "
     "announced on Friday, doubles the online retailer's commitment to the startup.",
     [("amazon", "anthropic", "equity_investment", 4 * B)], []),
    ("sixth-agreement-calls-for", "The agreement calls for OpenAI to buy about $300 billion of computing power from "
     "Oracle over roughly five years, the Wall Street Journal reported.",
     [("openai", "oracle", "compute_commitment", 300 * B)], []),
    ("sixth-miner-turned-cloud", "IREN shares jumped 20% on Monday after the bitcoin miner turned AI cloud provider "
     "announced a deal with Microsoft. The five-year contract is valued at $9.7 billion.",
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B)], []),
    ("sixth-multibillion-undisclosed", "Lambda has inked a multibillion-dollar agreement with Microsoft to deploy "
     "Nvidia-powered AI infrastructure. The companies did not disclose the exact value.",
     [("microsoft", "lambda", "compute_commitment", U)], []),
    ("sixth-part-of-stargate", "Oracle has signed a deal to supply OpenAI with 4.5 gigawatts of data center capacity. "
     "The deal is part of the Stargate project and is worth $30 billion a year.",
     [("openai", "oracle", "compute_commitment", 30 * B)], []),
    ("sixth-sources-say-putting-in", "Google will invest in Anthropic. Sources say the tech giant is putting in up to "
     "$2 billion.",
     [("google", "anthropic", "equity_investment", 2 * B)], []),
]

CASES += [
    ("sixth-neg-receive-no-kind-next", "Anthropic is set to receive another $4 billion from Amazon. Shares of Amazon "
     "rose 2% on the news.", [], []),
    ("sixth-neg-receive-kind-too-late", "Anthropic is set to receive another $4 billion from Amazon. Shares of Amazon "
     "rose 2%. The investment in a new warehouse in Ohio is separate.", [], []),
]

# Known failures, with what is missing (kept honest: the test reports them as xfail, not as passes).
XFAIL: dict[str, str] = {
    "after-buyer-is": "the maker in 'provide Nvidia GPUs' is read as the buyer in the first sentence",
    "after-neg-supplier-of-someone-else": "'its chips' and 'the startup' resolve to the wrong companies",
}


def _found(text: str) -> set[Deal]:
    out = extract(text, directory=directory_for(None), published="2025-11-03").deals
    return {(c.payer.id, c.recipient.id, c.kind.value, c.amount) for c in out
            if not any(n.startswith("talks") for n in c.notes)}


@pytest.mark.parametrize(("name", "text", "expected", "maybe"),
                         [pytest.param(*c, id=c[0], marks=[pytest.mark.xfail(reason=XFAIL[c[0]], strict=True)]
                                       if c[0] in XFAIL else []) for c in CASES])
def test_discourse(name: str, text: str, expected: list[Deal], maybe: list[Deal]) -> None:
    assert _found(text) - set(maybe) == set(expected)


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 25
    assert sum(1 for c in CASES if c[0].startswith("neg-")) >= 8


@pytest.mark.parametrize(("sentence", "amount"), [
    ("The contract, which either party may end with a year's notice, is worth up to $12 billion.", 12 * B),
    ("The deal, Oracle's biggest, is valued at $300 billion.", 300 * B),
    ("It is worth about $38 billion over seven years.", 38 * B),
    ("Meta's commitment comes to $3 billion.", 3 * B),
    ("The deal values the startup at $500 billion.", None),
    ("The company is worth $60 billion after the rally.", None),
    ("It was valued at $300 billion in March.", None),
    ("The contract follows a $2 billion order last year, and is worth $5 billion.", None),
])
def test_a_follow_up_sentence_gives_only_the_deals_figure(sentence: str, amount: Decimal | None) -> None:
    from dealweb.extract.followups import follow_up_figure

    m = follow_up_figure(sentence)
    assert (m.amount if m is not None else None) == amount
