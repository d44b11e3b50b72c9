"""Training runs: a config in, a stream of growing ``Run`` records out.

A run records, for every iteration ``k`` and from the weights *before* update ``k`` (as
the article prints them), the objective, the summed absolute error ``Σ|y - ŷ|`` and the
accuracy.  Weights are kept only at snapshot iterations (the first few, then log-spaced,
then the last), which is enough to draw smooth trajectories on a log axis and to replay
any iteration exactly from the nearest snapshot before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from nnviz.engine import kernel
from nnviz.engine.network import ACTIVATIONS, RULES, Network, Params, init_params

MAX_SEED = 2**32 - 1  # numpy's legacy seeding takes 32 bits


@dataclass(frozen=True, kw_only=True)
class TrainingConfig:
    """Everything that decides a run's numbers.  The defaults are the article's.  Named
    arguments only: six settings in a row are easy to misplace."""

    hidden: tuple[int, ...] = ()
    bias: bool = False
    rule: str = "trask"
    learning_rate: float = 1.0
    seed: int = 123
    iterations: int = 100_000
    activation: str = "sigmoid"  # the hidden layers' (the output's is always the sigmoid)

    def __post_init__(self) -> None:
        # Plain Python types, so the compiled kernel sees one signature whatever the caller passed.
        object.__setattr__(self, "hidden", tuple(int(n) for n in self.hidden))
        object.__setattr__(self, "bias", bool(self.bias))
        object.__setattr__(self, "learning_rate", float(self.learning_rate))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "iterations", int(self.iterations))
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}: choose one of {', '.join(RULES)}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}: choose one of {', '.join(ACTIVATIONS)}")
        if not self.hidden:  # nothing to squash: one name for one run, whatever a link said
            object.__setattr__(self, "activation", "sigmoid")
        if any(n < 1 for n in self.hidden):
            raise ValueError("every hidden layer needs at least one unit")
        if not (np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, not {self.learning_rate}")
        if self.iterations < 0:
            raise ValueError("the number of iterations cannot be negative")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"the seed must be between 0 and {MAX_SEED}")

    def network(self, n_inputs: int) -> Network:
        return Network(n_inputs, self.hidden, self.bias, self.activation)

    @classmethod
    def from_values(cls, values: dict) -> TrainingConfig:
        """From a page's or the CLI's settings (``hidden``, ``bias``, ``rule``, ``lr``, ``seed``,
        ``iterations``, ``activation`` if the page has it); ``hidden`` may be one layer's size or a
        tuple of sizes."""
        hidden = values["hidden"]
        hidden = (hidden,) if isinstance(hidden, int) else tuple(hidden)
        return cls(
            hidden=hidden,
            bias=values["bias"],
            rule=values["rule"],
            learning_rate=values["lr"],
            seed=values["seed"],
            iterations=values["iterations"],
            activation=values.get("activation", "sigmoid"),
        )

    def to_dict(self) -> dict:
        """The settings as the CLI's JSON and the grades report write them."""
        return {
            "hidden": list(self.hidden),
            "bias": self.bias,
            "loss": self.rule,
            "lr": self.learning_rate,
            "seed": self.seed,
            "iterations": self.iterations,
            "activation": self.activation,
        }


def snapshot_schedule(iterations: int, per_decade: int = 60, first: int = 10) -> np.ndarray:
    """Iterations whose weights a run keeps: ``0..first``, ``per_decade`` log-spaced points
    per power of ten, and ``iterations`` itself (the weights after the last update)."""
    wanted = set(range(min(first, iterations) + 1))
    if iterations > 1:
        decades = np.log10(iterations)
        points = np.logspace(0, decades, int(np.ceil(per_decade * decades)) + 1)
        wanted.update(int(k) for k in np.round(points))
    wanted.add(iterations)
    return np.array(sorted(k for k in wanted if k <= iterations), dtype=np.int64)


@dataclass(frozen=True)
class Run:
    """A training run so far.  Streaming yields several of these, each a longer prefix.

    ``objective``, ``abs_error`` and ``accuracy`` have one entry per evaluated iteration
    (index ``k`` = before update ``k``; a finished run also has index ``iterations``, after
    the last update).  ``snapshot_weights[l]`` is ``(n_snapshots, n_in, n_out)``.
    """

    config: TrainingConfig
    network: Network
    X: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    objective: np.ndarray = field(repr=False)
    abs_error: np.ndarray = field(repr=False)
    accuracy: np.ndarray = field(repr=False)
    snapshot_iterations: np.ndarray = field(repr=False)
    snapshot_weights: tuple[np.ndarray, ...] = field(repr=False)
    snapshot_biases: tuple[np.ndarray, ...] = field(repr=False)
    finished: bool = False
    stopped_early: bool = False
    out_of_time: bool = False  # ended at the time cap: shorter than these settings' real run
    seconds: float = field(default=0.0, compare=False)  # working time spent training it

    @property
    def last_iteration(self) -> int:
        """The latest iteration evaluated; once finished, the weights after the last update."""
        return len(self.objective) - 1

    @property
    def rule(self):
        return RULES[self.config.rule]

    def snapshot(self, index: int) -> Params:
        return Params(
            tuple(w[index].copy() for w in self.snapshot_weights),
            tuple(b[index].copy() for b in self.snapshot_biases),
            self.network.activations,
        )

    @property
    def final_params(self) -> Params:
        return self.params_at(self.last_iteration)

    def params_at(self, k: int) -> Params:
        """The weights before update ``k``, replayed exactly from the nearest snapshot."""
        if not 0 <= k <= self.last_iteration:
            raise ValueError(f"iteration {k} is outside this run (0 … {self.last_iteration})")
        index = int(np.searchsorted(self.snapshot_iterations, k, side="right")) - 1
        start = int(self.snapshot_iterations[index])
        params = self.snapshot(index)
        if start == k:
            return params
        return _replay(params, self.X, self.y, self.config, start, k)


def _kernel_ids(network: Network) -> np.ndarray:
    """Each layer's activation as the compiled loop knows it."""
    return np.array([activation.kernel_id for activation in network.activations], np.int64)


def _kernel_array(a: np.ndarray) -> np.ndarray:
    """``a`` as the kernel's one array type: float64, C-ordered and writable.  A read-only array
    (pandas' ``to_numpy()`` gives one) is a different numba type, so it would compile the whole
    kernel again, seconds, for a visitor; copying a few thousand numbers costs microseconds."""
    return np.require(a, np.float64, ("C", "A", "W"))


def warm_up() -> None:
    """Compile the kernel (or load it from numba's disk cache) by training a tiny run.

    Every run calls the kernel with the same argument types (``TrainingConfig`` makes the
    settings plain Python types, ``_kernel_array`` the arrays), so this one call compiles
    everything any page will need: seconds on a fresh install, a fraction of one from the cache.
    """
    X = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    run = train(X, np.array([0.0, 1.0]), TrainingConfig(iterations=1000))
    kept = set(run.snapshot_iterations.tolist())
    run.params_at(next(k for k in range(1000) if k not in kept))  # a replay between snapshots: the same types


def _flat(params: Params) -> tuple[np.ndarray, np.ndarray]:
    return kernel.flatten(params.weights), kernel.flatten(params.biases)


def _unflat(network: Network, flat_weights: np.ndarray, flat_biases: np.ndarray) -> tuple[list, list]:
    """Split flat vectors (last axis) back into one array per layer."""
    weights, biases, w0, b0 = [], [], 0, 0
    for n_in, n_out in network.layer_shapes:
        weights.append(flat_weights[..., w0 : w0 + n_in * n_out].reshape(*flat_weights.shape[:-1], n_in, n_out))
        biases.append(flat_biases[..., b0 : b0 + n_out])
        w0, b0 = w0 + n_in * n_out, b0 + n_out
    return weights, biases


def _replay(params: Params, X: np.ndarray, y: np.ndarray, config: TrainingConfig, start: int, stop: int) -> Params:
    """Apply updates ``start .. stop-1`` to ``params`` with the same kernel as the run."""
    network = config.network(X.shape[1])
    w, b = _flat(params)
    n = stop - start
    metrics = [np.empty(n) for _ in range(3)]
    no_snapshots = np.empty(0, np.int64)
    kernel.run_iterations(
        XT=_kernel_array(X.T),
        y=_kernel_array(y),
        sizes=np.array(network.sizes, np.int64),
        activations=_kernel_ids(network),
        weights=w,
        biases=b,
        use_bias=config.bias,
        rule=RULES[config.rule].kernel_id,
        learning_rate=config.learning_rate,
        start=start,
        stop=stop,
        n_updates=stop,
        origin=start,
        objective=metrics[0],
        abs_error=metrics[1],
        accuracy=metrics[2],
        snap_iterations=no_snapshots,
        snap_weights=np.empty((0, w.size)),
        snap_biases=np.empty((0, b.size)),
        snap_pos=0,
    )
    weights, biases = _unflat(network, w, b)
    return Params(tuple(weights), tuple(biases), network.activations)


def train_stream(
    X: np.ndarray,
    y: np.ndarray,
    config: TrainingConfig,
    chunk_seconds: float = 0.1,
    max_seconds: float | None = None,
    should_stop: Callable[[], bool] | None = None,
    chunk_iterations: int | None = None,
) -> Iterator[Run]:
    """Train, yielding the run so far after every chunk of iterations.

    Chunks are sized to take about ``chunk_seconds`` each, so a page can redraw while a
    long run goes on.  Chunking never changes the numbers: every chunk continues the same
    kernel on the same state.  The run ends early (``stopped_early``) when ``should_stop()``
    says so after a chunk, or once ``max_seconds`` of working time have passed (``out_of_time``;
    time spent waiting between chunks does not count); its last iteration is then
    evaluated and kept as a snapshot like a finished run's.  ``chunk_iterations`` fixes the
    chunks' length instead, so that where ``should_stop`` ends a run depends on the numbers
    alone, never on the machine's speed.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = _kernel_array(np.ravel(y))
    if X.ndim != 2 or len(X) != len(y) or len(y) == 0:
        raise ValueError(f"need X of shape (m, n) and m targets, got {X.shape} and {y.shape}")
    network = config.network(X.shape[1])
    w, b = _flat(init_params(network, config.seed))
    n = config.iterations
    schedule = snapshot_schedule(n)
    objective, abs_error, accuracy = (np.empty(n + 1) for _ in range(3))
    snap_w = np.empty((len(schedule), w.size))
    snap_b = np.empty((len(schedule), b.size))
    sizes = np.array(network.sizes, np.int64)
    activation_ids = _kernel_ids(network)
    XT = _kernel_array(X.T)
    rule_id = RULES[config.rule].kernel_id

    def iterate(start: int, stop: int, n_updates: int, snapshots: int) -> int:
        return kernel.run_iterations(
            XT=XT,
            y=y,
            sizes=sizes,
            activations=activation_ids,
            weights=w,
            biases=b,
            use_bias=config.bias,
            rule=rule_id,
            learning_rate=config.learning_rate,
            start=start,
            stop=stop,
            n_updates=n_updates,
            origin=0,
            objective=objective,
            abs_error=abs_error,
            accuracy=accuracy,
            snap_iterations=schedule,
            snap_weights=snap_w,
            snap_biases=snap_b,
            snap_pos=snapshots,
        )

    def record(evaluated: int, snapshots: int, finished: bool, stopped: bool, out_of_time: bool = False) -> Run:
        weights, biases = _unflat(network, snap_w[:snapshots], snap_b[:snapshots])
        return Run(
            config,
            network,
            X,
            y,
            objective[:evaluated],
            abs_error[:evaluated],
            accuracy[:evaluated],
            schedule[:snapshots],
            tuple(weights),
            tuple(biases),
            finished,
            stopped,
            out_of_time,
            working,
        )

    # The cap counts working time only: a stream shared by several visitors may wait between
    # chunks (nobody advancing it), and that wait must not cut it short.
    working = 0.0
    done, snapshots, chunk = 0, 0, chunk_iterations or 256
    while done < n:
        out_of_time = max_seconds is not None and working > max_seconds
        if done > 0 and (out_of_time or (should_stop is not None and should_stop())):
            # End here: evaluate the weights reached and keep them as the last snapshot.
            schedule = np.append(schedule[:snapshots], done)
            snapshots = iterate(done, done + 1, done, snapshots)
            # Copies: the slices of a cut run would keep the whole run's arrays alive.
            objective, abs_error, accuracy = (a[: done + 1].copy() for a in (objective, abs_error, accuracy))
            snap_w, snap_b = snap_w[:snapshots].copy(), snap_b[:snapshots].copy()
            yield record(done + 1, snapshots, True, True, out_of_time)
            return
        stop = min(done + chunk, n)
        t0 = time.perf_counter()
        snapshots = iterate(done, stop, n, snapshots)
        elapsed = time.perf_counter() - t0
        working += elapsed
        done = stop
        if done < n:
            yield record(done, snapshots, False, False)
        if chunk_iterations is None:
            chunk = max(16, min(int(chunk * chunk_seconds / max(elapsed, 1e-6)), 4 * chunk, 1_000_000))
    snapshots = iterate(n, n + 1, n, snapshots)
    yield record(n + 1, snapshots, True, False)


def train(
    X: np.ndarray,
    y: np.ndarray,
    config: TrainingConfig,
    on_progress: Callable[[Run], bool | None] | None = None,
    chunk_seconds: float = 0.1,
    max_seconds: float | None = None,
) -> Run:
    """Train to the end and return the finished run.

    ``on_progress`` is called with each partial run; returning ``False`` stops training
    early, and the run returned then ends where it stopped.
    """
    stop_requested = False

    def should_stop() -> bool:
        return stop_requested

    for run in train_stream(X, y, config, chunk_seconds, max_seconds, should_stop):
        if run.finished:
            return run
        if on_progress is not None and on_progress(run) is False:
            stop_requested = True
    raise AssertionError("train_stream always ends with a finished run")


def train_many(
    X: np.ndarray, y: np.ndarray, configs: list[TrainingConfig], max_seconds: float | None = None
) -> list[Run]:
    """Several runs at once, one per core: the compiled loop releases Python's lock, so
    threads train side by side.  Each run is exactly the run ``train`` would give."""
    with ThreadPoolExecutor() as pool:
        return list(pool.map(lambda c: train(X, y, c, max_seconds=max_seconds), configs))
