import pytest

from core.ids import MAX_ID, parse_database_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("", None),
        ("1.0", None),
        ("١٢", None),
        ("99999999999999999999999", None),
        ("01", None),
        ("007", None),
        ("+1", None),
        (" 1", None),
    ],
)
def test_database_id(value, expected):
    assert parse_database_id(value) == expected
