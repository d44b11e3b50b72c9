import json

import numpy as np
import pandas as pd
import pytest

from nnviz import datasets, grades
from nnviz import network as nn
from nnviz.cli import main
from nnviz.intake import load_csv
from nnviz.training import TrainingConfig


@pytest.fixture(scope="module")
def sample_fit():
    intake = load_csv(datasets.students_csv_path())
    return grades.fit(intake, TrainingConfig((2,), True, "bce", 1.0, 123, 10_000), 0.2)


def test_split_is_seeded_stratified_and_complete():
    data = datasets.students()
    train_a, test_a = grades.split(data, 0.2, 7)
    train_b, test_b = grades.split(data, 0.2, 7)
    np.testing.assert_array_equal(test_a.X, test_b.X)
    assert len(train_a.y) + len(test_a.y) == 200 and len(test_a.y) == 40
    assert abs(test_a.y.mean() - data.y.mean()) < 0.02 and abs(train_a.y.mean() - data.y.mean()) < 0.02
    assert set(train_a.row_labels).isdisjoint(test_a.row_labels)
    _, other = grades.split(data, 0.2, 8)
    assert not np.array_equal(other.X, test_a.X)


def test_written_tests_matter_most_on_the_sample(sample_fit):
    effects = grades.grade_effects(sample_fit.run.final_params, sample_fit.intake.dataset)
    assert effects[0].grade == "written_tests"
    assert all(e.change > 0 for e in effects)
    assert effects[0].typical == np.median(sample_fit.intake.dataset.raw_X[:, 1])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("lr", [0.3, 1.0, 3.0])
def test_written_tests_come_out_on_top_for_other_seeds_and_rates(seed, lr):
    intake = load_csv(datasets.students_csv_path())
    fit = grades.fit(intake, TrainingConfig((2,), True, "bce", lr, seed, 5_000), 0.2)
    assert grades.report(fit)["most_important"] == "written_tests"


def test_predictions_are_scaled_exactly_as_training(sample_fit):
    data = sample_fit.intake.dataset
    params = sample_fit.run.final_params
    direct = nn.forward(params, data.X[:5])[-1][:, 0]
    np.testing.assert_allclose(grades.chance_of_passing(params, data, data.raw_X[:5]), direct, rtol=1e-12)
    np.testing.assert_allclose(data.scaler.inverse(data.scaler.transform(data.raw_X)), data.raw_X, rtol=1e-12)


def test_test_curve_is_the_test_sets_loss_at_every_snapshot(sample_fit):
    curve = sample_fit.test_curve
    assert len(curve.iterations) == len(sample_fit.run.snapshot_iterations)
    test = sample_fit.test_set
    last = nn.forward(sample_fit.run.final_params, test.X)[-1]
    assert curve.objective[-1] == pytest.approx(nn.binary_cross_entropy(last, test.y[:, None]), rel=1e-12)


def test_formula_injection_is_neutralised():
    frame = pd.DataFrame({"=name": ["=1+1", "+cmd", "-2", "@sum", "plain", "\tx"], "chance": [0.1] * 6})
    text = grades.safe_csv(frame)
    lines = text.splitlines()
    assert lines[0] == "'=name,chance"
    assert [line.split(",")[0] for line in lines[1:]] == ["'=1+1", "'+cmd", "'-2", "'@sum", "plain", "'\tx"]
    assert grades.neutralise(-2.5) == -2.5  # numbers stay numbers


def test_cli_train_reports_and_refuses(capsys, tmp_path):
    assert main(["train", "--csv", str(datasets.students_csv_path()), "--iterations", "3000", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for key in ("rows_used", "rows_dropped", "features", "scaler", "final_loss", "train_accuracy", "test_accuracy",
                "weights", "most_important"):  # fmt: skip
        assert key in report
    assert report["rows_used"] == 200 and report["train_rows"] == 160 and report["test_rows"] == 40
    assert report["most_important"] == "written_tests"
    assert main(["train", "--csv", str(datasets.students_csv_path()), "--iterations", "300"]) == 0
    out = capsys.readouterr().out
    assert "the grade that matters most: written_tests" in out and "200 rows used of 200" in out
    bad = tmp_path / "one.csv"
    bad.write_text("a,passed\n1,1\n2,1\n")
    assert main(["train", "--csv", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "every student passed" in err and err.count("\n") == 1
