"""Stress requests: the body of ``POST /api/stress``, turned into a validated scenario.

A body names a shipped scenario, carries a scenario mapping, or names a company::

    {"scenario": "openai-pays-40"}
    {"scenario": {"name": "mine", "shocks": [{"entity": "openai", "pays": 0.4}], "horizon": "2y"}}
    {"entity": "openai", "pays": 0.4, "model": "rogers_veraart", "horizon": "18m",
     "assumptions": {"no_figures": "web_only"}, "params": {"alpha": 0.5}}

``model``, ``horizon``, ``assumptions`` and ``params`` override the scenario's own, as the
CLI's ``--model``, ``--horizon`` and ``--assume`` do: both go through the one library function
:func:`dealweb.stress.scenario_from_request`, so a problem names its field (``body``, ``shocks[0]``,
``pays``). A shipped scenario is looked up by name only: the body can never name a file.

>>> import dealweb
>>> s = scenario_from_request(StressRequest(entity="openai", pays=0.4, horizon="2y"), dealweb.bundled_records())
>>> s.describe(), s.horizon_years
('openai pays only 40% of its obligations', 2.0)
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dealweb.model.recordset import RecordSet
from dealweb.stress import Scenario
from dealweb.stress import scenario_from_request as build_scenario

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


def scenario_from_request(req: StressRequest, records: RecordSet) -> Scenario:
    """The validated :class:`~dealweb.stress.Scenario` a request body asks for: the library's
    :func:`dealweb.stress.scenario_from_request` (the CLI's path too), never reading files.

    Raises
    ------
    ValidationError
        Neither or both of ``scenario`` and ``entity``; an unknown name or entity; any rule of
        :func:`~dealweb.stress.parse_scenario` (every problem at once, each naming its field).
    """
    return build_scenario(records, scenario=req.scenario, entity=req.entity, pays=req.pays, model=req.model,
                          horizon=req.horizon, assumptions=req.assumptions, params=req.params, where="body")


def scenario_key(scenario: Scenario) -> str:
    """A stable text key of everything that decides a scenario's result (for the cache)."""
    return json.dumps(scenario.to_dict(), sort_keys=True, default=str)
