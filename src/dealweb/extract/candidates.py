"""Candidate deals and facts from article text: the records and :func:`extract`.

A :class:`Candidate` is a proposed ledger deal with the sentence it came from; a
:class:`FactCandidate` a proposed financial snapshot. Neither is in the ledger: review them
and import the accepted ones with :func:`dealweb.extract.review.import_candidates`, which
validates them like any import.

Time is linear in the text's length: sentences are found by a regular expression, and the
spaCy matcher and the money patterns run only on sentences that mention money or a deal
word; a sentence repeated verbatim is analysed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from dealweb.extract.amounts import context_role, find_money
from dealweb.extract.binding import told_by_hearsay, without_figure_asides
from dealweb.extract.bound import firm_part
from dealweb.extract.clauses import Context, deals_in_sentence
from dealweb.extract.confidence import confidences
from dealweb.extract.coref import collective, described_subject, investors_left_unnamed, lead_of_raise, lists_investors
from dealweb.extract.dates import as_partial, sentence_date
from dealweb.extract.facts import facts_in_sentence
from dealweb.extract.followups import follow_up_figure, restated_terms, says_no_terms, told_again
from dealweb.extract.modifiers import plain_sentence
from dealweb.extract.parties import Directory, PartyRef
from dealweb.extract.text import Article, Sentence, clean_article, sentences
from dealweb.ledger import Ledger
from dealweb.model.dates import PartialDate
from dealweb.model.records import Entity
from dealweb.model.vocab import DealKind, Metric, Qualifier

__all__ = ["Candidate", "CandidateList", "Evidence", "Extraction", "FactCandidate", "deals_from_text", "directory_for",
           "extract"]

_WORTH_A_LOOK = re.compile(r"[$€£¥]|\b(?:(?:multi-?)?billion|billions|million|trillion|bn|"
                           r"invest\w*|stake|warrants?|loan|lease\w*|"
                           r"guarantee\w*|backstop|acqui\w*|takeover|buyout|merger|crore|lend\w*|lent|borrow\w*|credit|"
                           r"financ\w*|bonds?|chips?|GPUs?|compute|cloud|capacity|rent\w*|buy|bought|"
                           r"purchas\w*|order\w*|licen[cs]\w*|deploy\w*|valu\w*|revenue|per ?cent|percent|%|"
                           r"venture|contribut\w*|buyers?|customers?|clients?|suppliers?|providers?|vendors?|sellers?|"
                           r"landlords?|tenants?|lessors?|licensors?|licensees?|purchasers?|counterpart\w*|"
                           r"(?:new|joint) (?:company|entity)|consortium|alliance|jointly|co-owned|under the (?:name|brand)|"
                           r"joined|members|provid\w*|suppl(?:y|ies|ied|ying)|servers|JVs?|owned)\b", re.I)
# A deal named with no figure and no deal word above ("A and B signed an agreement on Monday"): its readings are
# kept only if a later sentence gives the figure ("The contract is worth $X").
_DEAL_NAMED = re.compile(r"\b(?:deals?|contracts?|agreements?|pacts?|funding|round|financing|partnership)\b", re.I)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a candidate came from: the sentence, and its character span in :attr:`Article.text`."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed deal.

    ``amount`` is in ``currency`` (``None`` exactly when the qualifier is ``undisclosed``);
    ``date`` is explicit, relative to publication, or the publication date (``date_source``
    says which), or ``None``; ``confidence`` is 0–1, how often readings like it were right
    on labelled real news (:mod:`~dealweb.extract.confidence`).
    """

    payer: PartyRef
    recipient: PartyRef
    kind: DealKind
    amount: Decimal | None
    currency: str
    qualifier: Qualifier
    evidence: Evidence
    confidence: float
    low: Decimal | None = None
    high: Decimal | None = None
    period: str = ""
    horizon_years: Decimal | None = None
    date: PartialDate | None = None
    date_source: str = ""
    notes: tuple[str, ...] = ()
    #: The features its confidence is calibrated on (:data:`~dealweb.extract.clauses.SIGNALS`).
    signals: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (amounts as strings of digits, so no precision is lost)."""
        return {
            "payer": self.payer.to_dict(), "recipient": self.recipient.to_dict(), "kind": self.kind.value,
            "amount": _num(self.amount), "currency": self.currency, "qualifier": self.qualifier.value,
            "low": _num(self.low), "high": _num(self.high), "period": self.period,
            "horizon_years": _num(self.horizon_years), "date": str(self.date) if self.date else None,
            "date_source": self.date_source, "confidence": self.confidence, "evidence": self.evidence.to_dict(),
            "notes": list(self.notes),
        }

    def key(self) -> tuple[str, str, str, Decimal | None]:
        return (self.payer.id, self.recipient.id, self.kind.value, self.amount)


class CandidateList(list[Candidate]):
    """A list of candidates that shows as a table in Jupyter."""

    def _repr_html_(self) -> str:
        from dealweb.extract.display import candidates_html

        return candidates_html(self)


@dataclass(frozen=True, slots=True)
class FactCandidate:
    """A proposed financial snapshot (valuation, stake, revenue) with its evidence."""

    entity: PartyRef
    metric: Metric
    value: Decimal
    currency: str
    qualifier: Qualifier
    evidence: Evidence
    confidence: float
    counterparty: PartyRef | None = None
    date: PartialDate | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity.to_dict(), "metric": self.metric.value, "value": _num(self.value),
                "currency": self.currency, "qualifier": self.qualifier.value,
                "counterparty": self.counterparty.to_dict() if self.counterparty else None,
                "date": str(self.date) if self.date else None, "confidence": self.confidence,
                "evidence": self.evidence.to_dict()}


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` found: the cleaned article, candidate deals and candidate facts."""

    article: Article
    deals: list[Candidate] = field(default_factory=list)
    facts: list[FactCandidate] = field(default_factory=list)
    published: PartialDate | None = None

    def _repr_html_(self) -> str:
        from dealweb.extract.display import candidates_html

        return candidates_html(self.deals)

    def dated(self, day: PartialDate, how: str = "import day") -> tuple[Extraction, int]:
        """A copy in which candidates without a date get ``day`` (``date_source`` says ``how``), and how many did."""
        from dataclasses import replace

        deals = [c if c.date is not None else replace(c, date=day, date_source=how) for c in self.deals]
        facts = [f if f.date is not None else replace(f, date=day) for f in self.facts]
        changed = sum(c.date is None for c in self.deals) + sum(f.date is None for f in self.facts)
        return Extraction(self.article, deals, facts, self.published), changed

    def source_title(self) -> str:
        """A title to name the article by when the user gives none: the page's title, else its first line."""
        if self.article.title:
            return self.article.title
        first = self.article.text.split("\n", 1)[0].strip()
        return first if len(first) <= 120 else first[:117].rstrip() + "..."

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.article.title, "published": str(self.published) if self.published else None,
                "characters": len(self.article.text), "deals": [c.to_dict() for c in self.deals],
                "facts": [f.to_dict() for f in self.facts]}


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


_BUNDLED: list[Entity] | None = None


def directory_for(ledger: Ledger | None) -> Directory:
    """The names to resolve parties against: the ledger's entities, or the bundled dataset's without one."""
    global _BUNDLED
    if ledger is not None:
        return Directory(ledger.entity_records())
    if _BUNDLED is None:
        from dealweb.ledger.bundled import bundled_records

        _BUNDLED = list(bundled_records().entities)
    return Directory(_BUNDLED)


def extract(raw: bytes | str, *, ledger: Ledger | None = None, published: PartialDate | str | None = None,
            directory: Directory | None = None, learned: bool = True) -> Extraction:
    """Candidate deals and financial facts in an article (plain text or HTML).

    Parameters
    ----------
    raw
        The article: text or HTML, as ``str`` or ``bytes``.
    ledger
        Resolve parties against this ledger's entities (default: the bundled dataset's).
    published
        Publication date; relative dates ("on Tuesday") are read against it, and it dates
        deals the text gives no date for.
    directory
        A prepared :class:`~dealweb.extract.parties.Directory` (overrides ``ledger``).
    learned
        Let the shipped learned reader (:mod:`~dealweb.extract.learned`) veto rule readings it scores very low
        (``False``: the rules alone, as its fit cross-validates them).

    Raises
    ------
    dealweb.errors.FormatError
        Binary data, or more than :data:`~dealweb.extract.text.MAX_BYTES`.

    Examples
    --------
    >>> x = extract("Nvidia is taking a $1 billion stake in Nokia.", published="2025-10-28")
    >>> c = x.deals[0]
    >>> c.payer.id, c.recipient.id, c.kind.value, c.amount, c.qualifier.value, str(c.date)
    ('nvidia', 'nokia', 'equity_investment', Decimal('1000000000'), 'exact', '2025-10-28')
    """
    pub = as_partial(published)
    article = clean_article(raw)
    ledger_names = directory or directory_for(ledger)
    names = ledger_names.for_article()  # descriptor kinds of new companies stay here
    context = Context()
    deals: list[Candidate] = []
    facts: list[FactCandidate] = []
    seen: dict[str, tuple[list[Any], list[Any], list[Any], str]] = {}
    # Figureless deals of the last deal sentence that a sentence at most two later may give the figure of
    # ("The contract is worth …"): indices into ``deals``, readings too weak alone (no deal verb), and where.
    pending: list[int] = []
    held: list[Candidate] = []
    pending_at = -10
    last: Sentence | None = None
    pooled_at: tuple[int, int, tuple[PartyRef, Any, DealKind]] | None = None  # the last round given to the investor group
    headings = 0  # lines of one or two words ("Details", "Read more") do not count in how far a figure may be
    for n, sent in enumerate(sentences(article.text)):
        if len(sent.text.split()) <= 2:
            headings += 1
        n -= headings
        prior_raise, context.open_raise = context.open_raise, None
        raised_in, last = last, sent
        listing = prior_raise is not None and lists_investors(sent.text)
        if prior_raise is not None and raised_in is not None and lead_of_raise(sent.text, names) is None and \
                (investors_left_unnamed(sent.text, prior_raise[0], names) or not _deal_figures(sent.text[:600])) and \
                (pooled := _pooled_round(prior_raise, raised_in, names, pub, deals)) is not None:
            # "Groq raised $640 million, valuing it at …": no investor named, or only named in a list or in passing
            # in the next sentence (a next sentence with a figure may give the investors' own parts).
            deals.append(pooled)
            pooled_at = (len(deals) - 1, n, prior_raise)
            if listing:
                continue  # "Investors included A, B and C": the round's participants, no deal of their own
        prior_party, context.open_party = context.open_party, None
        if prior_party is not None and (later := _named_follow_up(prior_party, sent, names, pub)) is not None:
            deals.append(later)
        if prior_raise is not None and (led := _lead_follow_up(prior_raise, sent, names, date_of=(pub,))) is not None:
            deals.append(led)
            continue
        if prior_raise is None and pooled_at is not None and n - pooled_at[1] == 1 and \
                (led := _lead_follow_up(pooled_at[2], sent, names, date_of=(pub,))) is not None:
            # "Runway raised $308 million. That more than doubles its value. General Atlantic led the round.": the lead
            # named one sentence further on pays, in place of the investor group
            deals[pooled_at[0]], pooled_at = _replace(led, signals=led.signals | {"pooled"}), None
            continue
        weak = not _WORTH_A_LOOK.search(sent.text) and _DEAL_NAMED.search(sent.text) is not None
        names.remember_names(sent.text)  # new companies named in full, and people, for the sentences after
        if context.current_text:
            context.earlier = [*context.earlier[-3:], (context.current, context.current_text)]
        context.previous, context.current = context.current, [m.party for m in names.mentions(sent.text[:2000])]
        context.previous_text, context.current_text = context.current_text, sent.text[:600]
        # A deal with one party named waits up to two sentences for the other, and a venture for its name, whatever
        # words they use.
        if len(sent.text) > 2000 or not (weak or _WORTH_A_LOOK.search(sent.text) or context.open_deal is not None
                                             or context.venture is not None):
            for p in context.current:
                context.note(p)
            continue
        if sent.text in seen:
            found, found_facts, tentative, plain = seen[sent.text]
        else:
            # A weak sentence's readings must not steer later ones (topic, tenant …): it reads a copy of the context.
            ctx = replace(context) if weak else context
            plain = plain_sentence(sent.text, names)  # descriptors, appositives, suffixes, tickers taken out
            # "the two companies" → the companies named before; "The chip giant" (a subject) → the company it stands for
            written = collective(described_subject(plain, context, names), context, names)
            read = without_figure_asides(written)  # ", valued at $40 billion," steers no deal (facts still read it)
            found = told_by_hearsay(sent.text, read, deals_in_sentence(read, names, ctx))
            if written != plain:
                found = _collective_signal(found, plain, written, names)
            plain = written
            if weak:  # only a deal told before and completed here (its figure given there) stands on its own
                done = [x for x in found if "linked" in x.signals and x.money is not None]
                tentative = [*[x for x in found if x not in done], *ctx.tentative]
                found = done
                context.open_deal = ctx.open_deal
            else:
                tentative = ctx.tentative
            if weak:
                for m in names.mentions(sent.text):
                    context.note(m.party)
            recipient = found[0].recipient if found else None
            found_facts = [] if weak else facts_in_sentence(plain, names, context, pub, recipient)
            seen[sent.text] = (found, found_facts, tentative, read)
            plain = read
        if not found and n - pending_at <= 2 and len(pending) + len(held) == 1:
            figure = follow_up_figure(sent.text, (deals[pending[0]] if pending else held[0]).payer, names)
            if figure is not None or says_no_terms(sent.text):
                if pending:
                    deals[pending[0]] = fill_amount(deals[pending[0]], sent, figure)
                else:
                    deals.append(fill_amount(held[0], sent, figure))
                pending, held = [], []
                continue
        if not found and not tentative and (again := told_again(sent, deals, names, pub)) is not None:
            deals.append(again)  # "It previously raised €6 billion through a similar offering"
            continue
        if not found and not tentative and (bound := firm_part(sent, deals)) is not None:
            deals[bound[0]] = bound[1]  # "… could total $27 billion. The agreement guarantees $12 billion …"
            continue
        if found or tentative:
            pending, held, pending_at = [], [], n
        if not found and not found_facts and not tentative:
            continue
        date, how = sentence_date(sent.text, pub)
        from dealweb.extract.amounts import horizon_years

        for d in [*found, *tentative]:
            clause = plain[d.start:d.end]
            money = d.money
            c = Candidate(
                d.payer, d.recipient, d.kind, money.amount if money else None, money.currency if money else "USD",
                d.qualifier, Evidence(sent.text, sent.start, sent.end), d.confidence,
                money.low if money else None, money.high if money else None, money.period if money else "",
                horizon_years(clause), date, how, d.notes, d.signals)
            if d in tentative:
                held.append(c)
                continue
            deals.append(c)
            if money is None:
                pending.append(len(deals) - 1)
        for f in found_facts:
            facts.append(FactCandidate(f.entity, f.metric, f.value, f.currency, f.qualifier,
                                       Evidence(sent.text, sent.start, sent.end), f.confidence, f.counterparty,
                                       f.date or date))
    if context.open_raise is not None and last is not None and (pooled := _pooled_round(context.open_raise, last, names,
                                                                                         pub, deals)) is not None:
        deals.append(pooled)  # the raise is the text's last sentence
    merged = _merge(restated_terms(deals))  # each confidence is read with the passage's other candidates
    if learned:
        from dealweb.extract.learned import apply

        merged = apply(article.text, ledger_names, merged)
    merged = [_replace(c, confidence=v) for c, v in zip(merged, confidences(merged), strict=True)]
    return Extraction(article, merged, _merge_facts(facts), pub)


def deals_from_text(text: bytes | str, *, ledger: Ledger | None = None,
                    published: PartialDate | str | None = None) -> CandidateList:
    """Candidate deals in an article; see :func:`extract` (which also returns financial facts).

    >>> [(c.payer.id, c.recipient.id, str(c.amount)) for c in deals_from_text(
    ...     "Amazon and Google will invest $5 billion and $10 billion respectively in Anthropic.")]
    [('amazon', 'anthropic', '5000000000'), ('google', 'anthropic', '10000000000')]
    """
    return CandidateList(extract(text, ledger=ledger, published=published).deals)


def _collective_signal(found: list[Any], plain: str, written: str, names: Directory) -> list[Any]:
    """Readings whose party was written out from "the two companies" or "they" carry the signal ``collective``."""
    head = next((i for i, (x, y) in enumerate(zip(plain, written, strict=False)) if x != y), min(len(plain), len(written)))
    tail = next((i for i, (x, y) in enumerate(zip(reversed(plain), reversed(written), strict=False)) if x != y), 0)
    end = len(written) - tail
    spans = names.mentions(written)
    spans += names.unknown_orgs(written, [(m.start, m.end) for m in spans])
    before = names.mentions(plain)
    before += names.unknown_orgs(plain, [(m.start, m.end) for m in before])
    added = {m.party.id for m in spans if head <= m.start < end} - {m.party.id for m in before}
    return [replace(d, signals=d.signals | {"collective"}) if {d.payer.id, d.recipient.id} & added else d for d in found]


def _deal_figures(text: str) -> list[Any]:
    """The figures of ``text`` that could be deal amounts (not a valuation, revenue or total)."""
    return [m for m in find_money(text) if context_role(text, m) == "deal"]


_FUND_OR_TALKS = re.compile(r"\b(?:funds?|reportedly|is raising|are raising|seeking|seeks|aims? to raise|plans? to raise|"
                            r"close to (?:finali[sz]|complet|clos|seal|sign)\w*|"
                            r"looking to raise|in talks|offerings?|bonds?|notes|debt|loans?|credit|facility|IPO|listing)\b",
                            re.I)


def _pooled_round(raised: tuple[PartyRef, Any, DealKind], sent: Sentence, names: Directory,
                  pub: PartialDate | None, told: list[Candidate]) -> Candidate | None:
    """"Groq raised $640 million, valuing the company at $2.8 billion.": a round with no investor named, in its sentence
    or the next (a next sentence naming another company may list the investors' own parts), is from the pooled investor
    group (the development set's convention for funding rounds)."""
    company, money, kind = raised
    group = names.entities.get("venture-investors")
    if kind is not DealKind.EQUITY_INVESTMENT or group is None or company.id == group.id or len(sent.text) > 600:
        return None
    if any(m.party.id != company.id for m in names.mentions(sent.text)):
        return None  # another company in the raise's own sentence ("A and B each raised …"): not one plain round
    if any(c.recipient.id == company.id and c.amount == money.amount for c in told):
        return None  # another reading has this raise already ("raised €6.75 billion through a similar offering")
    owner = names.kind(company.id)
    if (owner is not None and owner.value in ("investor", "bank")) or _FUND_OR_TALKS.search(sent.text):
        return None  # "Andreessen Horowitz is reportedly raising $20 billion for a fund": its own fund, still open
    date, how = sentence_date(sent.text, pub)
    return Candidate(PartyRef(group.id, group.name, "investors"), company, kind, money.amount, money.currency,
                     money.qualifier, Evidence(sent.text, sent.start, sent.end), 0.4, money.low, money.high,
                     money.period, None, date, how, ("no investor is named; entered as the investor group",),
                     frozenset({"pooled", "one_figure"}))


def _lead_follow_up(raised: tuple[PartyRef, Any, DealKind], sent: Sentence, names: Directory,
                    date_of: tuple[PartialDate | None]) -> Candidate | None:
    """"CoreWeave raised $7.5 billion. Blackstone led the financing.": the lead pays, the figure is the raise's."""
    from dealweb.extract.coref import lead_of_raise

    if len(sent.text) > 600:
        return None
    lead = lead_of_raise(sent.text, names)
    company, money, kind = raised
    if lead is None or lead.id == company.id:
        return None
    date, how = sentence_date(sent.text, date_of[0])
    return Candidate(lead, company, kind, money.amount, money.currency, money.qualifier,
                     Evidence(sent.text, sent.start, sent.end), 0.6 if lead.known else 0.4, money.low, money.high,
                     money.period, None, date, how,
                     ("the figure and the company raising it are in the sentence before; this one names the lead",),
                     frozenset({"linked"}))


def _named_follow_up(open_party: tuple[PartyRef, Any, DealKind, str], sent: Sentence, names: Directory,
                     pub: PartialDate | None) -> Candidate | None:
    """"Microsoft is investing $1.5 billion in a technology firm … Microsoft and G42 announced the deal": G42."""
    from dealweb.extract.coref import named_later

    payer, money, kind, described = open_party
    if len(sent.text) > 600:
        return None
    company = named_later(sent.text, names, described, {payer.id})
    if company is None:
        return None
    date, how = sentence_date(sent.text, pub)
    return Candidate(payer, company, kind, money.amount if money else None, money.currency if money else "USD",
                     money.qualifier if money else Qualifier.UNDISCLOSED, Evidence(sent.text, sent.start, sent.end),
                     0.5, money.low if money else None, money.high if money else None, money.period if money else "",
                     None, date, how, (f"the sentence before describes the company ('{described}'); this one names it",),
                     frozenset({"linked"}))


def fill_amount(c: Candidate, sent: Sentence, m: Any) -> Candidate:
    """A figureless deal completed by a later sentence: its figure (``m``), or none when the terms were not given."""
    from dataclasses import replace

    from dealweb.extract.amounts import horizon_years

    text = c.evidence.sentence + " " + sent.text
    evidence = Evidence(text, c.evidence.start, sent.end)
    signals = c.signals | {"linked"}
    if m is None:
        return replace(c, evidence=evidence, signals=signals, notes=(*c.notes, "the next sentence says the terms were "
                                                                             "not disclosed"))
    from dealweb.extract.amounts import sentence_qualifier

    qualifier = m.qualifier
    if qualifier is Qualifier.EXACT and sentence_qualifier(sent.text) is not None:
        qualifier = Qualifier.ESTIMATE  # "Sources say …", "people familiar": hearsay
    return replace(c, amount=m.amount, currency=m.currency, qualifier=qualifier, low=m.low, high=m.high,
                   period=m.period, horizon_years=c.horizon_years or horizon_years(sent.text), evidence=evidence,
                   confidence=round(c.confidence + 0.05, 2), notes=(*c.notes, "the amount comes from a later sentence"),
                   signals=signals | {"one_figure"})


def _merge(found: list[Candidate]) -> list[Candidate]:
    """One candidate per (payer, recipient, kind, amount); a ceiling or estimate wording wins over a bare figure,
    and the higher confidence is kept."""
    out: dict[tuple[str, str, str, Decimal | None], Candidate] = {}
    for c in found:
        k = c.key()
        if k not in out:
            # An undisclosed mention of a deal that also appears with a figure adds nothing.
            if c.amount is None and any(o[:3] == k[:3] for o in out):
                continue
            out[k] = c
            continue
        old = out[k]
        qualifier = old.qualifier if old.qualifier is not Qualifier.EXACT else c.qualifier
        if _evidence_rank(c) > _evidence_rank(old):
            old, c = c, old  # the same reading from a headline and a body sentence: cite the sentence its verb supports
        out[k] = _replace(old, qualifier=qualifier, confidence=max(old.confidence, c.confidence),
                          horizon_years=old.horizon_years or c.horizon_years)
    kept = list(out.values())
    # Drop undisclosed candidates whose deal was later given a figure.
    kept = [c for c in kept if c.amount is not None or not any(
        {o.payer.id, o.recipient.id} == {c.payer.id, c.recipient.id} and o.kind is c.kind and o.amount is not None
        for o in kept)]
    # One company is sold once: an undisclosed acquisition with the same seller (or target) as one with a figure is
    # that deal told again ("a consortium including GIP … $40bn" then "AIP has agreed to buy … from Macquarie").
    kept = [c for c in kept if c.amount is not None or c.kind is not DealKind.ACQUISITION or not any(
        o.kind is DealKind.ACQUISITION and o.amount is not None and o.recipient.id == c.recipient.id for o in kept)]
    return _one_per_deal(kept)


def _evidence_rank(c: Candidate) -> tuple[int, int]:
    from dealweb.extract.articles import _rank

    return _rank(c)[:2]


def _one_per_deal(found: list[Candidate]) -> list[Candidate]:
    """One candidate per deal: a headline and its body sentence, or the pair reversed (:mod:`.articles`)."""
    from dealweb.extract.articles import one_per_deal

    return one_per_deal(found)


def _merge_facts(found: list[FactCandidate]) -> list[FactCandidate]:
    out: dict[tuple[str, str, str, Decimal], FactCandidate] = {}
    for f in found:
        out.setdefault((f.entity.id, f.metric.value, f.counterparty.id if f.counterparty else "", f.value), f)
    return list(out.values())


def _replace(c: Candidate, **changes: Any) -> Candidate:
    from dataclasses import replace

    return replace(c, **changes)
