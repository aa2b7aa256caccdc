"""Stress testing the deal web: scenarios, the round-by-round story, Monte Carlo, reverse stress tests.

============================ ===============================================================
:func:`stress`               run one scenario (shipped name, file, or :class:`Scenario`)
:func:`monte_carlo`          the same over thousands of draws of the uncertain inputs, batched
:func:`reverse_stress`       the smallest shock to one company that makes another fail
:func:`load_scenario`        read and validate a YAML/JSON scenario; :func:`list_scenarios`
:func:`scenario_from_request` one request (target, shock, model, horizon, overrides) → a scenario
============================ ===============================================================

The balance sheets the models run on come from :func:`dealweb.contagion.balance_sheets`; the
models themselves are in :mod:`dealweb.contagion`. See ``docs/stress.md``.
"""

from dealweb.stress.montecarlo import MC_MODELS, MonteCarloResult, monte_carlo
from dealweb.stress.request import scenario_from_request
from dealweb.stress.reverse import ReverseStress, reverse_stress
from dealweb.stress.run import LIQUIDITY_MODELS, StressResult, largest_node_stress, stress
from dealweb.stress.scenario import EFFECTS, MODELS, Scenario, Shock, list_scenarios, load_scenario, parse_scenario

__all__ = [
    "EFFECTS",
    "LIQUIDITY_MODELS",
    "MC_MODELS",
    "MODELS",
    "MonteCarloResult",
    "ReverseStress",
    "Scenario",
    "Shock",
    "StressResult",
    "largest_node_stress",
    "list_scenarios",
    "load_scenario",
    "monte_carlo",
    "parse_scenario",
    "reverse_stress",
    "scenario_from_request",
    "stress",
]
