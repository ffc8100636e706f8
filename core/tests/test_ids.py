import pytest

from core.ids import MAX_ID, database_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("-1", None),
     ("", None), ("1.0", None), ("١٢", None), ("99999999999999999999999", None),
     ("01", None), ("007", None), ("+1", None), (" 1", None)],
)  # fmt: skip
def test_database_id(value, expected):
    assert database_id(value) == expected
