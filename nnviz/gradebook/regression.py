"""A second opinion on each grade's effect: a plain logistic regression fitted exactly (Newton's
method) on the whole class, with the interval its own standard errors give.

The network's effects come with a bootstrap interval (``findings``); this method shares neither
its training nor its resampling, so when the two agree on a grade's direction a teacher can
trust it more, and when they disagree the page says so.

    P(pass) = σ(b + Σ_j w_j x_j),  Newton:  β ← β − (Aᵀ S A)⁻¹ Aᵀ (p − y),  S = diag(p(1 − p))
    Cov(β) = (Aᵀ S A)⁻¹ at the fit;  an effect's variance by the delta method, gᵀ Cov g
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from nnviz.datasets import Dataset
from nnviz.i18n import ENGLISH, Language

MAX_NEWTON_STEPS = 50
# A coefficient this large on standardised grades means the grades split passes from fails
# (almost) perfectly: the likelihood has no maximum and the standard errors mean nothing.
SEPARATED = 20.0


@dataclass(frozen=True)
class RegressionEffect:
    """Raising ``grade`` by ``step`` under the fitted regression: the mean change in the chance of
    passing over the class, and the interval ``change ± z·standard_error``."""

    grade: str
    change: float
    standard_error: float
    low: float
    high: float

    @property
    def direction(self) -> str | None:
        return side_of_zero(self.low, self.high)


def side_of_zero(low: float, high: float) -> str | None:
    """An interval's verdict: ``"helps"`` above zero, ``"hurts"`` below, None across it."""
    if low > 0:
        return "helps"
    if high < 0:
        return "hurts"
    return None


@dataclass(frozen=True)
class Regression:
    coefficients: np.ndarray  # [bias, w_1 … w_n] on the scaled grades
    covariance: np.ndarray
    effects: list[RegressionEffect]  # in the dataset's column order
    level: float


def _design(dataset: Dataset, raw: np.ndarray) -> np.ndarray:
    X = dataset.scaler.transform(raw) if dataset.scaler else raw
    return np.c_[np.ones(len(X)), X]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def fit_logistic(A: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Maximum likelihood by Newton's method: the coefficients and their covariance, or None when
    there is no finite maximum (the grades separate the results) or the steps do not settle."""
    beta = np.zeros(A.shape[1])
    for _ in range(MAX_NEWTON_STEPS):
        p = _sigmoid(A @ beta)
        hessian = (A * (p * (1 - p))[:, None]).T @ A
        try:
            step = np.linalg.solve(hessian, A.T @ (p - y))
        except np.linalg.LinAlgError:
            return None
        beta = beta - step
        if not np.all(np.isfinite(beta)) or np.max(np.abs(beta[1:]), initial=0.0) > SEPARATED:
            return None
        if np.max(np.abs(step)) < 1e-10:
            p = _sigmoid(A @ beta)
            try:
                return beta, np.linalg.inv((A * (p * (1 - p))[:, None]).T @ A)
            except np.linalg.LinAlgError:
                return None
    return None


def regression(dataset: Dataset, steps: np.ndarray, level: float) -> Regression | None:
    """The whole class's logistic regression and each grade's effect of being raised by its step
    (in the file's units), with a ``level`` interval from the standard errors; None where the
    regression has no finite fit."""
    raw = dataset.raw_X
    A = _design(dataset, raw)
    fitted = fit_logistic(A, dataset.y)
    if fitted is None:
        return None
    beta, covariance = fitted
    z = NormalDist().inv_cdf(0.5 + level / 2)
    base = _sigmoid(A @ beta)
    effects = []
    for j, name in enumerate(dataset.feature_names):
        raised_raw = raw.copy()
        raised_raw[:, j] += steps[j]
        A_raised = _design(dataset, raised_raw)
        raised = _sigmoid(A_raised @ beta)
        change = float(np.mean(raised - base))
        # d/dβ of mean(σ(A₁β) − σ(A₀β)): the delta method's gradient.
        gradient = np.mean((raised * (1 - raised))[:, None] * A_raised - (base * (1 - base))[:, None] * A, axis=0)
        error = float(np.sqrt(max(gradient @ covariance @ gradient, 0.0)))
        effects.append(RegressionEffect(name, change, error, change - z * error, change + z * error))
    return Regression(beta, covariance, effects, level)


def agreement(network_directions: dict[str, str | None], fitted: Regression, lang: Language = ENGLISH) -> str:
    """One sentence on whether the two methods agree about each grade's direction."""
    theirs = {e.grade: e.direction for e in fitted.effects}
    clash = [g for g, d in network_directions.items() if d and theirs.get(g) and d != theirs[g]]
    only_one = [g for g, d in network_directions.items() if bool(d) != bool(theirs.get(g))]
    if clash:
        return lang._(
            "The two methods disagree on the direction of {grades}: read nothing into that.", grades=", ".join(clash)
        )
    if only_one:
        return lang._(
            "The two methods agree wherever both are sure of a direction; only one of them is sure of it "
            "for {grades}, so that finding is the weaker.",
            grades=", ".join(only_one),
        )
    if not any(network_directions.values()):
        return lang._("Neither method is sure of any grade's direction.")
    return lang._("The two methods agree on the direction of every grade either is sure of.")
