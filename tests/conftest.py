import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/reference.py

from nnviz import datasets  # noqa: E402
from nnviz.engine.training import TrainingConfig, train  # noqa: E402


@pytest.fixture(scope="session")
def article_run():
    """The article's run: Trask's rows, seed 123, 100,000 iterations of his rule."""
    data = datasets.trask()
    return train(data.X, data.y, TrainingConfig())


@pytest.fixture(scope="session")
def server():
    from browser import ARTIFACTS, Server, chromium_or_skip

    chromium_or_skip()
    ARTIFACTS.mkdir(exist_ok=True)
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from browser import chromium_or_skip

    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    from browser import ARTIFACTS

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
