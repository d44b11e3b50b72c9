"""The network and its two learning rules, written the way the walk-throughs write them.

This module is the readable reference: plain numpy, one line per equation.  The fast
training loop in ``kernel.py`` does the same arithmetic in the same order; the tests hold
the two together.

Shapes: ``X`` is ``(m, n_inputs)``, ``y`` is ``(m, 1)``; layer ``l`` has weights
``(n_in, n_out)`` and biases ``(n_out,)``; every activation is ``(m, n_units)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Predictions are clipped to [EPS, 1 - EPS] inside the logarithm only, so a saturated
# sigmoid gives a large but finite cross-entropy instead of inf.
EPS = 1e-15


def N_(message: str, /) -> str:
    """Marks an activation's words for the catalogue (``nnviz.i18n.N_``; the engine imports nothing
    above it); pages translate them where they show them."""
    return message


@dataclass(frozen=True)
class Activation:
    """A layer's squashing function ``a = f(z)`` and its slope ``f'(z)``, the slope written from
    the output ``a`` as the article writes the sigmoid's ``x*(1-x)``: the backward pass has the
    outputs at hand, not the sums.  Everything that differs between activations lives here.
    ``function`` and ``slope`` work elementwise on arrays of any shape.
    """

    name: str
    title: str  # its name on a page (a catalogue key)
    symbol: str  # its name in a formula: σ(z)
    function: Callable[[np.ndarray], np.ndarray]
    slope: Callable[[np.ndarray], np.ndarray]  # f'(z), from a = f(z)
    formula: str  # f(z), as a page writes it
    slope_formula: str  # f'(z) for a unit's output ``{a}`` (a unit's name, say), as a page writes it
    kernel_id: int  # its branch in the compiled loop (kernel.py's ``_activate`` and ``_slope``)
    script: str  # f(z) in the exported numpy script
    script_slope: str  # f'(z) from ``a`` in the exported numpy script


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _sigmoid_slope(a: np.ndarray) -> np.ndarray:
    return a * (1 - a)


def _tanh_slope(a: np.ndarray) -> np.ndarray:
    return 1 - a * a


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _relu_slope(a: np.ndarray) -> np.ndarray:
    return (a > 0).astype(float)  # a > 0 exactly when z > 0


# The compiled loop's numbers for each activation (numba compiles these module constants in).
SIGMOID, TANH, RELU = 0, 1, 2

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            N_("sigmoid"),
            "σ",
            _sigmoid,
            _sigmoid_slope,
            "1 / (1 + e^-z)",
            "{a}(1 − {a})",
            SIGMOID,
            "1 / (1 + np.exp(-z))",
            "a * (1 - a)",
        ),
        Activation(
            "tanh",
            N_("tanh"),
            "tanh",
            np.tanh,
            _tanh_slope,
            "(e^z - e^-z) / (e^z + e^-z)",
            "1 − {a}²",
            TANH,
            "np.tanh(z)",
            "1 - a * a",
        ),
        Activation(
            "relu",
            N_("ReLU"),
            "ReLU",
            _relu,
            _relu_slope,
            "max(z, 0)",
            "1 if z > 0 else 0",
            RELU,
            "np.maximum(z, 0.0)",
            "(a > 0).astype(float)",
        ),
    )
}
OUTPUT_ACTIVATION = ACTIVATIONS["sigmoid"]  # both learning rules assume a sigmoid output


@dataclass(frozen=True)
class Network:
    """Layers ``n_inputs -> hidden... -> 1``, the hidden ones squashed by ``activation``, the
    output by the sigmoid; no hidden layer is the article's net."""

    n_inputs: int
    hidden: tuple[int, ...] = ()
    bias: bool = False
    activation: str = "sigmoid"  # the hidden layers'

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.n_inputs, *self.hidden, 1)

    @property
    def layer_shapes(self) -> list[tuple[int, int]]:
        return list(zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def activations(self) -> tuple[Activation, ...]:
        """One per layer, the output's last."""
        return (ACTIVATIONS[self.activation],) * len(self.hidden) + (OUTPUT_ACTIVATION,)

    def __repr__(self) -> str:
        arrows = " → ".join(str(n) for n in self.sizes)
        squash = f", {self.activation}" if self.hidden and self.activation != "sigmoid" else ""
        return f"Network({arrows}{', bias' if self.bias else ''}{squash})"


@dataclass(frozen=True)
class Params:
    """One weight matrix ``(n_in, n_out)`` and one bias vector ``(n_out,)`` per layer, and the
    layer's activation: the parameters carry their network's functions, so a forward pass is
    never told them.

    Biases are always present; a network without bias keeps them at zero and never
    updates them, so both cases share one code path.
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activations: tuple[Activation, ...]

    def copy(self) -> Params:
        return Params(tuple(w.copy() for w in self.weights), tuple(b.copy() for b in self.biases), self.activations)


def unit_names(network: Network, feature_names: Sequence[str] | None = None) -> list[list[str]]:
    """Names of every unit, layer by layer: the inputs, ``h1…`` per hidden layer, ``ŷ``."""
    inputs = feature_names if feature_names is not None else [f"x{j + 1}" for j in range(network.n_inputs)]
    names = [[str(name) for name in inputs]]
    for number, size in enumerate(network.hidden, start=1):
        prefix = "h" if len(network.hidden) == 1 else f"h{number}."
        names.append([f"{prefix}{j + 1}" for j in range(size)])
    names.append(["ŷ"])
    return names


def weight_label(names: Sequence[Sequence[str]], layer: int, source: int | None, unit: int) -> str:
    """A weight's name on the diagram and in the tables (``x1→h2``), or a bias's (``bias→ŷ``)."""
    start = "bias" if source is None else names[layer][source]
    return f"{start}→{names[layer + 1][unit]}"


@dataclass(frozen=True)
class Param:
    """One weight or bias, addressed once: its layer, the unit it feeds (``unit``) and, for
    a weight, the unit it comes from (``source``; ``None`` for a bias), and its name on the
    diagram (``"x1→h2"``, ``"bias→ŷ"``).  Everything that reads, nudges or follows one
    parameter goes through here.
    """

    layer: int  # 0 = the layer fed by the inputs
    source: int | None  # input unit j of a weight j → unit; None for the unit's bias
    unit: int
    label: str

    @property
    def is_bias(self) -> bool:
        return self.source is None

    def get(self, params: Params) -> float:
        if self.is_bias:
            return float(params.biases[self.layer][self.unit])
        return float(params.weights[self.layer][self.source, self.unit])

    def set(self, params: Params, value: float) -> None:
        """In place: ``params`` is a working copy (see ``Params.copy``)."""
        if self.is_bias:
            params.biases[self.layer][self.unit] = value
        else:
            params.weights[self.layer][self.source, self.unit] = value

    def gradient(self, trace) -> float:
        """∂E/∂(this parameter) in an ``IterationTrace``."""
        layer = trace.layers[self.layer]
        if self.is_bias:
            return float(layer.bias_gradients[self.unit])
        return float(layer.weight_gradients[self.source, self.unit])

    def path(self, run) -> np.ndarray:
        """Its value at every snapshot of a ``Run``."""
        if self.is_bias:
            return run.snapshot_biases[self.layer][:, self.unit]
        return run.snapshot_weights[self.layer][:, self.source, self.unit]


def parameters(network: Network, feature_names: Sequence[str] | None = None) -> list[Param]:
    """Every parameter in one flat order, the compiled loop's: the weights layer by layer
    (row-major ``(n_in, n_out)``), then the biases layer by layer (only when the network has them)."""
    names = unit_names(network, feature_names)
    weights = [
        Param(layer, j, o, weight_label(names, layer, j, o))
        for layer, (n_in, n_out) in enumerate(network.layer_shapes)
        for j in range(n_in)
        for o in range(n_out)
    ]
    biases = [
        Param(layer, None, o, weight_label(names, layer, None, o))
        for layer, (_, n_out) in enumerate(network.layer_shapes)
        for o in range(n_out)
    ]
    return weights + (biases if network.bias else [])


def init_params(network: Network, seed: int) -> Params:
    """Trask's initialisation: ``W = 2 * random((n_in, n_out)) - 1`` per layer, in order.

    One ``RandomState(seed)`` draws every layer, which is the same stream as
    ``np.random.seed(seed)`` followed by ``np.random.random`` — so his examples reproduce
    without touching numpy's global random state.
    """
    rs = np.random.RandomState(seed)
    weights = tuple(2 * rs.random_sample(shape) - 1 for shape in network.layer_shapes)
    biases = tuple(np.zeros(n_out) for _, n_out in network.layer_shapes)
    return Params(weights, biases, network.activations)


def dot_terms(a_prev: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Every product ``a_j · w_jo`` of a layer's dot products, shape ``(m, n_in, n_out)``."""
    return a_prev[:, :, None] * weights[None, :, :]


def weighted_sum(a_prev: np.ndarray, weights: np.ndarray, biases: np.ndarray) -> np.ndarray:
    """``z = a_prev · W + b``, summed term by term from the first input to the last.

    Shapes: ``a_prev`` ``(…, m, n_in)``, ``weights`` ``(…, n_in, n_out)``, ``biases`` ``(…, n_out)``
    → ``(…, m, n_out)``; the leading axes (a stack of networks) broadcast.  The explicit
    left-to-right order is the order the fast kernel uses, so the two agree to the last bit on
    the sums (a BLAS dot product may reorder or fuse them).
    """
    z = a_prev[..., :, 0, None] * weights[..., None, 0, :]
    for j in range(1, weights.shape[-2]):
        z = z + a_prev[..., :, j, None] * weights[..., None, j, :]
    return z + biases[..., None, :]


def forward_stack(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], activations: Sequence[Activation], X: np.ndarray
) -> list[np.ndarray]:
    """The guessing game for many networks of one shape at once: ``weights[l]`` is
    ``(…, n_in, n_out)`` and ``biases[l]`` ``(…, n_out)`` with the same leading axes (a run's
    snapshots, the points of an error surface); ``X`` is ``(m, n_inputs)``.  Returns every
    layer's activations ``[X, h1, ..., ŷ]``, each ``(…, m, n_units)``; each network's are
    exactly those of its own ``forward``."""
    layers = [X]
    for w, b, activation in zip(weights, biases, activations):
        layers.append(activation.function(weighted_sum(layers[-1], w, b)))
    return layers


def forward(params: Params, X: np.ndarray) -> list[np.ndarray]:
    """The guessing game: activations of every layer, ``[X, h1, ..., ŷ]``, each ``(m, n_units)``."""
    return forward_stack(params.weights, params.biases, params.activations, X)


def half_squared_error(predictions: np.ndarray, y: np.ndarray, axis: int | None = None) -> Any:
    """The article's objective, ``½ Σ (y - ŷ)²``; with ``axis``, one per row (a run's snapshots at once)."""
    total = 0.5 * np.sum((y - predictions) ** 2, axis=axis)
    return float(total) if axis is None else total


def binary_cross_entropy(predictions: np.ndarray, y: np.ndarray, axis: int | None = None) -> Any:
    """``E = -1/m Σ [y ln ŷ + (1 - y) ln(1 - ŷ)]``, ŷ clipped inside the log only; with ``axis``,
    one per row (a run's snapshots at once)."""
    p = np.clip(predictions, EPS, 1 - EPS)
    mean = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p), axis=axis)
    return float(mean) if axis is None else mean


def trask_output_delta(predictions: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(y - ŷ) · ŷ(1 - ŷ)``: the error times the sigmoid's slope (points downhill)."""
    return (y - predictions) * OUTPUT_ACTIVATION.slope(predictions)


def bce_output_delta(predictions: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(ŷ - y) / m``: cross-entropy's slope through the sigmoid, simplified (points uphill).

    ``∂E/∂ŷ · ∂ŷ/∂z = (ŷ - y)/(ŷ(1 - ŷ)) · ŷ(1 - ŷ)``, so the sigmoid's slope cancels.
    """
    return (predictions - y) / len(y)


def trask_error_slope(predictions: np.ndarray, y: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    """∂E/∂z at the output under ½Σ(y − ŷ)², as named factors per row: ``(ŷ − y) · ŷ(1 − ŷ)``."""
    return ["(ŷ − y)", "ŷ(1 − ŷ)"], [predictions - y, OUTPUT_ACTIVATION.slope(predictions)]


def bce_error_slope(predictions: np.ndarray, y: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    """∂E/∂z at the output under the mean cross-entropy: the one factor ``(ŷ − y) / m``."""
    return ["(ŷ − y) / m"], [(predictions - y) / len(y)]


# The rules' numbers in the compiled loop, whose branches (``kernel.py``) are the only other
# place a rule is written out.
ARTICLE_RULE = 0
CROSS_ENTROPY_RULE = 1


@dataclass(frozen=True)
class Rule:
    """A learning rule: an objective, its output delta, which way the update goes, and how
    a page, the compiled loop and the exported script write each of them.

    ``direction`` is +1 when ``W += lr · a_prevᵀ · δ`` (the article writes its delta from
    ``y - ŷ``) and -1 when ``W -= lr · a_prevᵀ · δ`` (gradient descent on ``ŷ - y``).
    """

    name: str
    title: str
    objective_name: str
    objective: Callable[..., Any]  # (predictions, y, axis=None): a float, or one per row with an axis
    output_delta: Callable[[np.ndarray, np.ndarray], np.ndarray]
    error_slope: Callable[[np.ndarray, np.ndarray], tuple[list[str], list[np.ndarray]]]
    direction: float
    delta_heading: str  # the output delta as a table heading
    delta_story: str  # one sentence: what the output delta is
    slope_cancels: bool  # does the sigmoid's slope cancel out of the output delta?
    kernel_id: int  # its branch in the compiled loop
    script_delta: str  # its output delta in the exported numpy script

    @property
    def update_formula(self) -> str:
        return "W += lr · aᵀ · δ" if self.direction > 0 else "W −= lr · aᵀ · δ"


RULES: dict[str, Rule] = {
    "trask": Rule(
        name="trask",
        title="the article's rule",
        objective_name="½ Σ (y − ŷ)²",
        objective=half_squared_error,
        output_delta=trask_output_delta,
        error_slope=trask_error_slope,
        direction=+1.0,
        delta_heading="delta = error × slope",
        delta_story="The article's rule: delta = (y − ŷ) · ŷ(1 − ŷ) — the error, scaled by how steep the sigmoid is there.",
        slope_cancels=False,
        kernel_id=ARTICLE_RULE,
        script_delta="(y - prediction) * prediction * (1 - prediction)",
    ),
    "bce": Rule(
        name="bce",
        title="cross-entropy",
        objective_name="binary cross-entropy",
        objective=binary_cross_entropy,
        output_delta=bce_output_delta,
        error_slope=bce_error_slope,
        direction=-1.0,
        delta_heading="delta = (ŷ − y) / m",
        delta_story="Cross-entropy: the sigmoid's slope cancels out of the chain rule, leaving delta = (ŷ − y) / m.",
        slope_cancels=True,
        kernel_id=CROSS_ENTROPY_RULE,
        script_delta="(prediction - y) / len(y)",
    ),
}


def backward(params: Params, activations: list[np.ndarray], y: np.ndarray, rule: Rule) -> list[np.ndarray]:
    """The blame game: one delta per layer, all from the weights *before* this update.

    Hidden layers pass blame back through the next layer's weights and their own slope:
    ``δ_l = (δ_{l+1} · W_{l+1}ᵀ) · f'(z_l)``, the slope written from the outputs ``h_l``
    (``h_l(1 - h_l)`` for the sigmoid).
    """
    deltas = [rule.output_delta(activations[-1], y)]
    for w_next, h, activation in zip(params.weights[:0:-1], activations[-2:0:-1], params.activations[-2::-1]):
        deltas.insert(0, deltas[0].dot(w_next.T) * activation.slope(h))
    return deltas


def updates(
    activations: list[np.ndarray], deltas: list[np.ndarray], rule: Rule, learning_rate: float, bias: bool
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """What each weight and bias changes by: ``± lr · a_prevᵀ · δ`` and ``± lr · Σ_rows δ``."""
    step = rule.direction * learning_rate
    weight_steps = [step * a_prev.T.dot(delta) for a_prev, delta in zip(activations[:-1], deltas)]
    bias_steps = [step * delta.sum(axis=0) if bias else np.zeros(delta.shape[1]) for delta in deltas]
    return weight_steps, bias_steps


def step(params: Params, X: np.ndarray, y: np.ndarray, rule: Rule, learning_rate: float, bias: bool) -> Params:
    """One full-batch iteration: forward, backward, then every layer updated at once."""
    activations = forward(params, X)
    deltas = backward(params, activations, y, rule)
    weight_steps, bias_steps = updates(activations, deltas, rule, learning_rate, bias)
    return Params(
        tuple(w + dw for w, dw in zip(params.weights, weight_steps)),
        tuple(b + db for b, db in zip(params.biases, bias_steps)),
        params.activations,
    )


def accuracy(predictions: np.ndarray, y: np.ndarray) -> float:
    """Share of rows whose prediction lands on the right side of 0.5."""
    return float(np.mean((predictions >= 0.5) == (y >= 0.5)))
