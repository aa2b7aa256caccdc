"""Refresh financial figures from SEC filings: XBRL "company facts" JSON to financial snapshots.

The SEC publishes every filer's XBRL facts as one JSON document per company
(``https://data.sec.gov/api/xbrl/companyfacts/CIK##########.json``)::

    {"cik": 1045810, "entityName": "NVIDIA CORP",
     "facts": {"us-gaap": {"CashAndCashEquivalentsAtCarryingValue":
                 {"units": {"USD": [{"end": "2025-07-27", "val": 11639000000, "form": "10-Q",
                                     "fy": 2026, "fp": "Q2", "filed": "2025-08-27",
                                     "accn": "0001045810-25-000209"}, …]}}, …},
               "dei": {…}}}

Duration facts (revenue, capex) also carry ``start``. :func:`sec_snapshots` maps concepts
to our metrics and keeps the **latest** value of each (newest period end, then newest
filing):

==================== ==========================================================================
metric               us-gaap concept (first that has a value)
==================== ==========================================================================
cash                 CashAndCashEquivalentsAtCarryingValue
cash_and_securities  CashCashEquivalentsAndShortTermInvestments
debt                 LongTermDebt, else LongTermDebtNoncurrent + LongTermDebtCurrent (same end)
revenue              Revenues, RevenueFromContractWithCustomerExcludingAssessedTax: a 10-K's
                     fiscal year (a period of about a year)
revenue_quarter      the same concepts: a three-month period from a 10-Q or 10-K
backlog_rpo          RevenueRemainingPerformanceObligation
capex                PaymentsToAcquirePropertyPlantAndEquipment: a 10-K's fiscal year
equity_book          StockholdersEquity
==================== ==========================================================================

Each snapshot is dated at its period end, says the period in its description
("FY2026 Q2, quarter to 2025-07-27"), and cites its filing as a ``filing`` source whose URL
is the filing's folder in EDGAR (``https://www.sec.gov/Archives/edgar/data/<cik>/<accession
without dashes>/``). Its id is ``SEC-<cik>-<metric>-<period end>``, so importing the same
filing twice changes nothing and a newer filing adds a newer figure.

:func:`import_sec` reads one or more files, matches each to an entity (``entity=`` or by
CIK, ticker or name) and applies every snapshot in one transaction: all files or none.
:func:`fetch_company_facts` downloads a company's document with the User-Agent the SEC asks
for (``DEALWEB_SEC_USER_AGENT`` overrides it); offline it raises :class:`FetchError`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from dealweb.errors import DealwebError, FormatError, Problem, ValidationError
from dealweb.model.records import Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet
from dealweb.model.sources import Source
from dealweb.model.vocab import Confidence, Metric, Qualifier, SourceKind

__all__ = [
    "COMPANY_FACTS_URL",
    "CONCEPTS",
    "USER_AGENT_ENV",
    "FetchError",
    "SecFacts",
    "fetch_company_facts",
    "import_sec",
    "match_entity",
    "read_company_facts",
    "sec_snapshots",
]

COMPANY_FACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK{cik:010d}.json"
USER_AGENT_ENV = "DEALWEB_SEC_USER_AGENT"
_DEFAULT_AGENT = "dealweb (open-source deal-web analysis; set DEALWEB_SEC_USER_AGENT to 'name email')"

#: Metric → us-gaap concepts tried in order.
CONCEPTS: dict[Metric, tuple[str, ...]] = {
    Metric.CASH: ("CashAndCashEquivalentsAtCarryingValue",),
    Metric.CASH_AND_SECURITIES: ("CashCashEquivalentsAndShortTermInvestments",),
    Metric.DEBT: ("LongTermDebt",),
    Metric.REVENUE: ("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax"),
    Metric.REVENUE_QUARTER: ("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax"),
    Metric.BACKLOG_RPO: ("RevenueRemainingPerformanceObligation",),
    Metric.CAPEX: ("PaymentsToAcquirePropertyPlantAndEquipment",),
    Metric.EQUITY_BOOK: ("StockholdersEquity",),
}
_YEAR = (340, 380)  # days in a fiscal year's duration
_QUARTER = (80, 100)  # days in a quarter's duration
_ANNUAL_ONLY = {Metric.REVENUE, Metric.CAPEX}


class FetchError(DealwebError):
    """A document could not be downloaded (offline, refused, not found); nothing was written."""


@dataclass(frozen=True)
class _Fact:
    concept: str
    value: Decimal
    end: dt.date
    start: dt.date | None
    form: str
    fy: str
    fp: str
    filed: str
    accn: str

    def days(self) -> int | None:
        return (self.end - self.start).days if self.start else None


@dataclass(frozen=True)
class SecFacts:
    """The parts of one company-facts document dealweb uses."""

    cik: int
    name: str
    facts: dict[str, list[_Fact]]
    where: str
    tickers: tuple[str, ...] = ()


def _date(text: Any, where: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise FormatError([Problem(where, field, "date", f"{text!r} is not a YYYY-MM-DD date")]) from None


def read_company_facts(data: Mapping[str, Any], where: str = "company facts") -> SecFacts:
    """Check and read a company-facts document; :class:`~dealweb.errors.FormatError` names what is wrong."""
    if not isinstance(data, Mapping):
        raise FormatError([Problem(where, "", "sec_json", "is not a JSON object")])
    try:
        cik = int(str(data.get("cik", "")).strip() or "x")
    except ValueError:
        raise FormatError([Problem(where, "cik", "sec_json", f"{data.get('cik')!r} is not a CIK number")]) from None
    facts = data.get("facts")
    if not isinstance(facts, Mapping) or not isinstance(facts.get("us-gaap"), Mapping):
        raise FormatError([Problem(where, "facts", "sec_json",
                                   "has no facts → us-gaap object; is this an SEC company-facts document?")])
    out: dict[str, list[_Fact]] = {}
    for concept in {c for names in CONCEPTS.values() for c in names} | {"LongTermDebtNoncurrent", "LongTermDebtCurrent"}:
        entries = facts["us-gaap"].get(concept, {}).get("units", {}).get("USD", [])
        rows = []
        for i, e in enumerate(entries):
            at = f"{where}, {concept} USD[{i}]"
            if not isinstance(e, Mapping) or "end" not in e or "val" not in e:
                raise FormatError([Problem(at, "", "sec_json", "needs at least 'end' and 'val'")])
            try:
                value = Decimal(str(e["val"]))
            except ArithmeticError:
                raise FormatError([Problem(at, "val", "number", f"{e['val']!r} is not a number")]) from None
            rows.append(_Fact(concept, value, _date(e["end"], at, "end"),
                              _date(e["start"], at, "start") if e.get("start") else None,
                              str(e.get("form", "")), str(e.get("fy", "")), str(e.get("fp", "")),
                              str(e.get("filed", "")), str(e.get("accn", ""))))
        if rows:
            out[concept] = rows
    name = str(data.get("entityName") or "").strip()
    tickers = tuple(str(t).upper() for t in data.get("tickers", []) if str(t).strip())
    return SecFacts(cik=cik, name=name, facts=out, where=where, tickers=tickers)


def _latest(facts: Iterable[_Fact]) -> _Fact | None:
    return max(facts, key=lambda f: (f.end, f.filed), default=None)


def _pick(metric: Metric, sec: SecFacts) -> list[_Fact]:
    """The facts that make the metric's latest value (two for a split debt figure)."""
    for concept in CONCEPTS[metric]:
        rows = sec.facts.get(concept, [])
        if metric in _ANNUAL_ONLY:
            rows = [f for f in rows if f.form.startswith("10-K") and f.days() is not None
                    and _YEAR[0] <= f.days() <= _YEAR[1]]  # type: ignore[operator]
        elif metric is Metric.REVENUE_QUARTER:
            rows = [f for f in rows if f.days() is not None and _QUARTER[0] <= f.days() <= _QUARTER[1]]  # type: ignore[operator]
        best = _latest(rows)
        if best is not None:
            return [best]
    if metric is Metric.DEBT:
        current = {f.end: f for f in sec.facts.get("LongTermDebtCurrent", [])}
        pairs: list[tuple[_Fact, _Fact]] = [(f, current[f.end]) for f in sec.facts.get("LongTermDebtNoncurrent", [])
                                            if f.end in current]
        if pairs:
            newest = max(pairs, key=lambda p: (p[0].end, p[0].filed))
            return [newest[0], newest[1]]
    return []


def _describe(metric: Metric, fact: _Fact, parts: Sequence[_Fact]) -> str:
    period = f"FY{fact.fy} {fact.fp}".strip() if fact.fy else fact.fp
    if metric is Metric.REVENUE_QUARTER:
        span = f"quarter to {fact.end}"
    elif metric in _ANNUAL_ONLY:
        span = f"fiscal year to {fact.end}"
    else:
        span = f"at {fact.end}"
    concepts = " + ".join(p.concept for p in parts)
    return f"{period}, {span}; SEC XBRL {concepts}, {fact.form} filed {fact.filed}"


def sec_snapshots(sec: SecFacts, entity_id: str) -> list[FinancialSnapshot]:
    """The latest figure of each mapped metric, as snapshots of ``entity_id`` citing their filing."""
    out = []
    for metric in CONCEPTS:
        parts = _pick(metric, sec)
        if not parts:
            continue
        fact = parts[0]
        accession = fact.accn.replace("-", "")
        url = f"https://www.sec.gov/Archives/edgar/data/{sec.cik}/{accession}/" if accession else ""
        source = Source(outlet=f"{sec.name or 'CIK ' + str(sec.cik)} {fact.form}".strip(),
                        title=f"{fact.form} filed {fact.filed}" + (f", accession {fact.accn}" if fact.accn else ""),
                        date=fact.filed or None, url=url, kind=SourceKind.FILING)  # type: ignore[arg-type]
        out.append(FinancialSnapshot(
            id=f"SEC-{sec.cik}-{metric.value}-{fact.end.isoformat()}", entity=entity_id,
            as_of=fact.end.isoformat(), metric=metric, value=sum((p.value for p in parts), Decimal(0)),  # type: ignore[arg-type]
            qualifier=Qualifier.EXACT, confidence=Confidence.HIGH, sources=(source,),
            description=_describe(metric, fact, parts),
        ))
    return out


def _norm(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower()).split()
    drop = {"inc", "corp", "corporation", "co", "company", "ltd", "plc", "the", "holdings", "group", "class", "a"}
    return " ".join(w for w in words if w not in drop)


def match_entity(entities: Sequence[Entity], sec: SecFacts, entity: str | None = None) -> Entity:
    """The entity a company-facts document is about: ``entity`` by id, else by CIK, ticker or name.

    A CIK matches when an entity's notes or aliases say ``CIK <number>``; a ticker when the
    document lists the entity's ticker; a name when the entity's name or an alias equals the
    filer's name without legal suffixes ("NVIDIA CORP" → "Nvidia").
    """
    by_id = {e.id: e for e in entities}
    if entity is not None:
        if entity not in by_id:
            raise ValidationError([Problem(sec.where, "entity", "unknown_entity",
                                           f"{entity!r} is not an entity in the ledger")])
        return by_id[entity]
    cik = re.compile(rf"\bCIK\s*0*{sec.cik}\b", re.IGNORECASE)
    filer = _norm(sec.name) if sec.name else None

    def by_cik(e: Entity) -> bool:
        return bool(cik.search(e.notes)) or any(cik.search(a) for a in e.aliases)

    def by_ticker(e: Entity) -> bool:
        return bool(e.ticker) and e.ticker.upper() in sec.tickers

    def by_name(e: Entity) -> bool:
        return filer is not None and filer in {_norm(n) for n in (e.name, *e.aliases)}

    for test in (by_cik, by_ticker, by_name):
        found = [e for e in entities if test(e)]
        if len(found) == 1:
            return found[0]
    raise ValidationError([Problem(sec.where, "entity", "no_match",
                                   f"no single entity matches {sec.name or 'the filer'} (CIK {sec.cik}); "
                                   "name it with --entity ID")])


def import_sec(ledger: Any, paths: Sequence[Path | str] = (), *, documents: Sequence[Mapping[str, Any]] = (),
               entity: str | None = None, dry_run: bool = False, by: str | None = None,
               reason: str = "") -> Any:
    """Import company-facts files (and already-loaded ``documents``) into ``ledger``, all or nothing.

    Returns the ledger's :class:`~dealweb.ledger.ledger.ChangeReport`. Every file is read
    and matched before anything is written; one bad file means nothing is imported.
    """
    records: RecordSet = ledger.records()
    loaded: list[tuple[Mapping[str, Any], str]] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        try:
            loaded.append((json.loads(path.read_text(encoding="utf-8")), path.name))
        except FileNotFoundError:
            problems.append(Problem(path.name, "", "file", "does not exist"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem(path.name, "", "json", f"is not UTF-8 JSON: {exc}"))
    loaded += [(doc, f"CIK {doc.get('cik', '?')}") for doc in documents]
    snapshots: list[FinancialSnapshot] = []
    for data, where in loaded:
        try:
            sec = read_company_facts(data, where)
            found = sec_snapshots(sec, match_entity(records.entities, sec, entity).id)
        except ValidationError as exc:
            problems += exc.problems
            continue
        if not found:
            problems.append(Problem(where, "facts", "no_figures", "holds none of the mapped us-gaap concepts in USD"))
        snapshots += found
    if problems:
        raise ValidationError(problems)
    return ledger.apply(RecordSet.of(financials=snapshots), dry_run=dry_run, by=by,
                        reason=reason or "SEC XBRL company facts")


def fetch_company_facts(cik: int | str, *, user_agent: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
    """Download one company's facts from data.sec.gov; :class:`FetchError` when that is not possible."""
    try:
        number = int(str(cik).strip().upper().removeprefix("CIK"))
    except ValueError:
        raise ValidationError([Problem("--fetch", "cik", "cik", f"{cik!r} is not a CIK number")]) from None
    url = COMPANY_FACTS_URL.format(cik=number)
    agent = user_agent or os.environ.get(USER_AGENT_ENV) or _DEFAULT_AGENT
    request = urllib.request.Request(url, headers={"User-Agent": agent, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return dict(json.loads(response.read().decode("utf-8")))
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url} answered HTTP {exc.code} {exc.reason}"
                         + ("; is the CIK right?" if exc.code == 404 else "")) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot reach {url} ({reason}); this machine may be offline. Download the file "
                         "elsewhere and run: dealweb financials import-sec FILE") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{url} did not return JSON: {exc}") from None
