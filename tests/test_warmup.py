"""The training kernel compiles before anyone asks: once per server process, in a background thread."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
from browser import free_port
from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz.engine import kernel
from nnviz.engine.training import TrainingConfig, train, warm_up
from ui import warmup

ROOT = Path(__file__).resolve().parents[1]


def signatures() -> set:
    return set(kernel.run_iterations.signatures)


def test_read_only_arrays_train_on_the_kernels_one_signature():
    # pandas' to_numpy() gives read-only arrays, which numba types apart: without the copy
    # such a class would compile the whole kernel again, seconds, for its visitor.
    warm_up()
    compiled = signatures()
    data = datasets.trask()
    X = np.ascontiguousarray(data.X[:, :1])  # one column: X.T needs no copy, so it keeps the flag
    y = data.y.copy()
    for a in (X, y):
        a.setflags(write=False)
    config = TrainingConfig(iterations=200)
    run = train(X, y, config)
    run.params_at(150)  # a replay between snapshots
    assert signatures() == compiled
    assert run.objective[-1] == train(X.copy(), y.copy(), config).objective[-1]


def test_the_warm_up_starts_once_per_process_and_compiles_what_every_page_runs():
    assert warmup.start() is warmup.start()
    warmup.wait()
    assert warmup.done() and warmup.seconds is not None
    compiled = signatures()
    assert compiled  # the warm-up compiled (or loaded) the kernel
    for page in ["home", "walkthrough", "backprop", "descent", "grades"]:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["predict"] = "0"
        if page != "home":
            at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert signatures() == compiled, f"the {page} page compiled a signature the warm-up did not"


def test_the_server_compiles_the_kernel_as_it_starts_before_any_visitor(tmp_path):
    # A fresh install: an empty numba cache.  Nobody opens a page; the server compiles anyway.
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "scripts/serve.py",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")},
        )
    try:
        deadline = time.monotonic() + 120
        while "the training kernel is ready" not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "the training kernel is ready" in log.read_text(), log.read_text()
        while time.monotonic() < deadline:  # and it serves, too
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).read() == b"ok"
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer its health check")
        cached = [p.name for p in (tmp_path / "numba").rglob("*.nbi")]
        assert any(name.startswith("kernel.run_iterations") for name in cached), cached
    finally:
        server.terminate()
        server.wait(10)
