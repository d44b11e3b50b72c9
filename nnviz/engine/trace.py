"""One iteration in full: every number of the forward and backward pass.

The weights come from the run itself (replayed exactly from its nearest snapshot), and
the arithmetic is ``network.py``'s, so a trace shows what the run did at iteration ``k``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine import network as nn
from nnviz.engine.training import Run


@dataclass(frozen=True)
class LayerTrace:
    """One layer's part of an iteration.  ``m`` rows, ``n_in`` inputs, ``n_out`` units."""

    number: int  # 1 = the layer fed by the inputs
    activation: nn.Activation  # f, the layer's squashing function
    inputs: np.ndarray  # (m, n_in): X, or the previous layer's outputs
    weights: np.ndarray  # (n_in, n_out), before the update
    biases: np.ndarray  # (n_out,)
    terms: np.ndarray  # (m, n_in, n_out): inputs[r, j] * weights[j, o]
    weighted_sums: np.ndarray  # (m, n_out): z = Σ_j terms + b
    outputs: np.ndarray  # (m, n_out): a = f(z)
    slopes: np.ndarray  # (m, n_out): f'(z), from a (the sigmoid's a(1 - a))
    deltas: np.ndarray  # (m, n_out)
    weight_gradients: np.ndarray  # (n_in, n_out): ∂E/∂w, summed over rows
    bias_gradients: np.ndarray  # (n_out,)
    weight_steps: np.ndarray  # (n_in, n_out): what the update adds to each weight
    bias_steps: np.ndarray  # (n_out,)

    @property
    def new_weights(self) -> np.ndarray:
        return self.weights + self.weight_steps

    @property
    def new_biases(self) -> np.ndarray:
        return self.biases + self.bias_steps


@dataclass(frozen=True)
class IterationTrace:
    iteration: int
    run: Run
    layers: tuple[LayerTrace, ...]

    @property
    def predictions(self) -> np.ndarray:
        return self.layers[-1].outputs[:, 0]

    @property
    def targets(self) -> np.ndarray:
        return self.run.y

    @property
    def errors(self) -> np.ndarray:
        """The article's ``l1_error``: ``y - ŷ`` per row."""
        return self.targets - self.predictions

    @property
    def abs_error_sum(self) -> float:
        return float(np.sum(np.abs(self.errors)))

    @property
    def objective(self) -> float:
        return self.run.rule.objective(self.predictions, self.targets)

    @property
    def accuracy(self) -> float:
        return nn.accuracy(self.predictions, self.targets)


def trace_iteration(run: Run, k: int) -> IterationTrace:
    """The full forward and backward pass of iteration ``k`` (weights before update ``k``)."""
    params = run.params_at(k)
    rule = run.rule
    X, y = run.X, run.y[:, None]
    activations = nn.forward(params, X)
    deltas = nn.backward(params, activations, y, rule)
    weight_steps, bias_steps = nn.updates(activations, deltas, rule, run.config.learning_rate, run.config.bias)
    layers = []
    for number, (w, b, activation) in enumerate(zip(params.weights, params.biases, params.activations), start=1):
        a_prev, a, delta = activations[number - 1], activations[number], deltas[number - 1]
        # Both rules' deltas are ∓∂E/∂z; the gradient turns that back into ∂E/∂w.
        layers.append(
            LayerTrace(
                number=number,
                activation=activation,
                inputs=a_prev,
                weights=w,
                biases=b,
                terms=nn.dot_terms(a_prev, w),
                weighted_sums=nn.weighted_sum(a_prev, w, b),
                outputs=a,
                slopes=activation.slope(a),
                deltas=delta,
                weight_gradients=-rule.direction * a_prev.T.dot(delta),
                bias_gradients=-rule.direction * delta.sum(axis=0),
                weight_steps=weight_steps[number - 1],
                bias_steps=bias_steps[number - 1],
            )
        )
    return IterationTrace(k, run, tuple(layers))


def format_number(x: float, decimals: int = 8) -> str:
    """Whole numbers (the article's 0/1 inputs) bare, everything else to ``decimals``."""
    return f"{int(x)}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:.{decimals}f}"


def dot_product_text(layer: LayerTrace, row: int, unit: int, bias: bool, decimals: int = 8) -> str:
    """``(a1 × w1) + (a2 × w2) + … [+ b] = z`` for one row and one unit, as the article writes it."""
    terms = " + ".join(
        f"({format_number(a, decimals)} × {w:.{decimals}f})" for a, w in zip(layer.inputs[row], layer.weights[:, unit])
    )
    with_bias = f" + {layer.biases[unit]:.{decimals}f}" if bias else ""
    return f"{terms}{with_bias} = {layer.weighted_sums[row, unit]:.{decimals}f}"
