"""A ledger filled from an older bundled dataset: updated when it is ours alone, kept when the user changed it.

`make run` fills the embedded database once. Before this, a user who upgraded dealweb kept
reading the old dataset's numbers forever, with nothing saying so.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dealweb
from dealweb.cli import app
from dealweb.errors import ValidationError
from dealweb.ledger import Ledger
from dealweb.ledger.bundled import (
    bundled_manifest,
    bundled_records,
    bundled_status,
    reset_bundled,
    update_bundled,
)
from dealweb.model import Deal, Entity
from dealweb.model.recordset import RecordSet

OLD = "2000.01.01"
runner = CliRunner()


def _older(path: Path) -> Ledger:
    """A ledger as an older dealweb left it: one deal missing, one amount different, one row since dropped."""
    new = bundled_records()
    first, second = new.deals[0], new.deals[1]
    dropped = dataclasses.replace(second, id="D999", description="A row the new dataset no longer has.")
    deals = [dataclasses.replace(first, amount_usd=(first.amount_usd or Decimal(0)) + 1), dropped,
             *new.deals[2:-1]]
    ledger = Ledger(path)
    ledger.apply(RecordSet.of(new.entities, deals, new.financials), by="dealweb", reason=f"bundled dataset {OLD}")
    return ledger


def test_an_older_bundled_ledger_nobody_changed_is_updated_on_open(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    _older(db).close()
    ledger = dealweb.open(db)
    status = bundled_status(ledger)
    assert status.held == bundled_manifest()["version"] and not status.outdated
    assert ledger.records() == bundled_records()
    assert any(c.reason.endswith(f"(update from {OLD})") for c in ledger.history())


def test_user_changes_are_kept_and_the_user_is_told(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    ledger = _older(db)
    new = bundled_records()
    mine = dataclasses.replace(new.deals[5], id="D900", description="My own deal.")
    ledger.add(mine, by="me", reason="my deal")
    ledger.edit(Entity, new.entities[0].id, name="Renamed by me", by="me", reason="my name")
    held = ledger.records()
    ledger.apply(RecordSet.of(held.entities, [d for d in held.deals if d.id != new.deals[3].id], held.financials),
                 mode="replace", by="me", reason="my removal")

    opened = dealweb.open(db)  # not touched: the user changed things
    status = bundled_status(opened)
    assert status.outdated and status.own_changes > 0 and status.held == OLD
    assert "D999" in {d.id for d in opened.deal_records()}

    result = runner.invoke(app, ["summary", "--db", str(db)])
    assert result.exit_code == 0
    assert "dealweb dataset update" in result.stderr and "dealweb dataset update" not in result.stdout

    result = runner.invoke(app, ["dataset", "update", "--db", str(db)])
    assert result.exit_code == 0, result.output
    after = {d.id: d for d in opened.deal_records()}
    assert "D900" in after  # the user's deal stays
    assert new.deals[3].id not in after  # the user's removal stays
    assert opened.entity(new.entities[0].id).name == "Renamed by me"  # the user's edit stays
    assert "D999" not in after  # dropped upstream and never touched by the user: gone
    assert after[new.deals[0].id] == new.deals[0]  # corrected upstream: corrected
    assert new.deals[-1].id in after  # added upstream: added
    assert not bundled_status(opened).outdated
    again = runner.invoke(app, ["dataset", "update", "--db", str(db)])
    assert "nothing to do" in again.stdout


def test_update_that_would_break_a_users_deal_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    new = bundled_records()
    ledger = Ledger(db)
    extra = Entity("gone-upstream", "Gone Upstream Inc")
    ledger.apply(RecordSet.of([*new.entities, extra], new.deals, new.financials), by="dealweb",
                 reason=f"bundled dataset {OLD}")
    theirs = dataclasses.replace(new.deals[0], id="D901", payer="gone-upstream")
    ledger.add(theirs, by="me", reason="a deal with an entity the new dataset drops")
    before = ledger.records()
    with pytest.raises(ValidationError) as err:
        update_bundled(ledger)
    assert "gone-upstream" in str(err.value)
    assert ledger.records() == before


def test_reset_forgets_earlier_changes(tmp_path: Path) -> None:
    ledger = _older(tmp_path / "d.sqlite")
    ledger.edit(Deal, bundled_records().deals[2].id, description="mine", by="me", reason="mine")
    assert bundled_status(ledger).own_changes == 1
    reset_bundled(ledger)
    status = bundled_status(ledger)
    assert status.own_changes == 0 and not status.outdated
    assert ledger.records() == bundled_records()


def test_a_ledger_never_filled_from_the_bundled_data_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "mine.sqlite"
    ledger = Ledger(db)
    ledger.add(Entity("acme", "Acme"), by="me", reason="import of my file")
    assert bundled_status(dealweb.open(db)).held is None
    assert [e.id for e in dealweb.open(db).entity_records()] == ["acme"]
    result = runner.invoke(app, ["dataset", "update", "--db", str(db)])
    assert result.exit_code == 2 and "never filled from the bundled dataset" in result.output
