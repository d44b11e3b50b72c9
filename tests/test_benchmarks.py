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


@pytest.mark.parametrize("where", [[], ["--hosts", "2", "--store", "redis"]], ids=["one process", "two workers"])
def test_the_class_benchmark_runs_a_small_class_on_both_paths(where):
    """``class_load.py`` on one `streamlit run app.py` (its default) and through serve-class.sh's
    workers and Redis: two students answer, the teacher counts both, nothing fails."""
    if where:
        from browser import missing

        for tool in ("nginx", "redis-server"):
            if not (__import__("shutil").which(tool) or Path(f"/usr/sbin/{tool}").exists()):
                missing(f"{tool} is not installed")
    proc = subprocess.run(
        [sys.executable, "benchmarks/class_load.py", "--students", "2", "--idle", "0", *where],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-800:]
    (row,) = [line for line in proc.stdout.splitlines() if line.startswith("| 2 × 1 |")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert "2 / 2 of 2 students answered" in cells and cells[cells.index("2 / 2 of 2 students answered") + 1] == "0"
