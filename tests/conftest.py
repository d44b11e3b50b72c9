import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/reference.py

from nnviz import datasets  # noqa: E402
from nnviz.training import TrainingConfig, train  # noqa: E402


@pytest.fixture(scope="session")
def article_run():
    """The article's run: Trask's rows, seed 123, 100,000 iterations of his rule."""
    data = datasets.trask()
    return train(data.X, data.y, TrainingConfig())
