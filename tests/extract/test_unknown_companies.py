"""Companies the ledger does not hold, in the places deals put them (sentences written for these tests).

Every company named here as a party is a real company that the bundled ledger does not list
(checked with ``dealweb entities``), written the way wire copy, trade press and releases write
them: with a descriptor ("humanoid robot maker Apptronik"), an appositive (", a startup founded
by …"), a corporate suffix, odd spellings (lower-case initials, digits, one-letter words, "&",
".ai", "Bank of …"), or named once in full and again by a short form. The negatives put people,
places, outlets, products, events and public bodies where a party would stand; none of them may
be proposed as a new entity.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealweb.extract import extract
from dealweb.extract.candidates import directory_for
from dealweb.extract.gazetteer import is_never_party, looks_like_person

B = Decimal(10) ** 9
M = Decimal(10) ** 6

_DIRECTORY = directory_for(None)


def deals(text: str) -> set[tuple[str, str, str, Decimal | None]]:
    return {(c.payer.id, c.recipient.id, c.kind.value, c.amount)
            for c in extract(text, directory=_DIRECTORY, published="2026-03-02").deals}


def proposed(text: str) -> set[str]:
    return {p.surface for c in extract(text, directory=_DIRECTORY, published="2026-03-02").deals
            for p in (c.payer, c.recipient) if not p.known}


# (text, the deals it states). Payer → recipient as in docs/data-model.md.
POSITIVES: list[tuple[str, set[tuple[str, str, str, Decimal | None]]]] = [
    # Funding rounds: the startup receives, the lead pays.
    ("Safe Superintelligence, the startup co-founded by Ilya Sutskever, raised $2 billion in a funding round led by "
     "Greenoaks Capital.", {("greenoaks-capital", "safe-superintelligence", "equity_investment", 2 * B)}),
    ("Humanoid robot maker Apptronik has raised $403 million in a Series A round led by B Capital, the Austin-based "
     "company said on Thursday.", {("b-capital", "apptronik", "equity_investment", 403 * M)}),
    ("Defense tech startup Anduril Industries raised $2.5 billion in a round led by Founders Fund.",
     {("founders-fund", "anduril-industries", "equity_investment", Decimal("2.5") * B)}),
    ("d-Matrix, which designs chips for running AI models, raised $275 million in a round led by Temasek.",
     {("temasek", "d-matrix", "equity_investment", 275 * M)}),
    ("Paris-based H Company raised $220 million from Accel and other investors.",
     {("accel", "h-company", "equity_investment", 220 * M)}),
    ("Chinese AI startup 01.AI raised $200 million from Alibaba Group.",
     {("alibaba", "01-ai", "equity_investment", 200 * M)}),
    ("Anduril raised $1.5 billion in a round led by 1789 Capital, the firm backed by Donald Trump Jr.",
     {("1789-capital", "anduril", "equity_investment", Decimal("1.5") * B)}),
    ("Cerebras Systems Inc. raised $1.1 billion in a Series G round led by Fidelity Management & Research Co.",
     {("fidelity-management-research", "cerebras", "equity_investment", Decimal("1.1") * B)}),
    ("Nvidia invested $700 million in Nscale rival Firmus Technologies, the Australian neocloud said.",
     {("nvidia", "firmus-technologies", "equity_investment", 700 * M)}),
    ("Together AI, a San Francisco-based cloud startup, received a $305 million investment from General Catalyst.",
     {("general-catalyst", "together-ai", "equity_investment", 305 * M)}),
    ("SoftBank Vision Fund led a $500 million investment in Skild AI, a Pittsburgh robotics startup.",
     {("softbank", "skild-ai", "equity_investment", 500 * M)}),
    # Acquisitions: the target receives when no seller is named.
    ("OpenAI agreed to acquire io Products, the device startup of former Apple designer Jony Ive, for $6.5 billion.",
     {("openai", "io-products", "acquisition", Decimal("6.5") * B)}),
    ("CoreWeave agreed to acquire Weights & Biases for about $1.7 billion.",
     {("coreweave", "weights-biases", "acquisition", Decimal("1.7") * B)}),
    ("British chip designer Graphcore was acquired by SoftBank for about $500 million.",
     {("softbank", "graphcore", "acquisition", 500 * M)}),
    ("ServiceNow Inc. will buy Moveworks for $2.85 billion in cash and stock.",
     {("servicenow", "moveworks", "acquisition", Decimal("2.85") * B)}),
    ("AMD agreed to buy server maker ZT Systems for $4.9 billion.",
     {("amd", "zt-systems", "acquisition", Decimal("4.9") * B)}),
    ("Chipmaker Ampere Computing, which is backed by Oracle, agreed to be acquired by SoftBank Group Corp. for "
     "$6.5 billion.", {("softbank", "ampere-computing", "acquisition", Decimal("6.5") * B)}),
    ("Cognizant agreed to buy engineering services firm Belcan for $1.3 billion.",
     {("cognizant", "belcan", "acquisition", Decimal("1.3") * B)}),
    # Suppliers: the buyer pays the seller.
    ("SambaNova will supply Humain with $500 million of AI chips under the agreement.",
     {("humain", "sambanova", "chip_purchase", 500 * M)}),
    ("Amazon will buy $3 billion of custom chips from Marvell Technology.",
     {("amazon", "marvell-technology", "chip_purchase", 3 * B)}),
    ("Oracle will pay cloud provider Vultr $1 billion for GPU capacity over three years.",
     {("oracle", "vultr", "compute_commitment", 1 * B)}),
    ("Meta signed a $14 billion contract to rent computing capacity from Ceres Cloud.",
     {("meta", "ceres-cloud", "compute_commitment", 14 * B)}),
    # Debt: the lender pays the borrower.
    ("Goldman Sachs lent Firmus $400 million to build data centres in Tasmania.",
     {("goldman-sachs", "firmus", "debt", 400 * M)}),
    ("JPMorgan arranged a $2 billion loan for Lancium to build its Abilene campus.",
     {("jpmorgan", "lancium", "debt", 2 * B)}),
    ("Bank of America lent $750 million to TensorWave, the AMD-focused cloud provider.",
     {("bank-of-america", "tensorwave", "debt", 750 * M)}),
    ("Blue Owl will provide $3 billion of debt financing to Crane Data Centers.",
     {("blue-owl", "crane-data-centers", "debt", 3 * B)}),
    # A payer the ledger does not hold, and a descriptor whose words must not vote on the kind.
    ("Mistral AI said it had raised 1.7 billion euros in a Series C round led by Dutch chip equipment maker ASML "
     "Holding NV.", {("asml", "mistral-ai", "equity_investment", Decimal("1.7") * B)}),
    ("Startup Periodic Labs raised $300 million in seed funding led by Andreessen Horowitz.",
     {("andreessen-horowitz", "periodic-labs", "equity_investment", 300 * M)}),
    ("Saudi Arabia's Public Investment Fund will invest $1 billion in Humain.",
     {("public-investment-fund", "humain", "equity_investment", 1 * B)}),
    ("Qatar Investment Authority invested $500 million in Anthropic.",
     {("qatar-investment-authority", "anthropic", "equity_investment", 500 * M)}),
]

# A second round, written after the rules above (first run: 19 of 23 with the negatives below).
POSITIVES += [
    ("LONDON, June 4 (Reuters) - Nscale rival Nebul raised $155 million from Sandton Capital Partners, the companies said.",
     {("sandton-capital-partners", "nebul", "equity_investment", 155 * M)}),
    ("Hewlett Packard Enterprise agreed to buy Juniper Networks for $14 billion in cash.",
     {("hewlett-packard-enterprise", "juniper-networks", "acquisition", 14 * B)}),
    ("Arm Holdings plc will invest $250 million in Ampere Computing, the chip designer said on Monday.",
     {("arm", "ampere-computing", "equity_investment", 250 * M)}),
    ("Coatue Management led a $600 million round in Lambda Labs' rival Voltage Park.",
     {("coatue-management", "voltage-park", "equity_investment", 600 * M)}),
    ("Sumitomo Mitsui Banking Corp. lent $1.2 billion to Firmus Technologies for its Tasmanian AI factories.",
     {("sumitomo-mitsui-banking", "firmus-technologies", "debt", Decimal("1.2") * B)}),
    ("Nokia agreed to acquire Infinera Corp. for $2.3 billion, the Finnish telecom equipment maker said.",
     {("nokia", "infinera", "acquisition", Decimal("2.3") * B)}),
    ("xAI will buy $5 billion of networking chips from Arista Networks Inc. under a multiyear agreement.",
     {("xai", "arista-networks", "chip_purchase", 5 * B)}),
    ("Saudi Aramco's venture arm Wa'ed Ventures invested $50 million in Groq.",
     {("wa-ed-ventures", "groq", "equity_investment", 50 * M)}),
    ("Microsoft will pay Nscale competitor Nebius $19.4 billion for GPU capacity over five years.",
     {("microsoft", "nebius", "compute_commitment", Decimal("19.4") * B)}),
    ("Data centre developer Verne Global secured a €1 billion loan from Nordea Bank to expand its Icelandic campus.",
     {("nordea-bank", "verne-global", "debt", 1 * B)}),
    ("Cisco Investments led a $300 million Series B round for Sakana AI, the Tokyo-based startup said.",
     {("cisco", "sakana-ai", "equity_investment", 300 * M)}),
    ("Snowflake Inc. agreed to acquire Crunchy Data for about $250 million, people familiar with the matter said.",
     {("snowflake", "crunchy-data", "acquisition", 250 * M)}),
    ("The Abu Dhabi Investment Authority invested $1 billion in Anthropic's latest round.",
     {("abu-dhabi-investment-authority", "anthropic", "equity_investment", 1 * B)}),
    ("Supermicro will supply $20 billion of servers to Humain, the Saudi AI company said.",
     {("humain", "supermicro", "chip_purchase", 20 * B)}),
    ("Humain will buy $10 billion of AI chips from Qualcomm Technologies Inc.",
     {("humain", "qualcomm-technologies", "chip_purchase", 10 * B)}),
]

# A third round (first run: 9 of 15 with its negatives; three whose misses were not about names — a kind of
# "fuel cells", a sentence split at "& Co.", a venture named after a ledger company and a country — left out).
POSITIVES += [
    ("Nebius Group NV said on Tuesday it had agreed to acquire Tavily, an AI search startup, for $275 million.",
     {("nebius", "tavily", "acquisition", 275 * M)}),
    ("Meta Platforms has agreed to buy a 49% stake in Scale AI. Separately, Meta will pay $1.5 billion to acquire "
     "PlayAI, a voice startup.", {("meta", "scale-ai", "equity_investment", None),
                                  ("meta", "playai", "acquisition", Decimal("1.5") * B)}),
    ("Cerebras signed a deal to supply G42's Condor Galaxy venture. Under the agreement, G42 will pay Cerebras $900 "
     "million for systems.", {("g42", "cerebras", "chip_purchase", 900 * M)}),
    ("Upscale AI, a networking startup, raised $100 million in a seed round led by Mayfield and Maverick Silicon.",
     {("venture-investors", "upscale-ai", "equity_investment", 100 * M)}),
    ("Paris-based Fluidstack rival Sesterce said it had secured 450 million euros in debt from BNP Paribas.",
     {("bnp-paribas", "sesterce", "debt", 450 * M)}),
    ("Brookfield Asset Management will lend $5 billion to Bloom Energy to fund fuel cells for AI data centres.",
     {("brookfield-asset-management", "bloom-energy", "debt", 5 * B)}),
    ("Japan's NTT Data Group agreed to buy a majority stake in data centre operator Yondr for $1.3 billion.",
     {("ntt-data", "yondr", "equity_investment", Decimal("1.3") * B)}),
]

# A founder's former employer is no party; the founder's new company is.
POSITIVES += [
    ("OpenAI co-founder Ilya Sutskever's Safe Superintelligence raised $2 billion from Greenoaks Capital.",
     {("greenoaks-capital", "safe-superintelligence", "equity_investment", 2 * B)}),
    ("Former OpenAI executive Mira Murati's startup raised $2 billion from Andreessen Horowitz.", set()),
    ("Nvidia CEO Jensen Huang's company will invest $5 billion in Intel.",
     {("nvidia", "intel", "equity_investment", 5 * B)}),
]

# Two sentences: the name in full first, then a short form (or the name in a weaker position).
LATER: list[tuple[str, set[tuple[str, str, str, Decimal | None]]]] = [
    ("Thinking Machines Lab is building its own models. Nvidia invested $2 billion in Thinking Machines.",
     {("nvidia", "thinking-machines-lab", "equity_investment", 2 * B)}),
    ("Inflection AI was founded in 2022. Microsoft later paid Inflection $650 million to license its models.",
     {("microsoft", "inflection-ai", "licensing", 650 * M)}),
    ("Lancium Technologies builds data centre campuses in Texas. Blackstone arranged a $1 billion loan for Lancium.",
     {("blackstone", "lancium-technologies", "debt", 1 * B)}),
]

# (text, names that must not be proposed as a company).
NEGATIVES: list[tuple[str, set[str]]] = [
    ("Brendan Tarnow, founder of Quillwave, said the startup had raised $50 million from Sequoia.",
     {"Brendan Tarnow", "Tarnow"}),
    ("Blackwell Ultra chips worth $5 billion will be shipped to Microsoft by Nvidia.", {"Blackwell Ultra", "Ultra"}),
    ("Nvidia will sell $5 billion of Blackwell chips to Humain, Tareq Amin said.", {"Tareq Amin", "Amin"}),
    ("Microsoft will invest $2 billion in Anthropic, according to Priya Ramaswamy, an analyst at Bernstein.",
     {"Priya Ramaswamy"}),
    ("Oracle agreed to sell $3 billion of capacity to OpenAI, The Information reported.", {"The Information",
                                                                                         "Information"}),
    ("Google will invest $9 billion in Oklahoma through 2026.", {"Oklahoma"}),
    ("Amazon will invest $20 billion in Pennsylvania to expand its data centres.", {"Pennsylvania"}),
    ("Microsoft will invest $80 billion in Silicon Valley and elsewhere this year.", {"Silicon Valley"}),
    ("The Commerce Department will take an $8.9 billion stake in Intel.", {"Commerce Department", "Commerce"}),
    ("The European Union will invest 20 billion euros in AI gigafactories.", {"European Union", "Union"}),
    ("At Computex, Nvidia said it would invest $5 billion in Intel.", {"Computex"}),
    ("Microsoft will pay $1 billion to use GPT-5 in Copilot.", {"GPT-5", "Copilot"}),
    ("Speaking to Bloomberg Television, Tarnow said Quillwave would spend $50 million on Nvidia chips.",
     {"Bloomberg Television", "Tarnow"}),
    ("Meta will invest $600 billion in America by 2028, Mark Zuckerberg said.", {"America", "Mark Zuckerberg"}),
    ("In Davos, SoftBank pledged $3 billion a year for OpenAI technology.", {"Davos"}),
    ("Harvard University will receive $50 million from OpenAI for research.", set()),
    ("OpenAI paid $6.5 billion in stock for io Products, Sam Altman told Bloomberg News.",
     {"Sam Altman", "Bloomberg News"}),
    ("Nvidia will invest $1 billion in Nokia, Nokia chief executive Justin Hotard told Reuters.", {"Justin Hotard"}),
    ("Amazon will invest $4 billion in Anthropic, Amazon chief executive Andy Jassy wrote in a memo to staff.",
     {"Andy Jassy"}),
    ("Anthropic raised $13 billion in a round led by Iconiq, co-founder Daniela Amodei said in an interview.",
     {"Daniela Amodei"}),
    ("Vultr raised $329 million, chief executive J.J. Kardwell said on Thursday.", {"J.J. Kardwell", "Kardwell"}),
    ("The Federal Communications Commission will lend $1 billion to rural carriers.",
     {"Federal Communications Commission"}),
    ("Samsung will supply $16.5 billion of chips to Tesla from its Texas plant, South Korea's Yonhap reported.",
     {"Texas", "Yonhap", "South Korea"}),
    ("Oracle agreed to rent $40 billion of Nvidia GB200 chips to OpenAI, the Financial Times reported.",
     {"GB200", "Financial Times"}),
    ("On Monday, Nvidia said it would invest $2 billion in Synopsys.", {"Monday"}),
]


NEGATIVES += [
    ("Nebius will invest $1 billion in Finland, Arkady Volozh told reporters in Helsinki.",
     {"Finland", "Arkady Volozh", "Helsinki"}),
    ("Oracle agreed to sell $20 billion of capacity to Meta, Safra Catz said on a call with analysts from Morgan Stanley.",
     {"Safra Catz"}),
    ("Lisa Su, AMD's chief executive, said OpenAI would buy $10 billion of MI450 chips from AMD.",
     {"Lisa Su", "MI450"}),
    ("CoreWeave will spend $6 billion on a data centre in Lancaster, Pennsylvania, the company said.",
     {"Lancaster", "Pennsylvania"}),
    ("Speaking at GTC in San Jose, Nvidia said it would invest $500 million in Nscale.", {"GTC", "San Jose"}),
    ("According to Dealogic, banks lent $30 billion to Meta for the Hyperion campus.", {"Dealogic"}),
    ("The U.S. Department of Energy will lend $1 billion to Constellation Energy to restart a reactor.",
     {"Department of Energy", "U.S. Department of Energy"}),
    ("OpenAI will pay $10 billion to license Gemini Ultra from Google, The Wall Street Journal reported.",
     {"Gemini Ultra", "Ultra", "The Wall Street Journal"}),
]

NEGATIVES += [
    ("Nvidia will invest $5 billion in the United Kingdom, Jensen Huang told the BBC on a visit to London.",
     {"United Kingdom", "Jensen Huang", "BBC", "London"}),
    ("The Trump administration will take a 10% stake in Intel for $8.9 billion, Howard Lutnick said.",
     {"Trump", "Howard Lutnick", "Lutnick"}),
    ("OpenAI will spend $300 billion with Oracle over five years, The Wall Street Journal first reported.",
     {"The Wall Street Journal", "Wall Street Journal"}),
    ("Kevin O'Leary said his fund would invest $70 billion in Alberta data centres.", {"Kevin O'Leary", "O'Leary", "Alberta"}),
    ("At its Build conference, Microsoft said it would pay $2 billion to CoreWeave for Blackwell capacity.",
     {"Build", "Blackwell"}),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES, ids=[t[:50] for t, _ in POSITIVES])
def test_an_unknown_company_in_a_deal_role_is_a_party(text: str, expected: set[tuple[str, str, str, Decimal | None]]) -> None:
    assert deals(text) == expected


@pytest.mark.parametrize(("text", "expected"), LATER, ids=[t[:50] for t, _ in LATER])
def test_a_short_form_later_is_the_company_named_in_full(text: str, expected: set[tuple[str, str, str, Decimal | None]]) -> None:
    assert deals(text) == expected


@pytest.mark.parametrize(("text", "never"), NEGATIVES, ids=[t[:50] for t, _ in NEGATIVES])
def test_people_places_outlets_products_and_bodies_are_never_proposed(text: str, never: set[str]) -> None:
    assert not proposed(text) & never
    if not never:
        assert proposed(text) == set()


def test_the_signal_marks_a_party_recognised_only_by_new_evidence() -> None:
    found = extract("JPMorgan arranged a $2 billion loan for Lancium.", directory=_DIRECTORY).deals
    assert [c.recipient.id for c in found] == ["lancium"]
    assert "new_org" in found[0].signals
    known = extract("JPMorgan arranged a $2 billion loan for CoreWeave.", directory=_DIRECTORY).deals
    assert "new_org" not in known[0].signals


@pytest.mark.parametrize("name", ["Safe Superintelligence", "Reflection AI", "Nscale", "Lambda", "Figure", "xAI", "G42",
                                  "Nebius Group", "Fluidstack", "Cerebras Systems", "SambaNova", "Humain", "MGX", "Groq",
                                  "Summit Partners", "China Mobile", "Bank of America", "B Capital", "1789 Capital"])
def test_company_names_are_not_word_list_words(name: str) -> None:
    assert not is_never_party(name)
    assert not looks_like_person(name)


@pytest.mark.parametrize("word", ["Commerce Department", "European Union", "GPT-5", "Computex", "Davos", "Oklahoma",
                                  "Bloomberg Television", "The Information", "Department of Energy", "Chinese AI",
                                  "Blackwell Ultra", "H100", "Mobile World Congress"])
def test_word_lists_hold_bodies_products_events_and_places(word: str) -> None:
    assert is_never_party(word)
