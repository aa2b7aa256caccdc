"""The contagion model registry: one entry per model, read by everything that chooses a model.

Each :class:`ModelSpec` holds the model's function, its label, which view it belongs to
(``liquidity``: clearing over a horizon; ``solvency``: equity and cross-holdings), the *adapter*
that turns balance sheets into its inputs (``clearing``, ``debtrank``, ``threshold``,
``cross_holdings``; see :mod:`dealweb.stress.run`), its options with their defaults, its paper,
and whether Monte Carlo can run it. The CLI's ``--model`` choices, the web's model select (served
by ``GET /api/meta``), scenario validation and the docs list (``docs/models/README.md``) all read
:data:`MODELS`.

Adding a model is one module (the array-level function, in this package) plus one entry below
with an existing adapter.

>>> sorted(MODELS)[:3]
['cross_holdings', 'debtrank', 'eisenberg_noe']
>>> get_model("rogers_veraart").defaults()
{'alpha': 0.5, 'beta': 0.5}
>>> check_model_params("debtrank", {"seniority": "senior"}, where="scenario")[0].message
'not a parameter of debtrank; known: variant'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from dealweb.contagion.clearing import eisenberg_noe, rogers_veraart
from dealweb.contagion.crossholdings import cross_holdings
from dealweb.contagion.debtrank import debtrank
from dealweb.contagion.threshold import threshold_cascade
from dealweb.errors import Problem, ValidationError

__all__ = ["MODELS", "ModelParam", "ModelSpec", "check_model_params", "get_model", "markdown_table", "model_names",
           "resolve_params"]

View = Literal["liquidity", "solvency"]
Adapter = Literal["clearing", "debtrank", "threshold", "cross_holdings"]


@dataclass(frozen=True, slots=True)
class ModelParam:
    """One option of a model: its type (``choice``, ``fraction`` in [0, 1] or ``bool``) and default."""

    name: str
    type: Literal["choice", "fraction", "bool"]
    default: Any
    choices: tuple[str, ...] = ()
    help: str = ""

    def check(self, value: Any) -> str | None:
        """The rule ``value`` breaks, or ``None``."""
        if self.type == "choice":
            return None if value in self.choices else f"must be one of {', '.join(self.choices)}, got {value!r}"
        if self.type == "bool":
            return None if isinstance(value, bool) else f"must be true or false, got {value!r}"
        ok = not isinstance(value, bool) and isinstance(value, int | float) and 0.0 <= float(value) <= 1.0
        return None if ok else f"must be a number between 0 and 1, got {value!r}"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "default": self.default, "choices": list(self.choices),
                "help": self.help}


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A registered contagion model (module docstring)."""

    name: str
    title: str
    view: View
    adapter: Adapter
    function: Callable[..., Any]
    citation: str
    doc: str
    params: tuple[ModelParam, ...] = ()
    monte_carlo: bool = False
    #: options Monte Carlo needs (a model whose default form is not monotone may have a form that is)
    monte_carlo_params: Mapping[str, Any] = field(default_factory=dict)
    can_fail_note: str = ""

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def runs_monte_carlo(self, params: Mapping[str, Any]) -> bool:
        full = {**self.defaults(), **params}
        return self.monte_carlo and all(full.get(k) == v for k, v in self.monte_carlo_params.items())

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "view": self.view, "citation": self.citation, "doc": self.doc,
                "params": [p.to_dict() for p in self.params], "monte_carlo": self.monte_carlo,
                "monte_carlo_params": dict(self.monte_carlo_params)}


_STRICT = ModelParam("strict", "bool", True, help="a company fails when its losses reach (true) or exceed (false) its buffer")

#: Every model, by name, in the order the interfaces list them.
MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in (
    ModelSpec("eisenberg_noe", "Eisenberg–Noe clearing", "liquidity", "clearing", eisenberg_noe,
              "Eisenberg & Noe (2001), doi:10.1287/mnsc.47.2.236.9835", "docs/models/eisenberg-noe.md",
              (ModelParam("seniority", "choice", "pari_passu", ("pari_passu", "senior"),
                          "outside creditors paid pro rata with the web, or first"),),
              monte_carlo=True),
    ModelSpec("rogers_veraart", "Rogers–Veraart clearing with default costs", "liquidity", "clearing", rogers_veraart,
              "Rogers & Veraart (2013), doi:10.1287/mnsc.1120.1569", "docs/models/rogers-veraart.md",
              (ModelParam("alpha", "fraction", 0.5, help="share of outside assets realised by a defaulting company"),
               ModelParam("beta", "fraction", 0.5, help="share of web receivables realised by a defaulting company"))),
    ModelSpec("debtrank", "DebtRank", "solvency", "debtrank", debtrank,
              "Battiston et al. (2012), doi:10.1038/srep00541; Bardoscia et al. (2015), doi:10.1371/journal.pone.0130406",
              "docs/models/debtrank.md",
              (ModelParam("variant", "choice", "battiston2012", ("battiston2012", "bardoscia2015"),
                          "each company passes distress on once (2012) or continuously (2015)"),),
              monte_carlo=True, monte_carlo_params={"variant": "bardoscia2015"}),
    ModelSpec("furfine", "Furfine default cascade", "solvency", "threshold", partial(threshold_cascade, rule="furfine"),
              "Furfine (2003), doi:10.1353/mcb.2003.0004", "docs/models/threshold-cascades.md", (_STRICT,),
              monte_carlo=True),
    ModelSpec("gai_kapadia", "Gai–Kapadia default cascade", "solvency", "threshold",
              partial(threshold_cascade, rule="gai_kapadia"),
              "Gai & Kapadia (2010), doi:10.1098/rspa.2009.0410", "docs/models/threshold-cascades.md", (_STRICT,)),
    ModelSpec("cross_holdings", "Elliott–Golub–Jackson cross-holdings", "solvency", "cross_holdings", cross_holdings,
              "Elliott, Golub & Jackson (2014), doi:10.1257/aer.104.10.3115", "docs/models/cross-holdings.md"),
)}


def model_names() -> tuple[str, ...]:
    """The registered model names, in registry order."""
    return tuple(MODELS)


def get_model(name: str, *, where: str = "model") -> ModelSpec:
    """The registered model ``name``; raises :class:`~dealweb.errors.ValidationError` naming the choices."""
    spec = MODELS.get(str(name))
    if spec is None:
        raise ValidationError([Problem(where, "model", "model", f"must be one of {', '.join(MODELS)}, got {name!r}")])
    return spec


def check_model_params(model: str, params: Mapping[str, Any], *, where: str) -> list[Problem]:
    """Every problem with ``params`` for ``model`` (unknown names, values of the wrong type)."""
    spec = MODELS.get(model)
    if spec is None:
        return [Problem(where, "model", "model", f"must be one of {', '.join(MODELS)}, got {model!r}")]
    known = {p.name: p for p in spec.params}
    problems = []
    for key, value in params.items():
        param = known.get(str(key))
        if param is None:
            problems.append(Problem(where, f"params.{key}", "model_param",
                                    f"not a parameter of {model}; known: {', '.join(known) or 'none'}"))
            continue
        rule = param.check(value)
        if rule is not None:
            problems.append(Problem(where, f"params.{key}", "model_param", rule))
    return problems


def resolve_params(model: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The model's defaults overridden by ``params`` (checked): what the model runs with."""
    problems = check_model_params(model, params, where=f"model {model}")
    if problems:
        raise ValidationError(problems)
    return {**MODELS[model].defaults(), **params}


def markdown_table() -> str:
    """The registry as the Markdown table in ``docs/models/README.md`` (a test keeps the two equal)."""
    lines = ["| name | model | view | options (default) | Monte Carlo | paper |", "|---|---|---|---|---|---|"]
    for spec in MODELS.values():
        options = "; ".join(f"`{p.name}` = {' or '.join(p.choices) if p.choices else p.type} ({p.default})"
                            for p in spec.params) or "none"
        mc = ("yes" + "".join(f", {k}={v}" for k, v in spec.monte_carlo_params.items())) if spec.monte_carlo else "no"
        page = spec.doc.removeprefix("docs/models/")
        lines.append(f"| `{spec.name}` | [{spec.title}]({page}) | {spec.view} | {options} | {mc} | {spec.citation} |")
    return "\n".join(lines)
