"""Every assumption that turns a deal ledger into balance sheets, named, documented and recorded.

The ledger says who committed what to whom; a contagion model needs what each company owes
and is owed *over a horizon*, what it has from outside the web to pay with, and what it stands
to lose if a counterparty fails. The step between the two takes assumptions. They live here,
each with a default and a reason, and every stress result records the values it ran under
(``result.params["assumptions"]``). Change one with :meth:`Assumptions.evolve` or a scenario's
``assumptions:`` block.

========================= ======= ==============================================================
name                      default meaning
========================= ======= ==============================================================
``horizon_years``         1.0     the window over which obligations fall due (12 months)
``default_term_years``    5.0     term of a commitment, lease, licence or chip order that states
                                  none; its amount is spread evenly over the term
``funding_years``         2.0     an unfunded (not ``closed``) equity, joint-venture or
                                  acquisition commitment without a stated term is paid evenly
                                  over this many years from its announcement
``debt_years``            5.0     term of a loan that states none; principal is due at the end
``debt_rate``             0.08    yearly interest on web loans, paid over the horizon
``up_to``                 1.0     share of an "up to" ceiling that materialises
``estimate``              1.0     multiplier on amounts the sources only estimate
``amount_policy``         face    which end of a reported range (``face``, ``low``, ``high``)
``recovery``              0.0     share of a claim a creditor recovers from a failed debtor
                                  (threshold cascades and exposures); 0 is the worst case
``stake_mark``            1.0     stake value as a multiple of its cost, when no later figure
                                  (stake value, or stake share × valuation) marks it
``valuation_mark``        1.0     multiplier on the latest valuation, the solvency buffer
``revenue_available``     1.0     share of outside revenue available to pay web obligations
                                  (1 = all of it: costs outside the web are ignored, which
                                  flatters the payer; lower it to reflect costs)
``failed_pays``           0.0     share of its obligations a company pays when a scenario
                                  says it fails
``no_figures``            ``pays_in_full``
                                  what to assume for a company with no cash or revenue figure
                                  (see below)
``failure_threshold``     0.5     cross-holdings: a company fails when its market value falls
                                  below this share of its value before the shock
``failure_cost``          0.2     cross-holdings: share of its pre-shock value a failing
                                  company loses on failure
``raised_available``      1.0     share of the cash a company raised in closed deals after its
                                  latest cash figure that is still there (1: none of it spent)
``outside_debt_rate``     0.06    yearly interest on a company's reported debt outside the web
                                  (reported debt less drawn web loans); its outside liability
                                  over the horizon. 0 leaves outside debt out
========================= ======= ==============================================================

Missing figures
---------------
The bundled dataset has outside revenue or cash for only a handful of companies: private labs
disclose run-rates, and the dataset does not carry the listed giants' accounts. A company without
any cash or revenue figure gets one of two documented fallbacks, and the result lists it:

* ``pays_in_full`` (default): its outside means equal what it owes the web over the horizon,
  so it can always pay; the losses it takes are still counted, but it cannot fail in the
  liquidity view and its buffer is unknown (relative loss ``nan``).
* ``web_only``: it has no outside means at all and pays only from what the web pays it: the
  strictest reading, useful as a bound.

A company with a revenue figure but no cash figure has cash 0 (listed too). In the solvency
view a company without a valuation has no known buffer: it absorbs losses but cannot fail.
Nothing is ever filled in silently.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

__all__ = ["Assumptions", "parse_horizon"]


@dataclass(frozen=True, slots=True)
class Assumptions:
    """The named parameters of the ledger-to-balance-sheet step (see the module docstring).

    >>> a = Assumptions().evolve(horizon_years=2, recovery=0.4)
    >>> a.horizon_years, a.recovery, a.no_figures
    (2.0, 0.4, 'pays_in_full')
    >>> Assumptions(recovery=1.5)
    Traceback (most recent call last):
    ...
    ValueError: assumption recovery must be between 0 and 1, got 1.5
    """

    horizon_years: float = 1.0
    default_term_years: float = 5.0
    funding_years: float = 2.0
    debt_years: float = 5.0
    debt_rate: float = 0.08
    up_to: float = 1.0
    estimate: float = 1.0
    amount_policy: Literal["face", "low", "high"] = "face"
    recovery: float = 0.0
    stake_mark: float = 1.0
    valuation_mark: float = 1.0
    revenue_available: float = 1.0
    failed_pays: float = 0.0
    no_figures: Literal["pays_in_full", "web_only"] = "pays_in_full"
    failure_threshold: float = 0.5
    failure_cost: float = 0.2
    outside_debt_rate: float = 0.06
    raised_available: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("amount_policy", "no_figures"):
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"assumption {f.name} must be a number, got {value!r}")
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(f"assumption {f.name} must be finite, got {value!r}")
            object.__setattr__(self, f.name, number)
            if f.name in _UNIT and not 0.0 <= number <= 1.0:
                raise ValueError(f"assumption {f.name} must be between 0 and 1, got {value!r}")
            if f.name in _POSITIVE and number <= 0:
                raise ValueError(f"assumption {f.name} must be greater than 0, got {value!r}")
            if number < 0:
                raise ValueError(f"assumption {f.name} must not be negative, got {value!r}")
        if self.amount_policy not in ("face", "low", "high"):
            raise ValueError(f"assumption amount_policy must be one of face, low, high, got {self.amount_policy!r}")
        if self.no_figures not in ("pays_in_full", "web_only"):
            raise ValueError(f"assumption no_figures must be 'pays_in_full' or 'web_only', got {self.no_figures!r}")

    def evolve(self, **changes: Any) -> Assumptions:
        """A copy with some assumptions changed; unknown names raise ``ValueError``."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise ValueError(f"unknown assumption {unknown[0]!r}; known: {', '.join(f.name for f in fields(self))}")
        if "horizon_years" in changes:
            changes["horizon_years"] = parse_horizon(changes["horizon_years"])
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_UNIT = {"up_to", "recovery", "revenue_available", "failed_pays", "failure_threshold", "failure_cost",
         "raised_available"}
_POSITIVE = {"horizon_years", "default_term_years", "funding_years", "debt_years"}


def parse_horizon(value: Any) -> float:
    """A horizon in years from a number of years or a text like ``"12m"``, ``"2y"``, ``"18 months"``.

    >>> parse_horizon("12m"), parse_horizon("2y"), parse_horizon(1.5), parse_horizon("18 months")
    (1.0, 2.0, 1.5, 1.5)
    >>> parse_horizon("soon")
    Traceback (most recent call last):
    ...
    ValueError: horizon must be a number of years or like '12m', '2y', got 'soon'
    """
    bad = ValueError(f"horizon must be a number of years or like '12m', '2y', got {value!r}")
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int | float):
        years = float(value)
    else:
        match = _HORIZON.fullmatch(str(value).strip().lower())
        if match is None:
            raise bad
        years = float(match["number"]) / (12.0 if (match["unit"] or "y").startswith("m") else 1.0)
    if not 0 < years < float("inf"):
        raise bad
    return years


_HORIZON = re.compile(r"(?P<number>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>y|yr|yrs|year|years|m|mo|month|months)?")
