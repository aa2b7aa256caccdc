"""Deals stated without a verb frame: a deal noun and the names attached to it.

News often names a deal as a noun phrase, with no buying or supplying verb to say who pays:

* a possessive: "CoreWeave's $14 billion contract with Meta", "Microsoft's $19.4 billion Nebius
  contract", "SoftBank's $22.5 billion investment in OpenAI";
* "between": "the $17.4 billion deal between Microsoft and Nebius";
* a joined pair: "the Anthropic-Microsoft agreement, valued at $30 billion";
* a headline fragment: "Nebius, Meta in $3 billion AI infrastructure pact", "Lambda lands
  multibillion-dollar Microsoft deal";
* a verb that says nothing of direction: "Nscale signed a multiyear agreement worth $14 billion
  with Microsoft"; "Meta has a $14.2 billion commitment to CoreWeave";
* the customer relation: "Microsoft is IREN's only customer under the $9.7 billion contract".

:func:`read` finds the deal noun, the (at most two) companies attached to it and the figure, and
decides direction in this order: the noun and its preposition ("investment in X", "loan to X",
"commitment to X", an "order" is its owner's purchase, "contract to supply X"); then, when nothing
in the words decides, the parties' entity kinds: in compute, chip and lease deals the provider
(neocloud or data-centre company, then cloud, for compute; chipmaker for chips; landlord for
leases) is paid; in equity an investor pays; in debt a bank or investor lends. When the kinds
do not decide either, it gives nothing rather than a guess. It never reads talks, several
counterparties (an aggregate) or a stake that is only held ("now worth").

The clause reader (:mod:`~dealweb.extract.clauses`) calls it for each clause and uses its reading
when the verb-frame rules gave none, or gave one that no verb of the subject supports. Its
candidates carry the signal ``nominal`` (:data:`~dealweb.extract.roles.SIGNALS`).

:func:`not_a_deal_figure` is the other half: a figure whose own noun is not a deal ("Oracle's
$455 billion backlog", "$12 billion of AI revenue", "revenue … reached $1.2 billion", "deals …
total $80 billion") is not a deal amount even when a deal noun is near.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from dealweb.extract.amounts import Money, deal_revenue
from dealweb.extract.gazetteer import guess_kind
from dealweb.extract.parties import Directory, Mention, PartyRef
from dealweb.model.vocab import DealKind

__all__ = ["Nominal", "Resolver", "aggregate", "not_a_deal_figure", "plainly_sold", "read", "read_all", "stock_talk"]

#: Names the company a possessive pronoun or description stands for, not one of the excluded ids.
Resolver = Callable[[str, set[str]], PartyRef | None]

_C, _CH, _L = DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE, DealKind.LEASE
_EQ, _DEBT = DealKind.EQUITY_INVESTMENT, DealKind.DEBT

# The deal nouns; the kind-bearing ones say the kind themselves.
_NOUN = re.compile(r"\b(contract|deal|agreement|pact|order|partnership|arrangement|commitment|tie-up|lease|investment|"
                   r"stake|loan|purchase)s?\b", re.I)
_NOUN_KIND = {"lease": _L, "investment": _EQ, "stake": _EQ, "loan": _DEBT}
# The owner of these nouns buys: "Anthropic's $21 billion Broadcom order", "Meta's commitment to CoreWeave".
_BUYER_NOUNS = frozenset({"order", "purchase", "commitment"})
# Who is paid in a deal of each kind when the words leave it open: the higher rank sells.
_PROVIDER_RANK: dict[DealKind, dict[str, int]] = {
    _C: {"neocloud": 3, "data_center": 3, "cloud_provider": 2, "chipmaker": 1},
    _CH: {"chipmaker": 3, "cloud_provider": 1, "neocloud": 1},
    _L: {"data_center": 3, "neocloud": 2, "cloud_provider": 1},
}
# Who pays in equity and debt when the words leave it open.
_FUNDER_KINDS = {_EQ: frozenset({"investor", "bank", "government"}), _DEBT: frozenset({"bank", "investor"})}
# What a generic deal noun buys, by the most specific provider named.
_SELLS = (("chipmaker", _CH), ("data_center", _L), ("neocloud", _C), ("cloud_provider", _C))

# Words between a possessive and its deal noun: adjectives, the figure, a second company's name.
_STOP = frozenset({"is", "was", "are", "were", "will", "would", "has", "have", "had", "with", "to", "from", "in", "and",
                   "for", "that", "which", "on", "of", "said", "says", "as", "by", "its", "their", "after", "but"})
# A verb where only modifiers may stand ("Anthropic received investments"): a past tense or a headline verb.
_VERBISH = re.compile(r"[a-z][\w-]*ed|signs|inks|lands|wins|gets|receives|seals|strikes|secures|announces|unveils|makes|"
                      r"takes|nabs|scores|bags|expands|extends|plans|says|sees|agrees|buys|sells|pays|rents|leases", re.I)
_SUPPLY_INSIDE = re.compile(r"^\s*to\s+(?:suppl(?:y|ies)|provide|deliver|sell|build|host|lease|rent)\b", re.I)
_BUY_INSIDE = re.compile(r"^\s*to\s+(?:buy|purchase|rent|use|lease \w+ from|access|run)\b", re.I)
# A subject's verb that names no direction: "signed a … agreement", "lands … contract", "has a … commitment".
_NEUTRAL_VERB = re.compile(r"\s+(?:(?:has|have|had|also|now|recently|reportedly|quietly|just)\s+)*"
                           r"(?P<verb>sign(?:s|ed|ing)?|ink(?:s|ed)?|str(?:ikes|uck)|reach(?:es|ed)?|seal(?:s|ed)?|"
                           r"clinch(?:es|ed)?|land(?:s|ed)?|wins?|won|secur(?:es|ed)|announc(?:es|ed)|unveil(?:s|ed)|"
                           r"ha(?:s|ve|d)|holds?|held|enter(?:s|ed)? into|made|makes|expand(?:s|ed)|extend(?:s|ed)|"
                           r"in)\s", re.I)
# A possessive that stands for a company named earlier: "its", "the company's", "the neocloud's".
_OWNER_WORD = re.compile(r"(?i:\b(?P<who>its|their|the\s+(?:[\w-]+\s+)?(?:company|startup|start-up|firm|group|chipmaker|"
                         r"neocloud|hyperscaler|lab|giant|maker|developer|provider|operator|lender|bank|investor|fund|"
                         r"landlord|supplier|vendor)(?=['’]))(?:['’]s?)?\s+)")
_STOCK_MOVE = re.compile(r"\b(?:shares?|stock)\b[^.;]{0,40}?\b(?:rose|rise|rises|fell|falls?|jump\w*|gain\w*|climb\w*|"
                         r"drop\w*|sl[iu]\w*|surg\w*|soar\w*|tumbl\w*|rall\w*|spik\w*|sank|sink\w*|plung\w*|popp\w*|"
                         r"doubl\w*|tripl\w*|halv\w*|up|down|higher|lower)\b|\b(?:sent|pushed|lifted|drove|knocked)\s+"
                         r"(?:its|their|the)?\s*(?:shares|stock)\b", re.I)
_EQUITY_WORD = re.compile(r"\b(?:invest\w*|stake|equity|funding|round|backs?|backed|warrants?)\b", re.I)
_CLOUD_UNIT = re.compile(r"\b(?:Cloud|Azure|AWS|Web Services|OCI)\b")
_INFRA = re.compile(r"\b(?:cloud|compute|computing|capacity|GPUs?|TPUs?|chips?|data[- ]cent(?:re|er)s?|infrastructure|"
                    r"servers?|megawatts?|gigawatts?|MW|GW|racks?|accelerators?|hosting|colocation|semiconductors?)\b",
                    re.I)
# The seller wins a contract: "AMD landed a multiyear deal with Meta".
_WON_DEAL = re.compile(r"\b(?:land(?:s|ed)?|won|wins?|secur(?:es|ed)|clinch(?:es|ed))\b[^.;$€£]{0,50}?\b(?:deal|contract|"
                       r"order|agreement)s?\b", re.I)
_AND_ANOTHER = re.compile(r"\s*,?\s*(?:and|as well as|plus)\s+(?:an?\s+|another\s+)?", re.I)
# The phrase is the subject of an event: "A cloud agreement between OpenAI and Amazon was announced on Monday".
_EVENT = re.compile(r"\b(?:was|were|has been|have been|is|are)\s+(?:formally\s+|officially\s+)?(?:announced|unveiled|"
                    r"signed|disclosed|finali[sz]ed|completed|sealed|struck|inked|agreed)\b", re.I)
_WINNER = re.compile(r"land|win|won|secur|clinch", re.I)
_ACTION = re.compile(r"\b(?:sign(?:s|ed)?|ink(?:s|ed)?|str(?:ikes|uck)|seal(?:s|ed)?|clinch(?:es|ed)?|land(?:s|ed)?|"
                     r"wins?|won|secur(?:es|ed)|announc(?:es|ed)|agree[ds]?|reach(?:es|ed))\b", re.I)
_CUSTOMER = re.compile(r"^\s+(?:is|was|has been|became|becomes|will be|remains)\s+(?:also\s+|now\s+)?$", re.I)
_CUSTOMER_NOUN = re.compile(r"'s?\s+(?:[\w-]+\s+){0,2}?(?P<noun>customer|client|tenant|buyer)s?\b", re.I)
_TALK_WORDS = re.compile(r"\b(?:talks?|discussions?|negotiat\w*|mulls?|weighs?|considers?|explor\w*|eyes|rumou?r\w*|"
                         r"nears|nearing|potential|proposed|possible)\b", re.I)
# A stake that is held, not bought: "Microsoft's stake in OpenAI is now worth $135 billion".
_HELD = re.compile(r"\b(?:now|currently)\b|\b(?:worth|valued)\b|\b(?:holds?|held|owns?|owned)\b", re.I)
_VAGUE = re.compile(r"\b(?:multi-?billion|multibillion|billions|tens of billions|hundreds of millions)\b", re.I)

# A figure's own noun that is not a deal: "$455 billion backlog", "$12 billion of AI revenue".
_NOT_DEAL_AFTER = re.compile(r"^\s*(?:(?:of|in)\s+)?(?:[\w-]+\s+){0,2}?(?:backlog|revenues?(?![- ]shar)|sales|profits?|losses|"
                             r"market (?:value|cap\w*)|valuation|capital (?:spending|expenditure)|capex|"
                             r"spending (?:plan|budget)|budget|buyback|remaining performance obligations?)\b", re.I)
# The figure completes a non-deal subject: "revenue from its Microsoft contract reached $1.2 billion", "deals … total".
_QUAL = r"\s*(?:about|around|roughly|nearly|more than|over|some|almost)?\s*$"
_NON_DEAL_SUBJECT = re.compile(r"\b(?:revenue|sales|backlog|capex|capital spending|market value|valuation)\b"
                               r"[^$€£;.]{0,60}\b(?:reached|rose|hit|climbed|grew|jumped|fell|stood|came in|"
                               r"totall?ed|topped|exceeded|surpassed)(?:\s+(?:to|at))?" + _QUAL, re.I)
# Several deals added up: "worth a combined $60 billion", "deals with A, B and C total $80 billion".
_AGGREGATE = re.compile(r"(?:\b(?:combined|together)\b|"
                        r"\b[A-Z][\w.-]*,\s+(?:[A-Z][\w.-]*\s+){1,3}?(?:and|&)\s+[A-Z][^$€£;.]{0,40}\b"
                        r"(?:total\w*|exceed\w*|tops?|topped|surpass\w*|add up to|adds up to|amounts? to|"
                        r"comes? to|are worth|were worth))" + _QUAL, re.I)


# A stake that is only held: "Microsoft's $135 billion stake in OpenAI is now worth …", "holds a $2 billion stake".
_STAKE_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:stake|holding)\b", re.I)
_STAKE_HELD = re.compile(r"\b(?:is|are|was|were)\s+(?:now\s+|currently\s+)?(?:worth|valued)\b", re.I)
_HOLDS = re.compile(r"\b(?:holds?|held|owns?|owned|retains?)\s+(?:a|an|its|their|the)?\s*$", re.I)


def not_a_deal_figure(sentence: str, money: Money) -> bool:
    """Whether a figure's own noun or subject makes it something other than a deal amount.

    >>> from dealweb.extract.amounts import find_money
    >>> s = "Oracle's $455 billion backlog includes its contract with OpenAI."
    >>> not_a_deal_figure(s, find_money(s)[0])
    True
    >>> s = "Meta's $14 billion contract with CoreWeave runs to 2031."
    >>> not_a_deal_figure(s, find_money(s)[0])
    False
    """
    if _NOT_DEAL_AFTER.match(sentence[money.end:money.end + 50]) and not deal_revenue(sentence, money):
        return True
    stake = _STAKE_AFTER.match(sentence, money.end)
    if stake is not None and (_STAKE_HELD.search(sentence, stake.end(), stake.end() + 60)
                              or _HOLDS.search(sentence[max(0, money.start - 30):money.start])):
        return True
    before = sentence[max(0, money.start - 90):money.start]
    return _NON_DEAL_SUBJECT.search(before) is not None or _AGGREGATE.search(before) is not None


def aggregate(sentence: str, money: Money) -> bool:
    """Whether a figure adds up several deals ("contracts worth a combined $60 billion with A, B and C"): then the
    clause names no one deal, not even one without a figure."""
    return _AGGREGATE.search(sentence[max(0, money.start - 90):money.start]) is not None


def stock_talk(clause: str) -> bool:
    """Whether "shares" in a clause is the stock price ("Oracle's shares doubled after its OpenAI contract"), with no
    other word of an investment."""
    return _STOCK_MOVE.search(clause) is not None and _EQUITY_WORD.search(clause) is None


# "The deal gives OpenAI access to Amazon's servers": the one given access pays the one whose capacity it is.
_GIVES = re.compile(r"\b(?:gives?|giving|gave|grants?|granting|granted|provides?|providing|provided)\s+$", re.I)
_ACCESS_TO = re.compile(r"\s+access\s+to\s+(?:[\w,.-]+\s+){0,6}?$", re.I)


@dataclass(frozen=True, slots=True)
class Nominal:
    """A deal read from a noun phrase: payer, recipient, kind, figure, the phrase's span and why."""

    payer: PartyRef
    recipient: PartyRef
    kind: DealKind
    money: Money | None
    start: int
    end: int
    note: str
    #: The phrase's owner or subject and its verb, which a next phrase joined by "and" shares ("has a $17.4 billion
    #: deal with Microsoft and a $3 billion deal with Meta").
    owner: Mention | None = None
    verb: str = ""


def read(sentence: str, a: int, b: int, mentions: list[Mention], money: list[Money], kind: DealKind | None,
         directory: Directory, resolve: Resolver | None = None) -> Nominal | None:
    """The deal a clause ``sentence[a:b]`` states as a noun phrase, or ``None``.

    ``mentions`` are the clause's companies (background masked), ``money`` its deal figures, ``kind`` the
    kind its deal words give (``None`` when none do). ``resolve(phrase, exclude)`` names the company a
    possessive pronoun or description stands for ("its", "the company's"), or ``None``.

    >>> from dealweb.extract.candidates import directory_for
    >>> from dealweb.extract.amounts import find_money
    >>> d = directory_for(None)
    >>> s = "The $17.4 billion deal between Microsoft and Nebius covers GPU capacity."
    >>> n = read(s, 0, len(s), d.mentions(s), find_money(s), DealKind.COMPUTE_COMMITMENT, d)
    >>> n.payer.id, n.recipient.id, n.kind.value, n.money.amount
    ('microsoft', 'nebius', 'compute_commitment', Decimal('17400000000'))
    """
    found = read_all(sentence, a, b, mentions, money, kind, directory, resolve)
    return found[0] if found else None


def read_all(sentence: str, a: int, b: int, mentions: list[Mention], money: list[Money], kind: DealKind | None,
             directory: Directory, resolve: Resolver | None = None) -> list[Nominal]:
    """Every deal the clause states as a noun phrase (see :func:`read`): a second phrase joined by "and" shares the
    first one's owner ("Nebius has a $17.4 billion deal with Microsoft and a $3 billion deal with Meta")."""
    clause = sentence[a:b]
    if _TALK_WORDS.search(clause):
        return []
    ms = sorted((m for m in mentions if a <= m.start < b), key=lambda m: m.start)
    if kind is DealKind.EQUITY_INVESTMENT and stock_talk(clause):
        kind = None  # "Shares of Nebius rose …": the word "shares" is the stock price, not the deal
    out: list[Nominal] = []
    for noun in _NOUN.finditer(sentence, a, b):
        if out and noun.start() < out[-1].end:
            continue
        carry = None
        if out and out[-1].owner is not None:
            joint = _AND_ANOTHER.match(sentence[out[-1].end:noun.start()])
            if joint is not None and _plain(sentence[out[-1].end + joint.end():noun.start()], ms, out[-1].end + joint.end()):
                carry = (out[-1].owner, out[-1].verb, out[-1].end)
        elif out:
            break
        found = _read_noun(sentence, a, b, noun, ms, money, kind, directory, resolve, carry)
        if found is not None and not (out and (found.money is out[-1].money or found.kind is not out[0].kind)):
            out.append(found)
        elif out:
            break
    if out:
        return out
    one = _customer(sentence, a, b, ms, money, kind, directory) or _access(sentence, a, b, ms, money, kind, directory)
    return [one] if one is not None else []


def _read_noun(sentence: str, a: int, b: int, noun: re.Match[str], ms: list[Mention], money: list[Money],
               kind: DealKind | None, directory: Directory, resolve: Resolver | None,
               carry: tuple[Mention, str, int] | None = None) -> Nominal | None:
    word = noun.group(1).lower()
    ns, ne = noun.start(), noun.end()
    owner = subject = pair_first = None
    inside: list[Mention] = []  # names between the owner (or the phrase's start) and the noun
    verb = ""
    # "X's … noun": the possessor, and names inside ("Microsoft's $19.4 billion Nebius contract").
    for m in reversed([m for m in ms if m.end <= ns]):
        gap = sentence[m.end:ns]
        poss = re.match(r"(?:'s?|’s?)\s", gap)
        if poss is not None and _plain(gap[poss.end():], ms, m.end + poss.end()):
            owner = m
            inside = [x for x in ms if m.end <= x.start and x.end <= ns]
            break
    if owner is None and resolve is not None:
        # "its $17.4 billion contract with Microsoft", "the company's $3 billion Meta deal": the company meant.
        for d in _OWNER_WORD.finditer(sentence, max(a, ns - 110), ns):
            if _plain(sentence[d.end():ns], ms, d.end()):
                named = {m.party.id for m in ms if d.end() <= m.start < ne + 70}
                ref = resolve(d.group("who"), named)
                if ref is not None:
                    owner = Mention(d.start(), d.start() + len(d.group("who")), ref)
                    inside = [x for x in ms if d.end() <= x.start and x.end <= ns]
                break
    if owner is None:
        # "$1.2 billion Poolside contract", "the Anthropic-Microsoft agreement": names right before the noun.
        near = [m for m in ms if m.end <= ns and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", sentence[m.end:ns] + " ")
                and _plain(sentence[m.end:ns], ms, m.end)]
        if near:
            last = near[-1]
            prev = next((m for m in reversed(ms) if m.end <= last.start), None)
            if prev is not None and sentence[prev.end:last.start] in ("-", "–", "—", "/"):
                pair_first, inside = prev, [last]
            else:
                inside = [last]
        # The phrase's subject: "Nscale signed a … agreement", "Lambda lands … deal", "Nebius, Meta in … pact".
        head = (pair_first or (inside[0] if inside else None))
        cut = head.start if head is not None else ns
        before = [m for m in ms if m.end <= cut]
        if before:
            s = before[-1]
            v = _NEUTRAL_VERB.match(sentence, s.end)
            if v is not None and _plain(sentence[v.end():cut], ms, v.end()):
                subject, verb = s, v.group("verb").lower()
                if len(before) >= 2 and re.fullmatch(r"\s*(?:,|and|&)\s*", sentence[before[-2].end:s.start]):
                    # "Nebius, Meta in $3 billion pact", "Microsoft, IREN sign $9.7 billion cloud deal": a joint subject
                    pair_first, subject = before[-2], None
                    inside = [s, *inside]
                elif verb == "in":
                    subject = None
    # Names after the noun: "with X", "between X and Y", "in X", "to X", "from X".
    after: list[tuple[str, Mention]] = []
    tail_end = min(b, ne + 70)
    for m in ms:
        if not ne <= m.start < tail_end:
            continue
        if after and re.fullmatch(r"\s*(?:,|and|, and|&)\s*", sentence[after[-1][1].end:m.start]):
            after.append((after[-1][0], m))  # "between A and B"; "from A and B" is a list (an aggregate)
            continue
        gap = sentence[ne:m.start]
        p = re.search(r"\b(with|between|to|from|in|into)\s+(?:the\s+)?$", gap, re.I)
        if p is None or after or re.search(r"[;:]|\b(?:said|says|which|who|while|after|as)\b", gap):
            break
        after.append((p.group(1).lower(), m))
    fig_from = None
    if owner is None and subject is None and pair_first is None and carry is not None:
        subject, verb, fig_from = carry  # "… and a $3 billion deal with Meta": the first phrase's owner again
    owner_side = owner or subject or pair_first
    if owner_side is None and not inside and (not after or after[0][0] != "between"):
        return None  # "investments from A and B": a list after one preposition is not the two sides of a deal
    parties = [x for x in (owner_side, *inside, *(m for _, m in after)) if x is not None]
    ids = list(dict.fromkeys(m.party.id for m in parties))
    if len(ids) != 2:
        return None  # one name is no deal; three are an aggregate or a list
    figure = _figure(sentence, a, b, fig_from if fig_from is not None else parties[0].start, ne, money)
    if figure is None and not (_VAGUE.search(sentence, a, b) or (verb and _ACTION.match(verb))
                               or _EVENT.search(sentence, ne, b)):
        return None  # "Microsoft's deal with OpenAI" in passing: no figure and no event
    if word == "stake" and _HELD.search(sentence, a, b):
        return None  # a stake held and valued is a figure, not a deal
    first = owner_side if owner_side is not None else parties[0]
    second = next(m for m in parties if m.party.id != first.party.id)
    prep = next((p for p, m in after if m.party.id == second.party.id), "")
    deal_kind = kind or _NOUN_KIND.get(word)
    if deal_kind is None:
        deal_kind = _sells(first.party, second.party, directory)
        if deal_kind is not None and not plainly_sold(sentence, [m.party for m in parties], directory, word):
            return None  # "Microsoft's $10 billion deal with OpenAI": a cloud or chipmaker also invests and licenses
    if deal_kind is None:
        return None
    if deal_kind is _CH and "chipmaker" not in {_kind_value(m.party, directory) for m in parties}:
        deal_kind = _C  # GPUs from a cloud or neocloud are rented capacity
    start, end = min(ns, *(m.start for m in parties)), max(ne, *(m.end for m in parties))
    pay_first = _direction(sentence, word, deal_kind, first, second, prep, owner_side is owner and owner is not None,
                           verb, ne, directory)
    if pay_first is None:
        return None
    payer, recipient = (first.party, second.party) if pay_first else (second.party, first.party)
    return Nominal(payer, recipient, deal_kind, figure, start if fig_from is None else fig_from, end,
                   f"stated as a noun phrase ('{word}')", owner_side, verb)


def _direction(sentence: str, word: str, kind: DealKind, first: Mention, second: Mention, prep: str, owned: bool,
               verb: str, noun_end: int, directory: Directory) -> bool | None:
    """True when ``first`` pays, False when ``second`` does, None when nothing decides."""
    if kind in (_EQ, _DEBT):
        if owned and not prep and word in ("investment", "stake"):
            return True  # "Nvidia's $5 billion Intel stake": the owner holds a stake in the name inside
        if prep in ("in", "into", "to") and (owned or verb):
            return True  # "SoftBank's investment in OpenAI", "JPMorgan's loan to Crusoe"
        if prep == "from":
            return False  # "Crusoe's loan from JPMorgan"
        return _funder(kind, first.party, second.party, directory)
    if kind not in _PROVIDER_RANK:
        return None
    inner = sentence[noun_end:noun_end + 30]
    if _SUPPLY_INSIDE.match(inner):
        return False  # "Nebius's contract to supply Microsoft": the owner sells
    if _BUY_INSIDE.match(inner):
        return True
    if (owned or verb in ("has", "have", "had", "made", "makes")) and (word in _BUYER_NOUNS or prep == "to"):
        return True  # "Anthropic's $21 billion Broadcom order", "Meta has a $14.2 billion commitment to CoreWeave"
    r1, r2 = _rank(kind, first.party, directory), _rank(kind, second.party, directory)
    if r1 != r2:
        return r1 < r2
    if verb and _WINNER.match(verb):
        return False  # "Lambda lands … Microsoft deal": the one who wins a contract sells
    return None


def _access(sentence: str, a: int, b: int, ms: list[Mention], money: list[Money], kind: DealKind | None,
            directory: Directory) -> Nominal | None:
    """"The deal gives OpenAI access to Amazon's EC2 servers for $38 billion": the one given access pays."""
    for x, y in pairwise(ms):
        if x.party.id == y.party.id or not _GIVES.search(sentence, max(a, x.start - 20), x.start) \
                or not _ACCESS_TO.fullmatch(sentence[x.end:y.start]):
            continue
        deal_kind = kind or _sells(x.party, y.party, directory)
        if deal_kind is _CH and _kind_value(y.party, directory) != "chipmaker":
            deal_kind = _C
        if deal_kind not in _PROVIDER_RANK or _rank(deal_kind, y.party, directory) <= _rank(deal_kind, x.party, directory):
            return None
        figure = _figure(sentence, a, b, x.start, y.end, money, anywhere=True)
        if figure is None and not _VAGUE.search(sentence, a, b):
            return None
        return Nominal(x.party, y.party, deal_kind, figure, x.start, y.end, "the party given access pays")
    return None


def _customer(sentence: str, a: int, b: int, ms: list[Mention], money: list[Money], kind: DealKind | None,
              directory: Directory) -> Nominal | None:
    """"Microsoft is IREN's only customer under the $9.7 billion contract": the customer pays."""
    for x, y in pairwise(ms):
        if not _CUSTOMER.fullmatch(sentence[x.end:y.start]):
            continue
        c = _CUSTOMER_NOUN.match(sentence, y.end)
        if c is None or x.party.id == y.party.id:
            continue
        deal_kind = _L if c.group("noun").lower() == "tenant" else (kind or _sells(x.party, y.party, directory))
        if deal_kind not in _PROVIDER_RANK:
            return None
        figure = _figure(sentence, a, b, x.start, c.end(), money, anywhere=True)
        if figure is None and not _VAGUE.search(sentence, a, b):
            return None
        return Nominal(x.party, y.party, deal_kind, figure, x.start, c.end(), "the customer pays the provider")
    return None


def _plain(text: str, ms: list[Mention], offset: int) -> bool:
    """Whether ``text`` (at ``offset``) is only modifiers: a figure, adjectives, names; no verb or clause word."""
    if len(text) > 70 or re.search(r"[;:()]", text):
        return False
    masked = text
    for m in ms:
        if offset <= m.start and m.end <= offset + len(text):
            masked = masked[:m.start - offset] + " " * (m.end - m.start) + masked[m.end - offset:]
    words = re.findall(r"[A-Za-z][\w'-]*", masked)
    return len(words) <= 7 and not any(w.lower() in _STOP or _VERBISH.fullmatch(w) for w in words)


def _figure(sentence: str, a: int, b: int, start: int, noun_end: int, money: list[Money],
            anywhere: bool = False) -> Money | None:
    """The phrase's figure: inside it, or right after ("worth $X", ", valued at $X"); else the clause's only one."""
    here = [m for m in money if a <= m.start < b]
    inside = [m for m in here if start <= m.start < noun_end]
    if inside:
        return inside[0]  # "underwrite $1.4 billion of X's $3 billion contract": the phrase's own figure first
    for m in here:
        if (start - 40 <= m.start < start and m.end <= start and re.fullmatch(
                r"\s*(?:[\w-]+\s+){0,3}(?:between|with)?\s*", sentence[m.end:start])):
            return m  # "X's $14 billion contract", "the $17.4 billion deal between A and B"
        if noun_end <= m.start <= noun_end + 60 and re.search(
                r"(?:worth|valued at|totall?ing|of|at a cost of|for|,\s*at|,\s*(?:representing|generating|bringing))\s*"
                r"(?:about|around|roughly|approximately|more than|over|up to|"
                r"as much as|nearly|some)?\s*$", sentence[noun_end:m.start], re.I):
            return m
    if len(here) == 1 and (anywhere or re.search(r"\b(?:worth|valued at|at a cost of)\s*", sentence[a:here[0].start]
                                                 [-40:], re.I)):
        return here[0]
    return None


def _kind_value(party: PartyRef, directory: Directory) -> str:
    k = directory.kind(party.id)
    return k.value if k is not None else (guess_kind(party.name) or "")


def _rank(kind: DealKind, party: PartyRef, directory: Directory) -> int:
    if party.id == "hyperscalers" and kind in (_L, _CH):
        return -1  # an unnamed hyperscaler rents space and buys hardware from whoever it signs with
    return _PROVIDER_RANK.get(kind, {}).get(_kind_value(party, directory), 0)


def _funder(kind: DealKind, first: PartyRef, second: PartyRef, directory: Directory) -> bool | None:
    funders = _FUNDER_KINDS[kind]
    one = _kind_value(first, directory) in funders or first.id in ("bank-lenders", "bond-investors")
    two = _kind_value(second, directory) in funders or second.id in ("bank-lenders", "bond-investors")
    return one if one != two else None


def plainly_sold(sentence: str, parties: list[PartyRef], directory: Directory, word: str = "") -> bool:
    """Whether a deal with no kind word plainly buys what the seller sells: the seller sells nothing else (a
    neocloud, a data-centre company), the name is a cloud unit ("Azure", "Google Cloud"), the noun is an order, the
    seller "landed" or "won" the deal, or the sentence speaks of compute, chips or space. A cloud or a chipmaker
    also invests and licenses, so "Microsoft's $10 billion deal with OpenAI" alone says nothing of the kind.

    >>> from dealweb.extract.candidates import directory_for
    >>> d = directory_for(None)
    >>> ms, oa, cw = (d.mentions(n)[0].party for n in ("Microsoft", "OpenAI", "CoreWeave"))
    >>> plainly_sold("Microsoft's deal with OpenAI", [ms, oa], d), plainly_sold("CoreWeave's deal with OpenAI", [cw, oa], d)
    (False, True)
    """
    kinds = {k.value for k in (directory.kind(p.id) for p in parties) if k is not None}  # the ledger's, not guessed
    if kinds & {"neocloud", "data_center"} or word.lower().rstrip("s") in _BUYER_NOUNS:
        return True
    if any(_CLOUD_UNIT.search(p.surface or "") for p in parties):
        return True
    return _INFRA.search(sentence) is not None or _WON_DEAL.search(sentence) is not None


def _sells(one: PartyRef, two: PartyRef, directory: Directory) -> DealKind | None:
    """What a generic deal noun buys, from the seller's entity kind; ``None`` when it is not clear."""
    kinds = {_kind_value(one, directory), _kind_value(two, directory)}
    if kinds & {"investor", "bank", "government"}:
        return None  # money from a fund or bank may be equity or debt: the words must say
    for seller, kind in _SELLS:
        if seller in kinds:
            return kind
    return None
