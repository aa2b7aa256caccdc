"""Deals whose parts are in different sentences or clauses.

* a venture agreed in one sentence and named in the next ("… agreed to form a joint venture.
  The new venture, named X, …"): one figureless deal per partner;
* a sale with the supplier as subject whose buyer a later sentence names ("the buyer: X", or a
  deal with the same seller);
* a backstop whose figure is the order it stands behind, in the same sentence.
"""

from __future__ import annotations

import re

from dealweb.extract.amounts import Money
from dealweb.extract.parties import Directory, Mention, PartyRef, slug
from dealweb.extract.phrases import (
    _CLOUDS,
    _EACH,
    _NAMED,
    _NAMED_APPOSED,
    _TALKS,
)
from dealweb.extract.roles import ClauseDeal, Context
from dealweb.model.vocab import DealKind, Qualifier

__all__: list[str] = []

_VEHICLE = re.compile(r"\b(?:named|called|dubbed|known as|under the (?:name|brand))\s+[\"“']?"
                      r"([A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|&))*)")
# "a joint venture, SB OpenAI Japan, to sell …": the name in apposition, closed by a comma and not a speaker's.
_VEHICLE_APPOSED = re.compile(r"\b(?i:joint venture|venture|JV),\s+([A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|&)){1,4})"
                              r"(?=\s*,(?!\s*(?:said|says|told|added|according)\b))")
_OWN_COMPANY = re.compile(r"\b(?:his|her|their|our)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|group|business|conglomerate)\b",
                          re.I)
_VENTURE_NAMED = re.compile(r"(?:\b(?:venture|JV|joint company|new company|entity|vehicle)\b|^(?:It|The company|The firm)\b)"
                            r"[^.;]{0,40}?"
                            r"\b(?:named|called|dubbed|known as|under the (?:name|brand))\s", re.I)
# Verbs of putting money into a venture already named ("Oracle and MGX would contribute $7 billion apiece").
_CONTRIBUTE = re.compile(r"\b(?:contribut\w*|commit\w*|put\w* (?:up|in)|chip\w* in)\b", re.I)


def _named_vehicles(sentence: str, mentions: list[Mention], directory: Directory) -> list[Mention]:
    """A name after "named"/"called" is one party, even when it contains a partner's name ("SB OpenAI Japan")."""
    out = mentions
    for m in [*_VEHICLE.finditer(sentence), *_VEHICLE_APPOSED.finditer(sentence)]:
        a, b = m.span(1)
        name = m.group(1)
        if any(x.start == a and x.end == b for x in out) or len(name.split()) < 2:
            continue
        out = [x for x in out if not (a <= x.start and x.end <= b)]
        out.append(Mention(a, b, PartyRef(slug(name), name, name, known=False)))
        out.sort(key=lambda x: x.start)
    return out


# Words of setting a venture up (not of running one that exists: "the joint venture will build …").
_FORM = re.compile(r"\b(?:form\w*|creat\w*|set(?:ting)? up|sets up|establish\w*|launch\w*|start\w*|announc\w*|unveil\w*|"
                   r"agree\w*|sign\w*|plan\w*|team\w* up|pool\w*|contribut\w*|will (?:hold|own)|to (?:hold|own)|"
                   r"partner\w* (?:with|to))\b", re.I)


def proposed_vehicle(partners: list[PartyRef]) -> PartyRef:
    """The joint venture of partners who never name it, proposed as a new entity.

    >>> v = proposed_vehicle([PartyRef("nvidia", "Nvidia", "Nvidia"), PartyRef("samsung", "Samsung", "Samsung")])
    >>> v.id, v.name, v.known
    ('nvidia-samsung-jv', 'Nvidia–Samsung joint venture', False)
    """
    name = "–".join(p.surface or p.name for p in partners) + " joint venture"
    return PartyRef(slug("-".join(p.id for p in partners) + "-jv"), name, name, known=False)


def is_proposed_vehicle(party: PartyRef) -> bool:
    return not party.known and party.id.endswith("-jv") and party.name.endswith(" joint venture")


def unnamed_venture(partners: list[PartyRef], clause: str, money: list[Money],
                    context: Context) -> list[tuple[PartyRef, PartyRef, Money | None, list[str]]]:
    """"A and B formed a joint venture …", the venture never named: each partner pays into a proposed vehicle.

    Only when the clause sets the venture up (form, create, set up, agree, will hold …), not in talks,
    with two or more distinct partners. One figure for several partners is the venture's total, not a
    part ("… to raise $15 billion"), unless "each"/"apiece" says so. A name given in a later sentence
    replaces the proposal (:func:`~dealweb.extract.articles.drop_replaced_vehicles`).
    """
    distinct = list({p.id: p for p in partners}.values())
    from dealweb.extract.ventures import NOT_A_VENTURE

    if len(distinct) < 2 or len(distinct) > 4 or not _FORM.search(clause) or _TALKS.search(clause) or \
            NOT_A_VENTURE.search(clause):
        return []
    vehicle = proposed_vehicle(distinct)
    context.venture = (vehicle, distinct, 0)
    if len(distinct) > 1 and len(money) >= 1 and "respectively" in clause.lower() and len(money) == len(distinct):
        shares: list[Money | None] = list(money)
    elif len(money) == 1 and _EACH.search(clause):
        shares = [money[0]] * len(distinct)
    else:
        shares = [None] * len(distinct)
    note = "the venture is not named; proposed as a new entity for its partners"
    return [(p, vehicle, m, [note]) for p, m in zip(distinct, shares, strict=True)]


_INTO_VENTURE = re.compile(r"\b(?:in|into|to|toward|towards|for)\s+(?:the|this|that|their)\s+(?:new\s+|joint\s+)?"
                           r"(?:venture|JV|partnership|vehicle|project|consortium)\b", re.I)


# "…, with TPG committing A$3 billion": one partner's own part, told in a trailing with-clause.
_WITH_PART = re.compile(r"\bwith\s+(?P<who>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})\s+(?:committing|contributing|investing|"
                        r"putting in|providing|injecting)\s+(?:up to\s+|about\s+|around\s+|roughly\s+)?$")


def _trailing_part(sentence: str, out: list[ClauseDeal], money: list[Money]) -> None:
    """Give a partner's figureless venture deal the figure of "…, with <partner> committing $Y" in its sentence."""
    for m in money:
        lead = _WITH_PART.search(sentence[max(0, m.start - 80):m.start])
        if lead is None:
            continue
        for i, x in enumerate(out):
            if x.kind is DealKind.JV and x.money is None and lead.group("who") in (x.payer.surface, x.payer.name):
                out[i] = ClauseDeal(x.payer, x.recipient, x.kind, m, m.qualifier, x.start, x.end, x.confidence,
                                    (*x.notes, "the partner's part is told in a trailing with-clause"),
                                    x.signals | {"one_figure"})
                break


_INVESTS = re.compile(r"\b(?:invest\w*|put\w*|contribut\w*|commit\w*|inject\w*|pour\w*)\b", re.I)
_JOINTLY = re.compile(r"\b(?:jointly|together|combined|between them|in total|in all)\b", re.I)


def _joint_payers(sentence: str, named: list[Mention], figure: Money) -> bool:
    """Whether the partner nearest before the figure is the last of several joined by "and" ("A and B will put in
    $1 billion"): one figure for several partners."""
    before = [m for m in named if m.end <= figure.start]
    return len(before) >= 2 and re.fullmatch(r"\s*(?:,|and|, and|&)\s*", sentence[before[-2].end:before[-1].start]) \
        is not None


def _venture_contribution(sentence: str, mentions: list[Mention], out: list[ClauseDeal], context: Context,
                          money: list[Money]) -> list[ClauseDeal]:
    """"Blue Owl will put $4 billion into the venture": a partner's part of the venture told just before.

    The venture is the last one the text told of, at most two sentences back; the payer is a partner
    named before the figure (all partners with "each"/"apiece"). Only a figure whose role is a deal's.
    """
    ventures = [x for x in out if x.kind is DealKind.JV]
    if ventures:
        # A venture told here (named or not): "the partners", "the venture" in the next sentences are its own.
        vehicle = ventures[-1].recipient
        context.venture = (vehicle, [x.payer for x in ventures if x.recipient.id == vehicle.id], 0)
        _trailing_part(sentence, out, money)
        return []
    if context.venture is None:
        return []
    vehicle, partners, age = context.venture
    context.venture = None if age >= 2 else (vehicle, partners, age + 1)
    if out or len(sentence) > 600 or not (_INTO_VENTURE.search(sentence) or _CONTRIBUTE.search(sentence)) \
            or _TALKS.search(sentence):
        return []
    from dealweb.extract.amounts import context_role

    figures = [m for m in money if context_role(sentence, m) == "deal"]
    ids = {p.id for p in partners}
    named = [m for m in mentions if m.party.id in ids]
    if not named and len(figures) == 1 and _INVESTS.search(sentence) and _INTO_VENTURE.search(sentence):
        # "Blue Owl will invest $3 billion in the project": a new partner puts money into the venture just told.
        newcomer = [m for m in mentions if m.end <= figures[0].start and m.party.id != vehicle.id]
        named = newcomer[-1:] if len(newcomer) == 1 else []
    if len(figures) == 1 and _EACH.search(sentence):
        parts: list[tuple[PartyRef, Money]] = [(p, figures[0]) for p in partners]
    elif len(figures) == 1 and (_JOINTLY.search(sentence) or _joint_payers(sentence, named, figures[0])):
        return []  # "The two companies will jointly invest $1 billion": the venture's total, no partner's part
    elif len(figures) == 1:
        parts = [(m.party, figures[0]) for m in named if m.end <= figures[0].start][-1:]
    elif "respectively" in sentence.lower() and len(figures) == len(named) and \
            all(n.end <= figures[0].start for n in named):
        parts = [(n.party, f) for n, f in zip(named, figures, strict=True)]  # "A and B will put in $3B and $2B respectively"
    elif figures and len(named) == len(figures) and all(
            n.end <= f.start and (i + 1 == len(named) or f.end <= named[i + 1].start)
            for i, (n, f) in enumerate(zip(named, figures, strict=True))):
        parts = [(n.party, f) for n, f in zip(named, figures, strict=True)]  # "A will contribute $1B and B $500M"
    else:
        return []
    return [ClauseDeal(p, vehicle, DealKind.JV, f, f.qualifier, 0, len(sentence), 0.5,
                       ("the venture is the one told in a sentence before",),
                       frozenset({"one_figure", "linked", "strong_kind"} | ({"vehicle"} if is_proposed_vehicle(vehicle)
                                                                            else set())))
            for p, f in parts]


_UNDER_NAME = re.compile(r"\bunder the (?:name|brand)\s+[\"“']?$", re.I)


def _venture_deals(sentence: str, mentions: list[Mention], context: Context, start: int, end: int) -> list[ClauseDeal]:
    """The venture agreed in an earlier sentence is named here: one figureless deal per partner."""
    partners = context.venture_partners
    if not partners and context.venture is not None and context.venture[2] < 3 and is_proposed_vehicle(context.venture[0]):
        partners = context.venture[1]  # a venture told by its owners ("A and B will each own half of the new company")
    if not partners or not (_VENTURE_NAMED.search(sentence) or _VEHICLE_APPOSED.search(sentence)):
        return []
    named = next((m for m in mentions if _NAMED.search(sentence[max(0, m.start - 20):m.start]) or
                  _UNDER_NAME.search(sentence[max(0, m.start - 20):m.start]) or (
        not m.party.known and _NAMED_APPOSED.search(sentence[max(0, m.start - 20):m.start]))), None)
    if named is None:
        return []
    context.venture_partners = []
    return [ClauseDeal(p, named.party, DealKind.JV, None, Qualifier.UNDISCLOSED, start, end, 0.5,
                       ("the venture is named in a later sentence than the one agreeing it",),
                       frozenset({"strong_kind", "linked"}))
            for p in partners if p.id != named.party.id]


# ", which put in $1.25 billion": the news told in a relative clause about the investor just named.
_RELATIVE_INVEST = re.compile(r",\s*(?:which|who)\s+(?:\w+\s+){0,2}?(?:put|puts|poured|injected|invested|invests|contributed|"
                              r"committed|provided|chipped)\b(?P<body>[^,;]*)", re.I)
_PAST_BACKGROUND = re.compile(r"\b(?:had|has|have)\s+(?:already\s+|previously\s+|also\s+)?\w+|\balready\b|\bpreviously\b|"
                              r"\bearlier\b|\blast year\b", re.I)
_ROUND_TALK = re.compile(r"\b(?:led|co-led|round|investors|included|include|backers|participants|raised|raising|"
                         r"funding|financing)\b", re.I)
_INTO = re.compile(r"\b(?:in|into)\s+(?:the\s+)?(?:company|startup|start-up|firm|lab|business|it)\b", re.I)


def _relative_investments(sentence: str, mentions: list[Mention], out: list[ClauseDeal], context: Context,
                          money: list[Money], directory: Directory) -> list[ClauseDeal]:
    """"The round was led by Thrive Capital, which put in $1.25 billion into the company": Thrive invests.

    The investor is the company named right before ", which"; the company invested in is one
    named in the clause after "in/into", else the company the text is about (the recipient of
    a deal in this sentence or an earlier one). A past deal told as background ("which had
    already invested …", or in a sentence not about a round) is left out, as the development
    set's conventions do.
    """
    found: list[ClauseDeal] = []
    for m in _RELATIVE_INVEST.finditer(sentence):
        if not _ROUND_TALK.search(sentence[:m.start()] + " " + sentence[m.end():]):
            continue  # an investor's past deal mentioned in passing, not the round the sentence is about
        body_start, body_end = m.start("body"), m.end("body")
        figure = next((x for x in money if body_start <= x.start < body_end), None)
        if figure is None or _PAST_BACKGROUND.search(sentence[m.start():body_end]):
            continue
        named_before = sorted([*mentions, *directory.unknown_orgs(sentence[:m.start()], [(x.start, x.end) for x in mentions])],
                              key=lambda x: x.start)
        investor = next((x.party for x in reversed(named_before) if x.end <= m.start()
                         and re.fullmatch(r"(?:'s)?\s*", sentence[x.end:m.start()])), None)
        if investor is None:
            continue
        named = next((x.party for x in mentions if body_start <= x.start < body_end
                      and re.search(r"\b(?:in|into)\s+(?:the\s+)?$", sentence[max(body_start, x.start - 12):x.start])), None)
        target = named or next((x.recipient for x in out if x.recipient.id != investor.id), None)
        if target is None and (_INTO.search(sentence[body_start:body_end]) or context.topic is not None):
            target = context.topic if context.topic is not None and context.topic.id != investor.id else None
        if target is None or target.id == investor.id or any(
                x.payer.id == investor.id and x.recipient.id == target.id for x in out):
            continue
        found.append(ClauseDeal(investor, target, DealKind.EQUITY_INVESTMENT, figure, figure.qualifier, m.start(),
                                body_end, 0.5, ("the investment is told in a relative clause about the investor",),
                                frozenset({"one_figure"} | ({"in_sentence"} if named is not None else set()))))
    return found


# "€468m in equity and €132m in debt": what each figure of a financing is.
_INSTRUMENT = re.compile(r"^\s+(?:of|in)\s+(?:new\s+|fresh\s+)?(?P<what>(?:preferred\s+)?equity|shares|debt|loans?|"
                         r"credit|(?:convertible\s+)?notes|bonds)\b", re.I)
_GROUP_OF = {DealKind.EQUITY_INVESTMENT: "venture-investors", DealKind.DEBT: "bank-lenders"}


def _split_by_instrument(sentence: str, mentions: list[Mention], out: list[ClauseDeal], money: list[Money],
                         directory: Directory) -> list[ClauseDeal]:
    """"Mistral's funding is made up of €468m in equity and €132m in debt": one deal per instrument.

    Only when the sentence names two or more figures each followed by its instrument, the
    clause rules gave nothing for them, and one company is the one raising (the possessor or
    the first company named). No investor or lender is named, so the pooled groups stand in.
    """
    tagged: list[tuple[Money, DealKind]] = []
    for m in money:
        hit = _INSTRUMENT.match(sentence[m.end:m.end + 40])
        if hit is not None:
            what = hit.group("what").lower()
            tagged.append((m, DealKind.EQUITY_INVESTMENT if what.endswith(("equity", "shares")) else DealKind.DEBT))
    if len(tagged) < 2 or len({k for _, k in tagged}) < 2 or any(x.money in [m for m, _ in tagged] for x in out):
        return []
    raiser = next((x.party for x in mentions if x.start < tagged[0][0].start and not _is_group(x.party.id)), None)
    if raiser is None:
        return []
    found: list[ClauseDeal] = []
    for m, kind in tagged:
        group = directory.entities.get(_GROUP_OF[kind])
        if group is None:
            continue
        payer = PartyRef(group.id, group.name, group.name)
        found.append(ClauseDeal(payer, raiser, kind, m, m.qualifier, m.start, m.end, 0.5,
                                ("no investor or lender named; entered as the pooled group",),
                                frozenset({"strong_kind"})))
    return found


def _is_group(entity_id: str) -> bool:
    return entity_id in ("venture-investors", "bank-lenders", "bond-investors")


# "Stargate UAE, a joint venture between G42 and OpenAI, …": the vehicle before, its partners after.
_JV_APPOSITIVE = re.compile(r"\s*,?\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:joint venture|JV)\s+(?:between|of|by|from|"
                            r"owned by|formed by)\s+(?P<partners>[^,;.()]{3,120})", re.I)


def _venture_appositive(sentence: str, mentions: list[Mention], out: list[ClauseDeal],
                        directory: Directory) -> list[ClauseDeal]:
    """A venture described in apposition: one figureless deal per partner into the vehicle named before it."""
    if any(x.kind is DealKind.JV for x in out):
        return []
    every = sorted([*mentions, *directory.unknown_orgs(sentence, [(x.start, x.end) for x in mentions])],
                   key=lambda x: x.start)
    for i, vehicle in enumerate(every):
        m = _JV_APPOSITIVE.match(sentence, vehicle.end)
        if m is None:
            continue
        a, b = m.span("partners")
        partners = [x.party for x in every[i + 1:] if a <= x.start < b and x.party.id != vehicle.party.id]
        partners = list({p.id: p for p in partners}.values())
        if not partners:
            continue
        return [ClauseDeal(p, vehicle.party, DealKind.JV, None, Qualifier.UNDISCLOSED, vehicle.start, b, 0.5,
                           ("the venture and its partners are told in apposition",), frozenset({"strong_kind"}))
                for p in partners]
    return []


_BUYER_WORD = re.compile(r"\b(?:buyer|customer|client|purchaser)s?\b", re.I)


def _buyer_named_later(sentence: str, mentions: list[Mention], out: list[ClauseDeal],
                       context: Context, directory: Directory) -> list[ClauseDeal]:
    """Complete a sale whose buyer an earlier sentence left out (see :attr:`Context.pending_sale`).

    The buyer is the payer of a deal with the same seller in this sentence ("Meta is committing
    $15 billion to buy more capacity from Nebius" after "Nebius is providing $12 billion of
    compute"), or the company named after "the buyer"/"the customer" ("identified the buyer:
    Tesla"). The pending sale is forgotten after two sentences.
    """
    if context.pending_sale is None:
        return []
    seller, kind, money, age = context.pending_sale
    if out and out[0].money is None and out[0].payer.id == seller.id and out[0].kind is kind:
        return []
    buyer = next((x.payer for x in out if x.recipient.id == seller.id and x.payer.id != seller.id), None)
    if buyer is not None and any(x.money is not None and money is not None and x.money.amount == money.amount
                                 for x in out if x.recipient.id == seller.id):
        buyer = None  # the same deal told again
    cue = _BUYER_WORD.search(sentence)
    if buyer is None and cue is not None:
        buyer = next((m.party for m in mentions if m.start > cue.start() and m.party.id != seller.id), None)
        if buyer is None:  # a buyer the ledger does not hold yet
            rest = directory.unknown_orgs(sentence[cue.end():], [])
            buyer = rest[0].party if rest and rest[0].party.id != seller.id else None
    if buyer is None:
        context.pending_sale = None if age >= 2 else (seller, kind, money, age + 1)
        return []
    context.pending_sale = None
    _drop_retold(out, buyer, seller)
    if kind is DealKind.CHIP_PURCHASE and directory.kind(seller.id) in _CLOUDS:
        kind = DealKind.COMPUTE_COMMITMENT  # GPUs from a cloud are rented capacity
    qualifier = money.qualifier if money is not None else Qualifier.UNDISCLOSED
    return [ClauseDeal(buyer, seller, kind, money, qualifier, 0, len(sentence), 0.5,
                       ("the buyer is named in a later sentence than the sale",),
                       frozenset({"frame", "one_figure", "linked"} if money is not None else {"frame", "linked"}))]


_NEW_STORY = re.compile(r"^\s*(?:Separately|Meanwhile|Elsewhere|In other news|In a separate (?:deal|announcement|move))\b",
                        re.I)


def new_story(sentence: str) -> bool:
    """"Separately, …", "In other news, …": a sentence that starts another story takes no party from the ones before."""
    return _NEW_STORY.match(sentence) is not None


def _drop_retold(out: list[ClauseDeal], one: PartyRef, two: PartyRef) -> None:
    """The sentence naming a deal's counterparty goes on about that deal ("OpenAI, the customer, will use the
    systems …"): a figureless reading of the same pair in it is the deal again, and goes."""
    out[:] = [x for x in out if x.money is not None or {x.payer.id, x.recipient.id} != {one.id, two.id}]


def _backstop_takes_figure(out: list[ClauseDeal]) -> list[ClauseDeal]:
    """"X placed a $6.3 billion order with Y and must buy any capacity Y cannot sell": one backstop with the figure."""
    for i, x in enumerate(out):
        if x.kind is DealKind.BACKSTOP and x.money is None:
            twin = next((y for y in out if y is not x and y.money is not None and y.payer.id == x.payer.id
                         and y.recipient.id == x.recipient.id), None)
            if twin is not None:
                out[i] = ClauseDeal(x.payer, x.recipient, x.kind, twin.money, twin.qualifier, twin.start, x.end,
                                    x.confidence, (*x.notes, "the figure is the order the backstop stands behind"), x.signals)
                return [y for y in out if y is not twin]
    return out


# A raise from the public (an IPO, a listing, a share sale on the market) has no lead investor to name.
