"""Every benchmark runs exactly as docs/ writes it (``python benchmarks/NAME.py``): its --help."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.name)
def test_each_benchmark_starts_from_the_repository_as_written(path):
    proc = subprocess.run(
        [sys.executable, str(path.relative_to(ROOT)), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.startswith("usage: ")
