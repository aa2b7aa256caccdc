"""Word lists the extractor needs: names that are never parties, and descriptions that stand for one.

Never parties: months and days, news outlets and wires, countries, regions and cities,
nationality adjectives, and people (a capitalised name right after a title such as "CEO",
or opening with a common first name). A deal needs two companies; these words often
stand next to a money figure without being one.

Descriptions ("the ChatGPT maker", "the Redmond-based tech giant") resolve to an entity
through :data:`DESCRIPTORS`, matched only when the entity exists in the directory; generic
descriptions ("the company", "the startup", "the tech giant") resolve to the most recent
company that fits, which :mod:`~dealweb.extract.clauses` does.
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["DESCRIPTORS", "DESCRIPTOR_OPENERS", "GIVEN_NAMES", "NEVER_PARTIES", "OPENERS", "ORG_WORDS", "PERSON_AFTER",
           "PRODUCTS", "guess_kind", "has_org_evidence", "is_never_party", "is_place", "looks_like_person"]


def _word_lists() -> dict[str, frozenset[str]]:
    """The sections of ``dealweb/data/not_companies.txt``: given names, places, outlets, products, events, bodies."""
    text = resources.files("dealweb").joinpath("data", "not_companies.txt").read_text(encoding="utf-8")
    lists: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            lists.setdefault(section, set())
        elif line and section:
            lists[section].update(line.split())
    return {k: frozenset(v) for k, v in lists.items()}


_LISTS = _word_lists()
#: Common given names (many languages): a name of two or three words opening with one is a person.
GIVEN_NAMES: frozenset[str] = _LISTS["given_names"]
#: Products, models and chips ("Blackwell", "GPT-5", "Copilot"): a name opening with one is a product.
PRODUCTS: frozenset[str] = _LISTS["products"]

_MONTHS = """January February March April May June July August September October November December Jan Feb Mar Apr
Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
_OUTLETS = """Reuters Bloomberg AP AFP CNBC Axios Semafor TechCrunch Kyodo Nikkei Yonhap Xinhua FT WSJ Forbes Fortune
Insider Information Verge Wired Guardian Telegraph Economist Barron's MarketWatch Benzinga Globe Newswire GlobeNewswire
NEWSWIRE Bizwire BusinessWire PRNewswire Zacks Motley Fool Seeking Alpha dpa-AFX MT Newswires Dow Jones Times Journal
Post Street Daily News Herald Tribune Register""".split()
_PLACES = """US USA U.S. UK U.K. EU America Americas American Europe European Asia Asian Africa African Pacific Atlantic
China Chinese Japan Japanese Korea Korean South North East West Southeast Middle India Indian France French Germany
German Britain British England English Italy Italian Spain Spanish Canada Canadian Australia Australian Norway Norwegian
Sweden Swedish Finland Finnish Denmark Danish Netherlands Dutch Ireland Irish Switzerland Swiss Israel Israeli Saudi
Arabia Arabian UAE United States Kingdom Republic
Emirates Emirati Arab Qatar Qatari Kuwait Kuwaiti Singapore Singaporean Taiwan Taiwanese Malaysia
Malaysian Indonesia Indonesian Brazil Brazilian Mexico Mexican Russia Russian Abu Dhabi Dubai Riyadh Doha Tokyo Seoul
Beijing Shanghai Shenzhen Hong Kong London Paris Berlin Munich Frankfurt Amsterdam Stockholm Oslo Dublin Zurich Geneva
Mumbai Delhi Bangalore Bengaluru Sydney Melbourne Canberra Toronto Vancouver Texas Wisconsin California Virginia Ohio
Arizona Georgia Louisiana Pennsylvania Oregon Washington Wash Nevada Utah Wyoming Dakota Iowa Indiana Tennessee Carolina
Michigan Illinois Florida Mississippi Alabama Oklahoma Kansas Nebraska Minnesota Colorado York Jersey Silicon Valley
Redmond Seattle Austin Abilene Dallas Houston Chicago Boston Atlanta Francisco San Santa Clara Los Angeles Mountain
View Palo Alto Menlo Park Cupertino Ellendale Wall Street Gulf Nordic Nordics Scandinavian Western Eastern Northern
Southern Federal Fed White House Congress Senate Department Energy Treasury Commerce SEC FTC Board""".split()
_OTHER = """Big Tech Series AI GenAI Siri Sora Gemini Grok Claude ChatGPT Copilot Llama Blackwell Hopper Rubin Vera
Instinct Ironwood TPU TPUs GPU GPUs CPU CPUs HPC MI300 MI350 MI450 Helios GB200 GB300 H100 H200 B200 IPO CEO CFO CTO COO
President Chairman Chief Executive Officer Founder Co-founder Analyst Analysts Mr Ms Mrs Dr Sir TL;DR Tensor
Processing Units Unit What Happened Why Matters Key Takeaways Photo Image Credit Getty Images Reporting Editing
Writing Source Sources Meanwhile However Separately Additionally Moreover Also Today Yesterday Earlier Later Inc
Corp Co Ltd LLC PLC AG SA NV Holdings Group Company Companies Nasdaq NASDAQ NYSE OTCMKTS TSX ASX KRX Exchange Stock
Phase Stage Tier Class Gigawatt Gigawatts Megawatts MW GW""".split()
# Currencies written out ("22.76 trillion Korean Won"): a figure's unit, never a party.
_CURRENCIES = """Won Yen Yuan Renminbi RMB Rupee Rupees Ringgit Riyal Riyals Dirham Dirhams Euro Euros Dollar Dollars Pound
Pounds Sterling Franc Francs Krone Kroner Kronor Krona Rand Reais Peso Pesos Baht Dong Rupiah Lira Zloty Shekel
Shekels""".split() + """USD US$ AUD A$ EUR GBP JPY CNY CAD CHF INR KRW SGD HKD NZD SEK NOK DKK SAR AED QAR BRL MXN ZAR TWD
IDR MYR THB PHP PLN TRY ILS""".split()

# A currency code glued to its figure ("INR6.3 billion", "USD5bn"): an amount, never a name.
_CODE_AND_FIGURE = re.compile(r"(?:" + "|".join(re.escape(c) for c in _CURRENCIES if c.isupper() and len(c) == 3) +
                              r")\d[\d.,]*(?:bn|m|b|k)?")
NEVER_PARTIES: frozenset[str] = frozenset(_MONTHS + _OUTLETS + _PLACES + _OTHER + _CURRENCIES + ["The"]) | \
    _LISTS["places"] | _LISTS["outlets"] | PRODUCTS | _LISTS["events"] | _LISTS["bodies"] | _LISTS["public_figures"] | \
    _LISTS["openers"] | _LISTS["units"] | _LISTS["instruments"]
#: Words that open a sentence capitalised and are no name ("According", "Asked", "Since"): off the front of a run there.
OPENERS: frozenset[str] = _LISTS["openers"]
_PLACE_WORDS = frozenset(_PLACES) | _LISTS["places"]
#: Words that make a capitalised phrase a company's name: legal forms and the words companies name themselves with
#: ("Thinking Machines Lab", "Greenoaks Capital", "Ceres Cloud"). Evidence for a name, never a name alone.
ORG_WORDS: frozenset[str] = frozenset("""Inc Inc. Corp Corp. Corporation Incorporated Ltd Ltd. Limited LLC LLP LP PLC plc
GmbH SA AG NV SE ASA AB Oy Pty KK SpA BV Co Co. Company Holdings Group Lab Labs Technologies Technology Systems
Networks Network Capital Partners Ventures Cloud AI Compute Computing Data Centers Centres Semiconductor Semiconductors
Robotics Industries Bank Fund Investments Investment Management Advisors Securities Infrastructure Dynamics
Intelligence Software Solutions Services Microsystems Devices Instruments Digital Realty Financial Trust Authority
Products Research Energy Power Electronics Telecom Communications Platforms Enterprises Brands Global""".split())
#: Words that describe a company and open a sentence capitalised ("Chipmaker Ampere Computing agreed …"): the name
#: starts after them.
DESCRIPTOR_OPENERS: frozenset[str] = frozenset("""Chipmaker Chipmakers Startup Start-up Neocloud Hyperscaler Lender
Investor Rival Conglomerate Miner Designer Developer Operator Provider Supplier Maker Manufacturer Automaker Carmaker
Drugmaker Robotics Robotaxi Insurer Broker Retailer Unicorn Subsidiary Landlord Fintech Telco Partner Partners Buyer
Seller Acquirer Target""".split())
# A product or model by its shape: "GPT-5", "Llama-3.1", "H100", "GB200", "MI300X".
_PRODUCT_SHAPE = re.compile(r"[A-Za-z]+-\d+(?:\.\d+)?[a-z]?|[A-Z]{1,3}\d{3,4}[A-Z]{0,2}")
# Lower-case words inside a name ("Bank of America", "Department of Energy") that say nothing about what it is.
_JOINERS = frozenset({"of", "and", "the", "for", "de", "du", "la", "&"})
# Words that make a company name only next to a distinctive one ("Mistral AI", "Lambda Labs"); alone
# ("Cloud AI", "Data Capital") they name a business line or a product, not a company.
_GENERIC = frozenset("""AI Cloud Data Compute Digital Tech Technology Technologies Lab Labs Capital Partners Systems
Infrastructure Energy Power Network Networks Services Solutions Global International Fund Funds Ventures Bank Banks
Investment Investments Financial Finance Asset Assets Management Platform Platforms Research Intelligence Artificial
Machine Learning Model Models Chip Chips Semiconductor Semiconductors Center Centre Centers Centres""".split())
# Words only a firm's name ends with: after a place word they make a name ("Menlo Ventures"), unlike "Cloud" or "AI".
_FIRM_WORDS = frozenset("Ventures Capital Partners Labs Dynamics Instruments Holdings Investments Securities".split())
# Public bodies that approve or fund deals but are not companies in them (regulators, ministries, courts).
# ("Public Sector Pension Investment Board" is a pension fund, so a plain "Board" is not enough.)
_PUBLIC_BODY = re.compile(r"(?:(?:Review|Revenue|Tax|Regulatory|Competition|Trade|Securities|Supervisory|Planning) Board|"
                          r"Commission|"
                          r"Committee|Ministry|Court|Parliament|Tribunal|Regulator|Senate|Congress|Government)$")

# Common given names: a capitalised pair that opens with one is a person ("Elon Musk", "Brad Smith").
_FIRST_NAMES = frozenset("""Elon Sam Satya Sundar Jensen Lisa Mark Masayoshi Brad Mira Dario Daniela Mustafa Noam Andy
Larry Sergey Jeff Tim Bill Steve Greg Ilya Pat Safra Kevin Sarah Amy Ruth Jane John James Michael David Robert William
Richard Thomas Charles Daniel Matthew Anthony Paul Andrew Joshua Kenneth George Peter Ben Hock Pavel Karen Karén Arthur
Alex Alexandr Emad Aidan Arvind Jay Colette Marc Reid Vinod Josh Chris Christopher Ryan Brian Eric Scott Frank Gary
Joe Jonathan Justin Mike Nick Patrick Stephen Tom Tony Vlad Olivier Mario Naveen Rene Rishi Keir Emmanuel Donald Joe
Kamala Howard Jamie Jane Sheikh Tahnoon Mohammed Mohamed Khaldoon Peng Xiao Son Jensen Ken Yann Demis Shane Leopold
Sebastian Sebastien Ali Sundar Kate Mary Anna Maria Laura Susan Sandra Nadella Huang Altman Musk Zuckerberg Bezos
Jassy Pichai Suleyman Simonyan Shazeer Murati Amodei Krishna Ellison Catz Masa""".split())
_TITLE_BEFORE = re.compile(r"(?:\b(?:CEO|CFO|CTO|COO|chief executive|chief financial officer|president|chairman|founder|"
                           r"co-founder|analyst|director|head|spokesperson|spokesman|spokeswoman|minister|secretary|"
                           r"billionaire|Mr\.?|Ms\.?|Dr\.?)\s*,?\s*)$", re.I)


def is_never_party(name: str) -> bool:
    """Whether every word of a capitalised run is a month, outlet, place, nationality or other non-company word.

    Also a name made only of generic company words ("Cloud AI") and a public body ("Foreign Investment Review
    Board"): neither is a company that pays or is paid in a deal.

    >>> is_never_party("Abu Dhabi"), is_never_party("South Korean"), is_never_party("Mistral AI")
    (True, True, False)
    >>> is_never_party("Cloud AI"), is_never_party("Foreign Investment Review Board"), is_never_party("Lambda Labs")
    (True, True, False)
    """
    if _PRODUCT_SHAPE.fullmatch(name.strip()) or _CODE_AND_FIGURE.fullmatch(name.strip()):
        return True
    words = [w.strip(".,'’") for w in re.split(r"[\s-]+", name) if w.strip(".,'’")]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    words = [w for w in words if w not in _JOINERS] if any(w not in _JOINERS for w in words) else words
    if words and _PUBLIC_BODY.search(" ".join(words[-2:])):
        return True
    if re.search(r"(?<!Reserve )(?<!Central )\bBank of [A-Z]", name):
        return False  # "Bank of America" is a bank, though each of its words alone is not a name
    if len(words) == 2 and re.fullmatch(r"[B-HJ-Z]|\d{2,4}", words[0]) and words[1] in ORG_WORDS:
        return False  # "B Capital", "H Company", "1789 Capital": a letter or a number and a company word
    if len(words) == 2 and words[1] in ORG_WORDS and words[0] not in _GENERIC and words[0] not in _PLACE_WORDS and \
            words[0] not in _MONTHS and words[0] not in _OTHER and not _PRODUCT_SHAPE.fullmatch(words[0]):
        return False  # "Summit Partners", "Forum Ventures": an ordinary word made a name by a company word
    if len(words) == 2 and words[0] in _PLACE_WORDS and words[1] in _FIRM_WORDS:
        return False  # "Menlo Ventures", "Gulf Capital": a place made a firm's name by a word only firms use
    generic = len(words) <= 2  # "Global Infrastructure Partners" is a fund's name; "Cloud AI" is a product line
    return bool(words) and all(w in NEVER_PARTIES or (generic and w in _GENERIC) or w.isdigit() or len(w) == 1
                               for w in words)


# What follows a place's name: ", Texas", ", Tasmania", ", a suburb of …", ", the state capital".
_PLACE_AFTER = re.compile(r",\s+(?:(?P<place>[A-Z][\w.'’-]{1,30}(?:\s+[A-Z][\w.'’-]{1,30}){0,2})(?![\w&-])|(?:a|an|the)\s+"
                          r"(?:[\w-]{1,20}\s+){0,2}?(?:suburb|city|town|village|county|state|province|region|district|"
                          r"neighbou?rhood|municipality|island|port|capital|township|prefecture)\b)")
# Where a site stands: "an AI hub in X", "its campus near X", "data centres in X" (a facility noun right before).
_SITE_IN = re.compile(r"\b(?:hub|campus|campuses|site|sites|facility|facilities|plant|plants|cent(?:er|re)s?|cluster|park|"
                      r"complex|factory|factories|headquarters|offices?|city|town|village|suburb|state|county|region|"
                      r"province|building|buildings|project)\s+(?:in|at|near|outside)\s+$|\b(?:city|town|village|state|"
                      r"county|region|province)\s+of\s+$", re.I)
# "X in the state of Y", "X, in northern Y": X is a place inside a larger one.
_IN_REGION = re.compile(r",?\s+in\s+the\s+(?:state|province|region|county|prefecture|district|emirate)\s+of\b")
# The last word of a place's name ("Milam County", "Saline Township").
_PLACE_HEADS = frozenset("County Township Parish Prefecture Borough Municipality Oblast Emirate Governorate".split())


def is_place(name: str, after: str = "", before: str = "") -> bool:
    """Whether a capitalised name is a place: its words are place words, its last word is a county's or township's,
    what follows it is a place (", Tasmania") or calls it one (", a suburb of Dallas"), or it is where a site stands
    ("a hub in Visakhapatnam", "the campus near Abilene").

    >>> is_place("Milam County"), is_place("Launceston", ", Tasmania, in"), is_place("Red Oak", ", a suburb outside")
    (True, True, True)
    >>> is_place("Vizag", before="to build an AI hub in "), is_place("Vizag", " in the state of Andhra Pradesh")
    (True, True)
    >>> is_place("Lancium", ", a startup,"), is_place("Nscale", ", Microsoft and Nvidia"), is_place("Nscale", before="in ")
    (False, False, False)
    """
    words = name.split()
    if not words:
        return False
    if words[-1] in _PLACE_HEADS or all(w in _PLACE_WORDS for w in words) or _SITE_IN.search(before) or \
            _IN_REGION.match(after):
        return True
    m = _PLACE_AFTER.match(after)
    if m is None:
        return False
    place = m.group("place")
    return place is None or all(w.strip(".,") in _PLACE_WORDS for w in place.split())


def has_org_evidence(name: str) -> bool:
    """Whether a name's own shape says it is a company: a company word ("Greenoaks Capital", "Inflection AI"), a
    web suffix ("Etched.ai"), capitals inside a word ("SambaNova", "xAI"), digits with letters ("01.AI", "G42").

    >>> has_org_evidence("Greenoaks Capital"), has_org_evidence("SambaNova"), has_org_evidence("Oklahoma")
    (True, True, False)
    """
    words = name.split()
    if any(w.strip(".,") in ORG_WORDS for w in words[1:]) or re.search(r"\.(?:ai|AI|io)$", name):
        return True
    return any(re.search(r"[a-z][A-Z]|^[a-z]{1,3}-?[A-Z]|\d.*[A-Za-z]|[A-Za-z].*\d", w) for w in words)


#: What follows a person's name: ", founder of", ", chief executive of", ", an analyst at", " said".
PERSON_AFTER = re.compile(r"\s*,\s+(?:(?:the|a|an|its|their|his|her)\s+|[A-Z][\w&.-]*(?:'s|’s)\s+)?(?:[\w-]+\s+){0,2}?"
                          r"(?:(?:co-)?founder|chief|CEO|CFO|CTO|COO|president|chairman|chairwoman|chair|head|"
                          r"director|analyst|partner|managing|executive|vice|spokes(?:man|woman|person)|professor|"
                          r"minister|secretary|investor who|engineer|researcher|scientist|economist)s?\b")


def looks_like_person(name: str, before: str = "", after: str = "") -> bool:
    """A person's name: it follows a title ("CEO Jensen Huang"), opens with a common given name, is written with
    initials ("J.J. Kardwell"), or is followed by a person's role (", founder of Quillwave,").

    >>> looks_like_person("Elon Musk"), looks_like_person("Pavel Durov", "Telegram CEO "), looks_like_person("Lambda")
    (True, True, False)
    >>> looks_like_person("Priya Ramaswamy"), looks_like_person("Brendan Tarnow"), looks_like_person("Jordan Capital")
    (True, True, False)
    >>> looks_like_person("Ada Quill", after=", co-founder of the startup,")
    True
    """
    words = name.split()
    if not words:
        return False
    if words[0] in _FIRST_NAMES or (len(words) == 1 and words[0] in _FIRST_NAMES):
        return True
    if 2 <= len(words) <= 3 and not has_org_evidence(name) and (
            words[0] in GIVEN_NAMES or re.fullmatch(r"(?:[A-Z]\.){1,2}", words[0])):
        return True
    if len(words) <= 3 and not has_org_evidence(name) and PERSON_AFTER.match(after):
        return True
    return bool(_TITLE_BEFORE.search(before)) and len(words) <= 3


_KIND_WORDS = (
    ("data_center", re.compile(r"\b(?:Data Cent(?:er|re)s?|Digital|Realty|Mining|Miners?|Power|Energy|Campus|Hut)\b")),
    ("neocloud", re.compile(r"\b(?:Cloud|Compute|GPU|Hyperscale)\b")),
    ("chipmaker", re.compile(r"\b(?:Semiconductors?|Micro|Chips?|Silicon|Devices)\b")),
)


def guess_kind(name: str) -> str | None:
    """An entity kind guessed from a new company's name, for who sells in a deal (``None`` when nothing fits).

    >>> guess_kind("Applied Digital"), guess_kind("Aligned Data Centers"), guess_kind("Thinking Machines Lab")
    ('data_center', 'data_center', None)
    """
    for kind, pattern in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return None


#: Descriptions news uses instead of a name → entity id (applied only when the id exists).
DESCRIPTORS: dict[str, str] = {
    "the ChatGPT maker": "openai", "the ChatGPT-maker": "openai", "the ChatGPT developer": "openai",
    "the maker of ChatGPT": "openai", "ChatGPT maker": "openai", "ChatGPT-maker": "openai", "the Sam Altman-led": "openai",
    "the Claude maker": "anthropic", "the Claude developer": "anthropic", "the maker of Claude": "anthropic",
    "Claude maker": "anthropic", "the Redmond-based tech giant": "microsoft", "the Redmond-based": "microsoft",
    "the Windows maker": "microsoft", "the iPhone maker": "apple", "the Google parent": "google",
    "Google parent": "google", "Google's parent": "google", "the Facebook parent": "meta", "Facebook parent": "meta",
    "the Facebook owner": "meta", "the Instagram owner": "meta", "the search giant": "google",
    "the e-commerce giant": "amazon", "the online retailer": "amazon", "the Seattle-based": "amazon",
    "the GPU maker": "nvidia", "the GPU giant": "nvidia", "the AI chip giant": "nvidia", "the Santa Clara-based": "nvidia",
    "the Grok maker": "xai", "the Grok developer": "xai", "the Japanese conglomerate": "softbank",
    "the Japanese investment giant": "softbank", "the database giant": "oracle", "the Austin-based": "oracle",
}
