"""The backpropagation and gradient-descent pages under AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from nnviz import datasets
from nnviz.engine.trace import trace_iteration
from nnviz.engine.training import TrainingConfig, train

ROOT = Path(__file__).resolve().parents[1]


def open_page(page, query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in {"predict": "0", **(query or {})}.items():  # the page without prompts, unless asked
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_backprop_page_defaults_show_checked_gradients():
    at = open_page("app_pages/backprop.py")
    table = at.dataframe[0].value
    assert len(table) == 6 + 2 + 3  # weights and biases of the 3-2-1 network
    assert all(float(v) < 1e-6 for v in table["relative difference"])
    data = datasets.students()
    run = train(
        data.X,
        data.y,
        TrainingConfig(hidden=(2,), bias=True, rule="bce", learning_rate=1.0, seed=123, iterations=1_000),
    )
    expected = trace_iteration(run, 0).layers[1].weight_gradients[0, 0]
    assert table.loc[table["weight"] == "h1→ŷ", "∂E/∂w (sum)"].item() == f"{expected:.8f}"
    assert len(at.get("plotly_chart")) == 2


def test_backprop_page_with_the_articles_rule_and_another_iteration():
    at = open_page("app_pages/backprop.py", {"rule": "trask", "k": "7", "dataset": "xor", "hidden": "3"})
    iteration = [n for n in at.text_input if n.label == "Iteration k"]  # a typed box (issue 36)
    assert [n.value for n in iteration] == ["7"], [n.label for n in at.text_input]
    assert any("ŷ(1 − ŷ)" in m.value for m in at.markdown)
    assert "ŷ(1 − ŷ)" in at.dataframe[0].value["chain rule: ∂E/∂w = Σ over rows of"].iloc[0]


def test_descent_page_defaults_and_changed_rates():
    at = open_page("app_pages/descent.py")
    assert len(at.get("plotly_chart")) == 3
    rates = next(t for t in at.text_input if t.label.startswith("Learning rates to compare"))
    rates.set_value("0.5, 5, banana").run()
    assert not at.exception
    assert any("banana" in w.value for w in at.warning)
    assert at.query_params["rates"] == "0.5,5"  # the link in the code's notation, read the same in every language
    assert "Read as 0.5, 5." in [c.value for c in at.caption]


def test_a_german_student_types_rates_the_german_way():
    at = open_page("app_pages/descent.py", {"lang": "de"})
    rates = next(t for t in at.text_input if t.label.startswith("Zu vergleichende Lernraten"))
    assert rates.value == "0,01; 0,1; 1; 10; 50"  # the page's own default, as a German writes it
    rates.set_value("0,05; 2").run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert "Gelesen als 0,05; 2." in [c.value for c in at.caption]
    assert at.query_params["rates"] == "0.05,2"


def test_descent_page_numbers_agree_with_the_walkthrough_engine():
    at = open_page(
        "app_pages/descent.py",
        {"dataset": "trask", "hidden": "none", "bias": "0", "rule": "trask", "iterations": "100000", "k": "1"},
    )
    caption = next(c.value for c in at.caption if "slope ∂E/∂w" in c.value)
    data = datasets.trask()
    run = train(data.X, data.y, TrainingConfig())
    slope = trace_iteration(run, 1).layers[0].weight_gradients[0, 0]
    assert f"{slope:+.6f}" in caption
    # The article's iteration 1 moves x1's weight from 0.67423821 to 0.90948611: a step of +0.2352479.
    assert "+0.235248" in caption


def test_descent_comparison_cut_at_the_time_cap_is_not_trained_again_on_a_rerun(monkeypatch):
    """A comparison cut at the cap is kept for the session: a plain rerun trains nothing."""
    import nnviz.engine.training
    import ui.runs

    calls = []
    real = nnviz.engine.training.train_stream

    def counted(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.runs, "MAX_RUN_SECONDS", 0.0)  # every run ends after its first chunk
    monkeypatch.setattr(nnviz.engine.training, "train_stream", counted)
    at = open_page("app_pages/descent.py", {"seed": "424242", "iterations": "200000", "rates": "0.5,2"})
    first = len(calls)
    assert first >= 2  # the two compared rates (and anything else the page trains)
    at.run()
    assert not at.exception and len(calls) == first  # the rerun found both cut runs


def test_the_blame_game_names_the_hidden_activations_derivative():
    at = open_page("app_pages/backprop.py", {"activation": "tanh"})
    chains = at.dataframe[0].value["chain rule: ∂E/∂w = Σ over rows of"]
    assert any("1 − h1²" in chain for chain in chains) and not any("h1(1 − h1)" in chain for chain in chains)
    relu = open_page("app_pages/backprop.py", {"activation": "relu"})
    assert any("1 if z > 0 else 0" in chain for chain in relu.dataframe[0].value["chain rule: ∂E/∂w = Σ over rows of"])
    downhill = open_page("app_pages/descent.py", {"activation": "relu"})
    assert [w.value for w in downhill.selectbox if w.label == "Hidden activation"] == ["relu"]
