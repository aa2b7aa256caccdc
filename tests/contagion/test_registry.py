"""The model registry: one entry per model, read by the docs, the CLI, the web and scenario validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dealweb.contagion.registry import MODELS, check_model_params, get_model, markdown_table, resolve_params
from dealweb.errors import ValidationError

ROOT = Path(__file__).resolve().parents[2]


def test_docs_table_is_the_registry() -> None:
    text = (ROOT / "docs" / "models" / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- registry:start -->\n(.*?)\n<!-- registry:end -->", text, re.S)
    assert block is not None and block.group(1) == markdown_table()
    for spec in MODELS.values():
        assert (ROOT / spec.doc).is_file(), spec.doc


def test_params_are_checked_and_defaulted() -> None:
    assert resolve_params("rogers_veraart", {"alpha": 0.2}) == {"alpha": 0.2, "beta": 0.5}
    assert resolve_params("debtrank", {}) == {"variant": "battiston2012"}
    problems = check_model_params("furfine", {"strict": "yes", "seniority": "senior"}, where="s")
    assert [str(p) for p in problems] == [
        "s, params.strict: must be true or false, got 'yes' [model_param]",
        "s, params.seniority: not a parameter of furfine; known: strict [model_param]"]
    with pytest.raises(ValidationError, match="must be one of eisenberg_noe"):
        get_model("magic")


def test_every_model_runs_with_its_defaults_through_its_adapter() -> None:
    """Each registered function accepts its own defaults (what a model switch runs with)."""
    import inspect

    for spec in MODELS.values():
        signature = inspect.signature(spec.function)
        for name in spec.defaults():
            assert name in signature.parameters, (spec.name, name)
