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
