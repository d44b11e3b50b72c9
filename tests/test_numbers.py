import pytest

from nnviz.numbers import number, signed


@pytest.mark.parametrize(
    "value,decimals,text",
    [(3.21, 1, "+3.2"), (-0.44, 1, "−0.4"), (-0.04, 1, "0.0"), (0.04, 1, "0.0"), (-0.0, 2, "0.00"), (12.5, 0, "+12")],
)
def test_signed_has_one_minus_sign_and_no_negative_zero(value, decimals, text):
    assert signed(value, decimals) == text


def test_number_drops_the_plus_only():
    assert number(2.5) == "2.5" and number(-2.5) == "−2.5" and number(-0.01) == "0.0"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("loss 0.383 after 5,000 iterations", "loss 0,383 after 5\u202f000 iterations"),
        ("x1→ŷ moves by +12.2 points (−0.4 to +1,234.5)", "x1→ŷ moves by +12,2 points (−0,4 to +1\u202f234,5)"),
        ("Final exam (1204) ≥ 50.5: 58 of 60 (97%)", "Final exam (1204) ≥ 50,5: 58 of 60 (97%)"),
        ("Student 12, h2, seeds 123–127", "Student 12, h2, seeds 123–127"),
    ],
)
def test_numbers_the_continental_way_and_names_left_alone(text, expected):
    from nnviz.numbers import with_decimal_comma

    assert with_decimal_comma(text) == expected
