"""Accepted candidates → ledger records, with the article as their source.

:func:`plan_import` turns candidates into records and says, per candidate, whether it is a
**new** deal (or figure) or the **same deal** as one already in the ledger, in which case
the article is added to that deal's sources instead of a second row. :func:`import_candidates`
then writes the plan through :meth:`~dealweb.ledger.Ledger.apply`, the one door every
import uses: the ledger is validated as a whole and nothing is written on any problem.

Same deal: same payer, recipient and kind; amounts within 10% of each other (or both
undisclosed); announcement dates, when both are known, within 120 days. Same figure: same
entity, metric and counterparty, value within 2%, dates within 60 days.

Amounts in another currency are converted to USD at the fixed rates of :data:`USD_RATES`
(late-2025 averages); the original figure and currency are kept, and a converted figure is
an ``estimate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from dealweb.errors import Problem, ValidationError
from dealweb.extract.candidates import Candidate, FactCandidate
from dealweb.extract.parties import PartyRef
from dealweb.ledger import ChangeReport, Ledger
from dealweb.model.dates import PartialDate
from dealweb.model.records import Deal, Entity, FinancialSnapshot, Source
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import Confidence, Metric, Qualifier, Status

__all__ = ["USD_RATES", "ImportPlan", "ImportResult", "Planned", "import_candidates", "plan_import", "pretick_note",
           "same_deal", "starts_ticked"]

#: USD per unit, for converting non-dollar figures (an estimate; the original is kept).
USD_RATES: dict[str, Decimal] = {"USD": Decimal(1), "EUR": Decimal("1.17"), "GBP": Decimal("1.35"),
                                 "JPY": Decimal("0.0067")}


@dataclass(frozen=True, slots=True)
class Planned:
    """What happens to one candidate: a new record, or a source added to an existing one."""

    action: Literal["new", "add_source"]
    record: Deal | FinancialSnapshot
    candidate: Candidate | FactCandidate

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "id": self.record.id, "record_type":
                "deal" if isinstance(self.record, Deal) else "financial", "candidate": self.candidate.to_dict()}


@dataclass
class ImportPlan:
    """Records to write and why: one :class:`Planned` per candidate, plus proposed new entities."""

    planned: list[Planned] = field(default_factory=list)
    new_entities: list[Entity] = field(default_factory=list)

    def records(self) -> RecordSet:
        deals = {p.record.id: p.record for p in self.planned if isinstance(p.record, Deal)}
        figures = {p.record.id: p.record for p in self.planned if isinstance(p.record, FinancialSnapshot)}
        return RecordSet.of(self.new_entities, deals.values(), figures.values())

    def to_dict(self) -> dict[str, Any]:
        return {"planned": [p.to_dict() for p in self.planned],
                "new_entities": [{"id": e.id, "name": e.name} for e in self.new_entities]}


def _usd(amount: Decimal | None, currency: str) -> tuple[Decimal | None, bool]:
    if amount is None or currency in ("", "USD"):
        return amount, False
    rate = USD_RATES.get(currency)
    if rate is None:
        raise ValidationError([Problem("candidate", "currency", "currency",
                                       f"no conversion rate for {currency}; edit the amount to USD")])
    return (amount * rate).quantize(Decimal(1)), True


def _near(a: Decimal | None, b: Decimal | None, tolerance: Decimal) -> bool:
    if a is None or b is None:
        return a is None and b is None
    top = max(a, b)
    return top == 0 or abs(a - b) / top <= tolerance


def _close_dates(a: PartialDate | None, b: PartialDate | None, days: int) -> bool:
    if a is None or b is None:
        return True
    gap = min(abs((a.first_day() - b.last_day()).days), abs((b.first_day() - a.last_day()).days))
    overlap = a.first_day() <= b.last_day() and b.first_day() <= a.last_day()
    return overlap or gap <= days


def same_deal(candidate: Candidate, deals: Sequence[Deal]) -> Deal | None:
    """The ledger deal a candidate describes again, if any (see the module notes).

    >>> from dataclasses import replace
    >>> from dealweb.extract.candidates import Evidence
    >>> from dealweb.model.vocab import DealKind
    >>> p = lambda i: PartyRef(i, i, i)
    >>> c = Candidate(p("microsoft"), p("anthropic"), DealKind.EQUITY_INVESTMENT, Decimal("5e9"), "USD", Qualifier.UP_TO,
    ...               Evidence("", 0, 0), 0.8, date=PartialDate.parse("2025-11-19"))
    >>> d = Deal("D55", "2025-11-18", "equity_investment", "microsoft", "anthropic", Decimal("5e9"), "up_to")
    >>> same_deal(c, [d]).id
    'D55'
    """
    amount, _ = _usd(candidate.amount, candidate.currency)
    for d in deals:
        if (d.payer, d.recipient, d.kind.value) != (candidate.payer.id, candidate.recipient.id, candidate.kind.value):
            continue
        if _near(d.amount_usd, amount, Decimal("0.1")) and _close_dates(d.announced, candidate.date, 120):
            return d
    return None


def _same_figure(fact: FactCandidate, value: Decimal | None, figures: Sequence[FinancialSnapshot]) -> FinancialSnapshot | None:
    counterparty = fact.counterparty.id if fact.counterparty else None
    for f in figures:
        if (f.entity, f.metric, f.counterparty) == (fact.entity.id, fact.metric, counterparty) and \
                _near(f.value, value, Decimal("0.02")) and _close_dates(f.as_of, fact.date, 60):
            return f
    return None


def _next_id(prefix: str, taken: set[str]) -> str:
    numbers = [int(i[len(prefix):]) for i in taken if i.startswith(prefix) and i[len(prefix):].isdigit()]
    new = f"{prefix}{max(numbers, default=0) + 1:03d}"
    taken.add(new)
    return new


def _entity(party: PartyRef, known: dict[str, Entity], new: dict[str, Entity], title: str) -> str:
    if party.id not in known and party.id not in new:
        new[party.id] = Entity(party.id, party.name, notes=f"proposed by dealweb extract from {title or 'an article'}")
    return party.id


def starts_ticked(candidate: Candidate | FactCandidate) -> bool:
    """Whether a review (the web page, ``dealweb extract --review``) starts with ``candidate`` accepted.

    A deal does when its confidence reaches :func:`~dealweb.extract.confidence.pretick_at`, the cut the
    confidence fit chose on labelled sets left out of it; talks and rumours never do. A figure's confidence is not
    fitted (0.7 for a ledger entity, 0.45 otherwise), so figures keep the table's cut,
    :data:`~dealweb.extract.confidence.PRETICK_TABLE`.

    >>> from dataclasses import replace
    >>> from dealweb.extract.candidates import Evidence
    >>> from dealweb.model.vocab import DealKind
    >>> p = lambda i: PartyRef(i, i, i)
    >>> c = Candidate(p("amazon"), p("anthropic"), DealKind.EQUITY_INVESTMENT, Decimal("4e9"), "USD", Qualifier.EXACT,
    ...               Evidence("", 0, 0), 0.85)
    >>> starts_ticked(c), starts_ticked(replace(c, confidence=0.1))
    (True, False)
    """
    from dealweb.extract.confidence import PRETICK_TABLE, is_talks, pretick_at

    if isinstance(candidate, FactCandidate):
        return candidate.confidence >= PRETICK_TABLE
    return not is_talks(candidate) and candidate.confidence >= pretick_at()


def pretick_note() -> str:
    """One sentence saying which candidates a review starts ticked, and why that cut.

    >>> "start ticked" in pretick_note()
    True
    """
    from dealweb.extract.confidence import pretick_at, shipped_model

    model = shipped_model()
    cut = pretick_at(model)
    if model is None or model.pretick is None:
        return f"Candidate deals at a confidence of {cut:.2f} or more start ticked."
    pre = model.about["pretick"]
    return (f"Candidate deals at a confidence of {cut:.2f} or more start ticked: reading each labelled set with a "
            f"model fitted on the others, {pre.get('right')} of {pre.get('kept')} such candidates were right.")


def _confidence(score: float) -> Confidence:
    return Confidence.MEDIUM if score >= 0.6 else Confidence.LOW


def plan_import(candidates: Sequence[Candidate], facts: Sequence[FactCandidate] = (), *, records: RecordSet,
                source: Source) -> ImportPlan:
    """Records for accepted candidates, each a new row or a source added to the same deal already held.

    Raises
    ------
    ValidationError
        A candidate has no date (give the article's publication date), or a currency without a rate.
    """
    plan = ImportPlan()
    known = {e.id: e for e in records.entities}
    new_entities: dict[str, Entity] = {}
    deals = {d.id: d for d in records.deals}
    figures = {f.id: f for f in records.financials}
    deal_ids, figure_ids = set(deals), set(figures)
    problems: list[Problem] = []
    for n, c in enumerate(candidates, 1):
        if c.date is None:
            problems.append(Problem(f"candidate {n}", "date", "required", "no date in the text; give the article's "
                                    "publication date (--published or 'published')"))
            continue
        amount, converted = _usd(c.amount, c.currency)
        twin = same_deal(c, list(deals.values()))
        if twin is not None:
            if source not in twin.sources:
                deals[twin.id] = twin.evolve(sources=(*twin.sources, source))
            plan.planned.append(Planned("add_source", deals[twin.id], c))
            continue
        qualifier = Qualifier.ESTIMATE if converted and c.qualifier is Qualifier.EXACT else c.qualifier
        figure = "undisclosed" if c.amount is None else f"{c.amount} {c.currency}" + (f" per {c.period}" if c.period else "")
        deal = Deal(
            _next_id("D", deal_ids), c.date, c.kind, _entity(c.payer, known, new_entities, source.title),
            _entity(c.recipient, known, new_entities, source.title), amount, qualifier, Status.ANNOUNCED,
            _confidence(c.confidence), (source,),
            f"{c.kind.value.replace('_', ' ')} of {figure} ({c.qualifier.value}), extracted from the article by "
            f"dealweb extract (confidence {c.confidence:.2f}).",
            currency=c.currency or "USD", amount_original=c.amount if converted else None,
            low_usd=_usd(c.low, c.currency)[0], high_usd=_usd(c.high, c.currency)[0], horizon_years=c.horizon_years)
        deals[deal.id] = deal
        plan.planned.append(Planned("new", deal, c))
    for n, f in enumerate(facts, 1):
        if f.date is None:
            problems.append(Problem(f"fact {n}", "date", "required", "no date in the text; give the article's "
                                    "publication date (--published or 'published')"))
            continue
        value, converted = (f.value, False) if f.metric is Metric.STAKE_PCT else _usd(f.value, f.currency)
        twin_f = _same_figure(f, value, list(figures.values()))
        if twin_f is not None:
            if source not in twin_f.sources:
                figures[twin_f.id] = twin_f.evolve(sources=(*twin_f.sources, source))
            plan.planned.append(Planned("add_source", figures[twin_f.id], f))
            continue
        qualifier = Qualifier.ESTIMATE if converted and f.qualifier is Qualifier.EXACT else f.qualifier
        counterparty = _entity(f.counterparty, known, new_entities, source.title) if f.counterparty else None
        snapshot = FinancialSnapshot(
            _next_id("V", figure_ids), _entity(f.entity, known, new_entities, source.title), f.date, f.metric, value,
            qualifier, counterparty, _confidence(f.confidence), (source,),
            f"{f.metric.value.replace('_', ' ')} extracted from the article by dealweb extract.")
        figures[snapshot.id] = snapshot
        plan.planned.append(Planned("new", snapshot, f))
    if problems:
        raise ValidationError(problems)
    plan.new_entities = list(new_entities.values())
    return plan


@dataclass
class ImportResult:
    """The plan that was (or on a dry run would be) written, and the ledger's change report."""

    plan: ImportPlan
    report: ChangeReport

    def to_dict(self) -> dict[str, Any]:
        return {**self.plan.to_dict(), "report": self.report.to_dict(), "summary": str(self.report)}


def import_candidates(ledger: Ledger, candidates: Sequence[Candidate], facts: Sequence[FactCandidate] = (), *,
                      source: Source, dry_run: bool = False, by: str | None = None, reason: str = "") -> ImportResult:
    """Write accepted candidates to ``ledger``, all or nothing, with ``source`` on every record.

    Examples
    --------
    >>> import dealweb
    >>> from dealweb.extract import extract
    >>> ledger = dealweb.open(":memory:")
    >>> x = extract("Microsoft will invest up to $5 billion in Anthropic.", ledger=ledger, published="2025-11-18")
    >>> result = import_candidates(ledger, x.deals, source=Source(outlet="Example Wire", title="MSFT and Anthropic"))
    >>> [(p.action, p.record.id) for p in result.plan.planned]
    [('add_source', 'D55')]
    >>> ledger.deal("D55").sources[-1].outlet
    'Example Wire'
    """
    if source.is_empty():
        raise ValidationError([Problem("article", "source", "missing_source", "every deal needs a source: give the "
                                       "article's title, outlet or URL")])
    plan = plan_import(candidates, facts, records=ledger.records(), source=source)
    report = ledger.apply(plan.records(), dry_run=dry_run, by=by,
                          reason=reason or f"dealweb extract: {source.title or source.url or source.outlet}")
    return ImportResult(plan, report)
