import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.validators import is_valid_cpf, normalize_cpf


def _check_digit(digits: str) -> int:
    """The Receita Federal's check digit, written out as the oracle of the library's check."""
    weight = len(digits) + 1
    remainder = sum(int(d) * (weight - i) for i, d in enumerate(digits)) * 10 % 11
    return 0 if remainder == 10 else remainder


@pytest.mark.parametrize(
    "cpf", ["52998224725", "529.982.247-25", "111.444.777-35", " 11144477735 "]
)
def test_valid_cpfs_are_accepted_with_or_without_punctuation(cpf):
    assert is_valid_cpf(cpf)


@pytest.mark.parametrize(
    "cpf",
    [
        "52998224724",  # last check digit wrong
        "52998224715",  # first check digit wrong
        "11111111111",  # repeated digits pass the arithmetic but are not issued
        "5299822472",  # too short
        "529982247250",  # too long
        "5299822472a",
        "529/982/247-25",
        "",
        "٥٢٩٩٨٢٢٤٧٢٥",  # non-ASCII digits
    ],
)
def test_invalid_cpfs_are_rejected(cpf):
    assert not is_valid_cpf(cpf)


def test_normalize_keeps_unexpected_characters_so_they_are_rejected():
    assert normalize_cpf("529.982.247-25") == "52998224725"
    assert normalize_cpf("52x") == "52x"


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9).filter(lambda d: len(set(d)) > 1))
def test_every_number_with_computed_check_digits_is_valid_and_a_changed_digit_is_not(digits):
    base = "".join(map(str, digits))
    first = _check_digit(base)
    cpf = f"{base}{first}{_check_digit(base + str(first))}"
    assert is_valid_cpf(cpf)
    wrong_last = cpf[:-1] + str((int(cpf[-1]) + 1) % 10)
    assert not is_valid_cpf(wrong_last)
