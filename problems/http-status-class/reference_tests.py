import pytest

from target import status_class


@pytest.mark.parametrize("code, name", [
    (100, "informational"), (199, "informational"),
    (200, "success"), (299, "success"),
    (300, "redirection"), (399, "redirection"),
    (400, "client error"), (499, "client error"),
    (500, "server error"), (599, "server error"),
])
def test_each_class_from_its_first_to_its_last_code(code, name):
    assert status_class(code) == name


@pytest.mark.parametrize("code", [99, 600, -200, True, 200.0, "200"])
def test_anything_else_is_refused(code):
    with pytest.raises(ValueError):
        status_class(code)
