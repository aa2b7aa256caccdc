"""FollowTheMoney (FtM) entity streams: ``.ftm.json``, one JSON entity per line.

Every FtM property is multi-valued and string-valued; unknown top-level keys
(``caption``, ``datasets``, ``first_seen``…) are ignored. Written by hand, without the
``followthemoney`` package (see ``reference/ecosystem.md`` §2.5).

Mapping (written; read back the same way)
-----------------------------------------
======================== ============ ============================================================
dealweb                  FtM schema   properties
======================== ============ ============================================================
entity                   Company      name, alias ← aliases, jurisdiction ← country (lower case),
                                      ticker, description ← notes, parent (deprecated in FtM but
                                      accepted)
equity_investment, jv    Ownership    owner ← payer, asset ← recipient, percentage ← stake_pct,
                                      sharesValue ← amount_usd, sharesCurrency USD, status;
                                      ownershipType ``joint venture`` for jv
warrant                  Ownership    owner ← recipient (holder), asset ← payer (issuer),
                                      sharesType ``warrant``, ownershipType ``option``
debt                     Debt         creditor ← payer (lender), debtor ← recipient (borrower):
                                      FtM's edge runs creditor → debtor
every other kind         Payment      payer, beneficiary ← recipient, purpose ← the kind in words
                                      (``compute commitment``)
every deal (Interval)    —            date ← announced, startDate ← start, endDate ← end,
                                      recordId ← id, description, sourceUrl ← source URLs,
                                      publisher ← source outlets; Debt and Payment also
                                      amount, currency, amountUsd (amount and currency are the
                                      original figure when the deal was not in USD)
financial snapshot       (on Company) a ``notes`` value of the holder's Company (see below)
======================== ============ ============================================================

One deal is one FtM entity, so FtM graph exports draw one edge per deal, in the cash
direction except for ``Debt`` (FtM: creditor → debtor) and warrants (holder owns the
issuer's option). A compute commitment could also be a ``Contract`` + ``ContractAward``
pair (§2.3); a ``Payment`` keeps buyer and provider one hop apart and the mapping
one-to-one, which is what lets the reader rebuild the deal.

Exact round trips. FtM has no property for qualifier, confidence, low/high, horizon,
part_of, supersedes, source titles or financial snapshots, so every record is also
written whole, as ``dealweb:`` followed by its JSON (amounts as exact numbers), in a
text property FtM tools keep: a deal's ``summary``, an entity's ``notes`` (its financial
snapshots are further ``notes`` values of the holder's Company, ``dealweb:{"financial":
…}``). When such a record is present the reader uses it and ignores the standard
properties, so an edit made to those with another tool takes effect only once the
record's ``dealweb:`` value is removed. Checked against ``followthemoney`` 4.11.2: its
cleaning keeps every value written here, and the output of ``ftm validate`` and
``ftm aggregate`` reads back exactly.

FtM ids allow ``[0-9a-zA-Z.-]`` only. An entity id is used as it is when FtM accepts it;
a deal becomes ``Deal-<id>`` (the capital ``D`` keeps it apart from entity ids, which are
lower case); an id FtM rejects gets its other characters replaced by ``-`` and a short
hash appended (:func:`ftm_id`).

Reading third-party FtM (no ``dealweb:`` record): Company, Organization, PublicBody
(kind ``government``), LegalEntity and Person become entities (ids lower-cased; the first
name is the name, further names and aliases become aliases). Ownership becomes an
equity investment (a warrant when its sharesType says so), Debt a debt, Payment the deal
kind its ``purpose`` names. The date is ``date`` or else ``startDate``; sources come from
``sourceUrl`` and ``publisher`` (paired when there is one publisher); an amount needs
``amountUsd`` or a USD currency; a deal with an amount is ``exact``, one without
``undisclosed``. Whatever is missing is reported per line, e.g.
``"x.ftm.json line 4, sources: … [missing_source]"``.

Nothing is dropped without a word: a schema dealweb does not read (``Vessel``, ``Sanction``…)
is a problem naming its line (rule ``ftm_schema``); two lines with one FtM id are a
``duplicate_id``; and a line whose FtM id is not the one its ``dealweb:`` record would be
written under (say, an edited id that would rename another company) is an ``ftm_id`` problem.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dealweb.errors import FormatError, Problem
from dealweb.ledger.formats._common import (
    Collector,
    dumps_exact,
    exact_plain,
    format_error,
    single_path,
    write_text,
)
from dealweb.ledger.formats.limits import load_json, read_text
from dealweb.model.codec import to_cells
from dealweb.model.records import Deal, Entity, FinancialSnapshot
from dealweb.model.recordset import RecordSet
from dealweb.model.vocab import DealKind, Status

__all__ = ["PAYLOAD_PREFIX", "ftm_id", "read_ftm", "write_ftm"]

PAYLOAD_PREFIX = "dealweb:"
_FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")
_PARTIES = {"Company": "other", "Organization": "other", "LegalEntity": "other", "Person": "other",
            "PublicBody": "government"}
_OWNERSHIP_KINDS = {DealKind.EQUITY_INVESTMENT, DealKind.JV, DealKind.WARRANT}
_PAYLOAD_TYPES: dict[str, type[Entity | Deal | FinancialSnapshot]] = {
    "entity": Entity, "deal": Deal, "financial": FinancialSnapshot,
}


def ftm_id(kind: str, record_id: str) -> str:
    """The FtM id of an entity (``kind="entity"``) or a deal (``kind="deal"``).

    >>> ftm_id("entity", "openai"), ftm_id("deal", "D01")
    ('openai', 'Deal-D01')
    >>> ftm_id("entity", "bank_lenders")
    'bank-lenders-42fb85a594'
    """
    base = record_id if kind == "entity" else f"Deal-{record_id}"
    if _FTM_ID.match(base):
        return base
    clean = re.sub(r"[^0-9a-zA-Z]+", "-", base).strip("-")
    return f"{clean}-{hashlib.sha1(record_id.encode()).hexdigest()[:10]}".lstrip("-")


def _payload(key: str, record: Entity | Deal | FinancialSnapshot) -> str:
    return PAYLOAD_PREFIX + dumps_exact({key: exact_plain(record)})


def _props(**values: list[str]) -> dict[str, list[str]]:
    return {k: v for k, v in values.items() if v}


def _company(e: Entity, financials: list[FinancialSnapshot]) -> dict[str, Any]:
    return {"id": ftm_id("entity", e.id), "schema": "Company", "properties": _props(
        name=[e.name], alias=list(e.aliases), jurisdiction=[e.country.lower()] if e.country else [],
        ticker=[e.ticker] if e.ticker else [], description=[e.notes] if e.notes else [],
        parent=[ftm_id("entity", e.parent)] if e.parent else [],
        notes=[_payload("entity", e)] + [_payload("financial", f) for f in financials],
    )}


def _interval(d: Deal) -> dict[str, Any]:
    cells = to_cells(d)
    kind = d.kind
    common = _props(
        date=[cells["announced"]], startDate=[cells["start"]] if d.start else [],
        endDate=[cells["end"]] if d.end else [], recordId=[d.id],
        description=[d.description] if d.description else [], summary=[_payload("deal", d)],
        sourceUrl=list(dict.fromkeys(s.url for s in d.sources if s.url)),
        publisher=list(dict.fromkeys(s.outlet for s in d.sources if s.outlet)),
    )
    payer, recipient = ftm_id("entity", d.payer), ftm_id("entity", d.recipient)
    if kind in _OWNERSHIP_KINDS:
        warrant = kind is DealKind.WARRANT
        props = _props(
            owner=[recipient if warrant else payer], asset=[payer if warrant else recipient],
            percentage=[cells["stake_pct"]] if d.stake_pct is not None else [],
            sharesValue=[cells["amount_usd"]] if d.amount_usd is not None else [],
            sharesCurrency=["USD"] if d.amount_usd is not None else [],
            sharesType=["warrant"] if warrant else [],
            ownershipType=["option"] if warrant else ["joint venture"] if kind is DealKind.JV else [],
            status=[d.status.value],
        )
        schema = "Ownership"
    else:
        amount, currency = None, None
        if d.currency != "USD" and d.amount_original is not None:
            amount, currency = cells["amount_original"], d.currency
        elif d.amount_usd is not None:
            amount, currency = cells["amount_usd"], "USD"
        value = _props(amount=[amount] if amount else [], currency=[currency] if currency else [],
                       amountUsd=[cells["amount_usd"]] if d.amount_usd is not None else [])
        if kind is DealKind.DEBT:
            schema, props = "Debt", _props(creditor=[payer], debtor=[recipient], **value)
        else:
            schema = "Payment"
            props = _props(payer=[payer], beneficiary=[recipient], purpose=[kind.value.replace("_", " ")], **value)
    return {"id": ftm_id("deal", d.id), "schema": schema, "properties": {**props, **common}}


def write_ftm(records: RecordSet, path: Path) -> list[Path]:
    """Write ``records`` as an FtM entity stream at ``path``, atomically.

    Companies come first, then one interval entity per deal, each on one line.
    """
    by_holder: dict[str, list[FinancialSnapshot]] = {e.id: [] for e in records.entities}
    for f in records.financials:
        if f.entity not in by_holder:
            raise format_error(f"financial {f.id}", "unknown_entity",
                               f"{f.entity!r} is not an entity in the set; FtM keeps a figure on its holder's Company",
                               field="entity")
        by_holder[f.entity].append(f)
    lines = [_company(e, by_holder.get(e.id, [])) for e in records.entities]
    lines += [_interval(d) for d in records.deals]
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return [write_text(path, text)]


# ---------------------------------------------------------------- reading

def _load(path: Path) -> list[tuple[str, str, str, dict[str, list[str]]]]:
    """``(where, id, schema, properties)`` per line, or FormatError listing every bad line."""
    entities, problems = [], []
    # Split on "\n" only: str.splitlines() would also split inside a JSON string at U+2028.
    lines = [line.rstrip("\r") for line in read_text(path).split("\n")]
    for n, line in enumerate(lines, start=1):
        where = f"{path.name} line {n}"
        if not line.strip():
            continue
        try:
            obj = load_json(line, where, one_line=True)
        except FormatError as exc:
            problems += exc.problems
            continue
        props = obj.get("properties", {}) if isinstance(obj, dict) else None
        if not (isinstance(obj, dict) and isinstance(obj.get("id"), str) and isinstance(obj.get("schema"), str)
                and isinstance(props, dict)):
            problems.append(Problem(where, "", "ftm", 'is not an FtM entity: it needs "id", "schema" and "properties"'))
            continue
        clean = {str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs]) if v is not None]
                 for k, vs in props.items()}
        entities.append((where, obj["id"], obj["schema"], clean))
    if problems:
        raise FormatError(problems)
    return entities


def _payloads(props: Mapping[str, list[str]], where: str, out: Collector) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name in ("notes", "summary"):
        for value in props.get(name, []):
            if not value.startswith(PAYLOAD_PREFIX):
                continue
            try:
                obj = load_json(value[len(PAYLOAD_PREFIX):], where)
            except FormatError as exc:
                out.problem(where, name, "ftm_payload", "its dealweb record is not valid JSON: "
                            + exc.problems[0].message.removeprefix("is not valid JSON: "))
                continue
            if not (isinstance(obj, dict) and len(obj) == 1 and next(iter(obj)) in _PAYLOAD_TYPES
                    and isinstance(next(iter(obj.values())), dict)):
                out.problem(where, name, "ftm_payload", 'its dealweb record is not {"entity"|"deal"|"financial": {…}}')
                continue
            found.append(next(iter(obj.items())))
    return found


class _Props:
    """Reads FtM properties of one entity, reporting what dealweb cannot use."""

    def __init__(self, props: Mapping[str, list[str]], where: str, out: Collector) -> None:
        self.props, self.where, self.out = props, where, out

    def all(self, name: str) -> list[str]:
        return [v.strip() for v in self.props.get(name, []) if v.strip() and not v.startswith(PAYLOAD_PREFIX)]

    def one(self, *names: str) -> str | None:
        """The value of the first of ``names`` that has one; a problem if it has several."""
        for name in names:
            values = list(dict.fromkeys(self.all(name)))
            if len(values) > 1:
                self.out.problem(self.where, name, "multiple_values",
                                 f"has {len(values)} values ({', '.join(map(repr, values))}); dealweb needs one")
            if values:
                return values[0]
        return None

    def date(self, *names: str) -> str | None:
        value = self.one(*names)
        return value[:10] if value and len(value) > 10 and value[10] == "T" else value


def _entity(schema: str, fid: str, p: _Props, ids: Mapping[str, str]) -> dict[str, Any]:
    names = p.all("name")
    parent = p.one("parent")
    return {
        "id": fid.lower(), "name": names[0] if names else None, "kind": _PARTIES[schema],
        "aliases": list(dict.fromkeys(names[1:] + p.all("alias"))),
        "country": next(iter(p.all("jurisdiction") + p.all("mainCountry") + p.all("country")), None),
        "ticker": p.one("ticker"), "parent": ids.get(parent, parent.lower()) if parent else None,
        "notes": next(iter(p.all("description") + p.all("notes") + p.all("summary")), None),
    }


def _deal(schema: str, fid: str, p: _Props, ids: Mapping[str, str], out: Collector) -> tuple[dict[str, Any], set[str]]:
    """Plain deal fields from third-party properties, and the fields already reported."""
    reported: set[str] = set()
    data: dict[str, Any] = {"id": fid, "status": None, "stake_pct": None}
    if schema == "Ownership":
        kinds = " ".join(p.all("sharesType") + p.all("ownershipType")).lower()
        warrant = "warrant" in kinds
        owner, asset = p.one("owner"), p.one("asset")
        data.update(kind="warrant" if warrant else "equity_investment",
                    payer=asset if warrant else owner, recipient=owner if warrant else asset)
        amount, currency, usd = p.one("sharesValue"), p.one("sharesCurrency"), None
        percentage = p.one("percentage")
        data["stake_pct"] = percentage.rstrip("%").strip() if percentage else None
        status = (p.one("status") or "").lower()
        data["status"] = status if status in {s.value for s in Status} else None
    else:
        pair = ("creditor", "debtor") if schema == "Debt" else ("payer", "beneficiary")
        data.update(payer=p.one(pair[0]), recipient=p.one(pair[1]))
        amount, currency, usd = p.one("amount"), p.one("currency"), p.one("amountUsd")
        if schema == "Debt":
            data["kind"] = "debt"
        else:
            purpose = p.one("purpose", "programme")
            kind = re.sub(r"[\s-]+", "_", (purpose or "").strip().lower())
            data["kind"] = kind if kind in {k.value for k in DealKind} else None
            if data["kind"] is None:
                reported.add("kind")
                out.problem(p.where, "purpose", "required",
                            f"{'purpose ' + repr(purpose) if purpose else 'no purpose'} names no deal kind; "
                            f"dealweb needs one of: {', '.join(k.value for k in DealKind)}")
    for party in ("payer", "recipient"):
        data[party] = ids.get(data[party], data[party].lower()) if data[party] else None
    if usd is not None:
        data["amount_usd"] = usd
        if currency and currency.upper() != "USD":
            data.update(currency=currency, amount_original=amount)
    elif amount is not None and (currency or "").upper() == "USD":
        data["amount_usd"] = amount
    elif amount is not None:
        reported.add("amount_usd")
        out.problem(p.where, "currency", "currency",
                    f"amount {amount} is in {currency or 'no stated currency'} and has no amountUsd; "
                    "dealweb needs the amount in USD")
    data["qualifier"] = "exact" if data.get("amount_usd") is not None else "undisclosed"
    data["announced"] = p.date("date", "startDate")
    if data["announced"] is None:
        reported.add("announced")
        out.problem(p.where, "date", "required",
                    "has no date or startDate; dealweb needs the date a deal was announced")
    data.update(start=p.date("startDate"), end=p.date("endDate"),
                description=next(iter(p.all("description") + p.all("summary")), None))
    urls, outlets = list(dict.fromkeys(p.all("sourceUrl"))), list(dict.fromkeys(p.all("publisher")))
    if len(outlets) == 1 and urls:  # one publisher: it published every link
        data["sources"] = [{"outlet": outlets[0], "url": u} for u in urls]
    else:  # no way to pair them: keep each link and each publisher
        data["sources"] = [{"url": u} for u in urls] + [{"outlet": o} for o in outlets]
    return data, reported


def read_ftm(paths: Sequence[Path], context: RecordSet | None = None) -> RecordSet:
    """Read an FtM entity stream into a validated :class:`RecordSet`.

    Raises
    ------
    FormatError
        Lines that are not JSON or not FtM entities (every such line is listed).
    ValidationError
        Entities that do not make valid records; every problem is listed per line.
    """
    path = single_path(paths, "ftm")
    loaded = _load(path)
    out = Collector()
    ids: dict[str, str] = {}
    for where, fid, schema, props in loaded:
        if schema in _PARTIES:
            entity = next((rec for key, rec in _payloads(props, where, Collector()) if key == "entity"), None)
            ids[fid] = str(entity.get("id")) if entity and entity.get("id") else fid.lower()
    first_line: dict[str, str] = {}
    for where, fid, schema, props in loaded:
        if fid in first_line:
            out.problem(where, "id", "duplicate_id", f"the FtM id {fid[:80]!r} is also on {first_line[fid]}")
            continue
        first_line[fid] = where
        p = _Props(props, where, out)
        if schema not in _PARTIES and schema not in ("Ownership", "Debt", "Payment"):
            out.problem(where, "schema", "ftm_schema", f"schema {schema[:40]!r} is not one dealweb reads: "
                        f"{', '.join(sorted(_PARTIES))}, Ownership, Debt, Payment; remove the line")
            continue
        payloads = _payloads(props, where, out)
        for key, record in payloads:
            if key in ("entity", "deal") and "id" in record:
                expected = ftm_id(key, str(record["id"]))
                if fid != expected:
                    out.problem(where, "id", "ftm_id", f"the FtM id {fid[:80]!r} does not match its dealweb record "
                                f"{str(record['id'])[:80]!r} (which is written as {expected[:80]!r})")
                    continue
            out.add(_PAYLOAD_TYPES[key], record, where)
        if any(key in ("entity", "deal") for key, _ in payloads):
            continue
        if schema in _PARTIES:
            out.add(Entity, _entity(schema, fid, p, ids), where)
        else:
            data, reported = _deal(schema, fid, p, ids, out)
            out.add(Deal, data, where, reported=reported)
    return out.record_set(context)
