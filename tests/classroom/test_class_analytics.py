"""The class report: JSON and HTML written and read back (kill rates, failing groups, histogram)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from qa_arena_desktop.classroom.class_analytics import (
    ClassReportError,
    class_report,
    histogram,
    load_class_report,
    normalise,
)
from qa_arena_desktop.classroom.class_report_html import histogram_svg, write_class_report
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.judge_models import GoldenResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from tests.classroom.fakes import make_pack, result
from tests.classroom.test_student_reports import HOSTILE, Page


def failing(pack, file, message, test="test_x", outcome="failed"):
    answer = result(pack, status=SubmissionStatus.FAILURE, message="failed on golden")
    answer = answer.model_copy(update={"golden": GoldenResult(
        outcome=outcome, failed_tests=(test,) if outcome == "failed" else (), message=message)})
    return GradeRow.from_result(file, "f" * 64, answer)


def class_rows(pack):
    killed_all = {"returns-same": MutantStatus.KILLED, "adds-two": MutantStatus.KILLED,
                  "subtracts": MutantStatus.TIMEOUT}
    return [
        GradeRow.from_result("a.py", "a" * 64, result(pack, killed_all)),
        GradeRow.from_result("b.py", "b" * 64, result(pack, {"returns-same": MutantStatus.KILLED})),
        GradeRow.from_result("c.py", "c" * 64, result(pack, {"returns-same": MutantStatus.KILLED},
                                                      flags=("introspects-code-under-test",))),
        GradeRow.from_result("d.py", "d" * 64, result(pack)),
        failing(pack, "e.py", "assert add_one(-1) == -2\n  where 0 = add_one(-1)", "test_neg"),
        failing(pack, "f.py", "E   AssertionError: assert  add_one(-1) ==   -2", "test_minus"),
        failing(pack, "g.py", "assert <object at 0x7f3a2b1c9d80> == 3", "test_obj"),
        failing(pack, "h.py", "your tests hit the time limit", outcome="timeout"),
        GradeRow.error("i.py", 3, "engine stopped"),
    ]


def test_assertions_are_grouped_by_their_first_line_normalised():
    assert normalise("E   AssertionError: assert  add_one(-1) ==   -2\nmore") == \
        "assert add_one(-1) == -2"
    assert normalise("assert <X at 0x7f3a2b1c9d80> == 3") == "assert <X at 0x…> == 3"
    assert normalise("") == "(no message)"
    assert normalise("\x1b[31m\u202e") == "\\x1b[31m\\u202e"


def test_the_json_report_has_kill_rates_groups_histogram_and_flags(tmp_path):
    pack = make_pack(tmp_path / "packs")
    json_path, _ = write_class_report(class_report(pack, class_rows(pack)), tmp_path)
    report = json.loads(json_path.read_text())
    assert report["kind"] == "qa-arena-class-report" and report["version"] == 1
    assert (report["files"], report["graded"], report["not_graded"]) == (9, 8, ["i.py"])
    rates = {b["name"]: (b["killed"], b["judged"], b["kill_rate"]) for b in report["bugs"]}
    assert rates == {"returns-same": (3, 4, 0.75), "adds-two": (1, 4, 0.25),
                     "subtracts": (1, 4, 0.25)}
    failed = report["failed_on_golden"]
    assert failed["students"] == 4 and failed["share"] == 0.5
    first, *rest = failed["groups"]
    assert (first["kind"], first["message"], first["students"]) == (
        "assertion", "assert add_one(-1) == -2", 2)
    assert first["files"] == ["e.py", "f.py"] and first["tests"] == ["test_neg", "test_minus"]
    assert [(g["kind"], g["students"]) for g in rest] == [("assertion", 1), ("timeout", 1)]
    assert [b["count"] for b in report["scores"]["histogram"]] == [4, 0, 0, 1, 0, 2, 0, 0, 0, 1]
    assert report["scores"]["mean"] == round((100 + 53.3 + 53.3 + 30) / 8, 1)
    assert report["flagged"] == [{"file": "c.py", "flags": ["introspects-code-under-test"],
                                  "meanings": [report["flagged"][0]["meanings"][0]]}]
    assert "read the code under test" in report["flagged"][0]["meanings"][0]


def test_the_html_report_is_self_contained_with_an_svg_histogram(tmp_path):
    pack = make_pack(tmp_path / "packs")
    rows = [*class_rows(pack), failing(pack, f"{HOSTILE}.py", HOSTILE, test=HOSTILE)]
    _, html_path = write_class_report(class_report(pack, rows), tmp_path)
    markup = html_path.read_text()
    page = Page(markup)
    assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    assert "http://" not in markup and "https://" not in markup
    assert "\x1b" not in markup and "\u202e" not in markup
    assert "<script>alert(1)</script>" in page.text  # the hostile message, as text
    assert "Kill rate per bug" in page.text and "almost nobody catches it" in page.text
    assert "returns-same" in page.text  # instructor-facing: real names
    svg = markup[markup.index("<svg"):markup.index("</svg>") + len("</svg>")]
    bars = ET.fromstring(svg).findall("rect")
    assert len(bars) == 10
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[0] == max(heights) and heights[1] == 0.0
    assert "e.py, f.py" in page.text and "assert add_one(-1) == -2" in page.text


def test_the_studio_reads_the_groups_back_as_suggestions(tmp_path):
    pack = make_pack(tmp_path / "packs")
    json_path, _ = write_class_report(class_report(pack, class_rows(pack)), tmp_path)
    _, suggestions = load_class_report(json_path)
    assert [(s.message, s.students) for s in suggestions] == [
        ("assert add_one(-1) == -2", 2), ("assert <object at 0x…> == 3", 1)]  # no timeouts
    assert suggestions[0].tests == ("test_neg", "test_minus")


@pytest.mark.parametrize(("content", "expected"), [
    (b"\xff\xfe", "not a JSON file"),
    (b"[1, 2]", "not a class report"),
    (b'{"kind": "qa-arena-class-report", "version": 99}', "another version"),
])
def test_a_file_that_is_not_a_class_report_is_refused(tmp_path, content, expected):
    path = tmp_path / "report.json"
    path.write_bytes(content)
    with pytest.raises(ClassReportError, match=expected):
        load_class_report(path)


def test_histogram_bins_include_100_in_the_last():
    assert [b["count"] for b in histogram([0, 9.9, 10, 99.9, 100])] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def _label_box(label: ET.Element) -> tuple[float, float, float, float]:
    """The screen box (x0, y0, x1, y1) a short SVG text label covers, rotated or not."""
    size = float(label.get("font-size", "12"))
    length = 0.62 * size * len(label.text or "")  # a generous average glyph width
    x, y = float(label.get("x", "0")), float(label.get("y", "0"))
    anchor = label.get("text-anchor", "start")
    start = x - length / 2 if anchor == "middle" else x
    if label.get("transform") == "rotate(-90)":  # (x, y) -> (y, -x) on screen
        return (y - size, -(start + length), y, -start)
    return (start, y - size, start + length, y)


def test_the_histograms_axis_label_never_covers_a_bar():
    # a class where the first bin (0-10: the tests fail on the correct code) is the peak
    svg = ET.fromstring(histogram_svg(histogram([0, 0, 0, 0, 45, 45, 75, 75, 85, 95])))
    label = next(t for t in svg.findall("text") if t.text == "students")
    x0, y0, x1, y1 = _label_box(label)
    for bar in svg.findall("rect"):
        bx, by = float(bar.get("x", "0")), float(bar.get("y", "0"))
        bw, bh = float(bar.get("width", "0")), float(bar.get("height", "0"))
        if bh:
            assert x1 <= bx or bx + bw <= x0 or y1 <= by or by + bh <= y0, bar.find("title").text
    assert x0 >= 0 and y0 >= 0  # and it stays inside the picture
