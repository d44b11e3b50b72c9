"""The compiled training loop: ``network.py``'s equations, fused into one numba kernel.

On arrays of a dozen numbers, plain numpy spends far more of each iteration in the
interpreter than in arithmetic (``docs/performance.md`` has the figures).  This kernel
runs the same forward pass, deltas and updates with scalar loops and no allocation per
iteration, recording the per-iteration metrics and the weight snapshots as it goes.

Memory layout: all weights of all layers live in one flat vector, layer by layer, each
layer row-major ``(n_in, n_out)`` like ``Params.weights``; biases likewise.  Activations
and deltas of all layers share two flat work vectors, row-major ``(m, n_units)`` per layer.

The formulas, for reference (``direction`` is +1 for the article's rule, -1 for
cross-entropy, see ``network.RULES``):

    z = Σ_j a_j w_jo (+ b_o),  a = f(z)   (the layer's activation, see ``network.ACTIVATIONS``)
    δ_out = (y - ŷ) ŷ(1 - ŷ)            article's rule
    δ_out = (ŷ - y) / m                 cross-entropy
    δ_l   = (Σ_o δ_{l+1,o} w_{jo}) f'(z), written from h = f(z)
    w    += direction · lr · Σ_rows a_prev δ
"""

from __future__ import annotations

import math

import numba
import numpy as np

# The rules' and activations' numbers come from network.RULES and network.ACTIVATIONS (numba
# compiles these module constants in).
from nnviz.engine.network import ARTICLE_RULE, EPS, RELU, TANH


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _activate(kind, z):
    """``network.ACTIVATIONS``' functions, one scalar at a time."""
    if kind == TANH:
        return math.tanh(z)
    if kind == RELU:
        return z if z > 0.0 else 0.0
    return 1.0 / (1.0 + math.exp(-z))


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _slope(kind, a):
    """``network.ACTIVATIONS``' slopes, from the output ``a``."""
    if kind == TANH:
        return 1.0 - a * a
    if kind == RELU:
        return 1.0 if a > 0.0 else 0.0
    return a * (1.0 - a)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _offsets(sizes):
    """Where each layer starts in the flat vectors: weights, and units (biases, activations)."""
    n_layers = len(sizes) - 1
    w_off = np.zeros(n_layers + 1, np.int64)
    u_off = np.zeros(n_layers + 1, np.int64)
    for layer in range(n_layers):
        w_off[layer + 1] = w_off[layer] + sizes[layer] * sizes[layer + 1]
        u_off[layer + 1] = u_off[layer] + sizes[layer + 1]
    return w_off, u_off


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _sum_over_rows(a, d):
    """``Σ_r a[r]·d[r]`` with four interleaved partial sums.

    A single running sum is one long chain of dependent additions; four chains let the CPU
    overlap them.  The grouping is fixed here in the code, not left to the compiler, so the
    result is the same on every machine.
    """
    m = a.shape[0]
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    r = 0
    while r + 4 <= m:
        s0 += a[r] * d[r]
        s1 += a[r + 1] * d[r + 1]
        s2 += a[r + 2] * d[r + 2]
        s3 += a[r + 3] * d[r + 3]
        r += 4
    while r < m:
        s0 += a[r] * d[r]
        r += 1
    return (s0 + s1) + (s2 + s3)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def run_iterations(
    XT,
    y,
    sizes,
    activations,
    weights,
    biases,
    use_bias,
    rule,
    learning_rate,
    start,
    stop,
    n_updates,
    origin,
    objective,
    abs_error,
    accuracy,
    snap_iterations,
    snap_weights,
    snap_biases,
    snap_pos,
):
    """Iterations ``start .. stop-1`` in place; returns the next snapshot position.

    ``activations`` holds each layer's ``Activation.kernel_id``.  ``XT`` is the inputs
    transposed, ``(n_inputs, m)``: every loop over rows then runs over
    contiguous memory, which the compiler turns into vector instructions.

    Iteration ``k`` evaluates the weights *before* update ``k`` (as the article prints
    them), records objective / Σ|y - ŷ| / accuracy at index ``k - origin``, stores a snapshot when
    ``k`` is the next wanted snapshot iteration, then updates unless ``k >= n_updates``
    (the final evaluation after the last update).
    """
    m = XT.shape[1]
    n_layers = len(sizes) - 1
    w_off, u_off = _offsets(sizes)
    # Row-major (n_units, m) per layer; layer -1 (the inputs) is XT itself.
    acts = np.empty(m * u_off[n_layers])
    deltas = np.empty(m * u_off[n_layers])
    ones = np.ones(m)
    z = np.empty(m)
    step = (1.0 if rule == ARTICLE_RULE else -1.0) * learning_rate
    binary_targets = np.all((y == 0.0) | (y == 1.0))

    for k in range(start, stop):
        # Forward: the guessing game, layer by layer.
        for layer in range(n_layers):
            n_in = sizes[layer]
            n_out = sizes[layer + 1]
            prev = XT.ravel() if layer == 0 else acts[m * u_off[layer - 1] : m * u_off[layer]]
            for o in range(n_out):
                z[:] = 0.0
                for j in range(n_in):
                    w = weights[w_off[layer] + j * n_out + o]
                    a_j = prev[j * m : (j + 1) * m]
                    for r in range(m):
                        z[r] += a_j[r] * w
                b = biases[u_off[layer] + o]
                kind = activations[layer]
                out = acts[m * (u_off[layer] + o) : m * (u_off[layer] + o + 1)]
                for r in range(m):
                    out[r] = _activate(kind, z[r] + b)

        # Metrics of this iteration's predictions, and the output delta.
        predictions = acts[m * u_off[n_layers - 1] :]
        out_delta = deltas[m * u_off[n_layers - 1] :]
        sum_abs = 0.0
        sum_obj = 0.0
        correct = 0
        for r in range(m):
            p = predictions[r]
            t = y[r]
            err = t - p
            sum_abs += abs(err)
            correct += (p >= 0.5) == (t >= 0.5)
            if rule == ARTICLE_RULE:
                sum_obj += err * err
                out_delta[r] = err * (p * (1.0 - p))
            else:
                pc = min(max(p, EPS), 1.0 - EPS)
                if binary_targets:
                    # y is 0 or 1, so y·ln ŷ + (1 - y)·ln(1 - ŷ) needs only one of its logs.
                    sum_obj += math.log(pc if t == 1.0 else 1.0 - pc)
                else:
                    sum_obj += t * math.log(pc) + (1.0 - t) * math.log(1.0 - pc)
                out_delta[r] = (p - t) / m
        objective[k - origin] = 0.5 * sum_obj if rule == ARTICLE_RULE else -sum_obj / m
        abs_error[k - origin] = sum_abs
        accuracy[k - origin] = correct / m

        if snap_pos < len(snap_iterations) and snap_iterations[snap_pos] == k:
            snap_weights[snap_pos, :] = weights
            snap_biases[snap_pos, :] = biases
            snap_pos += 1
        if k >= n_updates:
            continue

        # Backward: hidden deltas from the next layer's pre-update weights.
        for layer in range(n_layers - 2, -1, -1):
            n_units = sizes[layer + 1]
            n_next = sizes[layer + 2]
            d_next = deltas[m * u_off[layer + 1] : m * u_off[layer + 2]]
            for j in range(n_units):
                z[:] = 0.0
                for o in range(n_next):
                    w = weights[w_off[layer + 1] + j * n_next + o]
                    d_o = d_next[o * m : (o + 1) * m]
                    for r in range(m):
                        z[r] += d_o[r] * w
                kind = activations[layer]
                h = acts[m * (u_off[layer] + j) : m * (u_off[layer] + j + 1)]
                d = deltas[m * (u_off[layer] + j) : m * (u_off[layer] + j + 1)]
                for r in range(m):
                    d[r] = z[r] * _slope(kind, h[r])

        # Update every layer: w += direction · lr · Σ_rows a_prev · δ.
        for layer in range(n_layers):
            n_in = sizes[layer]
            n_out = sizes[layer + 1]
            prev = XT.ravel() if layer == 0 else acts[m * u_off[layer - 1] : m * u_off[layer]]
            for o in range(n_out):
                d = deltas[m * (u_off[layer] + o) : m * (u_off[layer] + o + 1)]
                for j in range(n_in):
                    weights[w_off[layer] + j * n_out + o] += step * _sum_over_rows(prev[j * m : (j + 1) * m], d)
                if use_bias:
                    biases[u_off[layer] + o] += step * _sum_over_rows(ones, d)
    return snap_pos


def flatten(arrays) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])
