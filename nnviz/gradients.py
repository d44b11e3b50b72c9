"""The blame game and the downhill step, with numbers: ∂E/∂w by the chain rule, checked by
finite differences, and the error seen along one or two weights.

``E`` here is the run's own objective (``½Σ(y − ŷ)²`` for the article's rule, the mean
cross-entropy otherwise), so every gradient is the one the update uses:
``w' = w − α · ∂E/∂w``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import network as nn
from .trace import IterationTrace
from .training import Run


@dataclass(frozen=True)
class WeightBlame:
    """One weight's gradient as the chain rule writes it, for every row, and checked."""

    label: str
    layer: int  # 0 = the layer fed by the inputs
    index: tuple  # ("w", j, o) or ("b", o)
    factor_names: tuple[str, ...]
    factors: np.ndarray  # (m, n_factors): each row's factors, multiplied = its share
    analytic: float  # Σ over rows = ∂E/∂w
    numeric: float  # central finite difference
    learning_rate: float

    @property
    def per_row(self) -> np.ndarray:
        return np.prod(self.factors, axis=1)

    @property
    def relative_difference(self) -> float:
        scale = max(abs(self.analytic), abs(self.numeric), 1e-12)
        return abs(self.analytic - self.numeric) / scale

    @property
    def step(self) -> float:
        """What the update adds to the weight: ``−α · ∂E/∂w``."""
        return -self.learning_rate * self.analytic


def objective(params: nn.Params, X: np.ndarray, y: np.ndarray, rule: nn.Rule) -> float:
    return rule.objective(nn.forward(params, X)[-1], y.reshape(-1, 1))


def numerical_gradient(
    params: nn.Params, X: np.ndarray, y: np.ndarray, rule: nn.Rule, layer: int, index: tuple, h: float = 1e-5
) -> float:
    """``(E(w + h) − E(w − h)) / 2h`` for one weight or bias, the others held."""

    def nudged(delta: float) -> float:
        p = params.copy()
        if index[0] == "w":
            p.weights[layer][index[1], index[2]] += delta
        else:
            p.biases[layer][index[1]] += delta
        return objective(p, X, y, rule)

    return (nudged(h) - nudged(-h)) / (2 * h)


def _error_slope(trace: IterationTrace) -> tuple[str, np.ndarray, list[str], list[np.ndarray]]:
    """∂E/∂z at the output, split into its named factors per row."""
    out = trace.layers[-1]
    p, y = out.outputs[:, 0], trace.targets
    m = len(y)
    if trace.run.config.rule == "trask":
        return "(ŷ − y) · ŷ(1 − ŷ)", (p - y) * p * (1 - p), ["(ŷ − y)", "ŷ(1 − ŷ)"], [p - y, p * (1 - p)]
    return "(ŷ − y) / m", (p - y) / m, ["(ŷ − y) / m"], [(p - y) / m]


def blame(trace: IterationTrace, feature_names=None) -> list[WeightBlame]:
    """Every weight's (and bias's) gradient as a product of chain-rule factors per row.

    Output weight: ``(ŷ − y) · h`` (cross-entropy, over m) or ``(ŷ − y) · ŷ(1 − ŷ) · h``
    (the article's rule).  A weight one layer down adds ``w_out · h(1 − h)`` and its input
    ``x``; deeper layers carry the blame ``δ`` that arrives from above as one factor.
    """
    from .figures import node_labels, weight_labels

    run = trace.run
    rule, X, y = run.rule, run.X, run.y
    params = run.params_at(trace.iteration)
    inputs = feature_names or [f"x{j + 1}" for j in range(run.network.n_inputs)]
    names = node_labels(run.network, inputs)
    _, _, slope_names, slope_factors = _error_slope(trace)
    n_layers = len(trace.layers)
    out = []
    for label, layer, index in weight_labels(run.network, names[0]):
        lt = trace.layers[layer]
        unit = index[-1]
        if layer == n_layers - 1:  # feeds the output
            factor_names, factors = list(slope_names), list(slope_factors)
        elif layer == n_layers - 2:  # one layer below the output
            w_out = trace.layers[-1].weights[unit, 0]
            h = lt.outputs[:, unit]
            factor_names = [
                *slope_names,
                f"w({names[layer + 1][unit]}→ŷ)",
                f"{names[layer + 1][unit]}(1 − {names[layer + 1][unit]})",
            ]
            factors = [*slope_factors, np.full(len(y), w_out), h * (1 - h)]
        else:  # deeper: the blame arriving from above, δ, already holds the chain so far
            factor_names = [f"δ at {names[layer + 1][unit]}"]
            factors = [-rule.direction * lt.deltas[:, unit]]
        if index[0] == "w":
            source = names[layer][index[1]]
            factor_names.append(source)
            factors.append(lt.inputs[:, index[1]])
        else:
            factor_names.append("1")
            factors.append(np.ones(len(y)))
        matrix = np.column_stack(factors)
        analytic = float(lt.weight_gradients[index[1], index[2]] if index[0] == "w" else lt.bias_gradients[index[1]])
        numeric = numerical_gradient(params, X, y, rule, layer, index)
        out.append(
            WeightBlame(label, layer, index, tuple(factor_names), matrix, analytic, numeric, run.config.learning_rate)
        )
    return out


@dataclass(frozen=True)
class ChainCheck:
    """The simplified cross-entropy output formula against the full chain-rule product."""

    full: np.ndarray  # ∂E/∂ŷ · ∂ŷ/∂z · ∂z/∂w per row
    simplified: np.ndarray  # (ŷ − y) · x / m per row


def simplified_formula_check(trace: IterationTrace, j: int = 0) -> ChainCheck:
    """For the weight from unit ``j`` of the last hidden layer (or input ``j``) into ŷ."""
    p, y = trace.predictions, trace.targets
    m = len(y)
    x = trace.layers[-1].inputs[:, j]
    dE_dp = (p - y) / (p * (1 - p)) / m  # ∂E/∂ŷ of the mean cross-entropy
    full = dE_dp * (p * (1 - p)) * x
    return ChainCheck(full, (p - y) * x / m)


def error_along(params: nn.Params, X, y, rule: nn.Rule, layer: int, index: tuple, values: np.ndarray) -> np.ndarray:
    """E as one weight takes each of ``values``, every other weight held."""
    out = np.empty(len(values))
    for i, v in enumerate(values):
        p = params.copy()
        if index[0] == "w":
            p.weights[layer][index[1], index[2]] = v
        else:
            p.biases[layer][index[1]] = v
        out[i] = objective(p, X, y, rule)
    return out


def error_surface(
    params: nn.Params, X, y, rule: nn.Rule, first: tuple[int, tuple], second: tuple[int, tuple],
    values1: np.ndarray, values2: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """E over a grid of two weights, shape ``(len(values2), len(values1))`` (rows: second)."""
    grid = np.empty((len(values2), len(values1)))
    for a, v2 in enumerate(values2):
        p = params.copy()
        _set(p, *second, v2)
        for b, v1 in enumerate(values1):
            _set(p, *first, v1)
            grid[a, b] = objective(p, X, y, rule)
    return grid


def _set(params: nn.Params, layer: int, index: tuple, value: float) -> None:
    if index[0] == "w":
        params.weights[layer][index[1], index[2]] = value
    else:
        params.biases[layer][index[1]] = value


def weight_path(run: Run, layer: int, index: tuple) -> np.ndarray:
    """One weight's value at every snapshot of a run."""
    if index[0] == "w":
        return run.snapshot_weights[layer][:, index[1], index[2]]
    return run.snapshot_biases[layer][:, index[1]]
