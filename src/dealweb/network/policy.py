"""How the projection turns a deal's reported amount into one number.

A deal's amount may be a ceiling (``up_to``), an estimate, or come with a reported
low–high range. An :class:`AmountPolicy` says which number to use, and every result
records the policy it was computed under.

Presets
-------
``face``  the stated amount; ceilings and estimates at face value (the default).
``low``   the low end of a reported range where there is one, else the stated amount.
``high``  the high end of a reported range where there is one, else the stated amount.

Any preset may scale ceilings and estimates: ``AmountPolicy.parse("face", up_to=0.5)``
counts "up to" commitments at half their ceiling.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from dealweb.model.records import Deal
from dealweb.model.vocab import Qualifier

__all__ = ["AmountPolicy"]

Bound = Literal["amount", "low", "high"]


@dataclass(frozen=True, slots=True)
class AmountPolicy:
    """Which number stands for each deal.

    Parameters
    ----------
    bound
        ``"amount"``: the stated amount; ``"low"``/``"high"``: that end of the reported
        range when the deal has one.
    up_to
        Fraction (0–1) of an ``up_to`` ceiling that counts.
    estimate
        Fraction (0–1) of an ``estimate`` that counts.

    Examples
    --------
    >>> from dealweb.model import Deal
    >>> d = Deal("D1", "2025", "equity_investment", "a", "b", Decimal(100), "up_to", low_usd=Decimal(40))
    >>> AmountPolicy().amount(d), AmountPolicy.parse("low").amount(d), AmountPolicy(up_to=0.5).amount(d)
    (Decimal('100'), Decimal('40'), Decimal('50.0'))
    """

    bound: Bound = "amount"
    up_to: float = 1.0
    estimate: float = 1.0

    def __post_init__(self) -> None:
        if self.bound not in ("amount", "low", "high"):
            raise ValueError(f"amount policy bound {self.bound!r} is not one of amount, low, high")
        for name in ("up_to", "estimate"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"amount policy {name} fraction {value} is outside 0–1")

    @classmethod
    def parse(cls, name: str | AmountPolicy | None = None, *, up_to: float = 1.0, estimate: float = 1.0) -> AmountPolicy:
        """A preset by name (``face``, ``low``, ``high``), optionally scaling ceilings and estimates."""
        if isinstance(name, AmountPolicy):
            return name
        presets: dict[str, Bound] = {"face": "amount", "amount": "amount", "low": "low", "high": "high"}
        key = (name or "face").lower()
        if key not in presets:
            raise ValueError(f"amount policy {name!r} is not one of face, low, high")
        return cls(presets[key], up_to, estimate)

    def amount(self, deal: Deal) -> Decimal | None:
        """The number that stands for ``deal`` (``None`` when undisclosed)."""
        value = deal.amount_usd
        if self.bound == "low" and deal.low_usd is not None:
            value = deal.low_usd
        elif self.bound == "high" and deal.high_usd is not None:
            value = deal.high_usd
        if value is None:
            return None
        if deal.qualifier is Qualifier.UP_TO and self.up_to != 1:
            value = value * Decimal(str(self.up_to))
        elif deal.qualifier is Qualifier.ESTIMATE and self.estimate != 1:
            value = value * Decimal(str(self.estimate))
        return value

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        name = {"amount": "face", "low": "low", "high": "high"}[self.bound]
        extras = [f"up_to×{self.up_to:g}" if self.up_to != 1 else "", f"estimate×{self.estimate:g}" if self.estimate != 1 else ""]
        return " ".join([name, *[e for e in extras if e]])
