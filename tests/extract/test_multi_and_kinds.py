"""Several deals in one sentence, and the kinds with thin rules (issue 16, categories 4 and 5).

Every sentence here was written for this file, in the way wire stories, trade press and press
releases put things; the companies are ledger names or plausible ones. Each row gives the deals
the sentence states, labelled as ../shared/reference/extraction-dev/README.md says (direction,
kinds, aggregates, acquirer → seller or target). Negatives at the end state no deal.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for

B = Decimal(10) ** 9
M = Decimal(10) ** 6

Deal = tuple[str, str, str, Decimal | None, str]


def deals(text: str) -> list[Deal]:
    return sorted((c.payer.id, c.recipient.id, c.kind.value, c.amount, c.currency)
                  for c in extract(text, directory=directory_for(None), published="2026-03-02").deals)


MULTI: list[tuple[str, list[Deal]]] = [
    # gapping, the counterparty after the second figure
    ("Microsoft has committed up to $5 billion and Nvidia up to $10 billion to Anthropic's next round.",
     [("microsoft", "anthropic", "equity_investment", 5 * B, "USD"),
      ("nvidia", "anthropic", "equity_investment", 10 * B, "USD")]),
    # gapping, the counterparty named in the first clause
    ("Nvidia invested $500 million in Poolside and AMD $200 million, according to a filing.",
     [("amd", "poolside", "equity_investment", 200 * M, "USD"),
      ("nvidia", "poolside", "equity_investment", 500 * M, "USD")]),
    # respectively, with commas
    ("SoftBank and Microsoft committed $30 billion and $10 billion, respectively, to OpenAI.",
     [("microsoft", "openai", "equity_investment", 10 * B, "USD"),
      ("softbank", "openai", "equity_investment", 30 * B, "USD")]),
    # each, in a loan
    ("Blackstone and Apollo Global Management are each lending $2 billion to xAI.",
     [("apollo", "xai", "debt", 2 * B, "USD"), ("blackstone", "xai", "debt", 2 * B, "USD")]),
    # apiece
    ("Nvidia and Microsoft will put $1 billion apiece into Mistral AI.",
     [("microsoft", "mistral-ai", "equity_investment", 1 * B, "USD"),
      ("nvidia", "mistral-ai", "equity_investment", 1 * B, "USD")]),
    # a list of investors, each with an amount
    ("Reflection AI raised $2 billion, including $800 million from Nvidia and $300 million from Blackstone.",
     [("blackstone", "reflection-ai", "equity_investment", 300 * M, "USD"),
      ("nvidia", "reflection-ai", "equity_investment", 800 * M, "USD")]),
    ("The funding includes $1.5 billion from SoftBank and $500 million from MGX, Scale AI said on Tuesday.",
     [("mgx", "scale-ai", "equity_investment", 500 * M, "USD"),
      ("softbank", "scale-ai", "equity_investment", Decimal("1.5") * B, "USD")]),
    # two deals joined by "and", different kinds
    ("CoreWeave will buy $6 billion of GPUs from Nvidia and lease $2 billion of data-centre space from Core "
     "Scientific.",
     [("coreweave", "core-scientific", "lease", 2 * B, "USD"),
      ("coreweave", "nvidia", "chip_purchase", 6 * B, "USD")]),
    ("IREN signed a $9.7 billion contract to supply Microsoft with cloud capacity and will pay Dell Technologies "
     "$5.8 billion for the GPUs.",
     [("iren", "dell", "chip_purchase", Decimal("5.8") * B, "USD"),
      ("microsoft", "iren", "compute_commitment", Decimal("9.7") * B, "USD")]),
    # an add-on in the same sentence
    ("Amazon has invested $4 billion in Anthropic and will put in a further $2.75 billion.",
     [("amazon", "anthropic", "equity_investment", 2 * B + Decimal("0.75") * B, "USD"),
      ("amazon", "anthropic", "equity_investment", 4 * B, "USD")]),
    # tranches given as separate facilities
    ("Vantage Data Centers closed $12 billion of loans from a group of banks, made up of a $7 billion construction "
     "facility and a $5 billion term loan.",
     [("bank-lenders", "vantage-data-centers", "debt", 5 * B, "USD"),
      ("bank-lenders", "vantage-data-centers", "debt", 7 * B, "USD"),
      ("bank-lenders", "vantage-data-centers", "debt", 12 * B, "USD")]),
]

KINDS: list[tuple[str, list[Deal]]] = [
    # acquisitions
    ("AMD agreed to acquire ZT Systems for $4.9 billion in cash and stock.",
     [("amd", "zt-systems", "acquisition", Decimal("4.9") * B, "USD")]),
    ("Cisco's $28 billion acquisition of Splunk closed on Monday.",
     [("cisco", "splunk", "acquisition", 28 * B, "USD")]),
    ("The AI Infrastructure Partnership will buy Aligned Data Centers from Macquarie for $40 billion.",
     [("aip", "macquarie", "acquisition", 40 * B, "USD")]),
    ("Core Scientific was acquired by CoreWeave in an all-stock deal valued at $9 billion.",
     [("coreweave", "core-scientific", "acquisition", 9 * B, "USD")]),
    ("CoreWeave takes over Core Scientific in $9 billion deal",
     [("coreweave", "core-scientific", "acquisition", 9 * B, "USD")]),
    ("Blackstone agreed to buy AirTrunk for A$24 billion, the largest deal of its kind in Australia.",
     [("blackstone", "airtrunk", "acquisition", 24 * B, "AUD")]),
    ("A consortium led by Blackstone and DigitalBridge agreed to acquire Aligned Data Centers from Macquarie for "
     "$40 billion.",
     [("blackstone", "macquarie", "acquisition", 40 * B, "USD")]),
    ("The AI Infrastructure Partnership has agreed to buy Aligned Data Centers from Macquarie-managed funds.",
     [("aip", "macquarie", "acquisition", None, "USD")]),
    # buying a stake is equity, not an acquisition
    ("Nvidia bought a $5 billion stake in Intel.",
     [("nvidia", "intel", "equity_investment", 5 * B, "USD")]),
    # licensing
    ("Apple will pay Google about $1 billion a year to use its Gemini models in Siri.",
     [("apple", "google", "licensing", 1 * B, "USD")]),
    ("Microsoft paid Inflection AI $650 million under a licensing deal and hired most of its staff.",
     [("microsoft", "inflection-ai", "licensing", 650 * M, "USD")]),
    ("Google struck a $2.7 billion deal to license Character.AI's technology and hire its founders.",
     [("google", "character-ai", "licensing", Decimal("2.7") * B, "USD")]),
    # revenue share
    ("Microsoft received revenue-sharing payments of $865 million from OpenAI in the first nine months.",
     [("openai", "microsoft", "revenue_share", 865 * M, "USD")]),
    ("OpenAI pays Microsoft a 20% share of its revenue under the partnership.",
     [("openai", "microsoft", "revenue_share", None, "USD")]),
    # debt
    ("Oracle raised $18 billion in a bond sale on Wednesday.",
     [("bond-investors", "oracle", "debt", 18 * B, "USD")]),
    ("Crusoe borrowed $750 million from Blue Owl Capital's private credit arm.",
     [("blue-owl", "crusoe", "debt", 750 * M, "USD")]),
    ("CoreWeave closed a $2.6 billion loan from a group of lenders led by Morgan Stanley and MUFG.",
     [("bank-lenders", "coreweave", "debt", Decimal("2.6") * B, "USD")]),
    ("Lambda raised $1.5 billion in debt financing from JPMorgan Chase.",
     [("jpmorgan", "lambda", "debt", Decimal("1.5") * B, "USD")]),
    # lease vs compute
    ("Fluidstack signed a 10-year lease worth $3 billion for data-centre space at Cipher Mining's Texas campus.",
     [("fluidstack", "cipher-mining", "lease", 3 * B, "USD")]),
    ("OpenAI will lease GPU capacity from CoreWeave under a $6.5 billion contract.",
     [("openai", "coreweave", "compute_commitment", Decimal("6.5") * B, "USD")]),
    # money formats
    ("Nebius signed a $17.4-billion deal to provide Microsoft with GPU infrastructure.",
     [("microsoft", "nebius", "compute_commitment", Decimal("17.4") * B, "USD")]),
    ("Samsung Electronics won an order from Tesla for AI chips worth 16.5 trillion won.",
     [("tesla", "samsung", "chip_purchase", Decimal("16.5") * 10**12, "KRW")]),
    ("Microsoft will invest Rs 15,000 crore in Yotta Data Services.",
     [("microsoft", "yotta-data-services", "equity_investment", 15000 * 10**7, "INR")]),
    ("Nscale landed a €1.3 billion order from Microsoft for cloud capacity in Norway.",
     [("microsoft", "nscale", "compute_commitment", Decimal("1.3") * B, "EUR")]),
    ("OpenAI will pay Oracle about $30 billion a year for compute starting in 2028.",
     [("openai", "oracle", "compute_commitment", 30 * B, "USD")]),
]

# A second round, written after the first rules, to see how they carry over to other wordings.
MORE: list[tuple[str, list[Deal]]] = [
    ("Amazon and Google have invested $8 billion and $3 billion in Anthropic, respectively.",
     [("amazon", "anthropic", "equity_investment", 8 * B, "USD"),
      ("google", "anthropic", "equity_investment", 3 * B, "USD")]),
    ("OpenAI closed a $6.6 billion funding round on Wednesday. Thrive Capital put in $1.25 billion and Microsoft "
     "about $750 million.",
     [("microsoft", "openai", "equity_investment", 750 * M, "USD"),
      ("thrive-capital", "openai", "equity_investment", Decimal("1.25") * B, "USD")]),
    ("Nvidia will invest up to $100 billion in OpenAI, and AMD has granted OpenAI warrants for up to 160 million "
     "shares.",
     [("amd", "openai", "warrant", None, "USD"), ("nvidia", "openai", "equity_investment", 100 * B, "USD")]),
    ("Google has invested $2 billion in Anthropic, while Amazon has put in $8 billion.",
     [("amazon", "anthropic", "equity_investment", 8 * B, "USD"),
      ("google", "anthropic", "equity_investment", 2 * B, "USD")]),
    ("SoftBank will invest $22.5 billion and Microsoft $2 billion in OpenAI this year.",
     [("microsoft", "openai", "equity_investment", 2 * B, "USD"),
      ("softbank", "openai", "equity_investment", Decimal("22.5") * B, "USD")]),
    ("Aligned Data Centers is being bought by the AI Infrastructure Partnership from Macquarie for $40 billion.",
     [("aip", "macquarie", "acquisition", 40 * B, "USD")]),
    ("Nvidia to acquire Enfabrica for $900 million",
     [("nvidia", "enfabrica", "acquisition", 900 * M, "USD")]),
    ("CoreWeave completed its $9 billion purchase of Core Scientific on Friday.",
     [("coreweave", "core-scientific", "acquisition", 9 * B, "USD")]),
    ("SoftBank agreed to buy Ampere Computing for $6.5 billion.",
     [("softbank", "ampere-computing", "acquisition", Decimal("6.5") * B, "USD")]),
    ("Meta bought a 49% stake in Scale AI for $14.3 billion.",
     [("meta", "scale-ai", "equity_investment", Decimal("14.3") * B, "USD")]),
    ("Under the licensing agreement, Nvidia will pay Groq $20 billion for access to its inference technology.",
     [("nvidia", "groq", "licensing", 20 * B, "USD")]),
    ("Microsoft will keep receiving 20% of OpenAI's revenue until an expert panel confirms AGI.",
     [("openai", "microsoft", "revenue_share", None, "USD")]),
    ("JPMorgan Chase will lend $7 billion to Crusoe for the Abilene campus.",
     [("jpmorgan", "crusoe", "debt", 7 * B, "USD")]),
    ("Blue Owl Capital provided $3 billion in private credit to Crusoe.",
     [("blue-owl", "crusoe", "debt", 3 * B, "USD")]),
    ("Meta sold $30 billion of bonds on Thursday.",
     [("bond-investors", "meta", "debt", 30 * B, "USD")]),
    ("CoreWeave priced $2 billion of senior notes due 2030.",
     [("bond-investors", "coreweave", "debt", 2 * B, "USD")]),
    ("Fluidstack agreed to lease 200 MW at TeraWulf's Lake Mariner campus in a ten-year deal worth $3.7 billion.",
     [("fluidstack", "terawulf", "lease", Decimal("3.7") * B, "USD")]),
    ("CoreWeave leased 250 MW of critical IT load from Core Scientific under 12-year contracts worth $8.7 billion.",
     [("coreweave", "core-scientific", "lease", Decimal("8.7") * B, "USD")]),
    ("Nvidia will lease back $1.3 billion of its own GPUs from Lambda over four years.",
     [("nvidia", "lambda", "compute_commitment", Decimal("1.3") * B, "USD")]),
    ("OpenAI ordered 10 gigawatts of custom accelerators from Broadcom.",
     [("openai", "broadcom", "chip_purchase", None, "USD")]),
    ("Nvidia committed US$5bn to Intel.",
     [("nvidia", "intel", "equity_investment", 5 * B, "USD")]),
    ("Microsoft agreed to a $9.7bn, five-year contract with IREN for cloud capacity.",
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B, "USD")]),
    ("OpenAI will pay Cerebras more than $10 billion over three years for computing capacity.",
     [("openai", "cerebras", "compute_commitment", 10 * B, "USD")]),
]

# A third round: add-ons, more currencies, takeovers told with "pay … for", revenue cuts, leads that arrange.
THIRD: list[tuple[str, list[Deal]]] = [
    ("Amazon will invest a further $4 billion in Anthropic, bringing its total to $8 billion.",
     [("amazon", "anthropic", "equity_investment", 4 * B, "USD")]),
    ("Nvidia invested an additional $2 billion in xAI as part of the round.",
     [("nvidia", "xai", "equity_investment", 2 * B, "USD")]),
    ("Alphabet agreed to pay $32 billion in cash for Wiz, its largest deal ever.",
     [("google", "wiz", "acquisition", 32 * B, "USD")]),
    ("Hewlett Packard Enterprise completed its $14 billion takeover of Juniper Networks.",
     [("hewlett-packard-enterprise", "juniper-networks", "acquisition", 14 * B, "USD")]),
    ("SoftBank snapped up Ampere Computing for $6.5 billion.",
     [("softbank", "ampere-computing", "acquisition", Decimal("6.5") * B, "USD")]),
    ("Microsoft gets a 20% cut of OpenAI's revenue under the arrangement.",
     [("openai", "microsoft", "revenue_share", None, "USD")]),
    ("Apple will pay Google roughly $1 billion annually for a custom Gemini model.",
     [("apple", "google", "licensing", 1 * B, "USD")]),
    ("xAI's $5 billion loan package was arranged by Morgan Stanley.",
     [("morgan-stanley", "xai", "debt", 5 * B, "USD")]),
    ("Alphabet raised €6.75 billion from bond investors in its first euro sale.",
     [("bond-investors", "google", "debt", Decimal("6.75") * B, "EUR")]),
    ("YTL Power will borrow RM10 billion from Maybank to build its Johor data-centre park.",
     [("maybank", "ytl-power", "debt", 10 * B, "MYR")]),
    ("Humain signed a SAR 37.5 billion agreement with AMD for AI chips.",
     [("humain", "amd", "chip_purchase", Decimal("37.5") * B, "SAR")]),
    ("Quanta Computer won a NT$30 billion server order from Alphabet.",
     [("google", "quanta-computer", "chip_purchase", 30 * B, "TWD")]),
    ("SK Hynix won a 4 trillion won order from OpenAI for high-bandwidth memory chips.",
     [("openai", "sk-hynix", "chip_purchase", 4 * 10**12, "KRW")]),
    ("Anthropic will use up to one million Google TPUs under a deal worth tens of billions of dollars.",
     [("anthropic", "google", "compute_commitment", None, "USD")]),
    ("Microsoft and Nvidia invested $5 billion and $10 billion in Anthropic last year.",
     [("microsoft", "anthropic", "equity_investment", 5 * B, "USD"),
      ("nvidia", "anthropic", "equity_investment", 10 * B, "USD")]),
]

# A fourth round: wire-style sentences with attributions, lists of different kinds, sellers and securitisations.
FOURTH: list[tuple[str, list[Deal]]] = [
    ("The financing includes $2.3 billion of equity from Blue Owl Capital and $9.6 billion of debt from JPMorgan "
     "Chase, Crusoe said.",
     [("blue-owl", "crusoe", "equity_investment", Decimal("2.3") * B, "USD"),
      ("jpmorgan", "crusoe", "debt", Decimal("9.6") * B, "USD")]),
    ("Oracle will raise $18 billion through a bond sale and $38 billion in project loans led by JPMorgan Chase.",
     [("bond-investors", "oracle", "debt", 18 * B, "USD"),
      ("jpmorgan", "oracle", "debt", 38 * B, "USD")]),
    ("Meta agreed to pay Google more than $10 billion over six years for cloud services.",
     [("meta", "google", "compute_commitment", 10 * B, "USD")]),
    ("Nvidia bought $2 billion of Synopsys stock, and Synopsys will use Nvidia's GPUs in its software.",
     [("nvidia", "synopsys", "equity_investment", 2 * B, "USD")]),
    ("Nokia bought Infinera from its shareholders for $2.3 billion.",
     [("nokia", "infinera", "acquisition", Decimal("2.3") * B, "USD")]),
    ("Blackstone will buy AirTrunk from Macquarie Asset Management and PSP Investments for A$24 billion.",
     [("blackstone", "macquarie", "acquisition", 24 * B, "AUD")]),
    ("Microsoft will license OpenAI's models through 2032 under the restructured agreement.",
     [("microsoft", "openai", "licensing", None, "USD")]),
    ("Under the new terms, OpenAI will share 8% of its revenue with Microsoft through 2030.",
     [("openai", "microsoft", "revenue_share", None, "USD")]),
    ("Hut 8 signed a 15-year lease with Fluidstack worth $7 billion for its River Bend campus.",
     [("fluidstack", "hut-8", "lease", 7 * B, "USD")]),
    ("Vantage Data Centers raised $1.6 billion through asset-backed securities on Monday.",
     [("bond-investors", "vantage-data-centers", "debt", Decimal("1.6") * B, "USD")]),
]

# A fifth round, written after all the rules above and run once before any change: 11 of 15 passed then
# (misses: a listed investor after "round included", a takeover sentence with no money word, a model's
# parameter count between "for" and "model", "in revenue-share payments" read as revenue).
FIFTH: list[tuple[str, list[Deal]]] = [
    ("SAN FRANCISCO, March 2 (Reuters) - Nvidia and SoftBank will each put $2 billion into Poolside, the coding "
     "startup said on Monday.",
     [("nvidia", "poolside", "equity_investment", 2 * B, "USD"),
      ("softbank", "poolside", "equity_investment", 2 * B, "USD")]),
    ("Microsoft is investing $3 billion in xAI and Oracle $1 billion, according to a securities filing.",
     [("microsoft", "xai", "equity_investment", 3 * B, "USD"),
      ("oracle", "xai", "equity_investment", 1 * B, "USD")]),
    ("Mistral AI's €1.7 billion round included €1.3 billion from ASML, the Dutch chip-equipment maker.",
     [("asml", "mistral-ai", "equity_investment", Decimal("1.3") * B, "EUR")]),
    ("Crusoe takes $750 million credit line from Brookfield",
     [("brookfield", "crusoe", "debt", 750 * M, "USD")]),
    ("Meta Platforms has agreed to acquire a 49% stake in Scale AI for $14.3 billion, and Scale AI's chief executive "
     "will join Meta.",
     [("meta", "scale-ai", "equity_investment", Decimal("14.3") * B, "USD")]),
    ("Cognition said it had acquired Windsurf, the AI coding startup, for an undisclosed sum.",
     [("cognition", "windsurf", "acquisition", None, "USD")]),
    ("Nvidia's $900 million deal to license Enfabrica's technology and hire its CEO closed in September.",
     [("nvidia", "enfabrica", "licensing", 900 * M, "USD")]),
    ("Apple is paying Google about $1 billion per year for a 1.2 trillion-parameter Gemini model to power Siri.",
     [("apple", "google", "licensing", 1 * B, "USD")]),
    ("OpenAI paid Microsoft $493.8 million in revenue-share payments in 2024.",
     [("openai", "microsoft", "revenue_share", Decimal("493.8") * M, "USD")]),
    ("Meta sold $30 billion of bonds on Thursday while Oracle borrowed $18 billion through a bond sale.",
     [("bond-investors", "meta", "debt", 30 * B, "USD"), ("bond-investors", "oracle", "debt", 18 * B, "USD")]),
    ("Microsoft signed a $9.7 billion deal to rent Nvidia GPUs from IREN in Texas.",
     [("microsoft", "iren", "compute_commitment", Decimal("9.7") * B, "USD")]),
    ("CoreWeave agreed to lease data-centre space from Galaxy Digital's Helios campus in a deal worth $4.5 billion.",
     [("coreweave", "galaxy-digital", "lease", Decimal("4.5") * B, "USD")]),
    ("Anthropic will buy $21 billion of Google TPUs from Broadcom.",
     [("anthropic", "broadcom", "chip_purchase", 21 * B, "USD")]),
    ("Samsung SDS landed a ₩1.5 trillion contract from the government to build an AI computing centre.",
     []),
    ("Shares of Oracle rose 36% after it reported $455 billion of remaining performance obligations.",
     []),
]

# A sixth round, also written after the rules and run once before any change: 5 of 11 passed then (misses:
# "backstopping", "secured $X from investors including …", "plus the company's debt" read as a loan, figures
# each with their year, a parallel clause that leaves out the buyer).
SIXTH: list[tuple[str, list[Deal]]] = [
    ("Amazon will invest up to $25 billion in Anthropic: $10 billion now and the rest in later tranches.",
     [("amazon", "anthropic", "equity_investment", 25 * B, "USD")]),
    ("Under the agreement, Google will take a 14% stake in Anthropic for $3 billion.",
     [("google", "anthropic", "equity_investment", 3 * B, "USD")]),
    ("TeraWulf sold $3.2 billion of high-yield bonds, and Google is backstopping $1.4 billion of Fluidstack's lease "
     "payments.",
     [("bond-investors", "terawulf", "debt", Decimal("3.2") * B, "USD"),
      ("google", "fluidstack", "backstop", Decimal("1.4") * B, "USD")]),
    ("Lambda and Microsoft signed a multibillion-dollar agreement under which Lambda will deploy Nvidia GB300 "
     "systems for Microsoft.",
     [("microsoft", "lambda", "compute_commitment", None, "USD")]),
    ("Nebius secured $3 billion from investors including Nvidia and Accel.",
     [("venture-investors", "nebius", "equity_investment", 3 * B, "USD")]),
    ("Core Scientific shareholders rejected CoreWeave's $9 billion takeover offer.",
     []),
    ("Alphabet will buy Intersect Power for $4.75 billion in cash, plus the company's debt.",
     [("google", "intersect-power", "acquisition", Decimal("4.75") * B, "USD")]),
    ("Microsoft bought Nuance Communications for $19.7 billion, including net debt.",
     [("microsoft", "nuance-communications", "acquisition", Decimal("19.7") * B, "USD")]),
    ("OpenAI will pay Broadcom $4 billion in 2026 and $6 billion in 2027 for custom chips.",
     [("openai", "broadcom", "chip_purchase", 4 * B, "USD"), ("openai", "broadcom", "chip_purchase", 6 * B, "USD")]),
    ("Samsung will supply Nvidia with HBM chips worth ₩10 trillion, while SK Hynix will supply ₩15 trillion worth.",
     [("nvidia", "samsung", "chip_purchase", 10 * 10**12, "KRW"),
      ("nvidia", "sk-hynix", "chip_purchase", 15 * 10**12, "KRW")]),
    ("KKR and Energy Capital Partners plan to invest a combined $50 billion in data centres and power.",
     []),
]

# A seventh round, written after the sixth round's rules and run once before any change: 5 of 8 passed then
# (misses: "$1 billion in Nokia and $2 billion in Synopsys", "and to lease …", "which in turn will buy …").
SEVENTH: list[tuple[str, list[Deal]]] = [
    ("Nvidia will invest $1 billion in Nokia and $2 billion in Synopsys.",
     [("nvidia", "nokia", "equity_investment", 1 * B, "USD"), ("nvidia", "synopsys", "equity_investment", 2 * B, "USD")]),
    ("Oracle agreed to buy $40 billion of Nvidia chips and to lease the Abilene site from Crusoe for 15 years.",
     [("oracle", "crusoe", "lease", None, "USD"), ("oracle", "nvidia", "chip_purchase", 40 * B, "USD")]),
    ("Intel will receive $5 billion from Nvidia and $2 billion from SoftBank for new shares.",
     [("nvidia", "intel", "equity_investment", 5 * B, "USD"), ("softbank", "intel", "equity_investment", 2 * B, "USD")]),
    ("Nscale's contracts with Microsoft are worth up to $24 billion.",
     [("microsoft", "nscale", "compute_commitment", 24 * B, "USD")]),
    ("Microsoft will buy $9.7 billion of capacity from IREN, which in turn will buy $5.8 billion of equipment from "
     "Dell Technologies.",
     [("iren", "dell", "chip_purchase", Decimal("5.8") * B, "USD"),
      ("microsoft", "iren", "compute_commitment", Decimal("9.7") * B, "USD")]),
    ("Cipher Mining signed a 10-year, $5.5 billion lease with Amazon Web Services for space at its Texas site.",
     [("amazon", "cipher-mining", "lease", Decimal("5.5") * B, "USD")]),
    ("Anthropic agreed to pay $1.5 billion to settle a copyright lawsuit brought by authors.",
     []),
    ("Broadcom disclosed a $10 billion order from a customer it did not name.",
     []),
]

# An eighth round, written last and run once before any change: 6 of 8 passed then (misses: banks that
# arrange a loan read as borrowers, "from Pimco and Blue Owl through a private-credit deal").
EIGHTH: list[tuple[str, list[Deal]]] = [
    ("Nvidia agreed to pay about $20 billion in cash for a non-exclusive licence to Groq's inference technology.",
     [("nvidia", "groq", "licensing", 20 * B, "USD")]),
    ("Meta will pay Midjourney an undisclosed sum to license its image models.",
     [("meta", "midjourney", "licensing", None, "USD")]),
    ("OpenAI has agreed to give Microsoft 20% of its revenue until 2032.",
     [("openai", "microsoft", "revenue_share", None, "USD")]),
    ("Morgan Stanley and MUFG arranged a $22 billion loan for Vantage Data Centers' Frontier campus.",
     [("bank-lenders", "vantage-data-centers", "debt", 22 * B, "USD")]),
    ("Meta raised $27 billion from Pimco and Blue Owl through a private-credit deal for its Louisiana data centre.",
     [("bank-lenders", "meta", "debt", 27 * B, "USD")]),
    ("Nebius will rent out Nvidia GPUs to Microsoft in Vineland, New Jersey, under a contract worth up to $19.4 "
     "billion.",
     [("microsoft", "nebius", "compute_commitment", Decimal("19.4") * B, "USD")]),
    ("IREN agreed to lease its Childress campus to Anthropic for 10 years at $1.2 billion a year.",
     [("anthropic", "iren", "lease", Decimal("1.2") * B, "USD")]),
    ("Salesforce completed its acquisition of Informatica, paying about $8 billion.",
     [("salesforce", "informatica", "acquisition", 8 * B, "USD")]),
]

NEGATIVES: list[str] = [
    "Analysts speculated that Oracle could acquire CoreWeave for as much as $50 billion.",
    "Meta is in talks to acquire Scale AI for about $14 billion, people familiar with the matter said.",
    "BlackRock is closing in on a purchase of Texas-based Aligned Data Centers for about $40 billion.",
    "SoftBank and Nvidia will put a combined $10 billion into xAI.",
    "CoreWeave's revenue rose to $1.4 billion in the quarter, helped by demand from Microsoft.",
    "Nvidia's board approved a $60 billion share buyback on Wednesday.",
    "CoreWeave shares jumped 12% to $132.50, giving the company a market value of $65 billion.",
    "Alphabet expects capital expenditures of $91 billion to $93 billion this year.",
    "CoreWeave raised $1.5 billion in its initial public offering.",
    "Microsoft and OpenAI together plan to spend $100 billion on data centres.",
    "Intel sold 214 million shares at $23.28 each in the offering.",
    "OpenAI's annualised revenue reached $20 billion, Microsoft said.",
    "Nvidia will return $60 billion to shareholders through buybacks and dividends.",
    "Oracle shares fell 4% to $198.40 after the company said capital spending would hit $35 billion.",
    "Meta and Microsoft together spent more than $150 billion on data centres last year.",
    "Anthropic is reportedly weighing an offer to buy Anysphere.",
    "Anthropic plans to spend £2 billion in the UK over three years.",
    "Microsoft signed deals worth a combined $60 billion with neoclouds including Nebius, Nscale, IREN and Lambda.",
    "Anthropic and OpenAI each raised more than $10 billion this year.",
    "Meta tried to buy Perplexity earlier this year in a high-stakes push into search.",
]


@pytest.mark.parametrize(("text", "expected"), MULTI, ids=[t[:40] for t, _ in MULTI])
def test_several_deals_in_one_sentence(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), KINDS, ids=[t[:40] for t, _ in KINDS])
def test_kinds_with_thin_rules(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), MORE, ids=[t[:40] for t, _ in MORE])
def test_other_wordings(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), THIRD, ids=[t[:40] for t, _ in THIRD])
def test_add_ons_currencies_and_takeovers(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), FOURTH, ids=[t[:40] for t, _ in FOURTH])
def test_wire_style_lists_and_sellers(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), FIFTH, ids=[t[:40] for t, _ in FIFTH])
def test_written_after_the_rules(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), SIXTH, ids=[t[:40] for t, _ in SIXTH])
def test_written_after_the_rules_again(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), SEVENTH, ids=[t[:40] for t, _ in SEVENTH])
def test_written_after_the_rules_a_third_time(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), EIGHTH, ids=[t[:40] for t, _ in EIGHTH])
def test_written_last(text: str, expected: list[Deal]) -> None:
    assert deals(text) == sorted(expected)


@pytest.mark.parametrize("text", NEGATIVES, ids=[t[:40] for t in NEGATIVES])
def test_money_that_is_no_deal(text: str) -> None:
    assert deals(text) == []
