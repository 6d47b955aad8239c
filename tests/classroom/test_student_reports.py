"""Student reports under each feedback profile, read back from the files written (HTML parsed)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from qa_arena_desktop.classroom.feedback import pack_default, student_view
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.classroom.student_reports import write_student_reports
from qa_arena_desktop.domain.judge_models import GoldenResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.packs.loader import load_pack
from tests.classroom.fakes import MUTANTS, make_pack, result
from tests.packs.factory import manifest, write_pack

HINTS = {"returns-same": "Zero in, zero out?", "adds-two": "How big is the step?",
         "subtracts": "Which way does it go?"}
GOLDEN_VALUE = "assert 1 == 99"  # what golden's run said: it holds the correct code's value


class Page(HTMLParser):
    """The text, the tags and the attributes of a page, as a browser would parse it."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.chunks: list[str] = []
        self.skipping = False  # inside <style> or <title>: not shown in the page
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self.skipping = tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skipping = False

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


@pytest.fixture
def pack(tmp_path):
    text = manifest(mutants=MUTANTS)
    for name, hint in HINTS.items():
        text = text.replace(f'name = "{name}"\nfile = "mutants/{name}.py"\nweight = 1.0\n'
                            'hint = "Look closely."',
                            f'name = "{name}"\nfile = "mutants/{name}.py"\nweight = 1.0\n'
                            f'hint = "{hint}"')
    return load_pack(write_pack(tmp_path / "packs", mutants=MUTANTS, toml=text))


def rows(pack):
    caught = result(pack, {"adds-two": MutantStatus.KILLED}, tests=("test_step", "test_zero"))
    failed = result(pack, status=SubmissionStatus.FAILURE,
                    message=f"test_wrong failed on the correct implementation: {GOLDEN_VALUE}")
    failed = failed.model_copy(update={"golden": GoldenResult(
        outcome="failed", failed_tests=("test_wrong",), message=GOLDEN_VALUE)})
    return [GradeRow.from_result("class/alice_test.py", "a" * 64, caught),
            GradeRow.from_result("class/bob_test.py", "b" * 64, failed),
            GradeRow.error("class/carol_test.py", 3, "engine stopped")]


def read(folder: Path, stem: str) -> tuple[Page, str]:
    return Page((folder / f"{stem}.html").read_text()), (folder / f"{stem}.md").read_text()


def test_practice_names_caught_bugs_and_shows_everything(tmp_path, pack):
    out = tmp_path / "reports"
    written = write_student_reports(out, pack, rows(pack), "practice")
    assert written == {"class/alice_test.py": "alice_test.html", "class/bob_test.py": "bob_test.html",
                       "class/carol_test.py": "carol_test.html"}
    alice, alice_md = read(out, "alice_test")
    assert "76.7" not in alice.text and "53.3 / 100" in alice.text
    assert "1 of 3 bugs caught" in alice.text
    assert "Report for alice_test.py" in alice.text and "class/" not in alice.text
    assert "Bug 2: adds-two" in alice.text and "caught by test_step" in alice.text
    assert "returns-same" not in alice.text and "subtracts" not in alice.text  # survivors unnamed
    assert "Hint: Zero in, zero out?" in alice.text and "Hint: Which way does it go?" in alice.text
    assert "How big is the step?" not in alice.text  # a caught bug needs no hint
    assert "Bug 2: adds\\-two" in alice_md and "**Score: 53.3 / 100**" in alice_md
    bob, _ = read(out, "bob_test")
    assert GOLDEN_VALUE in bob.text and "did not pass on the correct code" in bob.text
    assert "Bug" not in bob.text and "Hint" not in bob.text  # no bug was checked
    carol, _ = read(out, "carol_test")
    assert "not graded yet" in carol.text and "not your fault" in carol.text


def test_graded_hides_every_bug_name_and_golden_messages(tmp_path, pack):
    out = tmp_path / "reports"
    write_student_reports(out, pack, rows(pack), "graded")
    for stem in ("alice_test", "bob_test", "carol_test"):
        page, markdown = read(out, stem)
        for name in MUTANTS:
            assert name not in page.text and name not in markdown
        assert GOLDEN_VALUE not in page.text and "99" not in markdown
    alice, alice_md = read(out, "alice_test")
    assert "1 of 3 bugs caught" in alice.text and "53.3 / 100" in alice.text
    assert "Bug 1 not caught Hint: Zero in, zero out?" in alice.text
    assert "Bug 2 caught" in alice.text and "test_step" not in alice.text
    assert "| Bug 3 | not caught | Hint: Which way does it go? |" in alice_md
    bob, bob_md = read(out, "bob_test")
    assert "1 of your tests failed on the correct code" in bob.text
    assert "test_wrong" in bob.text and "test\\_wrong" in bob_md  # which test, never its message


def test_exam_shows_the_score_only(tmp_path, pack):
    out = tmp_path / "reports"
    write_student_reports(out, pack, rows(pack), "exam")
    alice, alice_md = read(out, "alice_test")
    assert "53.3 / 100" in alice.text
    assert "Bug" not in alice.text and "caught" not in alice.text and "Hint" not in alice.text
    assert "Bug" not in alice_md and "table" not in alice.tags
    bob, _ = read(out, "bob_test")
    assert "0.0 / 100" in bob.text and "test_wrong" not in bob.text


def test_dropped_tests_are_listed_with_messages_only_in_practice(tmp_path, pack):
    row = GradeRow.from_result("alice_test.py", "a" * 64, result(pack))
    row = GradeRow(**{**row.__dict__, "dropped": (("test_bad", GOLDEN_VALUE),)})
    assert "test_bad" in str(student_view(pack, row, "graded").dropped)
    assert student_view(pack, row, "graded").dropped == (("test_bad", ""),)
    assert student_view(pack, row, "practice").dropped == (("test_bad", GOLDEN_VALUE),)
    assert student_view(pack, row, "exam").dropped == ()


HOSTILE = "<script>alert(1)</script></td></table><img src=x onerror=alert(2)>\x1b[31m\u202egnp.exe"


def test_hostile_test_names_and_messages_are_text_never_markup(tmp_path, pack):
    answer = result(pack, {"returns-same": MutantStatus.KILLED}, tests=(HOSTILE, "test_ok"))
    answer = answer.model_copy(update={"mutants": tuple(
        m.model_copy(update={"message": HOSTILE + "\n| col | `tick`"}) for m in answer.mutants)})
    row = GradeRow.from_result(f"class/{HOSTILE}.py", "a" * 64, answer)
    out = tmp_path / "reports"
    [name] = write_student_reports(out, pack, [row], "practice").values()
    markup = (out / name).read_text()
    page = Page(markup)
    assert page.tags.count("script") == 0 and "img" not in page.tags
    assert page.tags.count("table") == 1  # the one bugs table, not closed early by </td></table>
    assert not any(name.startswith("on") for name, _ in page.attrs)
    assert "<script>alert(1)</script>" in page.text  # shown as text
    assert "\x1b" not in markup and "\u202e" not in markup
    assert "\\x1b[31m" in page.text and "\\u202e" in page.text
    assert "http" not in markup.lower().replace("http-equiv", "")  # nothing remote
    assert "default-src 'none'" in markup
    markdown = (out / name.replace(".html", ".md")).read_text()
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "\x1b" not in markdown and "\u202e" not in markdown
    assert "\\| col \\|" in markdown  # a pipe cannot open a table cell


def test_a_pack_sets_the_default_profile_and_a_catalog_pack_reads_it_back(tmp_path):
    folder = write_pack(tmp_path / "packs", mutants=MUTANTS,
                        toml=manifest(mutants=MUTANTS, extra='feedback = "exam"'))
    pack = load_pack(folder)
    assert pack.feedback == "exam" and pack_default(pack) == "exam"
    from_catalog = pack.model_copy(update={"feedback": None})  # the catalog does not store it
    assert pack_default(from_catalog) == "exam"
    (folder / "description.md").write_text("changed since")
    assert pack_default(from_catalog) is None  # not the same pack any more
    assert pack_default(make_pack(tmp_path / "other")) is None


def test_an_unknown_profile_in_a_pack_is_refused(tmp_path):
    from qa_arena_desktop.packs.loader import PackError

    folder = write_pack(tmp_path / "packs", mutants=MUTANTS,
                        toml=manifest(mutants=MUTANTS, extra='feedback = "everything"'))
    with pytest.raises(PackError, match="feedback"):
        load_pack(folder)
