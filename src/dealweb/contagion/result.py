"""What every contagion model returns: who loses how much, who fails, when, and through whom.

A :class:`ContagionResult` holds one entry per entity (node): the loss, the loss relative
to its buffer, whether it failed, the round it failed in (0 = failed in the initial shock,
``-1`` = did not fail), and the counterparty whose failure or shortfall contributed most
to its loss (the path by which the loss arrived). Models add their own extra arrays in
``extra`` (clearing payments, equity, DebtRank values…) and their parameters in ``params``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dealweb.network.results import Result

__all__ = ["ContagionResult"]


@dataclass(frozen=True, kw_only=True)
class ContagionResult(Result):
    """Per-entity outcome of one contagion model run.

    Attributes
    ----------
    model
        Model name, e.g. ``"eisenberg_noe"``.
    nodes
        Node labels (entity ids, or ``0…n−1`` for plain arrays).
    loss
        Loss of each node in the model's unit (money for clearing models; for DebtRank the
        relative equity loss times the buffer).
    relative_loss
        ``loss / buffer`` (``nan`` where the buffer is 0 or unknown); DebtRank's ``h``.
    failed
        Whether each node failed (defaulted / became insolvent / crossed its threshold).
    failure_round
        Round in which each node failed: 0 for the initial shock, ``k ≥ 1`` for the k-th
        wave of contagion, ``-1`` for nodes that did not fail.
    top_source
        Index of the counterparty that contributed most to each node's loss, ``-1`` if none.
    rounds
        Number of rounds until nothing changed.
    extra
        Model-specific per-node arrays (e.g. ``payments``, ``equity``), each of length n.
    params
        The model's parameters as used (conventions, recovery rates, thresholds).
    """

    model: str
    nodes: tuple[Any, ...]
    loss: np.ndarray
    relative_loss: np.ndarray
    failed: np.ndarray
    failure_round: np.ndarray
    top_source: np.ndarray
    rounds: int
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per node: loss, relative loss, failed, failure round, top source, extras."""
        labels = np.asarray(self.nodes, dtype=object)
        source = [labels[j] if j >= 0 else None for j in self.top_source.tolist()]
        data: dict[str, Any] = {"id": labels, "loss": self.loss, "relative_loss": self.relative_loss,
                                "failed": self.failed, "failure_round": self.failure_round, "top_source": source}
        data.update(self.extra)
        return pd.DataFrame(data)

    def headline(self) -> dict[str, Any]:
        head = {"model": self.model, "failed": int(self.failed.sum()), "rounds": self.rounds,
                "total_loss": float(np.nansum(self.loss)),
                "failed_in_contagion": int((self.failure_round > 0).sum())}
        if "debtrank" in self.params:
            head["debtrank"] = float(self.params["debtrank"])
        if "tail_solved" in self.params:  # Bardoscia DebtRank: how the run ended
            head["tail_solved"] = bool(self.params["tail_solved"])
            head["rounds_estimated"] = self.params["rounds_estimated"]
        return head
