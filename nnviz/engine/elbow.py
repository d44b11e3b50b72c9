"""Where an error curve bends: the elbow the article sees near iteration 100.

Method (the "farthest from the chord" rule at the heart of Kneedle, Satopää et al. 2011):
scale the window's iterations and errors to [0, 1], draw the straight line from the
window's first point to its last, and take the iteration farthest from that line.  On a
falling, flattening curve that is where fast early progress turns into slow polishing.
The result depends on the window, as the article's four graphs show: over 100 iterations
the bend sits earlier than over 1,000.
"""

from __future__ import annotations

import numpy as np

METHOD = (
    "The elbow is the iteration farthest from the straight line joining the window's first "
    "and last error, with both axes scaled to 0…1."
)


def find_elbow(errors: np.ndarray, start: int = 0, stop: int | None = None) -> int:
    """Iteration of the elbow of ``errors[start:stop]`` (an index into ``errors``).

    ``errors`` is one value per iteration.  A window of fewer than three points, or a flat
    one, has no bend; its first iteration is returned.
    """
    stop = len(errors) if stop is None else min(stop, len(errors))
    window = np.asarray(errors[start:stop], dtype=np.float64)
    if len(window) < 3 or not np.all(np.isfinite(window)):
        return start
    x = np.linspace(0.0, 1.0, len(window))
    span = window.max() - window.min()
    if span == 0:
        return start
    e = (window - window.min()) / span
    # Distance to the chord through (0, e[0]) and (1, e[-1]), up to a constant factor.
    distance = np.abs((e[-1] - e[0]) * x - e + e[0])
    return start + int(np.argmax(distance))
