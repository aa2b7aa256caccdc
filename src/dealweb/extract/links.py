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
from dealweb.extract.roles import ClauseDeal, Context, OpenDeal
from dealweb.model.vocab import DealKind, Qualifier

__all__: list[str] = []

_VEHICLE = re.compile(r"\b(?:named|called|dubbed|known as)\s+[\"“']?([A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|&))*)")
# "a joint venture, SB OpenAI Japan, to sell …": the name in apposition, closed by a comma and not a speaker's.
_VEHICLE_APPOSED = re.compile(r"\b(?i:joint venture|venture|JV),\s+([A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|&)){1,4})"
                              r"(?=\s*,(?!\s*(?:said|says|told|added|according)\b))")
_OWN_COMPANY = re.compile(r"\b(?:his|her|their|our)\s+(?:[\w-]+\s+){0,3}?(?:company|firm|group|business|conglomerate)\b",
                          re.I)
_VENTURE_NAMED = re.compile(r"\b(?:venture|JV|joint company|new company|entity|vehicle)\b[^.;]{0,40}?\b(?:named|called|dubbed|"
                            r"known as)\s", re.I)
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
    if len(distinct) < 2 or len(distinct) > 4 or not _FORM.search(clause) or _TALKS.search(clause):
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
                           r"(?:venture|JV|partnership|vehicle)\b", re.I)


def _venture_contribution(sentence: str, mentions: list[Mention], out: list[ClauseDeal], context: Context,
                          money: list[Money]) -> list[ClauseDeal]:
    """"Blue Owl will put $4 billion into the venture": a partner's part of the venture told just before.

    The venture is the last one the text told of, at most two sentences back; the payer is a partner
    named before the figure (all partners with "each"/"apiece"). Only a figure whose role is a deal's.
    """
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
    if len(figures) == 1 and _EACH.search(sentence):
        parts: list[tuple[PartyRef, Money]] = [(p, figures[0]) for p in partners]
    elif len(figures) == 1:
        parts = [(m.party, figures[0]) for m in named if m.end <= figures[0].start][-1:]
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


def _venture_deals(sentence: str, mentions: list[Mention], context: Context, start: int, end: int) -> list[ClauseDeal]:
    """The venture agreed in an earlier sentence is named here: one figureless deal per partner."""
    if not context.venture_partners or not (_VENTURE_NAMED.search(sentence) or _VEHICLE_APPOSED.search(sentence)):
        return []
    named = next((m for m in mentions if _NAMED.search(sentence[max(0, m.start - 20):m.start]) or (
        not m.party.known and _NAMED_APPOSED.search(sentence[max(0, m.start - 20):m.start]))), None)
    if named is None:
        return []
    partners, context.venture_partners = context.venture_partners, []
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


# A sentence that goes on about the deal just told: "The contract is worth …", "The deal, Oracle's largest, is
# valued at …", "It is worth …", "Meta's commitment comes to …", "The new investment amounts to …".
_FOLLOW_UP = re.compile(r"^(?:(?:The|That|This|Its|Their|Each)\s+|[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2}['’]s?\s+)"
                        r"(?:[\w-]+\s+){0,3}?(?:deal|contract|agreement|investment|order|commitment|lease|loan|package|"
                        r"arrangement|purchase|financing|facility|transaction|pact|partnership|stake|round|"
                        r"agreements|contracts|deals)\b|^(?:It|The\s+total|In\s+total)\s+(?:is|was|will\s+be|would\s+be|"
                        r"comes?\s+to|amounts?\s+to|totals?)\b")
# The verbs of a figure that measures the deal, after the follow-up's subject (its appositive skipped).
_MEASURE = re.compile(r"\b(?:is|was|are|were|will be|would be|could be|has been)\s+(?:[\w-]+\s+){0,2}?(?:worth|valued at|"
                      r"priced at|for)\b|\b(?:comes?|came|amounts?|amounted|adds? up|added up)\s+to\b|"
                      r"\btotal(?:s|led|ed|ling|ing)?\b|\bcovers?\b|"
                      r"\bis\s+(?:about|around|roughly|nearly|some|up to|more than)?\s*[$€£]", re.I)
_NO_TERMS = re.compile(r"\b(?:(?:financial\s+)?terms|the (?:value|size|amount|price)(?: of the \w+)?)\s+(?:were|was|"
                       r"have|has|are|is)\s+not\s+(?:been\s+)?(?:disclosed|revealed|given|made public)\b|"
                       r"\bdid not (?:disclose|reveal|give) (?:the\s+)?(?:financial\s+)?(?:terms|value|size|amount)\b", re.I)


_MEASURED = re.compile(r"\b(?:is|was|are|were|will be|would be|could be|has been)\s+(?:worth|valued at|priced at)\s*$|"
                       r"\bvalue\s+(?:is|was|will be|of|stands at|comes to)\s*$|"
                       r"\b(?:comes?|came|amounts?|amounted)\s+to\s*$|\btotal(?:s|led|ed)\s*$", re.I)
_IT_WORTH = re.compile(r"It\s+(?:is|was|will be|would be)\s+(?:[\w-]+\s+)?worth\b|It\s+(?:comes?|amounts?)\s+to\b")
# The payer of the deal just told as the subject of a paying verb: "Meta will pay more than $10 billion", "the tech
# giant is putting in up to $2 billion".
_PAYER_PAYS = re.compile(r"^(?P<who>[\w.&'’ -]{1,60}?)\s+(?:will|would|is to|agreed to|has agreed to|is set to|is|are|"
                         r"has|have)?\s*(?:pay|pays|paying|paid|spend|spends|spending|commit|commits|committing|"
                         r"invest|invests|investing|put in|puts in|putting in|contribute|contributes|contributing)\b")
# An opening that says where the words come from, not who pays: "Under the new terms,", "Sources say".
_FOLLOW_PREFIX = re.compile(r"^(?:Under the (?:new |revised |expanded )?(?:terms|deal|agreement|contract|arrangement|pact)"
                            r"(?: of the \w+)?,\s*|(?:Sources|People familiar with the (?:matter|deal|talks)|Analysts?)\s+"
                            r"(?:say|said|says)\s+(?:that\s+)?|According to [^,]{1,60},\s*)", re.I)


def follow_up_figure(sentence: str, payer: PartyRef | None = None, directory: Directory | None = None) -> Money | None:
    """The deal figure of a sentence that goes on about the deal told just before, else ``None``.

    The sentence must open with the deal as its subject ("The contract", "The deal, X's largest,",
    "It", "Meta's commitment"), measure it ("is worth", "is valued at", "comes to", "totals"), and
    hold exactly one figure whose role is a deal amount: "The deal values the company at $500
    billion" is a valuation and gives nothing, as do revenue, market value and capex.

    >>> follow_up_figure("The contract is worth about $10 billion over six years.").amount
    Decimal('10000000000')
    >>> follow_up_figure("The deal values the company at $500 billion.") is None
    True
    """
    from dealweb.extract.amounts import context_role, find_money

    if len(sentence) > 600:
        return None
    prefix = _FOLLOW_PREFIX.match(sentence)
    body = sentence[prefix.end():] if prefix else sentence
    body = body[:1].upper() + body[1:]
    opening = _FOLLOW_UP.match(body)
    if opening is None:
        # "Meta will pay more than $10 billion over six years.": the payer of the deal just told pays.
        if payer is None or not _payer_pays(body, payer, directory):
            return None
    elif not _MEASURE.search(body[:200]):
        return None
    elif opening.group().startswith("It") and not _IT_WORTH.match(body):
        return None  # "It was valued at $300 billion": "it" may be a company
    figures = [m for m in find_money(sentence) if not m.is_price]
    # A figure right after the deal's measuring verb is the deal's, whatever "worth" alone would suggest.
    deal = [m for m in figures if context_role(sentence, m) == "deal" or _MEASURED.search(sentence[:m.start])]
    if len(deal) != 1 or deal[0] is not figures[0]:
        return None
    before = sentence[:deal[0].start]
    if re.search(r"\bvalu(?:es|ed|ing)\s+(?:the|it|its|them|[A-Z])|\b(?:valuation|revenue|sales|market (?:value|cap\w*)|"
                 r"capital (?:spending|expenditure))\b", before):
        return None
    return deal[0]


def _payer_pays(body: str, payer: PartyRef, directory: Directory | None) -> bool:
    """Whether ``body`` opens with the deal's payer paying: by name, "it", or a description that fits its kind."""
    from dealweb.extract.coref import description_kinds
    from dealweb.extract.phrases import _DESCRIBED

    m = _PAYER_PAYS.match(body)
    if m is None:
        return False
    who = m.group("who").strip()
    if who in (payer.surface, payer.name):
        return True
    if not _DESCRIBED.fullmatch(who):
        return False
    kinds = description_kinds(who)
    return kinds is None or (directory is not None and directory.kind(payer.id) in kinds)


def says_no_terms(sentence: str) -> bool:
    """"Financial terms were not disclosed": the deal just told stays undisclosed (and the sentence adds nothing)."""
    return len(sentence) <= 300 and _NO_TERMS.search(sentence) is not None


# Who a later sentence names, by the word it uses for the party ("The customer is Microsoft", "The supplier, AMD,").
_PAYER_WORDS = r"customer|client|buyer|purchaser|tenant|lessee|licensee|investor|backer|lender|creditor"
_RECIPIENT_WORDS = r"supplier|provider|vendor|seller|manufacturer|landlord|lessor|licensor|borrower"
_ROLE_WORD = re.compile(rf"\b[Tt]he\s+(?:[\w-]+\s+){{0,2}}?(?P<word>{_PAYER_WORDS}|{_RECIPIENT_WORDS})s?\b|"
                        r"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?P<neutral>counterparty|counterparties|partner)\b|"
                        r"^(?:The|That|This|Its)\s+(?:[\w-]+\s+){0,2}?(?:deal|contract|agreement|order|commitment)\s+"
                        r"(?:is|was|will be)\s+(?P<with>with)\b")
_WORD_THEN_NAME = re.compile(r"^\s*(?:,|:|—|–|-|\bis\b|\bwas\b|\bwill be\b|\bhas been\b|\bwas named as\b|"
                             r"\bwas identified as\b|\bis named as\b|\b(?:is|was)\s+(?:widely\s+)?(?:believed|thought|"
                             r"understood|said|reported)\s+to\s+be\b)\s*(?:named as\s+|identified as\s+)?$")
_NAME_THEN_WORD = re.compile(r"^\s*(?:,|\bis\b|\bwas\b|\bwill be\b|\bas\b|\bwas named\b|\bwas named as\b)\s*$")
_SOLD_KINDS = frozenset({DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE, DealKind.LEASE, DealKind.LICENSING})
_OPEN_KINDS = frozenset({DealKind.COMPUTE_COMMITMENT, DealKind.CHIP_PURCHASE, DealKind.LEASE, DealKind.LICENSING,
                         DealKind.EQUITY_INVESTMENT, DealKind.DEBT})
_WON = re.compile(r"\b(?:won|wins|win|secur\w*|land\w*|clinch\w*|bagg?\w*)\b[^;]{0,40}\b(?:order|contract|deal)\b", re.I)


def _same_kind(one: DealKind, two: DealKind) -> bool:
    """Kinds one deal may be read as in two sentences: equal, or chips and compute (GPUs rented or bought)."""
    rented = {DealKind.CHIP_PURCHASE, DealKind.COMPUTE_COMMITMENT}
    return one is two or (one in rented and two in rented)


def open_deal_side(head: str, clause: str, kind: DealKind) -> str:
    """Which side the one party of a one-sided deal is on: "recipient" for a seller ("won an order", "to supply"),
    "payer" for a buyer ("agreed to buy", "will rent"), "" when the words do not say."""
    from dealweb.extract.frames import frame_of
    from dealweb.extract.phrases import _SUPPLIER_VERB, _TENANT_VERB

    frame = frame_of(head, kind) if head else None
    if frame is not None:
        return frame.subject
    if _WON.search(clause) or _SUPPLIER_VERB.search(clause):
        return "recipient"
    if _TENANT_VERB.search(clause):
        return "payer"
    return ""


def remember_open_deal(context: Context, party: PartyRef, kind: DealKind, money: Money | None, side: str) -> None:
    """Keep a deal with one party named, for a sentence at most two later that names the other (see below)."""
    if kind in _OPEN_KINDS and money is not None:
        context.open_deal = OpenDeal(party, side, kind, money)


def complete_open_deal(sentence: str, mentions: list[Mention], out: list[ClauseDeal], context: Context,
                       told: OpenDeal | None, directory: Directory) -> list[ClauseDeal]:
    """"… it would buy $21 billion of chips. The supplier, Broadcom, …": the other party of a one-sided deal.

    The later sentence names it by its role: right after "the customer/supplier/provider/…"
    ("The customer is Microsoft", "The supplier, AMD,") or right before it ("Microsoft, the
    customer,", "Poolside is the client"). The role word says which side it is on; a word that
    puts it on the side of the party already named is ignored. At most two sentences later, and
    not when this sentence states a deal of the same party itself.
    """
    if told is None:
        return []
    if context.open_deal is told:
        context.open_deal = None if told.age >= 2 else OpenDeal(told.party, told.side, told.kind, told.money,
                                                                 told.age + 1)
    if len(sentence) > 600 or new_story(sentence) or any(told.party.id in (x.payer.id, x.recipient.id)
                                                          and x.money is not None for x in out):
        return []
    for i, x in enumerate(out):
        # "Anthropic said it would buy $21 billion of chips. It placed the order with Broadcom.": this sentence names
        # the pair without a figure; the figure is the one told before.
        side = "payer" if x.payer.id == told.party.id else "recipient" if x.recipient.id == told.party.id else ""
        if x.money is None and side and side != ("recipient" if told.side == "payer" else "payer" if told.side else "")\
                and _same_kind(x.kind, told.kind):
            context.open_deal = None
            money = told.money
            out[i] = ClauseDeal(x.payer, x.recipient, x.kind, money, money.qualifier if money else x.qualifier, x.start,
                                x.end, x.confidence, (*x.notes, "the figure is in a sentence before"),
                                x.signals | {"linked", "one_figure"})
            return []
    for m in _ROLE_WORD.finditer(sentence):
        glue = (lambda gap: not gap.strip()) if m.group("with") else _WORD_THEN_NAME.match
        named = next((x for x in mentions if x.start >= m.end() and glue(sentence[m.end():x.start])),
                     None) or next((x for x in reversed(mentions) if x.end <= m.start()
                                    and _NAME_THEN_WORD.match(sentence[x.end:m.start()])), None)
        if named is None or named.party.id == told.party.id:
            continue
        if m.group("neutral") or m.group("with"):
            # "Its counterparty is Microsoft": the side the named party is not on, else the seller's entity kind.
            own = told.side or ("recipient" if told.kind in _SOLD_KINDS and directory.is_provider(told.party.id)
                                else "payer" if told.kind is DealKind.EQUITY_INVESTMENT else "")
            if not own:
                continue
            word_side = "payer" if own == "recipient" else "recipient"
        else:
            word_side = "payer" if re.fullmatch(_PAYER_WORDS, m.group("word").lower()) else "recipient"
        if word_side == told.side:
            continue  # "The buyer, X" after a party that buys: not this deal's counterparty
        payer, recipient = (named.party, told.party) if word_side == "payer" else (told.party, named.party)
        kind = told.kind
        if kind is DealKind.CHIP_PURCHASE and directory.kind(recipient.id) in _CLOUDS:
            kind = DealKind.COMPUTE_COMMITMENT  # GPUs from a cloud are rented capacity
        context.open_deal = None
        money = told.money
        _drop_retold(out, payer, recipient)
        return [ClauseDeal(payer, recipient, kind, money, money.qualifier if money else Qualifier.UNDISCLOSED, named.start,
                           named.end, 0.5, ("the counterparty is named in a later sentence, by its role",),
                           frozenset({"linked", "one_figure"} if money is not None else {"linked"}))]
    return []


# Words of a tie between two companies: the sentence before must speak of one for its pair to be this deal's.
_TIES = re.compile(r"\b(?:invest\w*|stakes?|bets?|back\w*|deals?|partner\w*|agreements?|alliance|ties|relationship|"
                   r"funding|round|support\w*|collaborat\w*|teams? up|teamed up|talks)\b", re.I)
_NOT_INVESTED_IN = frozenset({"investor", "bank", "government"})


def pair_named_before(party: PartyRef, kind: DealKind, side: str, clause: str, context: Context,
                      directory: Directory) -> PartyRef | None:
    """"Microsoft is raising its bet on Mistral AI. The software maker will invest $1 billion": Mistral AI.

    An investment with no company invested in takes the one other company the sentence before
    named *together with the investor* (a sentence naming only someone else is not about this
    deal), when it is a company one invests in (not a fund, bank or government).
    """
    if kind is not DealKind.EQUITY_INVESTMENT or side == "recipient" or not any(p.id == party.id for p in context.previous):
        return None
    if re.search(r"\b(?:in|into)\s+(?:the|a|an|its|their|this|that|[A-Z])", clause) or new_story(clause):
        return None  # the clause says what is invested in ("into the venture", "in Portugal"): not the pair before
    if not _TIES.search(context.previous_text):
        return None  # "Nvidia and AMD shares fell." says nothing of a deal between them
    if context.venture is not None and any(p.id == party.id for p in context.venture[1]):
        return None  # the pair before formed a venture: the money goes to it (see _venture_contribution)
    others = {p.id: p for p in context.previous if p.id != party.id and p.known}
    if len(others) != 1:
        return None
    other = next(iter(others.values()))
    kind_of_other = directory.kind(other.id)
    if _is_group(other.id) or (kind_of_other is not None and kind_of_other.value in _NOT_INVESTED_IN):
        return None
    return other


# "Anthropic is set to receive another $4 billion from Amazon": money from a named company, with no word of what kind.
_RECEIVES = re.compile(r"^\s*(?:is set to |will |would |has |have |is to |is due to |stands to )?(?:receiv\w*|gets?|got|"
                       r"getting|secur\w*|land\w*)\s+(?:another|an additional|a further|an extra)?\s*$", re.I)
_KIND_NOUN = re.compile(r"^(?:The|This|That|Its)\s+(?:[\w-]+\s+){0,2}?(?P<noun>investment|stake|funding|round|loan|"
                        r"financing|credit|debt|facility)\b")
_NOUN_KIND = {"investment": DealKind.EQUITY_INVESTMENT, "stake": DealKind.EQUITY_INVESTMENT,
              "funding": DealKind.EQUITY_INVESTMENT, "round": DealKind.EQUITY_INVESTMENT, "loan": DealKind.DEBT,
              "financing": DealKind.DEBT, "credit": DealKind.DEBT, "debt": DealKind.DEBT, "facility": DealKind.DEBT}


def money_without_kind(sentence: str, mentions: list[Mention], money: list[Money], out: list[ClauseDeal],
                       context: Context) -> None:
    """Remember "A is set to receive $X from B" (no kind word) for a next sentence that names the kind."""
    context.kindless = None
    if out or len(money) != 1 or len(sentence) > 600:
        return
    m = money[0]
    receiver = next((x for x in reversed(mentions) if x.end <= m.start and _RECEIVES.match(sentence[x.end:m.start])),
                    None)
    giver = next((x for x in mentions if x.start >= m.end and re.fullmatch(r"\s+from\s+", sentence[m.end:x.start])),
                 None)
    if receiver is not None and giver is not None and receiver.party.id != giver.party.id:
        context.kindless = (giver.party, receiver.party, m, sentence[:600])


def kind_named_next(sentence: str, out: list[ClauseDeal], told: tuple[PartyRef, PartyRef, Money, str] | None,
                    context: Context) -> list[ClauseDeal]:
    """"… receive another $4 billion from Amazon. The investment, announced on Friday, …": an equity deal.

    Only the sentence right after (its text is the one :func:`~dealweb.extract.candidates.extract` read last)."""
    if told is None or told[3] != context.previous_text or len(sentence) > 600 or any(x.money is not None for x in out):
        return []
    m = _KIND_NOUN.match(sentence)
    if m is None:
        return []
    payer, recipient, money, _ = told
    _drop_retold(out, payer, recipient)
    return [ClauseDeal(payer, recipient, _NOUN_KIND[m.group("noun").lower()], money, money.qualifier, 0, m.end(), 0.5,
                       ("the kind is named in the next sentence ('the investment')",),
                       frozenset({"linked", "one_figure", "frame"}))]
