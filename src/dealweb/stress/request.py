"""One stress request → one :class:`~dealweb.stress.Scenario`: the translation the CLI and the web share.

A request names what to shock and how to run it:

* ``target``: a shipped scenario's name, an entity id (it fails, or pays only ``pays``), or, when
  ``allow_files`` (the CLI), a scenario file;
* or ``scenario``: a shipped name or a scenario mapping (the web's body), or ``entity`` (+ ``pays``);
* ``model``, ``horizon``, ``assumptions`` and ``params`` override the scenario's own.

Choosing another model than the scenario's drops the scenario's options: the new model runs with its
own defaults from the registry (:mod:`dealweb.contagion.registry`) unless ``params`` are given.
Every problem is reported at once, naming its field, as :class:`~dealweb.errors.ValidationError`.

>>> import dealweb
>>> recs = dealweb.bundled_records()
>>> s = scenario_from_request(recs, target="openai-pays-40", model="debtrank")
>>> s.model, s.params
('debtrank', {})
>>> scenario_from_request(recs, entity="openai", pays=0.4, horizon="2y").describe()
'openai pays only 40% of its obligations'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dealweb.errors import NotFoundError, Problem, ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.stress.scenario import Scenario, list_scenarios, load_scenario, parse_scenario

__all__ = ["scenario_from_request"]


def _entity_scenario(entity: str, pays: float | None) -> dict[str, Any]:
    failing = pays is None
    shock: dict[str, Any] = {"entity": entity, "fails": True} if failing else {"entity": entity, "pays": pays}
    return {"name": f"{entity}-{'fails' if failing else 'pays'}", "shocks": [shock],
            "title": f"{entity} {'fails' if failing else f'pays only {pays:.0%}'}"}


def scenario_from_request(records: RecordSet, *, target: str | None = None, scenario: Any = None,
                          entity: str | None = None, pays: float | None = None, model: str | None = None,
                          horizon: Any = None, assumptions: Mapping[str, Any] | None = None,
                          params: Mapping[str, Any] | None = None, allow_files: bool = False,
                          where: str = "request") -> Scenario:
    """The validated scenario a stress request asks for (module docstring).

    Exactly one of ``target``, ``scenario`` and ``entity`` is given. ``allow_files`` lets ``target``
    (and a string ``scenario``) name a ``.yaml``/``.json`` file; the web never sets it.
    """
    entities = {e.id for e in records.entities}
    deals = {d.id for d in records.deals}
    given = [name for name, value in (("target", target), ("scenario", scenario), ("entity", entity)) if value is not None]
    if len(given) != 1:
        raise ValidationError([Problem(where, "scenario", "scenario_or_entity",
                                       "give either 'scenario' (a shipped name or a scenario mapping) or 'entity'"
                                       + (f", not {' and '.join(given)}" if given else ""))])
    if target is not None:
        if target in entities:
            entity = target
        else:
            scenario = target
    if pays is not None and entity is None:
        raise ValidationError([Problem(where, "pays", "entity_only", "'pays' applies when the target is an entity id")])
    raw: dict[str, Any]
    field_where = where
    if entity is not None:
        if entity not in entities:
            raise ValidationError([Problem(where, "entity", "unknown_entity", f"no entity {entity!r} in the ledger")])
        raw = _entity_scenario(entity, pays)
    elif isinstance(scenario, Scenario):
        raw = scenario.to_dict()
    elif isinstance(scenario, str):
        shipped = {s.name: s for s in list_scenarios()}
        if scenario in shipped:
            raw = shipped[scenario].to_dict()
        elif allow_files and Path(scenario).suffix.lower() in (".yaml", ".yml", ".json"):
            raw = load_scenario(scenario, entities=entities, deals=deals).to_dict()
        else:
            what = "an entity id, a shipped scenario nor a scenario file" if allow_files else "a shipped scenario"
            message = f"{scenario!r} is neither {what}; shipped: {', '.join(sorted(shipped))}"
            if allow_files:
                raise NotFoundError(message)
            raise ValidationError([Problem(where, "scenario", "unknown_scenario", message)])
    elif isinstance(scenario, Mapping):
        raw, field_where = dict(scenario), f"{where}.scenario"
    else:
        raise ValidationError([Problem(where, "scenario", "scenario_type",
                                       "must be a shipped scenario's name or a scenario mapping")])
    if model is not None:
        if model != raw.get("model", "eisenberg_noe"):
            raw["params"] = {}  # options of the scenario's model do not carry over to another one
        raw["model"] = model
    if params is not None:
        raw["params"] = dict(params)
    if horizon is not None:
        raw["horizon"] = horizon
    if assumptions:
        base = raw.get("assumptions") or {}
        raw["assumptions"] = {**(dict(base) if isinstance(base, Mapping) else {}), **assumptions}
        if "horizon_years" in assumptions and horizon is None:
            raw.pop("horizon", None)
    if "horizon" in raw and isinstance(raw.get("assumptions"), Mapping):
        raw["assumptions"] = {k: v for k, v in raw["assumptions"].items() if k != "horizon_years"}
    return parse_scenario(raw, where=field_where, entities=entities, deals=deals)
