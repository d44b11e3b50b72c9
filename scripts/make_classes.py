"""Classes with a known rule, to check what the grades page may say about them (issue 24).

Three grades drawn uniformly on 0–100 (homework, tests, oral) and a result made by one rule:

- ``noise``: a coin flip per student, whatever the grades;
- ``tests``: written tests decide, through a logistic curve around 50;
- ``homework``: homework decides the same way (another grade most);
- ``zero_oral``: tests weigh 0.6, homework 0.4, oral nothing;
- ``both``: a pass only when tests and homework are both above 40 (a rule no straight line draws),
  with one result in ten flipped.

    python scripts/make_classes.py RULE STUDENTS SEED > class.csv
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

RULES = ("noise", "tests", "homework", "zero_oral", "both")
# The grades each rule gives no weight: any direction said of them is chance (or a false claim).
NO_WEIGHT = {
    "noise": ("homework", "tests", "oral"),
    "tests": ("homework", "oral"),
    "homework": ("tests", "oral"),
    "zero_oral": ("oral",),
    "both": ("oral",),
}


def made_class(n: int, rule: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "name": [f"s{i}" for i in range(n)],
            "homework": rng.integers(0, 101, n),
            "tests": rng.integers(0, 101, n),
            "oral": rng.integers(0, 101, n),
        }
    )
    tests, homework = frame["tests"].to_numpy(float), frame["homework"].to_numpy(float)
    if rule == "noise":
        chance = np.full(n, 0.5)
    elif rule == "tests":
        chance = 1 / (1 + np.exp(-(tests - 50) / 8))
    elif rule == "homework":
        chance = 1 / (1 + np.exp(-(homework - 50) / 8))
    elif rule == "zero_oral":
        chance = 1 / (1 + np.exp(-(0.6 * tests + 0.4 * homework - 50) / 6))
    elif rule == "both":
        chance = np.where((tests > 40) & (homework > 40), 0.9, 0.1)
    else:
        raise ValueError(f"unknown rule {rule!r}: choose one of {', '.join(RULES)}")
    frame["passed"] = np.where(rng.random(n) < chance, "yes", "no")
    return frame


if __name__ == "__main__":
    rule, students, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sys.stdout.write(made_class(students, rule, seed).to_csv(index=False))
