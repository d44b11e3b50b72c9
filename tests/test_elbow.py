import numpy as np

from nnviz.engine.elbow import find_elbow


def test_article_elbow_over_the_first_thousand_iterations(article_run):
    k = find_elbow(article_run.abs_error, 0, 1001)
    assert 80 <= k <= 150


def test_elbow_moves_with_the_window(article_run):
    ks = [find_elbow(article_run.abs_error, 0, w + 1) for w in (100, 1_000, 10_000, 100_000)]
    assert ks == sorted(ks) and len(set(ks)) == 4


def test_elbow_of_two_straight_pieces_is_the_corner():
    errors = np.concatenate([np.linspace(10, 1, 31), np.linspace(1, 0.5, 170)[1:]])
    assert find_elbow(errors) == 30


def test_elbow_respects_the_window_start():
    errors = np.concatenate([np.full(50, 9.0), np.linspace(9, 1, 11), np.linspace(1, 0.9, 100)[1:]])
    assert find_elbow(errors, 50) == 60


def test_flat_short_or_broken_windows_have_no_bend():
    assert find_elbow(np.ones(100), 5) == 5
    assert find_elbow(np.array([3.0, 2.0]), 0) == 0
    assert find_elbow(np.array([3.0, np.nan, 1.0, 0.5]), 0) == 0
