"""A failure message that holds the code under test is withheld; others are kept (capped)."""

from __future__ import annotations

import textwrap

import pytest

from qa_arena_desktop.judging.disclosure import MAX_MESSAGE_CHARS, WITHHELD, SourceMatcher, cap

SOURCE = '''def add_one(x: int) -> int:
    """Return x + 1, for any integer x."""
    if not isinstance(x, int):
        raise TypeError("add_one wants an int")
    result = x + 1
    return result
'''


@pytest.mark.parametrize("message", [
    SOURCE,
    "AssertionError: " + SOURCE + "\nassert False",
    # pytest's assertion rewriting shows the string repr-escaped, on one line
    "assert " + repr(SOURCE) + " == ''",
    "assert " + repr(SOURCE).replace("'", '"') + " == ''",
    # re-indented, tabs for spaces, spaces around operators changed, prefixes per line
    textwrap.indent(SOURCE, "E       > "),
    SOURCE.replace("    ", "\t"),
    SOURCE.replace(" = ", "=").replace(" + ", "+"),
    # joined on one line, or its whitespace dropped: the verbatim rule
    SOURCE.replace("\n", " "),
    "".join(SOURCE.split()),
    # three consecutive lines out of the middle, CRLF line ends
    "got:\r\n" + "\r\n".join(SOURCE.splitlines()[2:5]) + "\r\n",
])
def test_messages_that_hold_the_code_under_test_are_withheld(message):
    assert SourceMatcher(SOURCE).discloses(message)
    assert SourceMatcher(SOURCE).clean(message) == (WITHHELD, True)


@pytest.mark.parametrize("message", [
    "",
    "assert 3 == 4\n +  where 3 = add_one(2)",
    "TypeError: add_one wants an int",
    # one line of the code (pytest citing the line that raised) is not the code
    "ZeroDivisionError at: result = x + 1",
    "two lines:\n    if not isinstance(x, int):\n        raise TypeError('other')",
    "def add_one(x: int) -> int",  # the signature is public
])
def test_ordinary_messages_are_kept(message):
    assert SourceMatcher(SOURCE).clean(message) == (message, False)


def test_every_message_is_capped_at_about_two_kib():
    kept, withheld = SourceMatcher(SOURCE).clean("x" * 100_000)
    assert not withheld and len(kept) <= MAX_MESSAGE_CHARS and kept.endswith("(message cut)")
    assert cap("short") == "short"


def test_source_past_the_cap_is_cut_away_not_kept():
    kept, _ = SourceMatcher(SOURCE).clean("x" * 5000 + SOURCE)
    assert "isinstance" not in kept and len(kept) <= MAX_MESSAGE_CHARS


def test_a_tiny_source_still_counts_when_quoted_whole():
    tiny = "def f(x):\n    return x * 2 + 1\n"
    assert SourceMatcher(tiny).discloses("AssertionError: " + tiny)
    assert not SourceMatcher(tiny).discloses("assert f(1) == 4")
    assert not SourceMatcher("").discloses("anything at all")


def test_a_short_source_joined_on_one_line_counts_when_whole():
    # a parametrize id made of the whole source, its line breaks made spaces
    source = 'def add_one(x: int) -> int:\n    """Return x + 1."""\n    return x + 1\n'
    assert SourceMatcher(source).discloses("test_id[" + source.replace("\n", " ") + "]")
    assert not SourceMatcher(source).discloses("test_id[def add_one(x: int) -> int:]")
    assert not SourceMatcher("x = 1\n").discloses("x = 1")  # too short to tell apart


@pytest.mark.parametrize(("message", "shown"), [
    ("assert '/work/run/target.py' == 'x'", "assert 'target.py' == 'x'"),
    ('File "/work/run/test_submission.py", line 3', 'File "test_submission.py", line 3'),
    ("FileNotFoundError: [Errno 2] No such file or directory: '/work/run/data.txt'",
     "FileNotFoundError: [Errno 2] No such file or directory: 'data.txt'"),
    ("cwd is /work/run now", "cwd is . now"),
    ("HOME=/work/home/.cache", "HOME=.cache"),
    ("see /work/home/.cache", "see .cache"),
    ("/workshop/x and my/work/run/y stay", "/workshop/x and my/work/run/y stay"),
])
def test_container_paths_are_left_out_of_messages(message, shown):
    from qa_arena_desktop.judging.disclosure import without_internal_paths

    assert without_internal_paths(message) == shown
    assert SourceMatcher("def f():\n    return 1\n").clean(message)[0] == shown


@pytest.mark.docker
def test_a_real_run_reports_target_py_not_its_container_path(tmp_path):
    """Every message the learner sees, from a real container: golden's, each test's."""
    from qa_arena_desktop.catalog.db import Catalog
    from qa_arena_desktop.judging.docker_backend import DockerBackend
    from qa_arena_desktop.judging.service import JudgingService
    from qa_arena_desktop.packs.loader import load_pack
    from qa_arena_desktop.paths import problems_dir

    tests = ("import target\nfrom target import clamp\n\n"
             "def test_path():\n    assert target.__file__ == 'x'\n\n"
             "def test_open():\n    open('no-such-file.txt')\n")
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    backend = DockerBackend()
    try:
        result = JudgingService(catalog, backend).judge(load_pack(problems_dir() / "clamp"), tests)
    finally:
        backend.close()
        catalog.close()
    assert "target.py" in result.message
    shown = [result.message, *(m.message for m in result.mutants),
             *(t.message for m in result.mutants for t in m.tests)]
    assert not any("/work" in text for text in shown), shown
