import pytest

from qa_arena_desktop.judging.precheck import MAX_TEST_FILE_BYTES, decode_tests


def test_valid_file_passes():
    assert decode_tests(b"def test_a():\n    assert 1\n").problem == ""


def test_empty_file_is_explained():
    assert "empty" in decode_tests(b"  \n\n").problem


def test_non_utf8_bytes_are_explained_and_kept():
    checked = decode_tests(b"def test_a():\n    assert '\xff'\n")
    assert "not valid UTF-8" in checked.problem
    assert "offset 26" in checked.problem
    assert checked.text.startswith("def test_a()")


def test_syntax_error_names_the_line():
    checked = decode_tests(b"def test_a():\n    assert (1\n\ndef test_b(:\n    pass\n")
    assert checked.problem.startswith("syntax error in your tests at line")


def test_file_over_the_limit_is_refused():
    data = b"def test_a():\n    pass\n" + b"#" * (MAX_TEST_FILE_BYTES + 1)
    assert "limit" in decode_tests(data).problem


@pytest.mark.parametrize(
    "source",
    [
        "def helper():\n    pass\n",
        "class Helper:\n    def test_a(self):\n        pass\n",
        "x = 1\n",
    ],
)
def test_files_without_test_functions_are_explained(source):
    assert decode_tests(source).problem.startswith("no test functions found")


@pytest.mark.parametrize(
    "source",
    [
        "class TestThing:\n    def test_a(self):\n        pass\n",
        "async def test_a():\n    pass\n",
        "from helpers import test_shared\n",
    ],
)
def test_other_shapes_of_tests_are_accepted(source):
    assert decode_tests(source).problem == ""
