"""A last reading for a sentence that names two companies and a deal figure but fits no frame.

Real news often states a deal in a construction no verb frame or noun phrase of
:mod:`~dealweb.extract.frames` and :mod:`~dealweb.extract.nominal` knows: "a $10 billion order from
OpenAI for Broadcom's custom accelerators", "Microsoft and Nebius's $17.4 billion arrangement", "the
agreement with Meta, one of Nebius's largest customers, is worth $3 billion", "OpenAI is on the hook
for $22 billion in payments to CoreWeave". :func:`read` is tried only when nothing else read the
sentence, and only when it has exactly the right ingredients:

* exactly one figure whose role is a deal amount (not revenue, capex, a valuation, a market value, a
  buyback, a total or a sum shared by several payers);
* a word of a deal (agreement, contract, deal, pact, commitment, order, investment, stake, licence,
  revenue share, lease, backstop, payments …) or of what it buys (compute, cloud, capacity, chips, GPUs, shares);
* two companies the sentence names as the deal's sides: never a name in a list ("customers include A, B
  and C", "such as"), in a relative clause about someone else (", whose customers include …"), a joint
  subject ("A and B will invest …", a shared figure), a speaker (", X said") or a sentence opener
  ("For Lambda, …"). With more than two, the two nearest the figure, when a third stands outside their phrase
  and is joined to neither; then only words may decide the direction.

Direction comes first from the words around each party — its preposition ("from", "to", "for", "in",
"at", "by"), a possessive of what is sold ("Broadcom's accelerators", "Groq's technology"), a dative
after "pay"/"hand", and role words ("the customer", "one of Nebius's largest customers", "an investor in
CoreWeave", "the landlord", "xAI's lender Apollo") — then from the parties' entity kinds as in
:mod:`~dealweb.extract.nominal` (the provider of compute, chips or space is paid; an investor pays
equity; a bank lends). When neither decides, or the words contradict each other, there is no reading.
Its candidates carry the signal ``backoff`` (:data:`~dealweb.extract.roles.SIGNALS`).
"""

from __future__ import annotations

import re

from dealweb.extract import nominal
from dealweb.extract.amounts import Money, context_role, sentence_qualifier
from dealweb.extract.parties import Directory, Mention
from dealweb.extract.patterns import cues, kind_of
from dealweb.extract.phrases import _CLOUDS, _REFUSED, _TALKS
from dealweb.extract.roles import ClauseDeal, Context, _inside
from dealweb.model.vocab import DealKind, Qualifier

__all__ = ["note", "read"]

_C, _CH, _L = DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE, DealKind.LEASE
_EQ, _DEBT, _LIC, _RS = DealKind.EQUITY_INVESTMENT, DealKind.DEBT, DealKind.LICENSING, DealKind.REVENUE_SHARE
#: The kinds a back-off reading may give: takeovers, ventures, warrants and guarantees need their own words.
_BACK = DealKind.BACKSTOP
_KINDS = frozenset({_C, _CH, _L, _EQ, _DEBT, _LIC, _RS, _BACK})
_GOODS_KINDS = frozenset({_C, _CH, _L, _LIC})

_MAX_CHARS = 700

# A word of a deal, or of what one buys.
_DEAL_WORD = re.compile(r"\b(?:agreements?|contracts?|deals?|partnerships?|pacts?|commitments?|orders?|investments?|"
                        r"stakes?|licen[cs](?:e|es|ing)|revenue[- ]shar\w*|leases?|lease-back|arrangements?|payments?|"
                        r"purchases?|package|rent|round|loans?|financing|backstops?|guarantees?)\b", re.I)
_KIND_WORD = re.compile(r"\b(?:compute|computing|cloud|capacity|chips?|GPUs?|TPUs?|accelerators?|shares|equity)\b", re.I)
_NOUN_KIND = (("licen", _LIC), ("investment", _EQ), ("stake", _EQ), ("loan", _DEBT), ("lease", _L))

# Names that are not a side: a list, a relative clause, a speaker.
_LIST_LEAD = re.compile(r"\b(?:includ(?:e|es|ed|ing)|such as|like|among them|among|counts?|counting|alongside|"
                        r"as well as|along with|other than|besides|rivals?|competitors?|peers?)\s+(?:the\s+)?$", re.I)
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)\s*")
_SAID_AFTER = re.compile(r"^\s+(?:said|says|told|reported|added|announced|disclosed|confirmed|noted|wrote)\b", re.I)

# What a seller of each kind sells, after its possessive: "Broadcom's custom accelerators", "Groq's technology".
_CHIPS = r"chips?|GPUs?|TPUs?|accelerators?|processors?|semiconductors?|systems|servers?|racks?|hardware|superchips?"
_SPACES = r"data[- ]cent(?:re|er)s?|campus(?:es)?|sites?|facilit(?:y|ies)|space|buildings?"
_GOODS = {_CH: _CHIPS,
          _C: _CHIPS + r"|cloud|compute|computing|capacity|clusters?|infrastructure|services?|platform|supercomputers?|"
          + _SPACES,
          _L: _SPACES,
          _LIC: r"technology|technologies|models?|IP|intellectual property|software|platform|patents?|characters?"}
_POSS_GOODS = {k: re.compile(r"^(?:'s?|’s?)\s+(?:[\w-]+\s+){0,3}?(?:" + v + r")\b", re.I) for k, v in _GOODS.items()}
_POSS_REVENUE = re.compile(r"^(?:'s?|’s?)\s+(?:[\w-]+\s+){0,2}?(?:revenues?|sales|income|profits?)\b", re.I)
_POSS_COVERED = re.compile(r"^(?:'s?|’s?)\s+(?:[\w-]+\s+){0,2}?(?:capacity|leases?|obligations?|rent|debt|loans?|"
                           r"payments?|commitments?)\b", re.I)
_POSS_SHARES = re.compile(r"^(?:'s?|’s?)\s+(?:[\w-]+\s+){0,2}?(?:stock|shares|equity)\b", re.I)

# Role words: "the customer", "one of Nebius's largest customers", "xAI's lender Apollo".
_PAYER_ROLE = r"customers?|clients?|buyers?|tenants?|investors?|backers?|lenders?|licensees?|shareholders?|financiers?"
_PAID_ROLE = r"suppliers?|providers?|vendors?|sellers?|landlords?|borrowers?|licensors?|hosts?"
_ROLE = r"(?P<role>" + _PAYER_ROLE + "|" + _PAID_ROLE + r")\b"
# After the name: ", the customer,", ", one of Nebius's largest customers", " is its biggest customer", "makes Nvidia
# its biggest customer" (not "a Google cloud customer": there the name is the customer's supplier, see _ROLE_MOD).
_ROLE_AFTER = re.compile(r"^\s*(?:,\s*|\s+(?:is|was|has been|became|remains|will be)\s+|\s+(?=(?:its|their|the|an?|one)\s))"
                         r"(?:(?:the|an?|its|their|one of|among|another)\s+){0,3}(?:(?P<owner>[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)?)"
                         r"(?:'s?|’s?)\s+)?(?:[\w-]+\s+){0,3}?" + _ROLE, re.I)
# Before the name: "Poolside's chip supplier Nvidia", "the landlord, Crusoe".
_ROLE_BEFORE = re.compile(r"\b" + _ROLE + r"\s*,?\s*$", re.I)
# The name as a modifier: "a Google cloud customer", "an Nvidia supplier": the name is the other side of the role.
_ROLE_MOD = re.compile(r"^\s+(?:[\w-]+\s+){0,2}?" + _ROLE, re.I)
_ARTICLE = re.compile(r"\b(?:a|an|the|another|its|their)\s+(?:[\w-]+\s+)?$", re.I)
# A figure that is not paid in a deal: a loss, earnings, cash burned, a settlement, a fine.
_NOT_PAID = re.compile(r"\b(?:lost|loses|losing|earned|earns|posted|reported|generated|generates|burn(?:s|ed|t|ing)?"
                       r"(?:\s+through)?|netted|forecast|forecasts|projects|projected|expects?)\s+(?:a\s+)?(?:about|around|"
                       r"roughly|nearly|more than|over|some|almost|an estimated)?\s*$", re.I)
# Spending on one's own assets: "will spend $50 billion on its own data centres".
_OWN = re.compile(r"\b(?:its|their)\s+own\b", re.I)
_NOT_PAID_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:to settle|settlements?|fines?|penalt\w*|damages|in taxes|tax bill|"
                             r"net loss|loss|of cash|in cash burn|in free cash flow)\b", re.I)
# "X's customers": the owner of a customer is the seller; of a supplier, the buyer.
_OWNER_OF_ROLE = re.compile(r"^(?:'s?|’s?)\s+(?:[\w-]+\s+){0,3}?" + _ROLE, re.I)

# Money nouns and verbs: "payments to X", "$X from Microsoft", "an order from OpenAI", "pay X".
_MONEY_NOUN = (r"(?:payments?|commitments?|orders?|contracts?|business|revenue|money|cash|funding|rent|fees?|"
               r"spending|bill|deal|agreement)")
# (a few words may stand between: "an order of about $10 billion in hand from OpenAI", never what is bought)
_FROM_MONEY = re.compile(r"(?:\d(?:\s*(?:billion|million|trillion|bn|m))?|" + _MONEY_NOUN + r")"
                         r"(?P<between>(?:\s+[\w-]+){0,3}?)\s+from\s+(?:the\s+)?$", re.I)
_TO_MONEY = re.compile(_MONEY_NOUN + r"\s+to\s+(?:the\s+)?$", re.I)
_TO_SUPPLY = re.compile(r"\b(?:sell|sells|sold|supply|supplies|supplied|provide|provides|provided|deliver|delivers|"
                        r"delivered|rent|rents|rented|lease|leases|leased|license|licence|licenses|licensed)\b"
                        r"[^;$€£]{0,60}\bto\s+(?:the\s+)?$", re.I)
_DATIVE = re.compile(r"\b(?:pay|pays|paid|paying|hand|hands|handed|handing)\s+$", re.I)
_GIVEN = re.compile(r"\b(?:gives?|giving|gave|grants?|granting|granted|lets?)\s+$", re.I)
_PREP = re.compile(r"\b(?P<p>from|to|for|in|into|at|by|with)\s+(?:the\s+)?$", re.I)


def read(sentence: str, mentions: list[Mention], money: list[Money], masked: list[tuple[int, int]],
         directory: Directory) -> list[ClauseDeal]:
    """The one deal a sentence no other rule read, or nothing.

    ``mentions`` are every known company the sentence names (background included: an appositive such as
    ", one of Nebius's largest customers," says which side a name is on), ``money`` its figures outside the
    background, ``masked`` the background spans (:func:`~dealweb.extract.clauses.mask_background`).

    >>> from dealweb.extract.candidates import directory_for
    >>> from dealweb.extract.amounts import find_money
    >>> d = directory_for(None)
    >>> s = "A $10 billion order from OpenAI for Broadcom's custom accelerators will ship next year."
    >>> [(x.payer.id, x.recipient.id, x.kind.value, x.money.amount) for x in read(s, d.mentions(s), find_money(s), [], d)]
    [('openai', 'broadcom', 'chip_purchase', Decimal('10000000000'))]
    """
    if len(sentence) > _MAX_CHARS or _TALKS.search(sentence) or _REFUSED.search(sentence) or _RUMOUR.search(sentence):
        return []
    figures = [m for m in money if not m.is_price]
    deal = [m for m in figures if context_role(sentence, m) == "deal" and not nominal.not_a_deal_figure(sentence, m)
            and not nominal.aggregate(sentence, m)]
    if len(deal) != 1 or any(context_role(sentence, m) in ("total", "component") for m in figures):
        return []
    fig = deal[0]
    if _NOT_PAID.search(sentence, max(0, fig.start - 40), fig.start) or _NOT_PAID_AFTER.match(sentence[fig.end:fig.end + 60]):
        return []
    if not (_DEAL_WORD.search(sentence) or _KIND_WORD.search(sentence)) or _OWN.search(sentence):
        return []
    sides = _sides(sentence, mentions, masked, fig)
    if sides is None:
        return []
    first, second, crowded = sides
    if any(all(_inside(m.start, masked) for m in mentions if m.party.id == side.party.id) for side in (first, second)) and \
            not _DEAL_WORD.search(_unmasked(sentence, masked)):
        return []  # a side named only in a description ("Anthropic, a Google Cloud customer, will spend …"): no deal
    kind = _kind(sentence, mentions, first, second, directory)
    if kind is None:
        return []
    if kind is _CH and "chipmaker" not in {nominal._kind_value(m.party, directory) for m in (first, second)}:
        kind = _C  # GPUs between a cloud and a neocloud are rented capacity
    pay_first, by_words = _direction(sentence, kind, first, second, mentions, directory)
    if pay_first is None or (crowded and not by_words):
        return []  # with a third company in the clause, only the words may pair and direct the two
    payer, recipient = (first, second) if pay_first else (second, first)
    kind_rv = directory.kind(recipient.party.id)
    if kind is _CH and (kind_rv is None or kind_rv.value != "chipmaker"):
        kind = _C  # GPUs from a cloud or neocloud are rented capacity
    if kind is _L and kind_rv in _CLOUDS and _RENTED.search(sentence) and not _SPACE.search(sentence):
        kind = _C  # "a lease-back of GPUs" from a neocloud is rented compute
    qualifier = fig.qualifier
    if qualifier is Qualifier.EXACT and sentence_qualifier(sentence) is not None:
        qualifier = Qualifier.ESTIMATE
    start, end = min(first.start, second.start, fig.start), max(first.end, second.end, fig.end)
    return [ClauseDeal(payer.party, recipient.party, kind, fig, qualifier, start, end, 0.45,
                       ("read by the back-off rule: no verb frame, two companies and one deal figure",),
                       frozenset({"backoff", "in_sentence", "one_figure"}))]


# A takeover that has not been agreed (a bid, an approach) is no deal for this rule either.
_RUMOUR = re.compile(r"\b(?:could|might|may|would)\s+(?:\w+\s+)?(?:be\s+)?(?:worth|valued|cost)\b|\b(?:bid|offer)\s+for\b|"
                     r"\b(?:potential|possible|proposed|planned|considering|weighing|exploring|mulling)\b", re.I)
_RENTED = re.compile(r"\b(?:GPUs?|TPUs?|compute|computing|capacity|servers?|clusters?|chips?|accelerators?)\b", re.I)
_SPACE = re.compile(r"\b(?:space|power|site|campus|building|land|colocation|data[- ]cent(?:er|re)s?|facility|MW|"
                    r"megawatts?|gigawatts?|GW)\b", re.I)


def _listed(sentence: str, m: Mention, ms: list[Mention]) -> bool:
    """Whether a name stands in a list ("A, B and C", "customers include A and B", "such as A") or is a speaker."""
    if _SAID_AFTER.match(sentence[m.end:m.end + 20]):
        return True
    run = [m]
    for x in ms:  # the names joined to this one by commas and "and"
        if x.start >= run[-1].end and _JOIN.fullmatch(sentence[run[-1].end:x.start]):
            run.append(x)
    for x in reversed(ms):
        if x.end <= run[0].start and _JOIN.fullmatch(sentence[x.end:run[0].start]):
            run.insert(0, x)
    if len({x.party.id for x in run}) >= 3:
        return True
    if len(run) == 2 and sentence[run[0].end:run[1].start].strip() == ",":
        run = [m]  # "Like Google, Meta has …": a bare comma ends an opening phrase; two names make no list
    return _LIST_LEAD.search(sentence[max(0, run[0].start - 40):run[0].start]) is not None


def _sides(sentence: str, mentions: list[Mention], masked: list[tuple[int, int]],
           fig: Money) -> tuple[Mention, Mention, bool] | None:
    """The two names that are the deal's sides and whether other companies stand in the clause too, or ``None``."""
    relative = [(a, b) for a, b in masked if re.match(r",\s*(?:which|who|whose)\b", sentence[a:b])]
    ms = [m for m in sorted(mentions, key=lambda m: m.start) if m.party.known and not _inside(m.start, relative)]
    ms = [m for m in ms if not _listed(sentence, m, ms)]
    ids = list(dict.fromkeys(m.party.id for m in ms))
    if len(ids) > 2:
        # The figure's clause (between ";" or sentence ends) must hold exactly two of them.
        a = max(sentence.rfind(";", 0, fig.start) + 1, 0)
        b = sentence.find(";", fig.end)
        b = len(sentence) if b < 0 else b
        ms = [m for m in ms if a <= m.start < b]
        ids = list(dict.fromkeys(m.party.id for m in ms))
    if len(ids) < 2:
        return None
    # The mention of each company nearest the figure.
    near = sorted((min((m for m in ms if m.party.id == i), key=lambda m: abs(m.start - fig.start)) for i in ids),
                  key=lambda m: abs(m.start - fig.start))
    crowded = len(near) > 2
    if crowded:
        # "A $10 billion order from OpenAI for Broadcom's accelerators is a blow to Nvidia": the two the figure's
        # phrase holds, when every other company stands after both of them or before both, never between.
        lo, hi = min(near[0].start, near[1].start, fig.start), max(near[0].end, near[1].end, fig.end)
        if len(near) > 3 or lo <= near[2].start < hi:
            return None
        if any(re.fullmatch(r"\s*(?:,|and|, and|&|or)\s*", sentence[min(x.end, y.end):max(x.start, y.start)])
               for x in near[:2] for y in ms if y.party.id == near[2].party.id):
            return None  # "Microsoft and Nebius will spend … from CoreWeave": a joint subject, not one side
    one, two = sorted(near[:2], key=lambda m: m.start)
    gap = sentence[one.end:two.start]
    opening = gap.strip() == "," and _PREP.search(sentence[max(0, one.start - 20):one.start]) is not None
    if re.fullmatch(r"\s*(?:and|&|,)\s*", gap) and not opening and \
            not re.match(r"\s*(?:'s?|’s?)\s", sentence[two.end:two.end + 4]):
        return None  # "A and B will invest …": joint payers of a shared figure, not the two sides ("… with Meta, Nebius" is)
    return one, two, crowded


def _kind(sentence: str, mentions: list[Mention], first: Mention, second: Mention,
          directory: Directory) -> DealKind | None:
    names = [(m.start, m.end) for m in mentions]
    found = [c for c in cues(sentence) if not _inside(c.start, names)]
    if nominal.stock_talk(sentence):
        found = [c for c in found if c.kind is not _EQ]
    kind = kind_of(found)
    if kind is None:
        low = sentence.lower()
        kind = next((k for word, k in _NOUN_KIND if word in low), None)
    if kind is None:
        kind = nominal._sells(first.party, second.party, directory)
        noun = _DEAL_WORD.search(sentence)
        if kind is not None and not nominal.plainly_sold(sentence, [first.party, second.party], directory,
                                                         noun.group() if noun is not None else ""):
            return None  # "Microsoft's $10 billion deal with OpenAI": a cloud also invests and licenses
    return kind if kind in _KINDS else None


def _vote(sentence: str, m: Mention, kind: DealKind, mentions: list[Mention]) -> set[str]:
    """Which side the words around one name put it on: "payer", "paid", both (a contradiction) or none."""
    out: set[str] = set()
    before = sentence[max(0, m.start - 80):m.start]
    after = sentence[m.end:m.end + 80]
    goods = kind in _GOODS_KINDS
    # Role words.
    r = _ROLE_AFTER.match(after)
    if r is not None:
        out.add("payer" if re.fullmatch(_PAYER_ROLE, r.group("role"), re.I) else "paid")
    r = _ROLE_MOD.match(after) if _ARTICLE.search(before[-30:]) and _ROLE_AFTER.match(after) is None else None
    if r is not None:  # "a Google cloud customer": Google is the one paid
        out.add("paid" if re.fullmatch(_PAYER_ROLE, r.group("role"), re.I) else "payer")
    r = _ROLE_BEFORE.search(before)
    if r is not None:
        out.add("payer" if re.fullmatch(_PAYER_ROLE, r.group("role"), re.I) else "paid")
    r = _OWNER_OF_ROLE.match(after)
    if r is not None:  # "Nebius's largest customers": Nebius is the one paid
        out.add("paid" if re.fullmatch(_PAYER_ROLE, r.group("role"), re.I) else "payer")
    # Possessives of what is sold, of revenue, of shares.
    sold = goods and r is None and _POSS_GOODS[kind].match(after) is not None
    if sold:
        out.add("paid")
    if kind is _BACK and _POSS_COVERED.match(after):
        out.add("paid")  # "covers CoreWeave's unsold capacity": the one protected
    if kind is _RS and _POSS_REVENUE.match(after):
        out.add("payer")
    if kind is _EQ and _POSS_SHARES.match(after):
        out.add("paid")
    if _DATIVE.search(before):
        out.add("paid")
    if goods and _GIVEN.search(before):
        out.add("payer")  # "gives Nvidia rights to …": the one given the use pays
    p = _PREP.search(before)
    if p is not None:
        prep = p.group("p").lower()
        head = before[:p.start()]
        if kind is _BACK:
            # "the $6.3 billion backstop from Nvidia": the guarantor pays; "for X" is protected
            if prep in ("from", "by"):
                out.add("payer")
            elif prep == "for":
                out.add("paid")
        elif prep == "from":
            paid_from = _FROM_MONEY.search(before)
            if paid_from is not None and re.search(_GOODS[_CH] + "|" + _GOODS[_C] + "|" + _GOODS[_LIC] + r"|\bof\b",
                                                   paid_from.group("between"), re.I):
                paid_from = None  # "$5 billion of chips from Nvidia": the goods come from Nvidia
            out.add("payer" if (not goods or paid_from is not None) else "paid")
        elif prep == "to":
            if _TO_MONEY.search(before):
                out.add("paid")
            elif _TO_SUPPLY.search(before):
                out.add("payer")
            elif kind in (_EQ, _DEBT):
                out.add("paid")
        elif prep == "for" and head.strip():  # (not an opening "For Lambda, …")
            if goods:
                out.add("paid" if sold else "payer")
            elif kind in (_EQ, _DEBT):
                out.add("paid")
        elif prep in ("in", "into") and kind is _EQ:
            out.add("paid")
        elif prep == "at" and kind in (_C, _L):
            out.add("paid")
        elif prep == "by" and kind in (_EQ, _DEBT) and re.search(r"\b(?:backed|funded|financed|led|provided)\s+$", head):
            out.add("payer")
    return out


def _direction(sentence: str, kind: DealKind, first: Mention, second: Mention, mentions: list[Mention],
               directory: Directory) -> tuple[bool | None, bool]:
    """Whether ``first`` pays (True), ``second`` does (False) or nothing decides (None); and whether words decided."""
    one = set().union(*(_vote(sentence, m, kind, mentions) for m in mentions if m.party.id == first.party.id))
    two = set().union(*(_vote(sentence, m, kind, mentions) for m in mentions if m.party.id == second.party.id))
    if len(one) > 1 or len(two) > 1 or (one and one == two):
        return None, True  # the words contradict each other
    if one or two:
        return one == {"payer"} or two == {"paid"}, True
    if kind in (_EQ, _DEBT):
        return nominal._funder(kind, first.party, second.party, directory), False
    if kind in (_C, _CH, _L):
        r1, r2 = nominal._rank(kind, first.party, directory), nominal._rank(kind, second.party, directory)
        return (None if r1 == r2 else r1 < r2), False
    return None, False


def _unmasked(sentence: str, masked: list[tuple[int, int]]) -> str:
    """The sentence with its background spans blanked out."""
    out = list(sentence)
    for a, b in masked:
        out[a:b] = " " * (b - a)
    return "".join(out)


def note(context: Context, deal: ClauseDeal) -> None:
    """What a back-off reading tells later sentences, as any reading does: the recipient is the company the text is
    about; an investment's recipient is the one funded; a compute or lease payer is the tenant."""
    context.note(deal.payer)
    context.note(deal.recipient)
    context.topic = deal.recipient
    if deal.kind is _EQ:
        context.funded = deal.recipient
    if deal.kind in (_L, _C):
        context.tenant = deal.payer
