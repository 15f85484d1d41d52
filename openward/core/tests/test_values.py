import pytest

from openward.core.values import InvalidMonth, InvalidPostcode, Month, Postcode


@pytest.mark.parametrize("text", ["sw1a1aa", " SW1A  1AA ", "SW1A 1AA", "sw1a 1aa\t"])
def test_postcode_any_spelling_normalises_to_one(text):
    pc = Postcode.parse(text)
    assert pc.compact == "SW1A1AA"
    assert str(pc) == "SW1A 1AA"
    assert (pc.outcode, pc.incode) == ("SW1A", "1AA")


@pytest.mark.parametrize("text", ["", "SW1A", "12345", "SW1A 1A", "E1 6ANX", "QQ"])
def test_invalid_postcode_says_what_a_postcode_looks_like(text):
    with pytest.raises(InvalidPostcode, match="looks like"):
        Postcode.parse(text)


def test_month_parses_and_adds():
    assert str(Month.parse("2024-01").add(-1)) == "2023-12"
    assert str(Month.parse("2023-12").add(13)) == "2025-01"
    with pytest.raises(InvalidMonth):
        Month.parse("2024-13")
