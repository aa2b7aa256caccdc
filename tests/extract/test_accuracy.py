"""The accuracy line every review prints, and the README's copy of it, say the same thing."""

from __future__ import annotations

from pathlib import Path

from dealweb.extract.accuracy import DEV_HELDOUT, MEASURED, Measured, statement

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_quotes_the_measured_line() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"({MEASURED.passages} passages, as of {MEASURED.as_of})" in text
    assert f"{MEASURED.precision:.0%} of its candidates were right" in text
    assert f"found {MEASURED.recall:.0%} of the deals" in text


def test_the_unseen_total_includes_the_development_held_out_part() -> None:
    assert MEASURED.passages > DEV_HELDOUT.passages and MEASURED.deals > DEV_HELDOUT.deals
    assert MEASURED.right >= DEV_HELDOUT.right and MEASURED.candidates >= DEV_HELDOUT.candidates
    assert "held-out" in MEASURED.basis and MEASURED.as_of == DEV_HELDOUT.as_of


def test_the_statement_names_counts_basis_and_date() -> None:
    line = statement(Measured(passages=10, deals=20, candidates=8, right=6, as_of="2026-01-02", basis="x"))
    assert line.startswith("Machine-read candidates: on 10 real news passages it had not seen (20 deals, as of 2026-01-02)")
    assert "75% of its candidates were right" in line and "found 30% of the deals" in line
    assert Measured(0, 0, 0, 0, "2026-01-02", "empty").precision == 1.0
