"""Scenario files: parsing, every problem reported with its place, the shipped library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dealweb.errors import FormatError, NotFoundError, ValidationError
from dealweb.stress import Shock, list_scenarios, load_scenario, parse_scenario


def test_parse_every_effect() -> None:
    s = parse_scenario({
        "name": "all-effects", "model": "rogers_veraart", "horizon": "18m", "params": {"alpha": 0.4, "beta": 0.9},
        "assumptions": {"recovery": 0.3},
        "shocks": [{"entity": "openai", "pays": "40%"}, {"entity": "nvidia", "valuation_falls": 0.5},
                   {"entity": "openai", "outside_revenue_falls": 0.2}, {"entity": "xai", "fails": True},
                   {"entities": ["microsoft", "amazon"], "cuts": 0.3, "kinds": ["lease"]},
                   {"deal": "D55", "cancelled": True}]})
    assert s.horizon_years == 1.5 and s.assumptions.recovery == 0.3 and s.params == {"alpha": 0.4, "beta": 0.9}
    assert s.shocks[0] == Shock("pays", 0.4, ("openai",))
    assert s.shocks[4] == Shock("cuts", 0.3, ("microsoft", "amazon"), kinds=("lease",))
    assert s.describe().startswith("openai pays only 40% of its obligations; nvidia: valuation falls 50%")
    again = parse_scenario(s.to_dict() | {"horizon": s.horizon_years})
    assert again.shocks == s.shocks and again.assumptions == s.assumptions


def test_every_problem_is_reported_with_its_place() -> None:
    with pytest.raises(ValidationError) as err:
        parse_scenario({"name": "Bad Name", "model": "magic", "colour": "red", "horizon": "soon",
                        "shocks": [{"entity": "openai"}, {"entity": "openai", "pays": 2}, {"deal": "D1", "fails": True},
                                   {"entity": "ghost", "fails": True}, "openai fails",
                                   {"entity": "openai", "cuts": 0.1, "kinds": ["bribes"]}]},
                       entities={"openai"}, deals={"D1"})
    text = str(err.value)
    for expected in ("scenario, colour: unknown key", "scenario, name: needs a name", "scenario, model: must be one of",
                     "scenario, horizon: horizon must be", "shocks[0]: give exactly one effect",
                     "shocks[1], pays: must be a fraction", "shocks[2], fails: a deal can only be 'cancelled'",
                     "shocks[3], entity: no entity 'ghost' in the ledger", "shocks[4]: a shock must be a mapping",
                     "shocks[5], kinds: unknown deal kind 'bribes'"):
        assert expected in text, expected
    assert len(err.value.problems) == 10


def test_model_params_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"params.variant: must be one of battiston2012, bardoscia2015"):
        parse_scenario({"name": "x", "model": "debtrank", "params": {"variant": "v3"}, "shocks": [{"entity": "a",
                       "fails": True}]})
    with pytest.raises(ValidationError, match=r"params.seniority: not a parameter of debtrank"):
        parse_scenario({"name": "x", "model": "debtrank", "params": {"seniority": "senior"},
                        "shocks": [{"entity": "a", "fails": True}]})
    with pytest.raises(ValidationError, match=r"shocks: needs a non-empty list"):
        parse_scenario({"name": "x", "shocks": []})


def test_files_and_names(tmp_path: Path) -> None:
    yaml_file = tmp_path / "mine.yaml"
    yaml_file.write_text("name: mine\nshocks:\n  - {entity: openai, pays: 0.5}\n", encoding="utf-8")
    assert load_scenario(yaml_file).shocks[0].size == 0.5
    json_file = tmp_path / "mine.json"
    json_file.write_text(json.dumps({"name": "mine", "shocks": [{"entity": "openai", "fails": True}]}), encoding="utf-8")
    assert load_scenario(json_file).shocks[0].effect == "fails"
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken.yaml line 2: is not valid YAML"):
        load_scenario(broken)
    with pytest.raises(NotFoundError, match=r"no scenario file 'nope.yaml'"):
        load_scenario("nope.yaml")
    code = tmp_path / "code.yaml"  # YAML tags that would build Python objects are refused (safe_load)
    code.write_text("name: !!python/object/apply:os.system ['echo hi']\nshocks: []\n", encoding="utf-8")
    with pytest.raises(FormatError):
        load_scenario(code)


def test_shipped_library_is_valid_and_named_like_its_files() -> None:
    scenarios = list_scenarios()
    assert len(scenarios) >= 8
    for s in scenarios:
        assert s.title and s.description, s.name
        assert load_scenario(s.name) == s
