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

__all__ = ["DESCRIPTORS", "NEVER_PARTIES", "guess_kind", "is_never_party", "looks_like_person"]

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
Shekels""".split()

NEVER_PARTIES: frozenset[str] = frozenset(_MONTHS + _OUTLETS + _PLACES + _OTHER + _CURRENCIES)
# Words that make a company name only next to a distinctive one ("Mistral AI", "Lambda Labs"); alone
# ("Cloud AI", "Data Capital") they name a business line or a product, not a company.
_GENERIC = frozenset("""AI Cloud Data Compute Digital Tech Technology Technologies Lab Labs Capital Partners Systems
Infrastructure Energy Power Network Networks Services Solutions Global International Fund Funds Ventures Bank Banks
Investment Investments Financial Finance Asset Assets Management Platform Platforms Research Intelligence Artificial
Machine Learning Model Models Chip Chips Semiconductor Semiconductors Center Centre Centers Centres""".split())
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
    words = [w.strip(".,'’") for w in re.split(r"[\s-]+", name) if w.strip(".,'’")]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    if words and _PUBLIC_BODY.search(" ".join(words[-2:])):
        return True
    generic = len(words) <= 2  # "Global Infrastructure Partners" is a fund's name; "Cloud AI" is a product line
    return bool(words) and all(w in NEVER_PARTIES or (generic and w in _GENERIC) or w.isdigit() or len(w) == 1
                               for w in words)


def looks_like_person(name: str, before: str = "") -> bool:
    """A person's name: it follows a title ("CEO Jensen Huang") or opens with a common given name.

    >>> looks_like_person("Elon Musk"), looks_like_person("Pavel Durov", "Telegram CEO "), looks_like_person("Lambda")
    (True, True, False)
    """
    words = name.split()
    if not words:
        return False
    if words[0] in _FIRST_NAMES or (len(words) == 1 and words[0] in _FIRST_NAMES):
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
