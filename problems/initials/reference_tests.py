import pytest

from target import initials


@pytest.mark.parametrize("name, expected", [
    ("ada lovelace", "A.L."),
    ("Ada  Lovelace", "A.L."),
    ("Ada\tLovelace", "A.L."),
    ("élise martin", "É.M."),
    ("Gabriel García Márquez", "G.G.M."),
    ("   ", ""),
])
def test_initials(name, expected):
    assert initials(name) == expected
