"""Money phrases in news text: ``"up to $5 billion"`` → 5000000000 USD, qualifier ``up_to``.

A :class:`Money` is one figure found in a sentence, with its character span, the
currency, the qualifier its own words give it (``up to`` → ``up_to``; ``about``,
``roughly``, ``at least`` → ``estimate``) and, for a range, its low and high ends.
Whether a figure is a *deal* amount or a valuation, revenue or price is decided by the
caller from the words around it (:func:`context_role`); this module only reads numbers.

Conventions: ``billion`` is 10⁹; ``bn``/``b`` and ``m``/``mn`` are read as billion and
million; a bare figure without a scale word below one million is a price (``$23.28 a
share``), never a deal amount; per-period figures (``a year``, ``per month``) keep the
stated figure and name the period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dealweb.model.vocab import Qualifier

__all__ = ["Money", "context_role", "converts", "deal_revenue", "find_money", "has_vague_billions", "horizon_years",
           "sentence_qualifier", "takeover_price"]

_SCALE = {"lakh crore": Decimal(10) ** 12, "crore": Decimal(10) ** 7,
          "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
          "b": Decimal(10) ** 9, "bil": Decimal(10) ** 9, "bln": Decimal(10) ** 9, "million": Decimal(10) ** 6,
          "mil": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6,
          "thousand": Decimal(10) ** 3}
_SYMBOL = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
           "a$": "AUD", "au$": "AUD", "aud": "AUD", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "s$": "SGD", "sgd": "SGD",
           "hk$": "HKD", "₹": "INR", "rs.": "INR", "rs": "INR", "inr": "INR", "₩": "KRW", "krw": "KRW", "jpy": "JPY",
           "chf": "CHF", "cny": "CNY", "rmb": "CNY", "rm": "MYR", "myr": "MYR", "nt$": "TWD", "twd": "TWD",
           "sar": "SAR", "aed": "AED", "r$": "BRL", "brl": "BRL", "sek": "SEK", "nok": "NOK"}
_WORD_CURRENCY = {"riyals": "SAR", "dirhams": "AED", "ringgit": "MYR", "reais": "BRL",
                  "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "pound": "GBP",
                  "yen": "JPY",
                  "won": "KRW", "korean won": "KRW", "yuan": "CNY", "rupees": "INR", "crore": "INR",
                  "australian dollars": "AUD", "swiss francs": "CHF"}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "bil"/"mil" and "bln"/"mln" are how some outlets shorten billion and million ("US$25bil", "RM3bil").
_SCALE_RE = r"trillion|billion|million|thousand|tn|bn|bln|bil|mn|mln|mil|b|m"
_SYM = (r"US\$|A\$|AU\$|C\$|CA\$|S\$|HK\$|NT\$|R\$|\$|€|£|¥|₹|₩|Rs\.?(?=\s?\d)|(?-i:RM)(?=\d)|"
        r"(?:USD|EUR|GBP|AUD|CAD|SGD|INR|KRW|JPY|CHF|CNY|RMB|MYR|TWD|SAR|AED|BRL|SEK|NOK)(?=\s?\d)\s?")
# The singular is the compound adjective: "the 17-billion-dollar pact", "a 2-billion-euro loan".
_WORDS = (r"(?:korean |south korean )?won|yuan|rupees|australian dollars|swiss francs|dollars?|euros?|pounds?|yen|riyals|"
          r"dirhams|ringgit|reais")
# A figure spelled out before its scale and currency word: "two billion dollars", "a three-billion-euro loan".
_SPELLED = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
# "$5 billion", "$5bn", "US$1.5 billion", "€1.3 billion", "$40-$50 billion", "$3 to $4 billion", "$1.25-billion",
# "5 billion dollars", "£500m", "22.8 trillion-won", "₹18,000 crore".
_MONEY = re.compile(
    rf"(?P<sym>{_SYM})\s?(?P<num>{_NUM})(?:[\s-]?(?P<scale1>{_SCALE_RE})\b)?"
    rf"(?:\s?(?:-|–|to)\s?(?:{_SYM})?\s?(?P<num2>{_NUM}))?(?:[\s-]?(?P<scale>{_SCALE_RE}|crore|lakh crore)\b)?"
    rf"|(?<![\w.])(?P<wnum>{_NUM}|(?<!-)(?:{_SPELLED}))[\s-](?P<wscale>trillion|billion|million|crore|lakh crore)[\s-]"
    rf"(?:(?P<word>{_WORDS})|(?:rupees? )?(?P<crore>)(?<=crore[\s-])|(?P<won>)(?<=trillion[\s-])(?=won\b))\b",
    re.IGNORECASE,
)
_UP_TO = re.compile(r"(?:up to|as much as|as many as|capped at|a maximum of|no more than|a ceiling of|at most|"
                    r"(?:could|may|might|would|can)\s+(?:eventually\s+|ultimately\s+)?(?:reach|rise to|grow to|climb to|"
                    r"expand to|increase to))\s*$", re.I)
_ESTIMATE = re.compile(
    r"(?:about|around|roughly|approximately|nearly|almost|some|an estimated|estimated|close to|more than|over|"
    r"at least|upwards of|reportedly|~|just under|just over|north of|in excess of|in the region of|"
    r"(?:a|an|the)\s+(?:reported|rumou?red|reputed|estimated))\s*$", re.I)
_PERIOD = re.compile(r"^\s*(?:,\s*)?(?:(?:a|per|each|every)\s+(year|month|quarter)\b|(annually|yearly|per annum)\b|"
                     r"(monthly)\b|(quarterly)\b)", re.I)
_PERIOD_WORD = {"annually": "year", "yearly": "year", "per annum": "year", "monthly": "month", "quarterly": "quarter"}
# "between $17.4 billion and $19.4 billion": one figure, a range.
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)
_PRICE_AFTER = re.compile(r"^\s*(?:a|per|each)\s+share\b|^\s*each\b|^\s*apiece\b", re.I)
_VAGUE = re.compile(r"\bmulti-?billion(?:-dollar)?\b|\bbillions of dollars\b|\bbillions\b|\btens of billions\b|"
                    r"\bhundreds of (?:millions|billions)\b|\bterms (?:were|was) not disclosed\b|\bundisclosed\b|"
                    r"\bdid not disclose\b|\bnot disclosed\b", re.I)
_HEARSAY = re.compile(r"\b(?:the )?(?:Financial Times|FT|Bloomberg|Reuters|Wall Street Journal|WSJ|The Information|"
                      r"CNBC|Semafor|analysts?) (?:valued|put|estimated|reported|said)\b|\breportedly\b|"
                      r"\baccording to (?:people|sources|a (?:\w+ )?report|reports|the \w+)|"
                      r"\b(?:people|persons|sources|insiders) (?:familiar|close|briefed|with knowledge|knowledgeable)|"
                      r"\b(?:sources|insiders)\s+(?:[\w-]+\s+){0,3}?(?:said|say|says|told|tell|revealed|reveal|indicated|"
                      r"suggested|claimed)\b|\bcit(?:ing|ed)\s+(?:unnamed\s+|anonymous\s+)?(?:sources|people|insiders)\b|"
                      r"\b(?:is|are|was|were) (?:said|believed|reported|understood|thought) to\b|\brumou?red\b|"
                      r"\bunconfirmed\b|\b(?:media|press) reports?\b|\breports?\s+(?:emerged|surfaced|suggest\w*|indicat\w*)\b|"
                      r"['’]s\s+claim\b|\bclaim(?:s|ed)?\s+that\b|"
                      r"\b(?:is|are) expected to\b|\bin talks\b|\bestimated\b", re.I)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
_SPELLED_VALUE = {**_NUMBER_WORDS, "forty": 40, "fifty": 50}
_HORIZON = re.compile(
    r"\b(?:over|for|across|during|spanning|lasting)\s+(?:the\s+next\s+|roughly\s+|about\s+|some\s+)?"
    r"(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+years?\b|"
    r"\b(?P<n2>\d+|" + "|".join(_NUMBER_WORDS) + r")-year\b", re.I)

# Words before a figure that make it something other than a deal amount, and what it is then.
_ROLE_BEFORE: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "valued at about $5 billion", "at a valuation exceeding $2.5 billion", "value it at below the $5 billion"
    ("valuation", re.compile(r"(?:valu(?:ed|ing|es|ation)\b[^$€£.;]{0,40}(?:at|of|to)|valuation (?:of|to)|worth|"
                             r"\bvalue\s+(?:the|it|its|them|(?-i:[A-Z]))[^$€£.;]{0,50}\bat|valuations?)\s*"
                             r"(?:(?:about|around|roughly|nearly|almost|approximately|more than|over|some|an estimated|"
                             r"at least|above|exceeding|topping|beyond|in excess of|north of|upwards of|near|close to|"
                             r"just over|just under|below|under|less than)\s+)?(?:the\s+)?$", re.I)),
    ("previous", re.compile(r"(?:(?:up|down|rising|jumping|climbing|jump|rise|increase|step up) from|compared with|"
                            r"compared to|versus|vs\.?|against)\s+(?:its\s+|their\s+|a\s+|an\s+|the\s+)?"
                            r"(?:[\w'’-]+\s+){0,2}?(?:estimates? of\s+)?(?:about\s+|around\s+|roughly\s+)?$|"
                            r"\b(?:original|previous|prior|earlier|old)\s+$", re.I)),
    ("revenue", re.compile(r"\b(?:revenue(?![- ]shar)|sales|run[- ]rate|annuali[sz]ed|income|profit|loss|earnings)"
                           r"[^$€£.;]{0,30}$", re.I)),
    ("backlog", re.compile(r"\b(?:backlog|remaining performance obligations|rpo)\b[^$€£.;]{0,30}$", re.I)),
    ("market", re.compile(r"(?:market (?:value|cap|capitali[sz]ation)|shares? (?:price|traded))[^$€£.;]{0,40}$", re.I)),
    ("buyback", re.compile(r"(?:buyback|repurchase|dividend)[^$€£.;]{0,30}$", re.I)),
    ("capex", re.compile(r"(?:capital (?:spending|expenditure)|capex)[^$€£.;]{0,40}$", re.I)),
    # What investors offered, not what was raised: "investor orders peaked at nearly $88 billion for the … sale".
    ("demand", re.compile(r"\b(?:investor\s+(?:orders|demand|bids)|demand|bids|order ?books?|oversubscri\w+)\b"
                          r"[^$€£.;]{0,30}$", re.I)),
    ("total", re.compile(r"(?:\btotal (?:of|to)|bringing (?:its|their|the) [\w ]{0,30}to|\btotall?ing|"
                         r"\bin total\b|\bcumulative|\b(?:a |an |the )?combined)[^$€£.;]{0,15}$", re.I)),
    ("sale", re.compile(r"\bsold (?:its|their|all|an?|the|part)\b(?:(?!\bto\b)[^$€£.;]){0,50}\bfor\s*"
                        r"(?:about|around|roughly)?\s*$", re.I)),
)
_ROLE_AFTER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("valuation", re.compile(r"^\s*(?:post-money |pre-money |implied )?valuation\b", re.I)),
    ("revenue", re.compile(r"^\s*(?:in |of )?(?:(?!(?:in|into|of|for|from|with|at|to|by|on|and|or|as|the|a|an|its|their)\b)"
                           r"[\w-]+\s+){0,2}?(?:revenue|sales)\b(?![- ]shar)", re.I)),
    ("backlog", re.compile(r"^\s*(?:(?:order|contract)[- ]?(?:book|backlog)|backlog|pipeline)\b", re.I)),
    ("buyback", re.compile(r"^\s*(?:share )?(?:buyback|repurchase)\b", re.I)),
    ("market", re.compile(r"^\s*(?:(?:in|of|to|from)\s+(?:[\w'’-]+\s+){0,3}?)?market (?:value|cap)", re.I)),
    # ("$700 billion in AI data center capex": up to three words before the word)
    ("capex", re.compile(r"^\s*(?:in|of|on)\s+(?:[\w-]+\s+){0,3}?(?:(?:capital|infrastructure|data[- ]cent(?:er|re)|AI)\s+"
                         r"(?:expenditures?|spending|outlays)|capex|capital\s+expenditures?)\b", re.I)),
    # "the $4 billion startup": the company's value, not money paid.
    ("valuation", re.compile(r"^\s*(?:(?!(?:in|into|of|for|from|with|at|to|by|on|and|or|as|the|a|an|its|their)\b)"
                             r"[\w-]+\s+){0,2}?(?:startup|start-up|company|firm|unicorn)\b", re.I)),
    ("pay", re.compile(r"^\s*(?:pay|compensation|salary|bonus) (?:package|deal|award)", re.I)),
    ("total", re.compile(r"^\s*in total\b", re.I)),
    # "$3 million each" is a unit price; "$2 billion each in A and B" gives each company named after it that figure.
    ("price", re.compile(r"^\s*(?:a|per|each) share\b|^\s*each\b(?!\s+(?:in|into|to|for|from)\s)", re.I)),
    # A rate, not a deal: "$8-10 million per MW", "$2.25 million for each executed lease", "$2 an hour per GPU".
    ("price", re.compile(r"^\s*(?:(?:a|per|each|for each|for every)\s+(?:[\w-]+\s+){0,2}?(?:MW|megawatts?|GW|gigawatts?|"
                         r"GPUs?|chips?|units?|hours?|kWh|MWh|lease|server|rack|employee|user)\b)", re.I)),
)


@dataclass(frozen=True, slots=True)
class Money:
    """One money figure in a text.

    Attributes
    ----------
    start, end
        Character offsets of the figure (with its qualifier words) in the text searched.
    amount
        The figure in its own currency (the high end of a range).
    currency
        ISO code: ``USD``, ``EUR``, ``GBP``, ``JPY``.
    qualifier
        ``up_to``, ``estimate`` or ``exact`` from the words in front of the figure.
    low, high
        The ends of a range (``$40-50 billion``), else ``None``.
    period
        ``"year"``, ``"month"`` or ``"quarter"`` for a per-period figure, else ``""``.
    """

    start: int
    end: int
    amount: Decimal
    currency: str
    qualifier: Qualifier
    low: Decimal | None = None
    high: Decimal | None = None
    period: str = ""

    @property
    def is_price(self) -> bool:
        """A figure below one million with no scale word reads as a price, not a deal."""
        return self.amount < 1_000_000


def _number(text: str) -> Decimal | None:
    if text.lower() in _SPELLED_VALUE:
        return Decimal(_SPELLED_VALUE[text.lower()])
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def find_money(text: str) -> list[Money]:
    """Every money figure in ``text``, in order.

    Examples
    --------
    >>> [(str(m.amount), m.currency, m.qualifier.value) for m in find_money("Microsoft will invest up to $5 billion")]
    [('5000000000', 'USD', 'up_to')]
    >>> m = find_money("about €1.3bn and a $40-50 billion range")
    >>> [(str(x.amount), x.currency, x.qualifier.value) for x in m]
    [('1300000000', 'EUR', 'estimate'), ('50000000000', 'USD', 'estimate')]
    >>> str(m[1].low), m[1].high == m[1].amount
    ('40000000000', True)
    >>> find_money("$500 million a year")[0].period
    'year'
    """
    out: list[Money] = []
    for m in _MONEY.finditer(text):
        if m.group("wnum"):
            num, num2, scale_word = m.group("wnum"), None, m.group("wscale")
            word = (m.group("word") or "").lower()
            currency = _WORD_CURRENCY.get(word, _WORD_CURRENCY.get(word.split()[-1] if word else "", "INR"))
        else:
            num, num2 = m.group("num"), m.group("num2")
            scale_word = m.group("scale") or m.group("scale1")
            currency = _SYMBOL.get(m.group("sym").strip().lower(), "USD")
            if (m.group("scale") or "").lower().endswith("crore"):
                currency = "INR"
        first = _number(num)
        if first is None:
            continue
        scale = _SCALE[scale_word.lower()] if scale_word else Decimal(1)
        first_scale = _SCALE[m.group("scale1").lower()] if m.groupdict().get("scale1") else scale
        amount = first * first_scale
        low = high = None
        qualifier = Qualifier.EXACT
        if num2:
            second = _number(num2)
            if second is not None:
                low, high = _tidy(first * first_scale), _tidy(second * scale)
                amount, qualifier = high, Qualifier.ESTIMATE
        before = text[max(0, m.start() - 40):m.start()]
        start = m.start()
        for pattern, qual in ((_UP_TO, Qualifier.UP_TO), (_ESTIMATE, Qualifier.ESTIMATE)):
            hit = pattern.search(before)
            if hit:
                qualifier, start = qual, m.start() - (len(before) - hit.start())
                break
        period_hit = _PERIOD.match(text[m.end():m.end() + 20])
        period = ""
        if period_hit:
            word = next(g for g in period_hit.groups() if g).lower()
            period = _PERIOD_WORD.get(word, word)
        out.append(Money(start, m.end(), _tidy(amount), currency, qualifier, low, high, period))
    return _between(text, out)


def _between(text: str, found: list[Money]) -> list[Money]:
    """"between $17.4 billion and $19.4 billion" is one figure: a range, read as an estimate at its top."""
    out: list[Money] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and prev.low is None and prev.currency == m.currency and \
                re.fullmatch(r"\s+and\s+", text[prev.end:m.start]) and _BETWEEN.search(text[max(0, prev.start - 12):prev.start]):
            out[-1] = Money(prev.start, m.end, m.amount, m.currency, Qualifier.ESTIMATE, prev.amount, m.amount,
                            m.period or prev.period)
            continue
        out.append(m)
    return out


def _tidy(value: Decimal) -> Decimal:
    """Whole numbers without exponent or trailing zeros (5E+9 → 5000000000)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def context_role(text: str, money: Money) -> str:
    """What a figure is, from the words around it: ``"deal"`` or a non-deal role.

    Non-deal roles: ``valuation``, ``previous`` ("up from $183 billion"), ``revenue``,
    ``backlog``, ``market``, ``buyback``, ``capex``, ``demand`` (investor orders), ``total``, ``sale``, ``price``,
    ``component`` (a part of a
    figure told already) and ``option`` (what options or renewals would add: "with renewal options, … $12 billion").

    >>> s = "Nvidia reported revenue of $81.6 billion and an $80 billion share buyback."
    >>> [context_role(s, m) for m in find_money(s)]
    ['revenue', 'buyback']
    >>> s = "a deal worth $5.5 billion"
    >>> context_role(s, find_money(s)[0])
    'deal'
    """
    if money.is_price:
        return "price"
    converted = _converted_from(text, money)
    if converted is not None:
        return context_role(text, converted)  # "$70 billion (€65 billion) of its shares": the same figure, the same role
    before = text[max(0, money.start - 60):money.start]
    after = text[money.end:money.end + 40]
    if re.search(r"\b(?:string|series|number|raft|flurry|spate|wave|slew|run|host|handful|dozens?)\s+of\s+(?:[\w-]+\s+){0,3}?"
                 r"(?:deals|contracts|agreements|commitments|investments|orders|transactions|pacts)\b[^$€£.;]{0,40}$",
                 before, re.I):
        return "total"  # "the latest in a string of deals worth more than $1 trillion": many deals added up
    if re.search(r"\b(?:deal|contract|agreement|order|commitment|transaction|loan|lease|package|investment|round|"
                 r"partnership|purchase|acquisition|takeover|pact|arrangement|tie-up)s?\b(?:[^$€£.;,]{0,60}"
                 r"(?:,[^$€£.;,]{0,50},\s*(?=(?:is|was|are|were|will|would|could|may|might|has)\b)[^$€£.;,]{0,25})?|"
                 r"(?:\s+(?:(?:with|between|from|to|for|by|in|of|among|and)\s+(?-i:[A-Z])[\w.&'’-]*"
                 r"(?:\s+(?-i:[A-Z])[\w.&'’-]*)?|(?-i:[a-z0-9])[\w'’-]*)){0,8},\s*)"
                 r"\b(?:worth|valued at|totall?ing)\s*"
                 r"(?:about|around|roughly|nearly|more than|over|some|up to|as much as)?\s*$|"
                 r"\b(?:chips?|gpus?|tpus?|servers?|systems|hardware|processors|accelerators|"
                 r"capacity|compute|semiconductors)\b[^$€£.;,]{0,60}(?:,\s*)?\b(?:worth|valued at)\s*$", before, re.I):
        return "deal"  # an aside only before the verb ("the agreement, announced in May, is worth") and a comma only
        # after the deal's own phrase ("an agreement with X, valued at"): "the deal, under which X, valued at …" and
        # "the agreement gives X, valued at …" give X's value
    if re.search(r"\b(?:deals?|contracts?|agreements?|orders?|commitments?|investments?|purchases?|loans?|backstops?|"
                 r"guarantees?|facility|facilities|payments?|leases?)\s+(?:totall?ing|of)\s+(?:about|around|roughly|"
                 r"nearly|more than|over|some|up to|as much as)?\s*$", before, re.I):
        return "deal"  # "placed orders totaling $21 billion", "a backstop totaling $1.3 billion"
    if re.search(r"(?:^|[;:]\s*)(?:The|This|That|Its|Their)\s+(?:[\w-]+\s+){0,3}?(?:deal|contract|agreement|order|lease|loan|"
                 r"investment|commitment|package|transaction|purchase|acquisition)s?\b[^$€£;]{0,110}\b(?:is|was|are|were|"
                 r"will be|would be|could be)\s+(?:worth|valued at)\s*$", text[max(0, money.start - 170):money.start]):
        return "deal"  # "The contract, which either side can exit on 90 days' notice, is worth up to $45 billion"
    if re.search(r"\b(?:for|at|in exchange for|worth|valued at)\s+(?:a|an)\s+(?:total|combined|aggregate)\s+"
                 r"(?:price\s+|cost\s+|consideration\s+|value\s+)?of\s+(?:about|around|roughly|nearly|more than|over|some|"
                 r"up to)?\s*$", before, re.I):
        return "deal"  # "agreed to buy AirTrunk for a total of A$24 billion": the price of this one deal
    if re.search(r"\b(?:invest(?:s|ed|ing)?|commit(?:s|ted|ting)?|pay(?:s|ing)?|paid|spend(?:s|ing)?|spent|lend(?:s|ing)?|"
                 r"lent|put(?:s|ting)?|pour(?:s|ed|ing)?|inject(?:s|ed|ing)?|provid(?:e|es|ed|ing))\s+a\s+total\s+of\s+"
                 r"(?:about|around|roughly|nearly|more than|over|some|up to)?\s*$", before, re.I):
        return "deal"  # "will invest a total of $3 billion in Mistral AI": one pair's deal, told whole (several payers
        # with one figure stay an aggregate, see clauses); "has raised a total of" stays a total of several rounds
    if money.start < 90 and _UMBRELLA.match(text, 0, money.start) and (close := text.find(",", money.end)) != -1 and \
            close - money.end < 80 and any(m.start > close and not m.is_price for m in find_money(text[:2000])):
        return "total"  # "As part of a $3.5 billion partnership, X will invest $1.2 billion in Y": the whole, not X's part
    if _OPTION_BEFORE.search(_tail(before)) or _OPTION_AFTER.match(after):
        return "option"  # "with renewal options, the lease could reach $12 billion": what options would add, not the base
    if re.search(r"\b(?:in addition to|besides|on top of|apart from)\s+(?:the|its|their|this|that)?\s*$", before, re.I):
        return "component"  # "in addition to the $300 million payment, X will also earn …": a figure told already
        # ("on top of a $200 billion commitment to Y": an indefinite article brings in a deal not told before)
    if re.search(r"\binclud(?:es|ing|ed)\s+(?:an?\s+)?(?:additional\s+)?$", before, re.I):
        return "component"  # "the deal includes a $620 million payment for …": part of a figure already given
    if re.search(r"(?:^|[;,]\s*|\b)(?:it|deal|contract|agreement|order|lease|loan|investment|commitment)\s+"
                 r"(?:is|was|will be|would be|could be)\s+(?:worth|valued at)\s*$", before, re.I):
        return "deal"  # "…; it is worth $10 billion"
    if re.search(r"\b(?:tak(?:e|es|ing)|took|buy(?:s|ing)?|bought|acquir(?:e|es|ed|ing)|purchas\w*)\s+(?:a|an|the)\s+"
                 r"[^$€£.;]{0,50}\b(?:stake|holding)\b[^$€£.;]{0,40}\bworth\s*$", before, re.I):
        return "deal"  # "taking a stake of roughly 10% in Intel, worth about $8.9 billion": the price paid
    if re.search(r"\b(?:demand|bids|orders)\s+for\s+(?:a|an|its|the|their)\s+$", before, re.I) and \
            re.match(r"\s*(?:[\w-]+\s+){0,2}?(?:sale|offering|issue|issuance|deal|bonds|notes)\b", after, re.I):
        return "deal"  # "record demand for a $25 billion bond sale": the size of the sale, not the orders
    if deal_revenue(text, money):
        return "deal"  # "the lease should bring in over $1.8 billion of revenue": the lessor's side of the deal's value
    tail = _tail(before)
    if _ROLE_BEFORE[1][1].search(tail):
        return "previous"
    if _CONTINUES.search(tail) and (earlier := [m for m in find_money(before) if m.start < len(before) - len(tail)]):
        # "$21 billion in AI revenue in 2026, rising to $42 billion in 2027": the same measure, later.
        last = earlier[-1]
        shift = money.start - len(before)
        return context_role(text, Money(last.start + shift, last.end + shift, last.amount, last.currency,
                                        last.qualifier, last.low, last.high, last.period))
    for role, pattern in _ROLE_AFTER:
        if pattern.search(after):
            return role
    if _OWN_DEAL_NOUN.match(after):
        return "deal"  # the figure's own noun is a deal: "signed a $14.2 billion deal", "a $2 billion, five-year contract"
    for role, pattern in _ROLE_BEFORE:
        if pattern.search(tail):
            return role
    return "deal"


# Revenue a deal brings its seller or landlord is the deal's value (the README's "around $7 billion in revenue" of a
# lease): "hosting contracts with X, worth some $2.9 billion of contracted revenue", "the lease should
# bring in over $1.8 billion of revenue across its term", "the tie-up is set to yield about $600 million in yearly
# revenue for the landlord". A company's own revenue ("reported revenue of $X") is not.
_DEAL_REVENUE_AFTER = re.compile(r"\s*(?:in|of)\s+(?:(?:contracted|potential|total|expected|projected|additional|"
                                 r"incremental|new|average|annual|annuali[sz]ed|lease|rental|hosting)\s+){0,3}"
                                 r"revenues?\b", re.I)
_DEAL_BRINGS = re.compile(r"\b(?:deals?|agreements?|contracts?|leases?|partnerships?|arrangements?|expansion)\b"
                          r"[^$€£;]{0,120}?\b(?:add|adds|adding|generate|generates|generating|bring|brings|bringing|"
                          r"represent|represents|representing|yield|yields|deliver|delivers|worth|total|totall?ing|"
                          r"totals)\s+(?:about|around|roughly|nearly|approximately|more than|over|some|up to|"
                          r"as much as|an estimated)?\s*$", re.I)


def deal_revenue(text: str, money: Money) -> bool:
    """Whether a figure is the revenue a deal brings its seller or landlord, and so the deal's value.

    >>> s = "The lease with CoreWeave will add about $2 billion in revenue over ten years."
    >>> deal_revenue(s, find_money(s)[0])
    True
    >>> s = "Nvidia reported revenue of $57 billion after its deal with OpenAI."
    >>> deal_revenue(s, find_money(s)[0])
    False
    """
    return _DEAL_REVENUE_AFTER.match(text, money.end) is not None and \
        _DEAL_BRINGS.search(text[max(0, money.start - 160):money.start]) is not None


# An opening phrase naming a larger whole that the sentence's own deal is part of.
_UMBRELLA = re.compile(r"\s*(?:As|As a|As the)?\s*part of\s+(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,3}$", re.I)
# A figure reached only if options are taken up: "With renewal options, the deal could reach …", "… and $7 billion if two
# extensions are exercised", "up to $10 billion including options". The base contract is the deal (development set
# README: optional or later draws are not the deal's amount).
_OPTION_BEFORE = re.compile(r"\b(?:with|including|if|assuming|should|once|counting)\s+(?:the\s+|all\s+|its\s+|their\s+)?"
                            r"(?:[\w-]+\s+){0,3}?(?:options?|extensions?|renewals?)\b[^$€£.;]{0,60}$", re.I)
_OPTION_AFTER = re.compile(r"^[^$€£.;]{0,30}?\b(?:if|should|once|assuming|including|with)\s+(?:the\s+|all\s+|its\s+|their\s+)?"
                           r"(?:[\w-]+\s+){0,3}?(?:options?|extensions?|renewals?)\b", re.I)

# The noun a figure measures, right after it: "$14.2 billion deal", "$2 billion, five-year cloud contract". Only
# modifiers may stand between ("in a deal", "for the contract" name another noun's figure).
_OWN_DEAL_NOUN = re.compile(
    r"^[\s,]*(?:(?!(?:in|of|for|from|with|at|to|by|on|and|or|as|after|before|under|than|a|an|the|its|their|his|her|"
    r"will|would|is|was|has|have|had|says|said|signs|agrees|plans|[a-z]+ed)\b)[\w-]+[\s,]+){0,3}?"
    r"(?:deal|contract|agreement|pact|order|commitment|transaction|loan|lease|investment|partnership|purchase|"
    r"acquisition|takeover|buyout|facility|financing|package|backstop|guarantee|round|arrangement)s?\b"
    r"(?!\s+(?:backlog|book|pipeline|revenue|sales)\b)", re.I)
# Where a figure's own clause begins: after the last figure, ";", "and a", or an aside closed by a comma and
# followed by the sentence's verb ("CoreWeave, which reported a $55.6 billion backlog, signed a …"), so the noun
# of an earlier figure or aside does not colour this one.
_TAIL_SPLIT = re.compile(r"[;]|\$|€|£|\band\b(?= (?:a|an|the)\b)")
_CLAUSE_TURN = re.compile(
    r"[,)]\s+(?:(?:has|have|had|also|then|now|recently|quietly|later|will|would|could)\s+)*"
    r"(?:signed|agreed|struck|won|landed|secured|will|would|is|was|said|says|announced|placed|ordered|committed|"
    r"took|takes|bought|buys|raised|invested|invests|reached|inked|sealed|unveiled|disclosed|plans|pays|paid|"
    r"expanded|extended|entered|made|has|have|had)\b", re.I)


def _tail(before: str) -> str:
    """The words of a figure's own clause before it (see :data:`_TAIL_SPLIT`, :data:`_CLAUSE_TURN`)."""
    tail = _TAIL_SPLIT.split(before)[-1]
    turns = list(_CLAUSE_TURN.finditer(tail))
    return tail[turns[-1].start() + 1:] if turns else tail


_CONTINUES = re.compile(r"^[^,;]{0,80},?\s*(?:rising|growing|climbing|increasing|jumping|falling|dropping|declining)\s+"
                        r"to\s+(?:about|around|roughly|nearly|more than|over|some)?\s*$", re.I)
_CONVERSION_GAP = re.compile(r"\s*(?:\(|,?\s*or\s+|,\s*)\s*(?:about|around|roughly|nearly|approximately|some|US)?\s*$",
                             re.I)


def _converted_from(text: str, money: Money) -> Money | None:
    """The figure just before ``money`` when ``money`` repeats it in another currency ("A$7.5 billion (about $5
    billion)", "€1.7 billion ($2 billion)", "22.76 trillion won or $16.54 billion"), else ``None``."""
    start = max(0, money.start - 80)
    gap = _CONVERSION_GAP.search(text, start, money.start)
    if gap is None:
        return None
    before = [m for m in find_money(text[start:gap.start()]) if m.end == gap.start() - start]
    if not before or before[-1].currency == money.currency:
        return None
    m = before[-1]
    return Money(m.start + start, m.end + start, m.amount, m.currency, m.qualifier, m.low, m.high, m.period)


def converts(text: str, money: Money) -> bool:
    """Whether ``money`` repeats the figure just before it in another currency ("4 trillion won, or $3 billion").

    >>> s = "The order is worth 9 trillion won (about $6.5 billion)."
    >>> [converts(s, m) for m in find_money(s)]
    [False, True]
    """
    return _converted_from(text, money) is not None


def sentence_qualifier(text: str) -> Qualifier | None:
    """``estimate`` when the sentence passes a figure on as hearsay ("reportedly", "people familiar").

    >>> sentence_qualifier("The deal is reportedly worth $10 billion."), sentence_qualifier("It is worth $1 billion.")
    (<Qualifier.ESTIMATE: 'estimate'>, None)
    """
    return Qualifier.ESTIMATE if _HEARSAY.search(text) else None


def has_vague_billions(text: str) -> bool:
    """True when the text speaks of money without a figure ("billions", "multibillion-dollar").

    >>> has_vague_billions("a multibillion-dollar deal"), has_vague_billions("a $5 billion deal")
    (True, False)
    """
    return bool(_VAGUE.search(text))


def horizon_years(text: str) -> Decimal | None:
    """The contract term in years, from "over five years", "for 15 years" or "a seven-year deal".

    >>> horizon_years("over five years"), horizon_years("a 15-year lease"), horizon_years("in 2027")
    (Decimal('5'), Decimal('15'), None)
    """
    m = _HORIZON.search(text)
    if not m:
        return None
    word = (m.group("n") or m.group("n2")).lower()
    n = _NUMBER_WORDS.get(word) or int(word)
    return Decimal(n) if 0 < n <= 100 else None


# What a takeover values its target at is its price (the development set's convention: "for an implied enterprise
# value of over A$24 billion" is the acquisition's amount); a valuation from an earlier round ("valued at $1 billion
# last year", "in its last funding round") is not.
_TAKEOVER_VALUE = re.compile(r"(?:\benterprise value of|"
                             r"\b(?:valuing|values|that values?|which values?)\s+(?:[\w.&'’-]+\s+){0,4}?at)"
                             r"\s+(?:about|around|roughly|nearly|more than|over|some|up to|as much as|almost)?\s*$", re.I)
_EARLIER_VALUE = re.compile(r"^[^.;]{0,40}\b(?:last|previous|earlier|prior|in (?:a|its) (?:\w+ )?(?:funding )?round)\b",
                            re.I)


def takeover_price(sentence: str, money_all: list[Money], start: int, end: int | None = None,
                   masked: Sequence[tuple[int, int]] = ()) -> list[Money]:
    """The figure a takeover values its target at, in the clause ``sentence[start:end]`` or in a closing phrase masked
    as background that opens inside it (", valuing the startup at $2 billion"): the price when no figure is a deal's.
    ``money_all`` is every figure of the sentence, masked ones included.

    >>> s = "SoftBank agreed to buy Ampere Computing in a transaction valuing the chip designer at $6.5 billion."
    >>> [str(m.amount) for m in takeover_price(s, find_money(s), 0)]
    ['6500000000']
    >>> s = "SoftBank agreed to buy Ampere Computing, which was valued at $8 billion last year."
    >>> takeover_price(s, find_money(s), 0)
    []
    >>> s = "Salesforce agreed to buy Informatica, valuing the data firm at about $8 billion, and Acme raised $1 billion."
    >>> [str(m.amount) for m in takeover_price(s, find_money(s), 0, 36, [(36, 106)])]
    ['8000000000']
    """
    stop = len(sentence) if end is None else end
    opened = [(a, b) for a, b in masked if start <= a <= stop]
    found = [m for m in money_all if m.start >= start and (m.start < stop or any(a <= m.start < b for a, b in opened))
             and _TAKEOVER_VALUE.search(sentence[max(0, m.start - 80):m.start])
             and not _EARLIER_VALUE.match(sentence, m.end)]
    return found[:1]
