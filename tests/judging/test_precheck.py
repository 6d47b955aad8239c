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


@pytest.mark.parametrize(
    "source",
    [
        "import inspect\nimport target\n\ndef test_a():\n    assert 'x' in inspect.getsource(target)\n",
        "from target import f\n\ndef test_a():\n    assert f.__code__.co_consts\n",
        "import dis\nfrom target import f\n\ndef test_a():\n    dis.dis(f)\n",
        "import target\n\ndef test_a():\n    assert 'bug' in open(target.__file__).read()\n",
        "def test_a():\n    assert 'return' in open('target.py').read()\n",
        "from importlib import util\n\ndef test_a():\n    util.find_spec('target').loader\n",
    ],
)
def test_reading_the_code_under_test_is_flagged_not_blocked(source):
    checked = decode_tests(source)
    assert checked.problem == ""
    assert checked.flags == ("reads-target-source",)


def test_ordinary_tests_carry_no_flag():
    source = "import pytest\nfrom target import f\n\ndef test_a():\n    assert f(1) == 2\n"
    assert decode_tests(source).flags == ()
