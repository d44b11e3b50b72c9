"""The walkthrough page under Streamlit's AppTest: no browser, real script runs."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def open_page(query=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in {"predict": "0", **(query or {})}.items():  # the page without prompts, unless asked
        at.query_params[name] = value
    at.switch_page("app_pages/walkthrough.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_text(at):
    return "\n".join(df.value.to_csv() for df in at.dataframe)


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def text_input(at, label):
    return next(w for w in at.text_input if w.label == label)


def test_defaults_show_the_article():
    at = open_page()
    assert metric(at, "Σ|error| at the start") == "1.82038"
    assert metric(at, "after 10,000 iterations") == "0.03182"
    assert metric(at, "after 100,000 iterations") == "0.00995"
    text = table_text(at)
    assert "(0 × 0.39293837) + (0 × -0.42772133) + (1 × -0.54629709) = -0.54629709" in text
    assert "0.67423821" in text  # iteration 0's updated weight
    assert len(at.get("plotly_chart")) == 3
    assert not at.warning
    assert any("111" in c.value for c in at.caption)  # the elbow over the first 1,000 iterations


def test_stepping_to_iteration_one_shows_the_articles_second_pass():
    at = open_page()
    next(b for b in at.button if b.label == "next ▶").click().run()
    text = table_text(at)
    for number in [
        "-0.73942603",
        "0.26954282",
        "0.40018475",
        "0.32312967",
        "0.56698066",
        "0.48370881",
        "-0.40018475",
        "0.43301934",
        "0.51629119",
        "0.90948611",
        "-0.27646878",
        "-0.33618051",
    ]:
        assert number in text
    assert at.query_params["k"] == "1"


def test_changing_a_setting_retrains():
    at = open_page()
    text_input(at, "Learning rate α").set_value("0.5").run()
    assert not at.exception
    assert metric(at, "after 100,000 iterations") == "0.01410"
    assert at.query_params["lr"] == "0.5"


def test_a_link_restores_the_settings():
    at = open_page({"dataset": "xor", "hidden": "4", "seed": "1", "iterations": "60000", "k": "59999"})
    assert (
        next(s for s in at.selectbox if s.label == "Data").value == "xor"
        and text_input(at, "Hidden layers").value == "4"
    )
    assert text_input(at, "Random seed").value == "1"
    # Trask's XOR example ends near 0.0026, 0.9967, 0.9970, 0.0039.
    text = table_text(at)
    assert "0.00260572" in text and "0.99672209" in text


@pytest.mark.parametrize(
    "query,warning",
    [
        ({"iterations": "99999999999"}, "beyond the limit"),
        ({"lr": "banana"}, "not valid"),
        ({"hidden": "1,2,3,4,5"}, "beyond the limit"),
    ],
)
def test_bad_link_values_warn_and_fall_back(query, warning):
    at = open_page(query)
    assert any(warning in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 3


def test_back_to_the_articles_settings_brings_back_its_numbers():
    at = open_page({"lr": "0.5", "seed": "7"})
    assert text_input(at, "Learning rate α").value == "0.5"
    next(b for b in at.button if b.label == "Back to the article's settings").click().run()
    assert not at.exception and not at.error
    assert text_input(at, "Learning rate α").value == "1" and text_input(at, "Random seed").value == "123"
    assert metric(at, "after 100,000 iterations") == "0.00995"
    assert "lr" not in at.query_params and "seed" not in at.query_params


def selectbox(at, label):
    return next(w for w in at.selectbox if w.label == label)


def test_the_hidden_activation_is_a_setting_of_a_network_with_a_hidden_layer():
    at = open_page()
    assert not [w for w in at.selectbox if w.label == "Hidden activation"]  # nothing to squash in the article's net
    at = open_page({"dataset": "xor", "hidden": "4", "iterations": "2000"})
    selectbox(at, "Hidden activation").set_value("tanh").run()
    assert not at.exception and at.query_params["activation"] == "tanh"
    text = table_text(at)
    assert "tanh(z) = (e^z - e^-z) / (e^z + e^-z)" in text and "slope 1 − h²" in text
    assert "σ(z) = 1 / (1 + e^-z)" in text  # the output's
    assert any("the hidden units with tanh, the output with the sigmoid" in m.value for m in at.markdown)
    relu = open_page({"dataset": "xor", "hidden": "4", "iterations": "2000", "activation": "relu"})
    assert selectbox(relu, "Hidden activation").value == "relu" and "slope 1 if z > 0 else 0" in table_text(relu)


# --- numbers typed the reader's way (issue 36): a text box read by the page's own reader ---------------------


def test_a_german_student_types_the_learning_rate_with_a_comma():
    at = open_page({"lang": "de"})
    assert text_input(at, "Lernrate α").value == "1"
    text_input(at, "Lernrate α").set_value("0,5").run()
    assert not at.exception and not at.warning
    assert at.query_params["lr"] == "0.5"  # the link keeps the code's notation, whatever the language
    assert metric(at, "nach 100.000 Iterationen") == "0,01410"  # the run of α = 0.5, as in English
    assert text_input(at, "Lernrate α").value == "0,5"
    assert not [c for c in at.caption if c.value.startswith("Gelesen als 0")]  # read exactly as typed


def test_a_german_link_shows_alpha_with_a_comma_and_a_dot_typed_there_is_read_and_said():
    at = open_page({"lang": "de", "lr": "0.5"})
    assert text_input(at, "Lernrate α").value == "0,5"
    text_input(at, "Lernrate α").set_value("0.25").run()  # a habit from English: still a quarter
    assert at.query_params["lr"] == "0.25" and "Gelesen als 0,25." in [c.value for c in at.caption]


def test_a_french_student_sees_and_types_the_iterations_with_a_gap():
    at = open_page({"lang": "fr"})
    assert text_input(at, "Itérations").value == "100\u202f000"
    text_input(at, "Itérations").set_value("60 000").run()
    assert not at.exception and not at.warning
    assert at.query_params["iterations"] == "60000"
    assert metric(at, "après 60\u202f000 itérations") == "0,01286"  # the English page's 0.01286 for ?iterations=60000


def test_typed_numbers_keep_the_caps_and_say_so_in_the_readers_words():
    at = open_page({"lang": "de"})
    text_input(at, "Iterationen").set_value("2.000.000").run()
    assert [w.value for w in at.warning] == [
        "Der Wert 2.000.000 für Anzahl der Iterationen liegt außerhalb der Grenzen; es gilt 1.000.000."
    ]
    text_input(at, "Lernrate α").set_value("0,5,5").run()
    assert "„0,5,5“" in " ".join(w.value for w in at.warning)


def test_a_change_of_language_rewrites_the_typed_numbers_in_the_new_notation():
    at = open_page({"lr": "0.5", "iterations": "20000"})
    assert text_input(at, "Learning rate α").value == "0.5" and text_input(at, "Iterations").value == "20,000"
    next(s for s in at.selectbox if s.label.endswith("Language")).set_value("de").run()
    assert not at.exception and not at.warning
    assert text_input(at, "Lernrate α").value == "0,5" and text_input(at, "Iterationen").value == "20.000"
    assert at.query_params["lr"] == "0.5" and at.query_params["iterations"] == "20000"
