import pytest

from nnviz.i18n import language
from nnviz.settings import DESCENT, MAX_ITERATIONS, WALKTHROUGH, parse_query, parse_rates, to_query


def test_an_empty_link_gives_the_articles_defaults():
    values, warnings = parse_query(WALKTHROUGH, {})
    assert warnings == []
    assert values["dataset"] == "trask" and values["hidden"] == () and values["lr"] == 1.0
    assert values["seed"] == 123 and values["iterations"] == 100_000


def test_a_link_round_trips():
    values = dict(parse_query(WALKTHROUGH, {})[0], dataset="xor", hidden=(4, 2), bias=True, lr=0.25, seed=7, k=31)
    query = to_query(WALKTHROUGH, values)
    assert query == {"dataset": "xor", "hidden": "4,2", "bias": "1", "lr": "0.25", "seed": "7", "k": "31"}
    assert parse_query(WALKTHROUGH, query) == (values, [])


@pytest.mark.parametrize(
    "query,name,expected,fragment",
    [
        ({"iterations": "999999999999"}, "iterations", MAX_ITERATIONS, "beyond the limit"),
        ({"iterations": "1e400"}, "iterations", 100_000, "not valid"),
        ({"lr": "nan"}, "lr", 1.0, "not valid"),
        ({"lr": "1e9"}, "lr", 100.0, "beyond the limit"),
        ({"lr": "-3"}, "lr", 0.001, "beyond the limit"),
        ({"seed": "abc"}, "seed", 123, "not valid"),
        ({"dataset": "<script>alert(1)</script>"}, "dataset", "trask", "not valid"),
        ({"hidden": "99,99,99,99"}, "hidden", (8, 8, 8), "beyond the limit"),
        ({"hidden": "-1"}, "hidden", (), "not valid"),
        ({"bias": "maybe"}, "bias", False, "not valid"),
        ({"k": "2.5"}, "k", 0, "not valid"),
    ],
)
def test_bad_or_huge_values_fall_back_or_clip_with_a_warning(query, name, expected, fragment):
    values, warnings = parse_query(WALKTHROUGH, query)
    assert values[name] == expected
    assert len(warnings) == 1 and fragment in warnings[0]


def test_long_garbage_is_shortened_in_the_warning():
    _, warnings = parse_query(WALKTHROUGH, {"seed": "x" * 500})
    assert len(warnings[0]) < 140


def test_a_german_student_typing_the_pages_own_default_keeps_every_rate():
    de = language("de")
    default = DESCENT["rates"].default
    typed = DESCENT["rates"].write(default, de)
    assert typed == "0,01; 0,1; 1; 10; 50"
    assert parse_rates(typed, de) == ((0.01, 0.1, 1.0, 10.0, 50.0), None)
    assert parse_rates("0,05", de) == ((0.05,), None)  # not 5
    assert parse_rates("0,05", language("fr")) == ((0.05,), None)
    assert parse_rates("0.05, 2", language("en")) == ((0.05, 2.0), None)


def test_a_link_holds_rates_and_layers_in_the_codes_notation_in_every_language():
    de = language("de")
    assert DESCENT["rates"].encode((0.05, 2.0)) == "0.05,2"
    assert DESCENT["rates"].parse("rates", "0.05,2", de) == ((0.05, 2.0), None)
    assert WALKTHROUGH["hidden"].parse("hidden", "4,2", de) == ((4, 2), None)


def test_hidden_layers_are_typed_the_readers_way():
    de, fr = language("de"), language("fr")
    hidden = WALKTHROUGH["hidden"]
    assert hidden.write((3, 2), de) == "3; 2" and hidden.write((3, 2), language("en")) == "3, 2"
    assert hidden.parse("hidden", "3; 2", de, typed=True) == ((3, 2), None)
    assert hidden.parse("hidden", "3,2", de, typed=True) == ((3, 2), None)  # sizes are whole: never 3.2
    assert hidden.write((), de) == "keine" and hidden.parse("hidden", "keine", de, typed=True) == ((), None)
    assert hidden.write((), fr) == "aucune"
    value, warning = hidden.parse("hidden", "3,5", language("en"), typed=True)
    assert value == (3, 5) and warning is None
    value, warning = hidden.parse("hidden", "drei", de, typed=True)
    assert value == () and warning == "„drei“ ist für verborgene Schichten hier nicht gültig; es gilt keine."
