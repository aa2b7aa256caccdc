"""L2-regularised logistic regression: the kernel the learned confidence is fitted with.

The model is :math:`P(y=1 \\mid x) = \\sigma(b + x^\\top w)` with :math:`\\sigma(z) = 1/(1+e^{-z})`.
:func:`fit_logistic` minimises the penalised negative log-likelihood

.. math:: L(w, b) = -\\sum_i \\big[y_i \\log p_i + (1-y_i)\\log(1-p_i)\\big] + \\tfrac{\\lambda}{2}\\lVert w\\rVert^2

(the intercept :math:`b` is not penalised) by Newton's method with step halving, i.e. iteratively
reweighted least squares (Hastie, Tibshirani & Friedman 2009, *The Elements of Statistical
Learning*, §4.4.1, doi:10.1007/978-0-387-84858-7). With :math:`\\lambda > 0` the objective is
strictly convex in :math:`w`, so the minimum is unique even when a feature separates the classes
perfectly or two features are equal. Only numpy is used.

Examples
--------
>>> import numpy as np
>>> X = np.array([[0.0], [0.0], [1.0], [1.0]])
>>> y = np.array([0.0, 1.0, 1.0, 1.0])
>>> m = fit_logistic(X, y, l2=1e-6)
>>> [round(float(p), 3) for p in predict_proba(X[[0, 2]], m.coef, m.intercept)]  # the shares: 1/2, and near 1
[0.5, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dealweb.errors import ConvergenceError

__all__ = ["Logistic", "LogisticConvergenceError", "fit_logistic", "predict_proba"]


class LogisticConvergenceError(ConvergenceError):
    """Newton's method did not settle within ``max_iter`` steps."""


@dataclass(frozen=True)
class Logistic:
    """A fitted model: weights (one per column), intercept, the penalty used and the Newton steps taken."""

    coef: NDArray[np.float64]
    intercept: float
    l2: float | Sequence[float]
    iterations: int
    #: The inverse of the penalised Hessian at the optimum, over (intercept, *coef): the Laplace approximation of the
    #: parameters' covariance (a posterior under the Gaussian prior the penalty stands for).
    covariance: NDArray[np.float64]


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)  # stable for large |z|


def predict_proba(X: NDArray[np.float64], coef: NDArray[np.float64], intercept: float) -> NDArray[np.float64]:
    """:math:`\\sigma(b + Xw)`, one probability per row of ``X``."""
    return _sigmoid(intercept + np.asarray(X, dtype=np.float64) @ np.asarray(coef, dtype=np.float64))


def _objective(X1: NDArray[np.float64], y: NDArray[np.float64], beta: NDArray[np.float64], penalty: NDArray[np.float64],
               ) -> float:
    z = X1 @ beta
    # log(1 + e^z) - y z, computed without overflow
    return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * beta * beta))


def fit_logistic(X: NDArray[np.float64], y: NDArray[np.float64], *, l2: float | Sequence[float] = 1.0,
                 max_iter: int = 100, tol: float = 1e-8) -> Logistic:
    """Fit :math:`w, b` minimising the penalised log-loss (see the module notes).

    Parameters
    ----------
    X
        ``(n, d)`` feature matrix.
    y
        ``n`` outcomes, each 0 or 1.
    l2
        The penalty :math:`\\lambda` on the weights (not on the intercept); must be positive. A sequence gives
        each column its own (a Gaussian prior of variance :math:`1/\\lambda_j` on weight :math:`j`).
    max_iter, tol
        Newton steps allowed, and the largest change of any parameter at which it has converged.

    Raises
    ------
    ValueError
        Shapes that do not agree, outcomes other than 0 and 1, or ``l2 <= 0``.
    LogisticConvergenceError
        No convergence within ``max_iter`` steps.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (n, d) and y (n,); got {X.shape} and {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold only 0 and 1")
    n, d = X.shape
    lam = np.broadcast_to(np.asarray(l2, dtype=np.float64), (d,)) if np.ndim(l2) == 0 else np.asarray(l2, dtype=np.float64)
    if lam.shape != (d,) or not np.all(lam > 0):
        raise ValueError(f"l2 must be positive, one value or one per column of X; got {l2}")
    X1 = np.hstack([np.ones((n, 1)), X])
    # The intercept is (all but) free; the tiny term keeps the Hessian invertible with no rows.
    penalty = np.concatenate([[1e-9], lam])
    beta = np.zeros(d + 1)
    if n:
        share = min(max(float(y.mean()), 1e-3), 1 - 1e-3)
        beta[0] = np.log(share / (1 - share))
    current = _objective(X1, y, beta, penalty)
    for step in range(1, max_iter + 1):
        p = _sigmoid(X1 @ beta)
        grad = X1.T @ (p - y) + penalty * beta
        hess = (X1 * (p * (1 - p))[:, None]).T @ X1 + np.diag(penalty)
        delta = np.linalg.solve(hess, grad)
        t = 1.0
        while True:
            trial = beta - t * delta
            value = _objective(X1, y, trial, penalty)
            if value <= current + 1e-12 or t < 1e-8:
                break
            t *= 0.5
        beta, current = trial, value
        if float(np.max(np.abs(t * delta), initial=0.0)) < tol:
            p = _sigmoid(X1 @ beta)
            hess = (X1 * (p * (1 - p))[:, None]).T @ X1 + np.diag(penalty)
            return Logistic(beta[1:].copy(), float(beta[0]), l2, step, np.asarray(np.linalg.inv(hess), dtype=np.float64))
    raise LogisticConvergenceError(f"logistic regression did not converge in {max_iter} Newton steps (tol {tol})")
