import pytest

from nnviz.settings import MAX_ITERATIONS, WALKTHROUGH, parse_query, to_query


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
