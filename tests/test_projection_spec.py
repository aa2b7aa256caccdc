"""One request object for a projection: the CLI's flags and the web's query string build the same spec."""

from __future__ import annotations

import asyncio

import pytest
import typer

from dealweb.cli.network_options import spec_from_flags
from dealweb.errors import ValidationError
from dealweb.model.vocab import Confidence, DealKind, Status
from dealweb.network import ProjectionSpec
from dealweb.web.filters import NetworkFilters, network_filters


def test_cli_and_web_build_the_same_spec() -> None:
    web = asyncio.run(network_filters(as_of=" 2025-06 ", kind=[DealKind.LEASE, DealKind.DEBT, DealKind.DEBT],
                                      status=[Status.SIGNED], min_confidence=Confidence.MEDIUM,
                                      amount_policy="low", up_to=0.5, estimate=1.0, basis="face"))
    cli = spec_from_flags(as_of="2025-06", kind=[DealKind.DEBT, DealKind.LEASE], status=[Status.SIGNED],
                          min_confidence=Confidence.MEDIUM, amount_policy="LOW", up_to=0.5, estimate=1.0, basis="face")
    assert NetworkFilters is ProjectionSpec and web == cli
    assert cli == ProjectionSpec("2025-06", ("debt", "lease"), ("signed",), "medium", "low", 0.5, 1.0, "face")


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        ProjectionSpec.parse(as_of="2025-13", basis="cash", up_to=2, kinds=["loan"], where="query")
    assert [(p.where, p.field, p.rule) for p in info.value.problems] == [
        ("query", "as_of", "date"), ("query", "kind", "vocabulary"), ("query", "basis", "vocabulary"),
        ("query", "up_to", "fraction")]


def test_the_cli_names_the_flag() -> None:
    with pytest.raises(typer.BadParameter) as info:
        spec_from_flags(as_of=None, kind=None, status=None, min_confidence=None, amount_policy="face", up_to=1.5,
                        estimate=1.0)
    assert info.value.param_hint == "--up-to-fraction" and "1.5 is not a fraction between 0 and 1" in str(info.value)
