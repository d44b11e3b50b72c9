"""The blame game and the downhill step, with numbers: ∂E/∂w by the chain rule, checked by
finite differences, and the error seen along one or two weights.

``E`` here is the run's own objective (``½Σ(y − ŷ)²`` for the article's rule, the mean
cross-entropy otherwise), so every gradient is the one the update uses:
``w' = w − α · ∂E/∂w``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine import network as nn
from nnviz.engine.trace import IterationTrace


@dataclass(frozen=True)
class WeightBlame:
    """One weight's gradient as the chain rule writes it, for every row, and checked."""

    param: nn.Param
    factor_names: tuple[str, ...]
    factors: np.ndarray  # (m, n_factors): each row's factors, multiplied = its share
    analytic: float  # Σ over rows = ∂E/∂w
    numeric: float  # central finite difference
    learning_rate: float

    @property
    def label(self) -> str:
        return self.param.label

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
    params: nn.Params, X: np.ndarray, y: np.ndarray, rule: nn.Rule, param: nn.Param, h: float = 1e-5
) -> float:
    """``(E(w + h) − E(w − h)) / 2h`` for one weight or bias, the others held."""

    def nudged(delta: float) -> float:
        p = params.copy()
        param.set(p, param.get(params) + delta)
        return objective(p, X, y, rule)

    return (nudged(h) - nudged(-h)) / (2 * h)


def blame(trace: IterationTrace, feature_names=None) -> list[WeightBlame]:
    """Every weight's (and bias's) gradient as a product of chain-rule factors per row.

    Output weight: ``(ŷ − y) · h`` (cross-entropy, over m) or ``(ŷ − y) · ŷ(1 − ŷ) · h``
    (the article's rule).  A weight one layer down adds ``w_out`` and the hidden unit's slope,
    named by its activation (``h(1 − h)``, ``1 − h²``, ``1 if z > 0 else 0``), and its input
    ``x``; deeper layers carry the blame ``δ`` that arrives from above as one factor.
    """
    run = trace.run
    rule, X, y = run.rule, run.X, run.y
    params = run.params_at(trace.iteration)
    names = nn.unit_names(run.network, feature_names or None)
    slope_names, slope_factors = rule.error_slope(trace.predictions, trace.targets)
    n_layers = len(trace.layers)
    out = []
    for param in nn.parameters(run.network, names[0]):
        layer, unit = param.layer, param.unit
        lt = trace.layers[layer]
        if layer == n_layers - 1:  # feeds the output
            factor_names, factors = list(slope_names), list(slope_factors)
        elif layer == n_layers - 2:  # one layer below the output
            w_out = trace.layers[-1].weights[unit, 0]
            unit_name = names[layer + 1][unit]
            factor_names = [*slope_names, f"w({unit_name}→ŷ)", lt.activation.slope_formula.format(a=unit_name)]
            factors = [*slope_factors, np.full(len(y), w_out), lt.slopes[:, unit]]
        else:  # deeper: the blame arriving from above, δ, already holds the chain so far
            factor_names = [f"δ at {names[layer + 1][unit]}"]
            factors = [-rule.direction * lt.deltas[:, unit]]
        if param.source is not None:  # a weight: its input is the last factor
            factor_names.append(names[layer][param.source])
            factors.append(lt.inputs[:, param.source])
        else:
            factor_names.append("1")
            factors.append(np.ones(len(y)))
        matrix = np.column_stack(factors)
        numeric = numerical_gradient(params, X, y, rule, param)
        out.append(
            WeightBlame(param, tuple(factor_names), matrix, param.gradient(trace), numeric, run.config.learning_rate)
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


def error_along(params: nn.Params, X, y, rule: nn.Rule, param: nn.Param, values: np.ndarray) -> np.ndarray:
    """E as one weight takes each of ``values``, every other weight held."""
    return error_surface(params, X, y, rule, param, None, np.asarray(values, float), np.zeros(1))[0]


GRID_CELLS = 4_000_000  # activations evaluated at once (32 MB of float64), the grid taken in slices


def error_surface(
    params: nn.Params,
    X,
    y,
    rule: nn.Rule,
    first: nn.Param,
    second: nn.Param | None,
    values1: np.ndarray,
    values2: np.ndarray,
) -> np.ndarray:
    """E over a grid of two weights, shape ``(len(values2), len(values1))`` (rows: second).

    One forward pass over every grid point at once (in slices that bound the memory): each
    layer's weights become a stack ``(points, n_in, n_out)`` for ``network.forward_stack``, so
    every point's E is the one a plain forward pass gives.
    """
    v1, v2 = np.meshgrid(np.asarray(values1, float), np.asarray(values2, float))
    points = v1.size
    widest = max(max(w.shape) for w in params.weights)
    per_slice = max(1, GRID_CELLS // (len(y) * widest))
    out = np.empty(points)
    y_col = np.asarray(y, float).reshape(-1, 1)
    for start in range(0, points, per_slice):
        stop = min(start + per_slice, points)
        weights = [np.repeat(w[None], stop - start, axis=0) for w in params.weights]
        biases = [np.repeat(b[None], stop - start, axis=0) for b in params.biases]
        for param, values in ((first, v1.ravel()[start:stop]), (second, v2.ravel()[start:stop])):
            if param is None:
                continue
            if param.is_bias:
                biases[param.layer][:, param.unit] = values
            else:
                weights[param.layer][:, param.source, param.unit] = values
        a = nn.forward_stack(weights, biases, params.activations, np.asarray(X, float))[-1]
        out[start:stop] = [rule.objective(a[i], y_col) for i in range(stop - start)]
    return out.reshape(v1.shape)
