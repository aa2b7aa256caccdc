"""Stress requests: the body of ``POST /api/stress``, turned into a validated scenario.

A body names a shipped scenario, carries a scenario mapping, or names a company::

    {"scenario": "openai-pays-40"}
    {"scenario": {"name": "mine", "shocks": [{"entity": "openai", "pays": 0.4}], "horizon": "2y"}}
    {"entity": "openai", "pays": 0.4, "model": "rogers_veraart", "horizon": "18m",
     "assumptions": {"no_figures": "web_only"}, "params": {"alpha": 0.5}}

``model``, ``horizon``, ``assumptions`` and ``params`` override the scenario's own, as the
CLI's ``--model``, ``--horizon`` and ``--assume`` do. Everything goes through
:func:`dealweb.stress.parse_scenario`, so a problem names its field (``body``, ``shocks[0]``,
``pays``). A shipped scenario is looked up by name only: the body can never name a file.

>>> import dealweb
>>> s = scenario_from_request(StressRequest(entity="openai", pays=0.4, horizon="2y"), dealweb.bundled_records())
>>> s.describe(), s.horizon_years
('openai pays only 40% of its obligations', 2.0)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dealweb.errors import Problem, ValidationError
from dealweb.model.recordset import RecordSet
from dealweb.stress import Scenario, list_scenarios, parse_scenario

__all__ = ["MonteCarloRequest", "StressRequest", "scenario_from_request", "scenario_key"]


class StressRequest(BaseModel):
    """Body of ``POST /api/stress``: a scenario (name or mapping) or an entity, plus overrides."""

    model_config = ConfigDict(extra="forbid")

    scenario: Any = Field(default=None, description="A shipped scenario's name, or a scenario mapping (see docs/stress.md).")
    entity: str | None = Field(default=None, max_length=80, description="An entity id: it fails (or pays only `pays`).")
    pays: float | None = Field(default=None, ge=0, le=1, description="With `entity`: the share of its obligations it pays.")
    model: str | None = Field(default=None, max_length=40, description="Model to run instead of the scenario's.")
    horizon: Any = Field(default=None, description="Horizon in years, or text like '12m', '2y'.")
    assumptions: dict[str, Any] | None = Field(default=None, description="Assumptions to change, e.g. {'recovery': 0.4}.")
    params: dict[str, Any] | None = Field(default=None, description="Model options, e.g. {'seniority': 'senior'}.")


class MonteCarloRequest(StressRequest):
    """Body of ``POST /api/stress/montecarlo``: a stress request plus the number of draws and the seed."""

    runs: int = Field(default=1000, ge=1, le=20_000, description="Number of draws.")
    seed: int = Field(default=0, ge=0, le=2**63 - 1, description="Random seed: same seed, same numbers.")


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Scenario]:
    """The shipped scenarios by name (package data: read once per process)."""
    return {s.name: s for s in list_scenarios()}


def scenario_from_request(req: StressRequest, records: RecordSet) -> Scenario:
    """The validated :class:`~dealweb.stress.Scenario` a request asks for.

    Raises
    ------
    ValidationError
        Neither or both of ``scenario`` and ``entity``; an unknown name or entity; any rule of
        :func:`~dealweb.stress.parse_scenario` (every problem at once, each naming its field).
    """
    entities = {e.id for e in records.entities}
    where = "body"
    if (req.scenario is None) == (req.entity is None):
        raise ValidationError([Problem("body", "scenario", "scenario_or_entity",
                                       "give either 'scenario' (a shipped name or a scenario mapping) or 'entity'")])
    if req.entity is not None:
        if req.entity not in entities:
            raise ValidationError([Problem("body", "entity", "unknown_entity", f"no entity {req.entity!r} in the ledger")])
        failing = req.pays is None
        shock: dict[str, Any] = {"entity": req.entity, "fails": True} if failing else {"entity": req.entity, "pays": req.pays}
        raw: dict[str, Any] = {"name": f"{req.entity}-{'fails' if failing else 'pays'}", "shocks": [shock],
                               "title": f"{req.entity} {'fails' if failing else f'pays only {req.pays:.0%}'}"}
    elif req.pays is not None:
        raise ValidationError([Problem("body", "pays", "entity_only", "'pays' applies when the body names an 'entity'")])
    elif isinstance(req.scenario, str):
        shipped = _shipped()
        if req.scenario not in shipped:
            raise ValidationError([Problem("body", "scenario", "unknown_scenario",
                                           f"no shipped scenario {req.scenario!r}; shipped: {', '.join(sorted(shipped))}")])
        raw = shipped[req.scenario].to_dict()
    elif isinstance(req.scenario, Mapping):
        raw, where = dict(req.scenario), "body.scenario"
    else:
        raise ValidationError([Problem("body", "scenario", "scenario_type",
                                       "must be a shipped scenario's name or a scenario mapping")])
    if req.model is not None:
        if req.model != raw.get("model", "eisenberg_noe"):
            raw["params"] = {}  # options of the scenario's model do not carry over to another one
        raw["model"] = req.model
    if req.params is not None:
        raw["params"] = dict(req.params)
    if req.horizon is not None:
        raw["horizon"] = req.horizon
    if req.assumptions is not None:
        base = raw.get("assumptions") or {}
        raw["assumptions"] = {**(dict(base) if isinstance(base, Mapping) else {}), **req.assumptions}
        if "horizon_years" in req.assumptions and req.horizon is None:
            raw.pop("horizon", None)
    return parse_scenario(raw, where=where, entities=entities, deals={d.id for d in records.deals})


def scenario_key(scenario: Scenario) -> str:
    """A stable text key of everything that decides a scenario's result (for the cache)."""
    return json.dumps(scenario.to_dict(), sort_keys=True, default=str)
