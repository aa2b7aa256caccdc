"""Scenarios as data: shocks, horizon, model and parameters, read from YAML or JSON and validated.

A scenario file looks like this (YAML; the same keys in JSON)::

    name: openai-pays-40
    title: OpenAI pays 40% of its obligations for two years
    model: eisenberg_noe          # eisenberg_noe | rogers_veraart | debtrank | furfine | gai_kapadia | cross_holdings
    horizon: 2y                   # years, or "18m"; default 12 months
    params: {seniority: pari_passu}
    assumptions: {recovery: 0.0}  # any name of dealweb.contagion.Assumptions
    shocks:
      - {entity: openai, pays: 0.4}                  # pays only 40% of what it owes the web
      - {entity: nvidia, valuation_falls: 0.5}       # its equity value falls 50%
      - {entity: microsoft, outside_revenue_falls: 0.3}
      - {entity: xai, fails: true}                   # pays failed_pays (default nothing)
      - {entities: [microsoft, amazon], cuts: 0.3, kinds: [chip_purchase, lease]}  # commitments cut 30%
      - {deal: D55, cancelled: true}                 # the deal does not go ahead

Each shock names one entity (``entity``), several (``entities``) or a deal (``deal``), and
exactly one effect. :func:`load_scenario` reads a file (or a shipped scenario by name),
:func:`parse_scenario` a mapping; both report every problem at once with its place
(``shocks[2].pays``) and rule, and check entity and deal ids against the ledger when one is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from dealweb.contagion.assumptions import Assumptions
from dealweb.contagion.registry import MODELS as REGISTRY
from dealweb.contagion.registry import check_model_params
from dealweb.errors import NotFoundError, Problem, ValidationError
from dealweb.model.dates import PartialDate
from dealweb.model.vocab import DealKind

__all__ = ["EFFECTS", "MODELS", "Scenario", "Shock", "list_scenarios", "load_scenario", "parse_scenario"]

#: Models a scenario can run: the contagion model registry (name → spec, with its options).
MODELS = REGISTRY

#: Shock effects: name → (what it means, whether it takes a fraction in [0, 1]).
EFFECTS: dict[str, tuple[str, bool]] = {
    "fails": ("fails: pays only failed_pays of its obligations (default nothing)", False),
    "pays": ("pays only this share of its obligations", True),
    "outside_revenue_falls": ("loses this share of its outside revenue", True),
    "valuation_falls": ("its equity value falls by this share", True),
    "cuts": ("cuts its commitments (optionally of some kinds) by this share", True),
    "cancelled": ("the deal does not go ahead", False),
}
_TARGETS = ("entity", "entities", "deal")
#: Most shocks one scenario may hold (each is one company's or deal's failure, so a few dozen is a lot).
MAX_SHOCKS = 1_000
#: Longest horizon a scenario may look over, in years (as for a deal, :data:`dealweb.model.domain.MAX_HORIZON_YEARS`).
MAX_HORIZON_YEARS = 100.0
_KEYS = {"name", "title", "description", "model", "horizon", "as_of", "params", "assumptions", "shocks"}
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass(frozen=True, slots=True)
class Shock:
    """One shock: ``effect`` applied with ``size`` to ``entities`` (or to ``deal``).

    ``size`` is the fraction for ``pays``, ``outside_revenue_falls``, ``valuation_falls`` and
    ``cuts``, and 1 for ``fails`` and ``cancelled``. ``kinds`` narrows ``cuts`` to some deal kinds.
    """

    effect: str
    size: float
    entities: tuple[str, ...] = ()
    deal: str | None = None
    kinds: tuple[str, ...] = ()

    def describe(self) -> str:
        who = self.deal if self.deal else ", ".join(self.entities)
        if self.effect == "fails":
            return f"{who} fails"
        if self.effect == "cancelled":
            return f"deal {who} is cancelled"
        if self.effect == "pays":
            return f"{who} pays only {self.size:.0%} of its obligations"
        if self.effect == "cuts":
            kinds = f" ({', '.join(self.kinds)})" if self.kinds else ""
            return f"{who} cut their commitments{kinds} by {self.size:.0%}"
        label = {"outside_revenue_falls": "outside revenue falls", "valuation_falls": "valuation falls"}[self.effect]
        return f"{who}: {label} {self.size:.0%}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"deal": self.deal} if self.deal else (
            {"entity": self.entities[0]} if len(self.entities) == 1 else {"entities": list(self.entities)})
        out[self.effect] = True if self.effect in ("fails", "cancelled") else self.size
        if self.kinds:
            out["kinds"] = list(self.kinds)
        return out


@dataclass(frozen=True)
class Scenario:
    """A named set of shocks with the model, horizon, parameters and assumptions to run them under."""

    name: str
    shocks: tuple[Shock, ...]
    model: str = "eisenberg_noe"
    title: str = ""
    description: str = ""
    assumptions: Assumptions = field(default_factory=Assumptions)
    params: dict[str, Any] = field(default_factory=dict)
    as_of: str | None = None

    @property
    def horizon_years(self) -> float:
        return self.assumptions.horizon_years

    def describe(self) -> str:
        return "; ".join(s.describe() for s in self.shocks) or "no shock"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description, "model": self.model,
                "horizon": self.horizon_years, "as_of": self.as_of, "params": dict(self.params),
                "assumptions": self.assumptions.to_dict(), "shocks": [s.to_dict() for s in self.shocks]}

    def evolve(self, **changes: Any) -> Scenario:
        """A copy with ``model``, ``params``, ``horizon`` (years or text) or assumptions changed."""
        values: dict[str, Any] = {"name": self.name, "shocks": self.shocks, "model": self.model, "title": self.title,
                  "description": self.description, "assumptions": self.assumptions, "params": self.params,
                  "as_of": self.as_of}
        horizon = changes.pop("horizon", None)
        assumption_changes = {k: changes.pop(k) for k in list(changes) if k in Assumptions.__dataclass_fields__}
        if horizon is not None:
            assumption_changes["horizon_years"] = horizon
        unknown = sorted(set(changes) - set(values))
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]!r}: use model, params, horizon or an assumption name "
                             f"({', '.join(Assumptions.__dataclass_fields__)})")
        values.update(changes)
        if assumption_changes:
            values["assumptions"] = values["assumptions"].evolve(**assumption_changes)
        if values["model"] not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}, got {values['model']!r}")
        if values["model"] != self.model and "params" not in changes:
            values["params"] = {}  # one model's options never carry over to another: the new one runs its own defaults
        problems = check_model_params(values["model"], values["params"], where=f"scenario {self.name}")
        if problems:
            raise ValueError(str(problems[0]))
        return Scenario(**values)


def _fraction(value: Any, where: str, key: str, problems: list[Problem]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
        text = str(value).strip()
        if isinstance(value, str) and text.endswith("%"):
            try:
                number = float(text[:-1]) / 100
            except ValueError:
                number = -1.0
            if 0.0 <= number <= 1.0:
                return number
        problems.append(Problem(where, key, "fraction",
                                f"must be a fraction between 0 and 1 (or a percentage like '40%'), got {value!r}"))
        return None
    return float(value)


def _shock(raw: Any, where: str, problems: list[Problem], entities: set[str] | None, deals: set[str] | None) -> Shock | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "", "shock_mapping",
                                f"a shock must be a mapping like {{entity: openai, pays: 0.4}}, got {raw!r}"))
        return None
    start = len(problems)
    unknown = sorted(set(raw) - set(EFFECTS) - set(_TARGETS) - {"kinds"})
    for key in unknown:
        problems.append(Problem(where, str(key), "unknown_key", f"unknown key; a shock names one of {', '.join(_TARGETS)} "
                                f"and one effect of {', '.join(EFFECTS)}"))
    targets = [t for t in _TARGETS if t in raw]
    effects = [e for e in EFFECTS if e in raw]
    if len(targets) != 1:
        problems.append(Problem(where, "", "one_target",
                                f"name exactly one of {', '.join(_TARGETS)}, found {targets or 'none'}"))
    if len(effects) != 1:
        problems.append(Problem(where, "", "one_effect",
                                f"give exactly one effect of {', '.join(EFFECTS)}, found {effects or 'none'}"))
    if len(problems) > start:
        return None
    target, effect = targets[0], effects[0]
    names: tuple[str, ...] = ()
    deal: str | None = None
    if target == "deal":
        deal = str(raw["deal"])
        if effect != "cancelled":
            problems.append(Problem(where, effect, "deal_effect",
                                    "a deal can only be 'cancelled'; shocks to companies name an entity"))
        if deals is not None and deal not in deals:
            problems.append(Problem(where, "deal", "unknown_deal", f"no deal {deal!r} in the ledger"))
    else:
        value = raw[target]
        names = tuple(str(x) for x in value) if target == "entities" and isinstance(value, list) else (str(value),)
        if target == "entities" and not isinstance(value, list):
            problems.append(Problem(where, "entities", "list", f"must be a list of entity ids, got {value!r}"))
        if not names:
            problems.append(Problem(where, target, "empty", "names no entity"))
        if effect == "cancelled":
            problems.append(Problem(where, effect, "deal_effect", "'cancelled' applies to a deal: name it with 'deal'"))
        for name in names:
            if entities is not None and name not in entities:
                problems.append(Problem(where, target, "unknown_entity", f"no entity {name!r} in the ledger"))
    size: float | None = 1.0
    if EFFECTS[effect][1]:
        size = _fraction(raw[effect], where, effect, problems)
    elif raw[effect] is not True:
        problems.append(Problem(where, effect, "true", f"write '{effect}: true', got {raw[effect]!r}"))
    kinds: tuple[str, ...] = ()
    if "kinds" in raw:
        if effect != "cuts":
            problems.append(Problem(where, "kinds", "kinds_only_for_cuts", "'kinds' narrows a 'cuts' shock only"))
        values = raw["kinds"] if isinstance(raw["kinds"], list) else [raw["kinds"]]
        for k in values:
            if str(k) not in {d.value for d in DealKind}:
                known = ", ".join(d.value for d in DealKind)
                problems.append(Problem(where, "kinds", "deal_kind", f"unknown deal kind {k!r}; one of {known}"))
        kinds = tuple(str(k) for k in values)
    if len(problems) > start or size is None:
        return None
    return Shock(effect=effect, size=size, entities=names, deal=deal, kinds=kinds)


def parse_scenario(raw: Any, *, where: str = "scenario", entities: Iterable[str] | None = None,
                   deals: Iterable[str] | None = None) -> Scenario:
    """Validate a scenario mapping; raises :class:`~dealweb.errors.ValidationError` listing every problem.

    >>> s = parse_scenario({"name": "t", "shocks": [{"entity": "openai", "pays": "40%"}], "horizon": "2y"})
    >>> s.model, s.horizon_years, s.describe()
    ('eisenberg_noe', 2.0, 'openai pays only 40% of its obligations')
    >>> try:
    ...     parse_scenario({"name": "t", "shocks": [{"entity": "openai", "pays": 1.4}]})
    ... except ValidationError as err:
    ...     print(err.problems[0])
    scenario shocks[0], pays: must be a fraction between 0 and 1 (or a percentage like '40%'), got 1.4 [fraction]
    """
    known_entities = set(entities) if entities is not None else None
    known_deals = set(deals) if deals is not None else None
    problems: list[Problem] = []
    if not isinstance(raw, Mapping):
        raise ValidationError([Problem(where, "", "scenario_mapping", "a scenario must be a mapping with 'name' and 'shocks'")])
    for key in sorted(set(raw) - _KEYS):
        problems.append(Problem(where, str(key), "unknown_key", f"unknown key; known: {', '.join(sorted(_KEYS))}"))
    name = str(raw.get("name", ""))
    if not _NAME.fullmatch(name):
        problems.append(Problem(where, "name", "scenario_name",
                                f"needs a name of lower-case letters, digits, '-' or '_', got {name!r}"))
    model = str(raw.get("model", "eisenberg_noe"))
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        problems.append(Problem(where, "params", "mapping", f"must be a mapping, got {params!r}"))
        params = {}
    problems.extend(check_model_params(model, params, where=where))
    assumptions = Assumptions()
    raw_assumptions = dict(raw.get("assumptions") or {})
    if "horizon" in raw:
        raw_assumptions["horizon_years"] = raw["horizon"]
    for key, value in raw_assumptions.items():
        try:
            assumptions = assumptions.evolve(**{str(key): value})
        except (ValueError, TypeError) as exc:
            field_name = "horizon" if key == "horizon_years" and "horizon" in raw else f"assumptions.{key}"
            problems.append(Problem(where, field_name, "assumption", str(exc)))
    if assumptions.horizon_years > MAX_HORIZON_YEARS:
        problems.append(Problem(where, "horizon", "horizon",
                                f"{assumptions.horizon_years:.4g} years is longer than {MAX_HORIZON_YEARS} years"))
    shocks_raw = raw.get("shocks")
    shocks: list[Shock] = []
    if not isinstance(shocks_raw, list) or not shocks_raw:
        problems.append(Problem(where, "shocks", "shocks_list", "needs a non-empty list of shocks"))
    elif len(shocks_raw) > MAX_SHOCKS:
        problems.append(Problem(where, "shocks", "too_many", f"holds {len(shocks_raw):,} shocks; at most {MAX_SHOCKS:,}"))
    else:
        for k, item in enumerate(shocks_raw):
            shock = _shock(item, f"{where} shocks[{k}]", problems, known_entities, known_deals)
            if shock is not None:
                shocks.append(shock)
    as_of = raw.get("as_of")
    if as_of is not None:
        try:
            as_of = str(PartialDate.parse(str(as_of)))
        except ValueError as exc:
            problems.append(Problem(where, "as_of", "date", str(exc)))
    if problems:
        raise ValidationError(problems)
    return Scenario(name=name, shocks=tuple(shocks), model=model, title=str(raw.get("title", "")),
                    description=str(raw.get("description", "")).strip(), assumptions=assumptions,
                    params=dict(params), as_of=str(as_of) if as_of is not None else None)


def _library() -> dict[str, Any]:
    folder = resources.files("dealweb") / "data" / "scenarios"
    return {entry.name.rsplit(".", 1)[0]: entry for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml"))}


def list_scenarios() -> list[Scenario]:
    """The named scenarios shipped with the dataset, sorted by name.

    >>> [s.name for s in list_scenarios()][:2]
    ['ai-lab-valuations-halve', 'anthropic-fails']
    """
    return [load_scenario(name) for name in sorted(_library())]


def load_scenario(name_or_path: str | Path, *, entities: Iterable[str] | None = None,
                  deals: Iterable[str] | None = None) -> Scenario:
    """Read a scenario from a ``.yaml``/``.yml``/``.json`` file, or a shipped one by name.

    Raises :class:`~dealweb.errors.NotFoundError` for an unknown name or missing file,
    :class:`~dealweb.errors.FormatError` for a file that does not parse, and
    :class:`~dealweb.errors.ValidationError` for a scenario that breaks a rule.
    """
    from dealweb.ledger.formats.limits import MAX_YAML_BYTES, load_json, load_yaml, read_text

    library = _library()
    text: str
    if str(name_or_path) in library:
        where = f"scenario {name_or_path}"
        text = library[str(name_or_path)].read_text(encoding="utf-8")
        suffix = ".yaml"
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise NotFoundError(f"no scenario file {str(path)!r} and no shipped scenario of that name; "
                                f"shipped: {', '.join(sorted(library))}")
        where, suffix = path.name, path.suffix.lower()
        text = read_text(path, limit=MAX_YAML_BYTES)
    # Bounded and strict (dealweb.ledger.formats.limits): no YAML aliases, no repeated keys, a size and depth cap.
    raw = load_json(text, where, exact=False) if suffix == ".json" else load_yaml(text, where)
    return parse_scenario(raw, where=where, entities=entities, deals=deals)
