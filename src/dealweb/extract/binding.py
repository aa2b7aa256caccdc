"""Which figure of a sentence belongs to a deal reading, when the clause reader left it unbound.

The clause reader (:mod:`~dealweb.extract.clauses`) takes a deal's figure from the reading's own
clause. News often puts the figure elsewhere in the sentence: in an opening phrase ("In a deal
worth $2.5 billion, Lambda agreed to …", "For $8 billion, OpenAI will …"), in a parenthesis
("… (a contract worth $3 billion)", "… (about $5 billion over four years)"), in a clause of its
own ("…, with the deal valued at about $20 billion") or in front of a reporting verb. And a clause
may name a first tranche before the ceiling it belongs to ("will invest an initial $1 billion …,
and up to $5 billion over time").

:func:`bind_figures` gives such a reading the figure only when the figure's role is the deal's
value, however far from the verb it sits:

* its role (:func:`~dealweb.extract.amounts.context_role`) is a deal amount, not a valuation,
  revenue, backlog, market value, capex, total, price or earlier figure, and its own noun or
  subject is not one either (:func:`~dealweb.extract.nominal.not_a_deal_figure`), nor a sum of
  several deals;
* it **measures a deal**: a deal noun is its own noun ("$14.2 billion deal") or is measured by
  it ("a transaction valued at", "the contract is worth", "orders totalling") or paid under it
  ("a deal committing roughly $200 billion to X"), or it is the price
  ("For $8 billion,"), or it opens a parenthesis after the deal ("(about $5 billion)"); a
  figure that merely stands in the sentence ("days after raising $1 billion") does not;
* no other company is named in its clause, no other reading has it, and the deal noun, when it
  names a kind ("loan", "lease", "investment"), names the reading's kind;
* it is the only such figure, and the reading is the sentence's only one without a figure (so
  two readings never compete for it). A figure in brackets right after another figure is that
  figure in another currency ("A$7.5 billion (about $5 billion)") and never a second figure.

A first tranche ("an initial $1 billion", "starting with $10 billion", "a first tranche of …") is
replaced by the ceiling the sentence gives for the same deal ("up to $5 billion"), in its
currency and with the qualifier ``up_to``; tranches given as separate facilities with their own
names ("a $7 billion construction facility and …") are itemised elsewhere and kept.

Readings bound here record the signal ``bound`` (:data:`~dealweb.extract.roles.SIGNALS`).

:func:`without_figure_asides` is the other half: an aside that only gives a company's valuation,
revenue, backlog, market value or spending (", valued at $40 billion,", ", whose backlog stands at
$55 billion,", ", a $300 billion company,", "(valued at $61 billion)") is taken out of the sentence
before its deals are read, so neither its figure nor its words ("valued", "won") steer the
reading. Figures of facts are read from the sentence with the aside kept.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from dealweb.extract.amounts import Money, context_role, sentence_qualifier
from dealweb.extract.parties import Mention
from dealweb.extract.roles import ClauseDeal
from dealweb.model.vocab import DealKind, Qualifier

__all__ = ["BOUND", "bind_figures", "conversions", "told_by_hearsay", "without_figure_asides"]

#: The signal of a reading whose figure was bound from outside its clause, or swapped from a tranche to its ceiling.
BOUND = "bound"

_NOUNS = (r"deal|contract|agreement|pact|order|commitment|transaction|loan|lease|investment|partnership|purchase|"
          r"acquisition|takeover|buyout|facility|financing|package|backstop|guarantee|round|arrangement|stake")
_NOUN_KIND = {"loan": DealKind.DEBT, "facility": DealKind.DEBT, "financing": DealKind.DEBT, "lease": DealKind.LEASE,
              "investment": DealKind.EQUITY_INVESTMENT, "stake": DealKind.EQUITY_INVESTMENT,
              "round": DealKind.EQUITY_INVESTMENT, "acquisition": DealKind.ACQUISITION,
              "takeover": DealKind.ACQUISITION, "buyout": DealKind.ACQUISITION, "backstop": DealKind.BACKSTOP,
              "guarantee": DealKind.BACKSTOP}
_QUAL = r"(?:about|around|roughly|nearly|approximately|some|more than|over|up to|as much as|an estimated)?\s*"
# A deal noun measured by the figure after it: "a transaction valued at about", "the contract is worth", "orders
# totalling", "a loan of".
_MEASURED_BY = re.compile(rf"\b(?P<noun>{_NOUNS})s?\b[^$€£.;()]{{0,60}}?\b(?:worth|valued at|priced at|totall?ing|"
                          rf"totals?|of)\s*{_QUAL}$", re.I)
# The figure's own noun right after it: "$14.2 billion deal", "$2 billion, five-year cloud contract".
_OWN_NOUN = re.compile(rf"^[\s,]*(?:(?!(?:in|of|for|from|with|at|to|by|on|and|or|as|a|an|the)\b)[\w-]+[\s,]+){{0,3}}?"
                       rf"(?P<noun>{_NOUNS})s?\b", re.I)
# A deal noun whose participle or relative clause pays the figure: "signed a deal this week committing roughly $200
# billion to Google Cloud", "an agreement that commits it to spend $10 billion".
_PAID_UNDER = re.compile(rf"\b(?P<noun>{_NOUNS})s?\b[^$€£.;()]{{0,40}}?\b(?:committing|paying|investing|spending|"
                         rf"(?:that|which)\s+(?:commits|will see|requires)\s+(?:\w+\s+){{0,2}}?(?:to\s+)?"
                         rf"(?:pay|spend|invest|commit)?)\s*{_QUAL}$", re.I)
# What the money buys, right after it: "$17.4 billion of GPU capacity", "$5 billion worth of chips", "$10 billion in
# compute" (a quantity of the deal's goods, not of revenue or debt the company already has).
_WHAT_IS_BOUGHT = re.compile(r"^\s*(?:worth\s+)?(?:of|in)\s+(?:(?!(?:revenue|sales|backlog|debt|cash|profit|losses)\b)"
                             r"[\w-]+\s+){0,3}?(?P<noun>capacity|compute|computing power|computing|chips|GPUs|TPUs|"
                             r"accelerators|servers|cloud services|services|hardware|equipment|systems|infrastructure|"
                             r"credits|power|space)\b", re.I)
# The price: "For $8 billion, …", "… for about $3 billion".
_PRICE = re.compile(rf"\bfor\s+{_QUAL}$", re.I)
# A parenthesis opened by the figure: "(about $5 billion over four years)", "(a contract worth $3 billion)".
_PAREN_OPEN = re.compile(rf"\(\s*(?:(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:{_NOUNS})\s+(?:worth|valued at)\s+)?{_QUAL}$",
                         re.I)
# Words that make a figure a first tranche of a larger ceiling.
_TRANCHE = re.compile(r"\b(?:an?\s+)?(?:initial(?:ly)?|first|starting with|beginning with|starting at|upfront|up front|"
                      r"first tranche of|initial tranche of|an initial tranche of)\s*"
                      r"(?:about|around|roughly|some)?\s*$", re.I)
_TRANCHE_AFTER = re.compile(r"\s*(?:upfront|up front|initially|at first|at the outset|to start|at signing|on signing)\b",
                            re.I)
# "up to $24 billion in total" after a first part: the one deal's whole, not a sum of several deals.
_IN_TOTAL = re.compile(r"\s+in total\b|\s+overall\b", re.I)
# Clause breaks for "no other company in the figure's clause".
_BREAK = re.compile(r"[;()]|,\s+(?:and|while|but|with|as|after|before|days|weeks|months|when|since)\b|\bwhile\b", re.I)


def conversions(sentence: str, money: list[Money]) -> set[int]:
    """Starts of figures that repeat the figure before them in another currency: "A$7.5 billion (about $5 billion)",
    "€1.7 billion ($2 billion)", "3 trillion won, or about $2.1 billion"."""
    out: set[int] = set()
    for prev, m in pairwise(money):
        gap = sentence[prev.end:m.start]
        if prev.currency != m.currency and re.fullmatch(r"\s*(?:\(|,\s*or\s+|,\s*)\s*(?:about|around|roughly|nearly|"
                                                        r"approximately|some|or|US)?\s*", gap, re.I):
            out.add(m.start)
    return out


def _measures_deal(sentence: str, m: Money, masked: list[tuple[int, int]]) -> tuple[bool, str]:
    """Whether the figure measures a deal, and the deal noun that says so ('' when none names it)."""
    before = sentence[max(0, m.start - 90):m.start]
    after = sentence[m.end:m.end + 60]
    if (own := _OWN_NOUN.match(after)) is not None:
        return True, own.group("noun").lower()
    if (by := _MEASURED_BY.search(before)) is not None:
        return True, by.group("noun").lower()
    if (paid := _PAID_UNDER.search(before)) is not None:
        return True, paid.group("noun").lower()
    if (bought := _WHAT_IS_BOUGHT.match(after)) is not None:
        return True, bought.group("noun").lower()
    if _PAREN_OPEN.search(before) is not None:
        return True, ""
    in_mask = any(a <= m.start < b for a, b in masked)
    return (not in_mask and _PRICE.search(before) is not None), ""


def _told_before(sentence: str, m: Money, masked: list[tuple[int, int]]) -> bool:
    """Whether the figure is in a background aside about an earlier deal (", which has already invested $8 billion
    in …,"): such an aside tells history, not the terms of the deal at hand."""
    return any(a <= m.start < b and _PAST.search(sentence, a, b) is not None for a, b in masked)


_PAST = re.compile(r"\b(?:already|had|has|have|previously|earlier|last (?:year|month|week)|in 20\d\d)\b", re.I)


def _other_company_near(sentence: str, m: Money, mentions: list[Mention], parties: set[str]) -> bool:
    """Whether a company other than the deal's parties is named in the figure's own clause."""
    starts = [0, *[x.end() for x in _BREAK.finditer(sentence) if x.end() <= m.start]]
    ends = [x.start() for x in _BREAK.finditer(sentence) if x.start() >= m.end] + [len(sentence)]
    a, b = max(starts), min(ends)
    return any(a <= x.start < b and x.party.id not in parties for x in mentions)


def bind_figures(sentence: str, out: list[ClauseDeal], money: list[Money], masked: list[tuple[int, int]],
                 mentions: list[Mention]) -> list[ClauseDeal]:
    """``out`` with the sentence's deal figure given to its one figureless reading, and first tranches replaced by
    their ceiling (see the module notes). ``money`` is every figure of the sentence, masked ones included.

    >>> from dealweb.extract.parties import PartyRef
    >>> a, b = PartyRef("lambda", "Lambda", True), PartyRef("microsoft", "Microsoft", True)
    >>> s = "In a deal worth $2.5 billion, Lambda agreed to provide GPU capacity to Microsoft."
    >>> from dealweb.extract.amounts import find_money
    >>> d = ClauseDeal(b, a, DealKind.COMPUTE_COMMITMENT, None, Qualifier.UNDISCLOSED, 30, len(s), 0.5)
    >>> [str(x.money.amount) for x in bind_figures(s, [d], find_money(s), [], [])]
    ['2500000000']
    """
    if not out or not money:
        return out
    out = _ceilings(sentence, _each_named_after(sentence, out, mentions), money)
    open_ = [i for i, d in enumerate(out) if d.money is None]
    if len(open_) != 1:
        return out
    deal = out[open_[0]]
    used = {d.money.start for d in out if d.money is not None}
    converted = conversions(sentence, money)
    parties = {deal.payer.id, deal.recipient.id}
    figures = []
    for m in money:
        if m.is_price or m.start in used or m.start in converted or context_role(sentence, m) != "deal":
            continue
        from dealweb.extract import nominal

        if nominal.not_a_deal_figure(sentence, m) or nominal.aggregate(sentence, m):
            continue
        measures, noun = _measures_deal(sentence, m, masked)
        other_kind = noun in _NOUN_KIND and _NOUN_KIND[noun] is not deal.kind and deal.kind is not DealKind.JV
        if not measures or other_kind or _told_before(sentence, m, masked):
            continue
        if _other_company_near(sentence, m, mentions, parties):
            continue
        figures.append(m)
    if len(figures) != 1:
        return out
    m = figures[0]
    qualifier = m.qualifier
    if qualifier is Qualifier.EXACT and sentence_qualifier(sentence) is not None:
        qualifier = Qualifier.ESTIMATE
    out[open_[0]] = replace(deal, money=m, qualifier=qualifier, start=min(deal.start, m.start), end=max(deal.end, m.end),
                            confidence=round(min(deal.confidence + 0.15, 0.95), 2),
                            notes=(*deal.notes, "the figure stands elsewhere in the sentence and measures the deal"),
                            signals=deal.signals | {BOUND, "one_figure"})
    return out


# "$2 billion each in A and B": the companies listed after "each in/to/for/from", joined by commas and "and", with
# at most a few lower-case words of description before each ("photonic product makers A and B").
_EACH_AFTER = re.compile(r"\s*(?:each|apiece)\s+(?:in|into|to|for|from)\s", re.I)
_LIST_GAP = re.compile(r"(?:\s*,)?\s*(?:and|&|as well as)?\s*(?:the\s+)?(?:(?-i:[a-z][\w-]*)\s+){0,4}", re.I)


def _each_named_after(sentence: str, out: list[ClauseDeal], mentions: list[Mention]) -> list[ClauseDeal]:
    """A reading whose figure is given "each" to a list of companies ("will invest $2 billion each in A and B") gives
    the same figure to every company of the list, on the same side as the reading's own party from the list."""
    result = list(out)
    for d in out:
        m = d.money
        if m is None or (each := _EACH_AFTER.match(sentence, m.end)) is None:
            continue
        listed: list[Mention] = []
        pos = each.end()
        for x in sorted((x for x in mentions if x.start >= pos), key=lambda x: x.start):
            gap = _LIST_GAP.fullmatch(sentence, pos, x.start)
            if gap is None or (listed and not re.search(r",|\band\b|&|\bas well as\b", gap.group(), re.I)):
                break
            listed.append(x)
            pos = x.end
        ids = [x.party.id for x in listed]
        side = "recipient" if d.recipient.id in ids else "payer" if d.payer.id in ids else ""
        if len(set(ids)) < 2 or not side:
            continue
        told = {(o.payer.id, o.recipient.id, o.kind) for o in result}
        for x in listed:
            payer, recipient = (d.payer, x.party) if side == "recipient" else (x.party, d.recipient)
            if payer.id == recipient.id or (payer.id, recipient.id, d.kind) in told:
                continue
            told.add((payer.id, recipient.id, d.kind))
            result.append(replace(d, payer=payer, recipient=recipient,
                                  notes=(*d.notes, "the same figure goes to each company listed after 'each'"),
                                  signals=d.signals | {"gapped"}))
    return result


def _ceilings(sentence: str, out: list[ClauseDeal], money: list[Money]) -> list[ClauseDeal]:
    """A reading whose figure is a first tranche takes the ceiling the sentence gives for the same deal."""
    result = []
    used = {d.money.start for d in out if d.money is not None}
    for d in out:
        m = d.money
        if m is None or m.qualifier is Qualifier.UP_TO or not (_TRANCHE.search(sentence[max(0, m.start - 30):m.start])
                                                               or _TRANCHE_AFTER.match(sentence, m.end)):
            result.append(d)
            continue
        ceilings = [c for c in money if c.qualifier is Qualifier.UP_TO and c.currency == m.currency and
                    c.amount > m.amount and c.start not in used and (context_role(sentence, c) == "deal" or
                                                                     _IN_TOTAL.match(sentence, c.end))]
        if len(ceilings) != 1:
            result.append(d)
            continue
        c = ceilings[0]
        result.append(replace(d, money=c, qualifier=Qualifier.UP_TO, start=min(d.start, c.start),
                              end=max(d.end, c.end),
                              notes=(*d.notes, "the first tranche's figure gives way to the ceiling of the deal"),
                              signals=d.signals | {BOUND}))
    return result


# An aside after a name that may only describe the company: ", valued at …,", ", which reported …,", ", whose backlog …,",
# ", a $300 billion company,", "(valued at …)". Bounded windows; the figure's role is checked separately.
_ASIDE = re.compile(r",\s+(?:(?:which|who|whose)\b|(?:now\s+|recently\s+|currently\s+|last\s+)?valued\b|worth\b|"
                    r"(?:a|an)\s+(?:[\w-]+\s+)?[$€£])[^,;()]{0,160},"
                    r"|\s*\((?:(?:now\s+|currently\s+)?valued|worth|a|an|which|whose)\b[^()]{0,120}\)")
# A closing clause about something else: ", days after reporting $146 million of revenue", ", as its shares rose to a $60
# billion market value", ", adding to a backlog of $55 billion", or a comment on the market (", the latest in a string of
# deals worth more than $1 trillion"). Cut only when its figures are all of another role (a comment's may be a total).
_TRAILING = re.compile(r"(?:,\s+(?:(?:days|weeks|months|a day|a week|a month|hours|shortly|just)\s+)?"
                       r"(?:after|as|while|when|since|adding to|bringing|lifting|pushing|"
                       r"and (?:its|the company's|their) (?:shares|stock))\b|"
                       r"\s+as\s+(?:its|their|the company's)\s+(?:shares|stock)\b|"
                       r"(?P<comment>,\s+(?:the|its|their)\s+(?:latest|largest|biggest|newest|most recent|second|third|"
                       r"fourth|first)\b|,\s+one of the\b))", re.I)
# Words of a deal: an aside with them tells a deal (background or not), never only a company's size.
_DEAL_WORDS = re.compile(r"\b(?:invest\w*|deal|contract|agreement|order\w*|loan|lease\w*|buy\w*|bought|acqui\w*|stake|"
                         r"fund\w*|back(?:s|ed|ing|er|ers)?|raise[sd]?|raising|lend\w*|lent|borrow\w*|financ\w*|commit\w*|"
                         r"pays?|paying|paid|purchas\w*|suppl\w*|provid\w*|rent\w*|round|warrants?)\b", re.I)
_NOT_DEAL_ROLES = frozenset({"valuation", "revenue", "backlog", "market", "capex", "previous", "buyback", "price", "pay"})


def without_figure_asides(sentence: str) -> str:
    """``sentence`` without the asides that only give a company's size (see the module notes).

    >>> without_figure_asides("Nscale, valued at $40 billion, signed a $6 billion deal with Microsoft.")
    'Nscale signed a $6 billion deal with Microsoft.'
    >>> without_figure_asides("Amazon, which invested $8 billion in Anthropic, signed a deal.")
    'Amazon, which invested $8 billion in Anthropic, signed a deal.'
    """
    from dealweb.extract.amounts import find_money

    if len(sentence) > 2000 or not any(c in sentence for c in "$€£"):
        return sentence
    cuts: list[tuple[int, int]] = []
    money = find_money(sentence)
    for m in _ASIDE.finditer(sentence):
        inside = [x for x in money if m.start() <= x.start < m.end()]
        if not inside or _DEAL_WORDS.search(m.group()) is not None:
            continue
        if all(x.is_price or context_role(sentence, x) in _NOT_DEAL_ROLES for x in inside):
            cuts.append((m.start(), m.end()))
    end = len(sentence.rstrip(".!?\"'’” "))
    for tail in _TRAILING.finditer(sentence):
        if end - tail.start() > 200 or ";" in sentence[tail.start():] or any(a <= tail.start() < b for a, b in cuts):
            continue
        inside = [x for x in money if x.start >= tail.start()]
        comment = tail.group("comment") is not None
        roles = _NOT_DEAL_ROLES | {"total"} if comment else _NOT_DEAL_ROLES
        if inside and (comment or _DEAL_WORDS.search(sentence, tail.start(), end) is None) and all(
                x.is_price or context_role(sentence, x) in roles for x in inside):
            cuts.append((tail.start(), end))
            break
    for a, b in reversed(cuts):
        rest = sentence[b:].lstrip()
        sentence = sentence[:a].rstrip() + (" " if rest[:1].isalnum() or rest[:1] in "$€£(" else "") + rest
    return sentence


def told_by_hearsay(original: str, read: str, deals: list[ClauseDeal]) -> list[ClauseDeal]:
    """Readings of ``read`` (the sentence with its asides taken out) whose figure the ``original`` sentence passes on as
    hearsay ("…, according to people familiar with the matter", "Sources told the paper that …"): estimates, whichever
    reader (clause, itemised list, back-off) found them.

    >>> from dealweb.extract.amounts import find_money
    >>> from dealweb.extract.parties import PartyRef
    >>> s = "Mistral raised €468m in equity, people close to the company said."
    >>> d = ClauseDeal(PartyRef("venture-investors", "investors", True), PartyRef("mistral-ai", "Mistral", True),
    ...                DealKind.EQUITY_INVESTMENT, find_money(s)[0], Qualifier.EXACT, 0, len(s), 0.5)
    >>> [x.qualifier.value for x in told_by_hearsay(s, s, [d])]
    ['estimate']
    """
    if sentence_qualifier(original) is None and sentence_qualifier(read) is None:
        return deals
    return [replace(d, qualifier=Qualifier.ESTIMATE) if d.money is not None and d.qualifier is Qualifier.EXACT else d
            for d in deals]
