"""Write ``nnviz/data/students.csv``: a made-up class of 200 students.

Each student has grades in % for class assignments, written tests and oral tests, and
passed the final exam (1) or not (0).  The rule behind the outcome, stated so a trained
network can be checked against it: a student's chance of passing is

    σ((0.2 · assignments + 0.6 · written_tests + 0.2 · oral_tests − 62) / 3)

so written tests weigh three times as much as each of the other two grades.  The three
grades are correlated, as real grades are (a strong student tends to do well at all three).

Run ``python scripts/make_students.py`` to write the file again; the seed makes it the
same file every time.
"""

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2024
N_STUDENTS = 200
WEIGHTS = {"assignments": 0.2, "written_tests": 0.6, "oral_tests": 0.2}
THRESHOLD, SPREAD = 62.0, 3.0


def make_students(seed: int = SEED, n: int = N_STUDENTS) -> pd.DataFrame:
    rs = np.random.RandomState(seed)
    ability = rs.normal(0, 1, n)  # what the three grades share
    means = {"assignments": 74, "written_tests": 64, "oral_tests": 70}
    grades = {
        name: np.clip(np.round(mean + 9 * ability + 10 * rs.normal(0, 1, n)), 0, 100) for name, mean in means.items()
    }
    score = sum(WEIGHTS[name] * grades[name] for name in WEIGHTS)
    chance = 1 / (1 + np.exp(-(score - THRESHOLD) / SPREAD))
    passed = (rs.random_sample(n) < chance).astype(int)
    frame = pd.DataFrame({"student": [f"S{i:03d}" for i in range(1, n + 1)], **grades, "passed": passed})
    return frame.astype({name: int for name in WEIGHTS})


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "nnviz" / "data" / "students.csv"
    frame = make_students()
    frame.to_csv(out, index=False)
    print(f"wrote {out}: {len(frame)} students, {frame['passed'].mean():.0%} passed")
