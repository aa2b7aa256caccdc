"""Deal words: spaCy rule-based patterns that say which kind of deal a clause describes.

The patterns run on a blank English pipeline (``spacy.blank("en")``: tokenizer only, no
model, nothing downloaded). Each pattern names a deal kind from the ledger's vocabulary
(:class:`~dealweb.model.vocab.DealKind`) and a weight; :func:`kind_of` adds the weights per
kind and picks the heaviest, ties going to the rarer, more specific kind (a *guarantee* of
*lease* obligations is a backstop). Patterns marked ``action`` are verbs of doing a deal
("agreed to buy", "granted", "will invest"); a clause without an amount becomes a deal
candidate only when it has one, so "Microsoft is an investor in OpenAI" stays background.

=================== ==========================================================
kind                typical words
=================== ==========================================================
equity_investment   invest, investment, stake, shares, funding round, put/pour … into
compute_commitment  compute, computing power, cloud, capacity, rent, access to
chip_purchase       chips, GPUs, accelerators, TPUs; weaker: racks, systems, servers
debt                loan, lent, bonds, notes, credit facility, borrow
lease               lease, leased
warrant             warrant(s)
backstop            guarantee, backstop, obliged to buy capacity it cannot sell
licensing           licence, license, pay … to use models
=================== ==========================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from dealweb.model.vocab import DealKind

__all__ = ["PRIORITY", "Cue", "cues", "kind_of", "tokenizer"]

#: Tie-break order: earlier kinds win a tie of weights.
PRIORITY: tuple[DealKind, ...] = (
    DealKind.BACKSTOP, DealKind.REVENUE_SHARE, DealKind.JV, DealKind.ACQUISITION,
    DealKind.WARRANT, DealKind.DEBT, DealKind.LEASE, DealKind.LICENSING, DealKind.CHIP_PURCHASE,
    DealKind.COMPUTE_COMMITMENT, DealKind.EQUITY_INVESTMENT,
)


def _any(*words: str) -> dict[str, Any]:
    return {"LOWER": {"IN": list(words)}}


_INVEST = _any("invest", "invests", "invested", "investing", "investment", "investments", "investor", "investors")
_BUY = _any("buy", "buys", "bought", "buying", "purchase", "purchases", "purchased", "purchasing", "spend", "spends",
            "spent", "spending", "order", "orders", "ordered", "deploy", "deploys", "deployed", "acquire", "acquires",
            "acquired", "take", "takes", "took", "taking", "secure", "secures", "secured")
_CHIPS = _any("chip", "chips", "gpu", "gpus", "accelerator", "accelerators", "processors", "semiconductors", "xpus",
              "superchips", "tpus", "hbm")
_MODELS = _any("model", "models", "technology", "technologies", "gemini", "claude", "gpt", "llama", "grok", "ip")
_HARDWARE = _any("systems", "servers", "server", "racks", "rack", "hardware", "transceiver", "transceivers", "optics",
                 "switches")
_WITHIN = {"OP": "{0,10}", "IS_SENT_START": False, "LOWER": {"NOT_IN": [".", ";"]}}
# (not across what is used when it is hardware or capacity: "to use Amazon's Trainium chips for its next models")
_OPT = {"OP": "*", "IS_PUNCT": False, "LIKE_NUM": False,
        "LOWER": {"NOT_IN": [".", ";", "from", "with", "and", "for", "chip", "chips", "gpus", "tpus", "capacity",
                             "compute", "servers", "cloud", "accelerators"]}}

# (label, weight, action, patterns)
_RULES: tuple[tuple[DealKind, int, bool, list[list[dict[str, Any]]]], ...] = (
    (DealKind.EQUITY_INVESTMENT, 3, True, [[_INVEST]]),
    (DealKind.EQUITY_INVESTMENT, 3, False, [[_any("stake", "stakes", "shareholding", "holding")],
                                            [_any("shares", "stock")], [_any("equity")]]),
    (DealKind.EQUITY_INVESTMENT, 2, True, [[_any("put", "puts", "putting", "pour", "pours", "poured", "pouring",
                                                 "plough", "plow", "ploughs", "plows", "inject", "injects", "injected",
                                                 "injecting", "injection", "injections")],
                                           [_any("funding", "financing"), _any("round")],
                                           [_any("private"), _any("placement")],
                                           [_any("series"), {"IS_UPPER": True, "LENGTH": 1}],
                                           [_any("raise", "raises", "raised", "raising"), _WITHIN, _any("from")],
                                           [_any("secure", "secures", "secured", "securing", "obtain", "obtained",
                                                 "land", "landed", "lands"), _WITHIN, _any("from")],
                                           [_any("raise", "raises", "raised", "raising"), _WITHIN, _any("round")],
                                           # "Firmus will raise A$500 million": a figure raised with no other word of
                                           # its kind is a round (its lead may come in the next sentence)
                                           [_any("raise", "raises", "raised", "raising"),
                                            {"LOWER": {"REGEX": r"^(?:[$€£₹]|[a-z]{1,2}\$|aud|usd|eur|gbp|about|roughly|"
                                                                r"around|nearly|some|more|over|another|an|\d.*)$"}}],
                                           [_any("round"), _any("led", "co-led")],
                                           [_any("backed", "backing", "funded")],
                                           # "dropped $5 billion into X", "pledged $100 billion toward X", "wrote
                                           # checks for $500 million to X": the idioms news uses for investing
                                           [_any("drop", "drops", "dropped", "dropping", "sink", "sinks", "sank",
                                                 "plunk", "plunked", "plonked", "pump", "pumps", "pumped", "pumping"),
                                            _WITHIN, _any("into")],
                                           [_any("pledge", "pledges", "pledged", "pledging"), _WITHIN,
                                            _any("toward", "towards")],
                                           [_any("write", "writes", "wrote", "writing", "written"), _WITHIN,
                                            _any("check", "checks", "cheque", "cheques")],
                                           [_any("contribute", "contributes", "contributed", "contributing",
                                                 "contribution", "contributions")]]),
    # "funding" alone, "the next round", "committed $30 billion to": weaker than any other kind's word.
    (DealKind.EQUITY_INVESTMENT, 2, False, [[_any("funding", "fundraise", "fundraising")],
                                            [_any("next", "latest", "new", "recent", "current", "last"), _any("round")],
                                            # "Mistral AI's €1.7 billion round"
                                            [_any("billion", "million", "bn", "mn", "m"), _any("round")]]),
    (DealKind.EQUITY_INVESTMENT, 2, True, [[_any("commit", "commits", "committed", "committing"),
                                            {"LOWER": {"REGEX": r"^(?:[$€£₹]|[a-z]{1,2}\$|up|about|roughly|around|another|"
                                                                r"a|an|more|nearly|some|\d.*)$"}}]]),
    (DealKind.EQUITY_INVESTMENT, 4, True, [[_any("funding", "financing", "investment"), _any("round")],
                                           [_any("lead", "leads", "led", "leading", "co-lead", "co-leads", "co-led"),
                                            _WITHIN, _any("round")],
                                           # "its series B financing": a priced round, not a loan
                                           [_any("series"), {"IS_UPPER": True, "LENGTH": 1},
                                            _any("financing", "funding", "raise", "extension")]]),
    (DealKind.COMPUTE_COMMITMENT, 3, False, [[_any("compute", "computing", "cloud")],
                                             [_any("capacity")]]),
    (DealKind.COMPUTE_COMMITMENT, 5, True, [[_any("rent", "rents", "rented", "renting", "rental")],
                                            [_any("access"), _any("to")]]),
    (DealKind.COMPUTE_COMMITMENT, 1, False, [[_any("data"), _any("centre", "center", "centres", "centers")],
                                             [_any("infrastructure")]]),
    # The deal noun's own modifier names what it is for ("a cloud service agreement", "a compute capacity contract"):
    # it outweighs the hardware the text also names ("will deploy X's accelerators in a cloud service agreement").
    (DealKind.COMPUTE_COMMITMENT, 7, False, [[_any("cloud", "compute", "computing"),
                                              {"LOWER": {"IN": ["service", "services", "capacity", "computing",
                                                                "infrastructure"]}, "OP": "?"},
                                              _any("agreement", "agreements", "contract", "contracts", "deal", "deals",
                                                   "pact", "partnership", "commitment")]]),
    (DealKind.CHIP_PURCHASE, 4, False, [[_CHIPS]]),
    (DealKind.CHIP_PURCHASE, 2, False, [[_HARDWARE],
                                        # "equipment from Dell", not "the chip-equipment maker"
                                        [_any("equipment"), {"LOWER": {"NOT_IN": ["maker", "makers", "manufacturer",
                                                                                  "supplier", "company", "firm",
                                                                                  "group", "giant"]}}]]),
    (DealKind.DEBT, 5, True, [[_any("loan", "loans", "lent", "lend", "lends", "lending", "borrow", "borrows",
                                    "borrowed", "borrowing", "bond", "bonds", "debt", "notes", "refinance",
                                    "refinanced")],
                              [_any("credit"), _any("facility", "line")],
                              [_any("note"), _any("offering", "offerings", "sale", "issuance")],
                              [_any("private"), {"ORTH": "-", "OP": "?"}, _any("credit")],
                              [_any("asset"), {"ORTH": "-"}, _any("backed"), _any("securities", "notes", "bonds")],
                              [_any("securitization", "securitisation", "securitized", "securitised")]]),
    (DealKind.DEBT, 2, True, [[_any("financing", "financed", "finance", "finances")]]),
    (DealKind.LEASE, 4, True, [[_any("lease", "leases", "leased", "leasing", "sublease", "colocation", "colo")]]),
    (DealKind.WARRANT, 6, True, [[_any("warrant", "warrants")]]),
    (DealKind.BACKSTOP, 7, True, [[_any("guarantee", "guarantees", "guaranteed", "guaranteeing", "backstop",
                                        "backstops", "backstopped", "backstopping")],
                                  [_any("buy", "purchase", "take"), _WITHIN, _any("capacity", "compute"), _WITHIN,
                                   _any("cannot", "can't", "not", "n't", "unable", "fails")]]),
    # Standing behind another company's payments is a guarantee: "backing up $900 million of the tenant's lease
    # obligations" (it outweighs the "lease" of "lease obligations" next to the figure).
    (DealKind.BACKSTOP, 9, True, [[_any("back", "backs", "backed", "backing",
                                        "underwrite", "underwrites", "underwrote", "underwriting"),
                                   {"LOWER": "up", "OP": "?"}, _WITHIN, _any("obligations", "obligation")]]),
    (DealKind.LICENSING, 5, True, [[_any("license", "licence", "licenses", "licences", "licensing", "licensed")],
                                   [_any("to"), _any("use"), _OPT, _any("model", "models", "technology")]]),
    # Paying for access to a model is licensing, not compute ("access to Google's Gemini").
    (DealKind.LICENSING, 8, True, [[_any("access"), _any("to"), {"OP": "{0,8}", "LOWER": {"NOT_IN": [".", ";", "and"]}},
                                    _MODELS]]),
    (DealKind.REVENUE_SHARE, 9, True, [[_any("revenue", "revenues"), {"ORTH": "-", "OP": "?"},
                                        _any("share", "shares", "sharing")],
                                       [_any("share", "shares", "sharing", "shared"),
                                        {"OP": "{0,6}", "LOWER": {"NOT_IN": [".", ";", "and"]}},
                                        _any("revenue", "revenues", "sales")]]),
    # "earn 50% of the revenue from X", "pay Microsoft 20% of its revenue": a share of revenue changes hands.
    (DealKind.REVENUE_SHARE, 9, True, [[_any("earn", "earns", "earned", "earning", "receive", "receives", "received",
                                             "receiving", "get", "gets", "got", "collect", "collects", "take", "takes",
                                             "keep", "keeps", "pay", "pays", "paid", "paying", "give", "gives", "gave",
                                             "hand", "hands", "share", "shares"),
                                        {"OP": "{0,6}", "LOWER": {"NOT_IN": [".", ";"]}},
                                        _any("%", "percent", "cent"),
                                        {"LOWER": {"IN": ["cut", "share", "slice", "portion"]}, "OP": "?"}, _any("of"),
                                        {"OP": "{0,3}", "LOWER": {"NOT_IN": [".", ";"]}},
                                        _any("revenue", "revenues", "sales", "proceeds")]]),
    # "a cut of OpenAI's revenue", "pay … for a custom Gemini model"
    (DealKind.REVENUE_SHARE, 9, True, [[_any("cut", "slice", "portion"), _any("of"),
                                        {"OP": "{0,3}", "LOWER": {"NOT_IN": [".", ";"]}},
                                        _any("revenue", "revenues", "sales", "proceeds")]]),
    # paying for a model is licensing ("pay Google $1 billion a year for a custom Gemini model"); using chips "for its
    # next models" is not
    (DealKind.LICENSING, 6, True, [[_any("pay", "pays", "paid", "paying"), {"OP": "{0,8}", "LOWER": {"NOT_IN": [".", ";"]}},
                                    _any("for"), {"OP": "{0,6}", "LOWER": {"NOT_IN": [".", ";", "and"]}},
                                    _any("model", "models", "gemini", "claude", "gpt", "llama", "grok")]]),
    (DealKind.JV, 9, True, [[_any("joint"), _any("venture", "ventures")], [_any("jv")]]),
    (DealKind.ACQUISITION, 6, True, [[_any("acquire", "acquires", "acquired", "acquiring", "acquisition", "acquisitions",
                                           "takeover", "buyout", "merger", "merge", "merges", "merged")],
                                      # "will take CyrusOne private", "agreed to be taken private by DigitalBridge"
                                      [_any("take", "takes", "took", "taking", "taken"),
                                       {"OP": "{0,6}", "LOWER": {"NOT_IN": [".", ";", ","]}}, _any("private")]]),
    # Buying every share is buying the company: "will buy all the outstanding shares of Acme at $12 each".
    (DealKind.ACQUISITION, 10, True, [[_any("acquire", "acquires", "acquired", "acquiring", "buy", "buys", "bought",
                                            "buying", "purchase", "purchases", "purchased", "purchasing"),
                                       _any("all"), {"LOWER": {"IN": ["of", "the"]}, "OP": "*"},
                                       {"LOWER": {"IN": ["outstanding", "outstandings", "issued", "common", "ordinary",
                                                         "remaining"]}, "OP": "*"},
                                       _any("shares", "stock")]]),
)
# Verbs of doing a deal (for clauses without a figure), beyond the labelled patterns above.
_ACTION_VERBS = [[_BUY], [_any("agreed", "agree", "agrees", "signed", "signs", "sign", "granted", "grants", "grant", "issued",
                       "issues", "will", "plans", "committed", "commits", "struck", "strikes", "inked", "unveiled",
                       "deploy", "deploys", "buy", "buys", "bought", "rent", "rents", "ordered", "lease", "leases")]]


@dataclass(frozen=True, slots=True)
class Cue:
    """A deal word in a clause: the kind it points to, its weight, character span, and whether it is an action."""

    kind: DealKind | None
    weight: int
    start: int
    end: int
    action: bool
    #: The words matched, lower case.
    word: str = ""


@lru_cache(maxsize=1)
def _matcher() -> tuple[Any, Any, dict[str, tuple[DealKind | None, int, bool]]]:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    labels: dict[str, tuple[DealKind | None, int, bool]] = {}
    for i, (kind, weight, action, patterns) in enumerate(_RULES):
        key = f"{kind.value}:{i}"
        labels[key] = (kind, weight, action)
        matcher.add(key, patterns)
    labels["action"] = (None, 0, True)
    matcher.add("action", _ACTION_VERBS)
    return nlp, matcher, labels


def tokenizer() -> Any:
    """The blank English pipeline (tokenizer only) the patterns run on."""
    return _matcher()[0]


def cues(text: str) -> list[Cue]:
    """Deal words in ``text`` with their kinds, in order.

    >>> s = "Oracle will buy $40 billion of chips"
    >>> [(c.kind.value if c.kind else None, s[c.start:c.end]) for c in cues(s)]
    [(None, 'will'), (None, 'buy'), ('chip_purchase', 'chips')]
    """
    nlp, matcher, labels = _matcher()
    doc = nlp.make_doc(text)
    out: list[Cue] = []
    for match_id, start, end in matcher(doc):
        kind, weight, action = labels[nlp.vocab.strings[match_id]]
        span = doc[start:end]
        out.append(Cue(kind, weight, span.start_char, span.end_char, action, span.text.lower()))
    out.sort(key=lambda c: (c.start, c.kind is None, -c.end))
    # The first part of a hyphenated modifier names no deal ("investment-grade bonds", "lease-backed notes").
    out = [c for c in out if not text[c.end:c.end + 1] == "-" or c.kind is None]
    # Nor does an idiom: "a high-stakes bid", "put the value of the commitment at $3 billion".
    out = [c for c in out if not re.search(r"\b(?:high|low)-$", text[max(0, c.start - 5):c.start], re.I)
           and not (c.word.startswith("put") and _PUT_VALUE.match(text, c.end))]
    # Rent as money paid for space ("$15 billion in rent", "annual rent", "collect rent") is a lease, not rented compute.
    out = [replace(c, kind=DealKind.LEASE) if c.kind is DealKind.COMPUTE_COMMITMENT and c.word in ("rent", "rental")
           and (_RENT_PAID.search(text, max(0, c.start - 20), c.start) or _RENT_NOUN.match(text, c.end)) else c
           for c in out]
    # A word that only says what a company does ("the chip giant", "cloud provider", "GPU maker") names no thing bought.
    out = [c for c in out if not (c.kind in (DealKind.CHIP_PURCHASE, DealKind.COMPUTE_COMMITMENT) and
                                  _COMPANY_NOUN.match(text, c.end))]
    return _longest(out)


_COMPANY_NOUN = re.compile(r"(?:-?\s*(?:making|design|equipment)\s+)?\s*(?:giant|giants|makers?|designers?|company|companies|"
                           r"firms?|group|startups?|start-ups?|suppliers?|vendors?|manufacturers?|providers?|heavyweight|"
                           r"titan|powerhouse|specialists?|leader|player|darling|behemoth)\b", re.I)
_PUT_VALUE = re.compile(r"\s+(?:the|a|an|its)\s+(?:total\s+)?(?:value|price|figure|cost|tag)\b", re.I)
_RENT_PAID = re.compile(r"\b(?:in|of|annual|monthly|yearly|base|collects?|collected|collecting|pays?|paid|paying)\s+$",
                        re.I)
_RENT_NOUN = re.compile(r"\s+(?:payments?|income|roll|obligations?)\b", re.I)


def _longest(found: list[Cue]) -> list[Cue]:
    """Of overlapping matches of the same label keep the longest (the ``OP: *`` patterns match many lengths)."""
    out: list[Cue] = []
    for c in found:
        if any(o.kind == c.kind and o.start <= c.start and c.end <= o.end and o.weight >= c.weight for o in out):
            continue
        out.append(c)
    return out


_PARTY_WORD = re.compile(r"investors?$")


def kind_of(found: list[Cue]) -> DealKind | None:
    """The deal kind a clause's cues point to most, or ``None`` when no cue names a kind.

    >>> kind_of(cues("Google will guarantee $1.8 billion of Fluidstack's lease obligations")).value
    'backstop'
    >>> kind_of(cues("OpenAI will purchase $30 billion of computing capacity")).value
    'compute_commitment'
    """
    score: dict[DealKind, int] = {}
    for c in found:
        if c.kind is not None:
            score[c.kind] = score.get(c.kind, 0) + c.weight
    if not score:
        return None
    # "acquire a stake", "acquired chips", "acquiring capacity": the thing bought names the kind. A word that only
    # describes a party ("technology investor MGX") names nothing bought.
    bought = sum(c.weight for c in found if c.kind is DealKind.EQUITY_INVESTMENT and not _PARTY_WORD.match(c.word))
    whole = any(c.kind is DealKind.ACQUISITION and c.weight >= 10 for c in found)  # "all outstanding shares"
    if DealKind.ACQUISITION in score and not whole and (bought >= 3 or
                                          score.get(DealKind.WARRANT, 0) >= 6 or  # "acquire warrants"
                                          score.get(DealKind.CHIP_PURCHASE, 0) >= 4 or
                                          score.get(DealKind.COMPUTE_COMMITMENT, 0) >= 3):
        del score[DealKind.ACQUISITION]
    best = max(score.values())
    return next(k for k in PRIORITY if score.get(k) == best)
