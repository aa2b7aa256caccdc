"""What a later sentence adds to a deal told before it.

* the figure: "The contract is worth $X", "The deal, X's largest, is valued at …", "It is worth
  …", or "terms were not disclosed" (:func:`follow_up_figure`, :func:`says_no_terms`);
* the other party, named by its role: "The customer is Microsoft", "The supplier, Broadcom,"
  (:func:`remember_open_deal`, :func:`complete_open_deal`), or the company named with the
  payer in the sentence before (:func:`pair_named_before`);
* the kind: money told with one party whose next sentence says what it is
  (:func:`money_without_kind`, :func:`kind_named_next`);
* who does what: "Under that agreement, X commits to buying …" after the sentence that gave the
  figure (:func:`restated_terms`);
* another deal like the last one: "It previously raised €6 billion through a similar offering"
  (:func:`told_again`).

The bound part of a figure the deal only could reach is in :mod:`~dealweb.extract.bound`.

Every window is one or two sentences back; deals whose parts are in one sentence's clauses are
in :mod:`~dealweb.extract.links`.
"""

from __future__ import annotations

import re
from decimal import Decimal  # noqa: F401 (doctests)
from typing import TYPE_CHECKING

from dealweb.extract.amounts import Money
from dealweb.extract.links import _drop_retold, _is_group, new_story
from dealweb.extract.parties import Directory, Mention, PartyRef
from dealweb.extract.phrases import (
    _CLOUDS,
)
from dealweb.extract.roles import ClauseDeal, Context, OpenDeal
from dealweb.model.vocab import DealKind, Qualifier

if TYPE_CHECKING:
    from dealweb.extract.candidates import Candidate
    from dealweb.extract.text import Sentence
    from dealweb.model.dates import PartialDate

# A sentence that goes on about the deal just told: "The contract is worth …", "The deal, Oracle's largest, is
# valued at …", "It is worth …", "Meta's commitment comes to …", "The new investment amounts to …".
_FOLLOW_UP = re.compile(r"^(?:(?:The|That|This|Its|Their|Each)\s+|[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2}['’]s?\s+)"
                        r"(?:[\w-]+\s+){0,3}?(?:deal|contract|agreement|investment|order|commitment|lease|loan|package|"
                        r"arrangement|purchase|financing|facility|transaction|pact|partnership|stake|round|"
                        r"agreements|contracts|deals)\b|^(?:It|The\s+total|In\s+total)\s+(?:is|was|will\s+be|would\s+be|"
                        r"comes?\s+to|amounts?\s+to|totals?)\b|"
                        # "The value of the contract was put at …", "The total value of the deal is …"
                        r"^The\s+(?:total\s+|estimated\s+|overall\s+)?(?:value|size)\s+of\s+(?:the|that|this|its|their)\s+"
                        r"(?:[\w-]+\s+){0,2}?(?:deal|contract|agreement|investment|order|commitment|lease|loan|package|"
                        r"transaction|pact|financing|facility)\b")
# The verbs of a figure that measures the deal, after the follow-up's subject (its appositive skipped).
_MEASURE = re.compile(r"\b(?:is|was|are|were|will be|would be|could be|has been)\s+(?:[\w-]+\s+){0,3}?(?:worth|valued at|"
                      r"priced at|for|put at|estimated at|pegged at)\b|,\s*(?:(?:reportedly|reported(?:ly)?\s+to\s+be|"
                      r"said to be|believed to be|estimated to be|thought to be)\s+)?(?:valued at|worth)\b|"
                      r"\b(?:comes?|came|amounts?|amounted|adds? up|added up)\s+to\b|"
                      r"\bvalue\s+(?:sits|stands|stood|comes|came)\s+(?:at|to)\b|"
                      r"\btotal(?:s|led|ed|ling|ing)?\b|\bcovers?\b|"
                      r"\bis\s+(?:about|around|roughly|nearly|some|up to|more than)?\s*[$€£]", re.I)
_NO_TERMS = re.compile(r"\b(?:(?:financial\s+)?terms|the (?:value|size|amount|price)(?: of the \w+)?)\s+(?:were|was|"
                       r"have|has|are|is)\s+not\s+(?:been\s+)?(?:disclosed|revealed|given|made public)\b|"
                       r"\bdid not (?:disclose|reveal|give) (?:the\s+)?(?:financial\s+)?(?:terms|value|size|amount)\b", re.I)


_MEASURED = re.compile(r"\b(?:is|was|are|were|will be|would be|could be|has been)\s+(?:worth|valued at|priced at|put at|"
                       r"estimated at|pegged at)\s*(?:about|around|roughly|nearly|more than|some|up to)?\s*$|"
                       r"^(?:The|That|This|Its)\s+(?:[\w-]+\s+){0,3}?(?:deal|contract|agreement|investment|order|commitment|"
                       r"lease|loan|package|transaction|pact|financing|facility),\s*(?:(?:reportedly|said to be|"
                       r"believed to be|estimated to be|thought to be)\s+)?(?:valued at|worth)\s*"
                       r"(?:about|around|roughly|nearly|more than|some|up to)?\s*$|"
                       r"\bvalue\s+(?:is|was|will be|of|stands at|comes to)\s*$|"
                       r"\b(?:comes?|came|amounts?|amounted)\s+to\s*$|\btotal(?:s|led|ed)\s*$", re.I)
_IT_WORTH = re.compile(r"It\s+(?:is|was|will be|would be)\s+(?:[\w-]+\s+)?worth\b|It\s+(?:comes?|amounts?)\s+to\b")
# The payer of the deal just told as the subject of a paying verb: "Meta will pay more than $10 billion", "the tech
# giant is putting in up to $2 billion".
_PAYER_PAYS = re.compile(r"^(?P<who>[\w.&'’ -]{1,60}?)\s+(?:will|would|is to|agreed to|has agreed to|is set to|"
                         r"(?:is|are|was|were) (?:believed|said|reported|understood|thought) to have|reportedly|is|are|"
                         r"has|have)?\s*(?:pay|pays|paying|paid|spend|spends|spending|commit|commits|committing|"
                         r"invest|invests|investing|put in|puts in|putting in|contribute|contributes|contributing)\b")
# An opening that says where the words come from, not who pays: "Under the new terms,", "Sources say", "Intel estimates".
_FOLLOW_PREFIX = re.compile(r"^(?:Under the (?:new |revised |expanded )?(?:terms|deal|agreement|contract|arrangement|pact)"
                            r"(?: of the \w+)?,\s*|(?:Sources|People familiar with the (?:matter|deal|talks)|Analysts?|"
                            r"(?-i:[A-Z])[\w.&-]*(?:\s+(?-i:[A-Z])[\w.&-]*){0,2})\s+(?:say|said|says|estimates?|estimated|"
                            r"believes?|notes?|noted)\s+(?:that\s+)?|According to [^,]{1,60},\s*)", re.I)


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
    from dealweb.extract.amounts import context_role, converts, find_money

    if len(sentence) > 600:
        return None
    prefix = _FOLLOW_PREFIX.match(sentence)
    body = sentence[prefix.end():] if prefix else sentence
    body = body[:1].upper() + body[1:]
    opening = _FOLLOW_UP.match(body)
    if opening is None:
        # "Meta will pay more than $10 billion over six years.": the payer of the deal just told pays.
        if payer is None or not _payer_pays(body, payer, directory):
            return _definite_figure(sentence)
    elif not _MEASURE.search(body[:200]):
        return None
    elif opening.group().startswith("It") and not _IT_WORTH.match(body):
        return None  # "It was valued at $300 billion": "it" may be a company
    figures = [m for m in find_money(sentence) if not m.is_price and not converts(sentence, m)]  # ("or $3 billion")
    # A figure right after the deal's measuring verb is the deal's, whatever "worth" alone would suggest.
    deal = [m for m in figures if context_role(sentence, m) == "deal" or _MEASURED.search(sentence[:m.start])]
    if len(deal) != 1 or deal[0] is not figures[0]:
        return None
    before = sentence[:deal[0].start]
    if re.search(r"\bvalu(?:es|ed|ing)\s+(?:the|it|its|them|[A-Z])|\b(?:valuation|revenue|sales|market (?:value|cap\w*)|"
                 r"capital (?:spending|expenditure))\b", before):
        return None
    return deal[0]


# The deal told before, named again with its figure and the definite article: "… orders peaked at $88 billion for the $18
# billion sale", "Analysts called the $2 billion deal a bargain".
_THE_BEFORE = re.compile(r"\b(?:the|that|this)\s+$", re.I)
_NOUN_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:deal|contract|agreement|pact|order|commitment|transaction|loan|lease|"
                         r"investment|purchase|acquisition|takeover|buyout|facility|financing|package|round|sale|offering|"
                         r"issuance|issue|placement|raise)\b", re.I)


def _definite_figure(sentence: str) -> Money | None:
    """The one deal figure of a sentence that names the deal told before with "the" and its figure ("for the $18 billion
    sale"), else ``None``."""
    from dealweb.extract.amounts import context_role, find_money

    figures = [m for m in find_money(sentence) if not m.is_price and context_role(sentence, m) == "deal"]
    if len(figures) != 1:
        return None
    m = figures[0]
    if _THE_BEFORE.search(sentence, max(0, m.start - 12), m.start) is None or not _NOUN_AFTER.match(sentence[m.end:]):
        return None
    return m


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
    return _named_after(sentence, mentions, out, context, told, directory)


# A later sentence that goes back to the deal told before: "Broadcom confirmed the order", "Google will provide the
# servers", "The startup, Reflection AI, is building …".
_BACK_TO_DEAL = re.compile(r"\b(?:the|that|this)\s+(?:[\w-]+\s+){0,2}?(?:order|orders|deal|contract|agreement|purchase|"
                           r"investment|round|financing|loan|facility|chips|processors|accelerators|GPUs|servers|"
                           r"capacity|systems|hardware|money|funds|capital)\b", re.I)
_DESCRIBED_THEN_NAME = re.compile(r"^(?:The|Its|That)\s+(?:[\w-]+\s+){0,3}?(?P<what>startup|start-up|company|firm|lab|"
                                  r"developer|maker|chipmaker|provider|lender|bank|fund|investor|supplier|vendor|"
                                  r"business|group)\s*,\s+$")


def _named_after(sentence: str, mentions: list[Mention], out: list[ClauseDeal], context: Context, told: OpenDeal,
                 directory: Directory) -> list[ClauseDeal]:
    """"Anthropic said it would buy $21 billion of chips. Broadcom confirmed the order.": the other party by name.

    A sentence at most two after a one-sided deal that names exactly one other company, tells of
    no deal with a figure itself, and either goes back to the deal ("the order", "the servers",
    "the investment") or names the company a description of the sentence before stood for ("The
    startup, Reflection AI, …"). The company must fit the side left open (a provider for a buyer
    of chips, compute or space; a company one invests in for an investor; a borrower for a
    lender). Signal ``far_party``.
    """
    from dealweb.extract.nominal import stock_talk

    if told.side != "payer" or any(x.money is not None for x in out) or len(sentence) > 600 or stock_talk(sentence):
        return []  # "Nvidia's shares rose after the order was reported": the market, not the supplier
    others = {m.party.id: m for m in mentions if m.party.id != told.party.id and not _is_group(m.party.id)}
    if len(others) != 1:
        return []
    named = next(iter(others.values()))
    described = _DESCRIBED_THEN_NAME.match(sentence[:named.start])
    if described is None and not _BACK_TO_DEAL.search(sentence):
        return []
    if described is None and not named.party.known:
        return []  # a name the ledger does not hold, with nothing saying it is a company: not enough
    if not _fits_named(named.party, told.kind, directory):
        return []
    kind = told.kind
    if kind is DealKind.CHIP_PURCHASE and directory.kind(named.party.id) in _CLOUDS:
        kind = DealKind.COMPUTE_COMMITMENT
    context.open_deal = None
    money = told.money
    _drop_retold(out, told.party, named.party)
    return [ClauseDeal(told.party, named.party, kind, money, money.qualifier if money else Qualifier.UNDISCLOSED,
                       named.start, named.end, 0.5, ("the counterparty is named in a later sentence",),
                       frozenset({"linked", "far_party"} | ({"one_figure"} if money is not None else set())))]


def _fits_named(other: PartyRef, kind: DealKind, directory: Directory) -> bool:
    """Whether a company named after a one-sided deal can be the one paid (unknown names: only as an invested-in
    startup, which is what a description before them says)."""
    if not other.known:
        return kind is DealKind.EQUITY_INVESTMENT
    return _fits(other, kind, "payer", directory)


# Words of a tie between two companies: the sentence before must speak of one for its pair to be this deal's.
_TIES = re.compile(r"\b(?:invest\w*|stakes?|bets?|back\w*|deals?|partner\w*|agreements?|alliance|ties|relationship|"
                   r"funding|round|support\w*|collaborat\w*|teams? up|teamed up|talks|pacts?|contracts?|orders?|"
                   r"suppl(?:y|ies|ier)|turn(?:s|ed|ing)? to|tap(?:s|ped|ping)?|chose|chosen|picks?|picked|"
                   r"financ\w*|loans?|lend\w*)\b", re.I)
_NOT_INVESTED_IN = frozenset({"investor", "bank", "government"})


def pair_named_before(party: PartyRef, kind: DealKind, side: str, clause: str, context: Context,
                      directory: Directory) -> PartyRef | None:
    """"Microsoft is raising its bet on Mistral AI. The software maker will invest $1 billion": Mistral AI.

    A deal with one party named (the investor, a buyer of chips or capacity, a lender, a seller)
    takes the one other company that a sentence at most :data:`FAR_WINDOW` back named *together
    with this party* (a sentence naming only someone else is not about this deal), when that
    sentence speaks of a tie between them and the other company fits the side left open: one
    invested in (not a fund, bank or government); a provider the buyer pays; a borrower for a
    lender (not a bank); a bank or fund for a borrower. The look back stops at a sentence that
    starts another story ("Separately, …"), names another pair, or names the party with several
    others; sentences are capped at 600 characters and the window at 1,200.
    """
    found = _pair_before(party, kind, side, clause, context, directory)
    return found[0] if found is not None else None


#: How many sentences back the other party of a one-sided deal may be named (see :func:`pair_named_before`).
FAR_WINDOW = 3


def _fits(other: PartyRef, kind: DealKind, side: str, directory: Directory) -> bool:
    """Whether ``other`` can be the counterparty of a ``kind`` deal whose known party is on ``side``."""
    if _is_group(other.id) or not other.known:
        return False
    ek = directory.kind(other.id)
    value = ek.value if ek is not None else ""
    if kind is DealKind.EQUITY_INVESTMENT:
        return side != "recipient" and value not in _NOT_INVESTED_IN
    if kind in _SOLD_KINDS - {DealKind.LICENSING}:
        return side == "payer" and directory.is_provider(other.id)
    if kind is DealKind.DEBT:
        return side == "payer" and value not in ("bank", "government")
    return False


def _pair_before(party: PartyRef, kind: DealKind, side: str, clause: str, context: Context,
                 directory: Directory) -> tuple[PartyRef, int] | None:
    """The other party named with ``party`` in an earlier sentence and how many sentences back (see above)."""
    if kind is DealKind.EQUITY_INVESTMENT and side == "":
        side = "payer"
    if kind is DealKind.DEBT and side == "":
        return None
    if re.search(r"\b(?:in|into)\s+(?:the|a|an|its|their|this|that|[A-Z])", clause) or new_story(clause):
        return None  # the clause says what is invested in ("into the venture", "in Portugal"): not the pair before
    if context.venture is not None and any(p.id == party.id for p in context.venture[1]):
        return None  # the pair before formed a venture: the money goes to it (see _venture_contribution)
    size = 0
    for back, (parties, text) in enumerate(reversed(context.earlier[-FAR_WINDOW:]), start=1):
        size += len(text)
        if size > 1200 or (back > 1 and new_story(text)):
            return None
        others = {p.id: p for p in parties if p.id != party.id}
        if not any(p.id == party.id for p in parties):
            if len(others) > 1:
                return None  # another pair's sentence between: the thread is lost
            continue
        if len(others) != 1 or not _TIES.search(text):
            return None
        other = next(iter(others.values()))
        return (other, back) if _fits(other, kind, side, directory) else None
    return None


def far_party_signal(party: PartyRef, other: PartyRef, context: Context) -> bool:
    """Whether ``other`` was named with ``party`` two or more sentences back (not in the sentence right before)."""
    if not context.earlier:
        return False
    parties, _ = context.earlier[-1]
    ids = {p.id for p in parties}
    return not (party.id in ids and other.id in ids)


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


# A sentence that restates the terms of the deal told just before: "Under that agreement, X commits to …", "However, per
# the agreement, …", "As part of the deal, …".
_RESTATES = re.compile(r"^(?:(?:However|But|And|Also|Specifically),?\s+)?(?:Under|Per|As part of|Through|Via)\s+"
                       r"(?:the\s+terms\s+of\s+)?(?:that|the|this|its|their)\s+(?:(?:new|revised|expanded|same|latest)\s+)?"
                       r"(?:agreement|deal|contract|order|arrangement|pact|partnership|terms|transaction)\b", re.I)


def restated_terms(deals: list[Candidate]) -> list[Candidate]:
    """``deals`` (in text order) with a figureless reading of a sentence that restates the deal told just before
    ("CoreWeave disclosed an order worth $6.3 billion. Under that agreement, Nvidia commits to buying …") merged with
    that deal: the restatement says who does what (its verb frame gives the direction and kind), the sentence before
    gives the figure. Only when both readings join the same two companies, in the sentence right before.

    >>> from dealweb.extract.candidates import Candidate, Evidence
    >>> a, b = PartyRef("coreweave", "CoreWeave", True), PartyRef("nvidia", "Nvidia", True)
    >>> s1 = "CoreWeave disclosed an order from Nvidia worth $6 billion."
    >>> s2 = "Under that agreement, Nvidia buys its spare capacity."
    >>> one = Candidate(a, b, DealKind.CHIP_PURCHASE, Decimal(6e9), "USD", Qualifier.EXACT, Evidence(s1, 0, 58), 0.5)
    >>> two = Candidate(b, a, DealKind.COMPUTE_COMMITMENT, None, "USD", Qualifier.UNDISCLOSED, Evidence(s2, 59, 112), 0.4,
    ...                 signals=frozenset({"frame"}))
    >>> [(c.payer.id, c.recipient.id, c.kind.value, c.amount) for c in restated_terms([one, two])]
    [('nvidia', 'coreweave', 'compute_commitment', Decimal('6000000000'))]
    """
    from dataclasses import replace

    from dealweb.extract.candidates import Evidence

    out = list(deals)
    for c in deals:
        if c.amount is not None or "frame" not in c.signals or _RESTATES.match(c.evidence.sentence) is None:
            continue
        before = [p for p in out if p.amount is not None and 0 <= c.evidence.start - p.evidence.end <= 3
                  and {p.payer.id, p.recipient.id} == {c.payer.id, c.recipient.id}]
        if len(before) != 1 or c not in out:
            continue
        p = before[0]
        merged = replace(c, amount=p.amount, currency=p.currency, qualifier=p.qualifier, low=p.low, high=p.high,
                         period=p.period, horizon_years=c.horizon_years or p.horizon_years,
                         evidence=Evidence(p.evidence.sentence + " " + c.evidence.sentence, p.evidence.start,
                                           c.evidence.end),
                         confidence=max(c.confidence, p.confidence),
                         notes=(*c.notes, "the sentence before gives the figure; this one restates its terms"),
                         signals=c.signals | {"linked"} | (p.signals & {"one_figure"}))
        out = [merged if x is p else x for x in out if x is not c]
    return out


# A deal of the same kind between the same companies, told as another one: "previously raised €6 billion through a
# similar offering", "following its €6 billion debut earlier this year", "an earlier loan of $1 billion".
_TOLD_AGAIN = re.compile(r"\b(?:a|an|the|its|their)\s+(?:similar|comparable|earlier|previous|prior|first|debut)\s+"
                         r"(?:[\w-]+\s+){0,2}?(?:offering|sale|issue|issuance|deal|agreement|contract|round|loan|facility|"
                         r"investment|placement|transaction|raise|order|lease)s?\b|"
                         r"\b(?:its|their)\s+[$€£¥₹₩A-Z]{0,3}[\d.,]+\s*(?:billion|million|bn|m|b)?\s+(?:[\w-]+\s+)?debut\b",
                         re.I)


def told_again(sentence: Sentence, deals: list[Candidate], directory: Directory,
               published: PartialDate | None) -> Candidate | None:
    """A sentence with no reading that tells another deal like the last one with a figure ("The company previously
    raised €6.75 billion through a similar offering"): that deal's parties and kind with this sentence's one deal
    figure, when the sentence names no other company and comes at most two sentences later.

    >>> from dealweb.extract.candidates import Candidate, Evidence, directory_for
    >>> from dealweb.extract.text import Sentence
    >>> a, b = PartyRef("bond-investors", "bond investors", True), PartyRef("google", "Alphabet", True)
    >>> s1 = "Alphabet is selling €3 billion of bonds."
    >>> one = Candidate(a, b, DealKind.DEBT, Decimal(3e9), "EUR", Qualifier.EXACT, Evidence(s1, 0, 39), 0.5)
    >>> s2 = Sentence("It previously raised about €6.75 billion through a similar offering.", 40)
    >>> c = told_again(s2, [one], directory_for(None), None)
    >>> c.payer.id, c.recipient.id, c.kind.value, c.amount, c.currency, c.qualifier.value
    ('bond-investors', 'google', 'debt', Decimal('6750000000'), 'EUR', 'estimate')
    """
    from dataclasses import replace

    from dealweb.extract.amounts import context_role, find_money, horizon_years, sentence_qualifier
    from dealweb.extract.candidates import Evidence
    from dealweb.extract.dates import sentence_date

    text = sentence.text
    if len(text) > 600 or _TOLD_AGAIN.search(text) is None:
        return None
    last = next((c for c in reversed(deals) if c.amount is not None), None)
    if last is None or not 0 <= sentence.start - last.evidence.end <= 400:
        return None
    figures = [m for m in find_money(text) if not m.is_price and context_role(text, m) == "deal"]
    if len(figures) != 1 or figures[0].amount == last.amount:
        return None
    parties = {last.payer.id, last.recipient.id}
    if any(m.party.id not in parties for m in directory.mentions(text)):
        return None
    m = figures[0]
    qualifier = m.qualifier
    if qualifier is Qualifier.EXACT and sentence_qualifier(text) is not None:
        qualifier = Qualifier.ESTIMATE
    date, how = sentence_date(text, published)
    return replace(last, amount=m.amount, currency=m.currency, qualifier=qualifier, low=m.low, high=m.high,
                   period=m.period, horizon_years=horizon_years(text), date=date or last.date,
                   date_source=how if date else last.date_source, evidence=Evidence(text, sentence.start, sentence.end),
                   confidence=round(last.confidence - 0.1, 2),
                   notes=(*last.notes, "another deal like the one told before ('a similar offering')"),
                   signals=(last.signals - {"frame"}) | {"linked"})
