"""One report per student, in HTML and Markdown, readable offline: ``grade --student-reports DIR``.

The content is decided by the feedback profile (:mod:`.feedback`); this module only lays
it out. Every value came from a hostile test file, so every value is escaped on the way
out: control characters and bidi overrides are shown as escapes
(:func:`~qa_arena_desktop.text_safety.visible`), then HTML-escaped (``<script>``, ``</td>``
and quotes are text). The page has no script and loads nothing (a Content-Security-Policy
that allows inline style only, as a second net). In Markdown, HTML is written as entities
and Markdown's punctuation is backslash-escaped, so a renderer shows text, never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from qa_arena_desktop.classroom.feedback import StudentView, student_view
from qa_arena_desktop.classroom.mte import report_names
from qa_arena_desktop.classroom.rows import GradeRow
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.text_safety import one_line, visible

MAX_TEXT = 600  # characters of one message or id in a report
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem;margin:0}.sub{color:#5b6472;margin:.2rem 0 1.2rem}
.score{font-size:2.4rem;font-weight:700}.headline{font-size:1.1rem;margin:.2rem 0 1rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1.2rem}
th,td{border-bottom:1px solid #dde1e8;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}.caught{color:#1f7a3a;font-weight:600}.missed{color:#a3471b;font-weight:600}
code{font-family:ui-monospace,monospace;font-size:.92em;overflow-wrap:anywhere;white-space:pre-wrap}
.note{background:#fff6e0;border-left:4px solid #e0a526;padding:.5rem .8rem;margin:.6rem 0}
footer{color:#7a8290;font-size:.85rem;margin-top:2rem}
"""


def text(value: object, limit: int = MAX_TEXT) -> str:
    """One visible line of ``value``, HTML-escaped (quotes too)."""
    return html.escape(one_line(value, limit), quote=True)


def text_block(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` with its lines kept (for a failure message in ``<code>``, which wraps),
    controls escaped, HTML-escaped."""
    kept = visible(value, multiline=True).strip()
    kept = kept if len(kept) <= limit else kept[: limit - 3] + "..."
    return html.escape(kept, quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(value: object, limit: int = MAX_TEXT) -> str:
    """One visible line of ``value`` that a Markdown renderer shows as text."""
    line = one_line(value, limit)
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", line)


def _score_text(view: StudentView) -> str:
    return "not graded yet" if view.score is None else f"{view.score:.1f} / 100"


def render_html(view: StudentView) -> str:
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{text(view.problem)}: {text(view.file)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{text(view.problem)}</h1>",
        f'<p class="sub">Report for <code>{text(view.file)}</code></p>',
        f'<div class="score">{_score_text(view)}</div>',
    ]
    if view.profile != "exam" or view.score is None:
        parts.append(f'<p class="headline">{text(view.headline)}</p>')
    for note in view.notes:
        parts.append(f'<p class="note">{text(note)}</p>')
    if view.failing_tests:
        parts.append("<p>Tests that failed on the correct code:</p><ul>")
        parts += [f"<li><code>{text(test)}</code></li>" for test in view.failing_tests]
        parts.append("</ul>")
    if view.dropped:
        parts.append("<h2>Tests left out</h2><table><tr><th>Test</th><th>Why</th></tr>")
        for test, message in view.dropped:
            why = f"<code>{text_block(message)}</code>" if message else \
                "it fails on the correct code"
            parts.append(f"<tr><td><code>{text(test)}</code></td><td>{why}</td></tr>")
        parts.append("</table>")
    if view.bugs:
        parts.append("<h2>Bugs</h2><table><tr><th>Bug</th><th>Verdict</th><th>Details</th></tr>")
        for bug in view.bugs:
            details = []
            if bug.caught_by:
                details.append("caught by " + ", ".join(
                    f"<code>{text(test, 200)}</code>" for test in bug.caught_by[:5]))
            if bug.message:
                details.append(f"<code>{text_block(bug.message)}</code>")
            if bug.hint:
                details.append(f"Hint: {text(bug.hint)}")
            css = "caught" if bug.caught else "missed"
            parts.append(f'<tr><td>{text(bug.label)}</td><td class="{css}">{text(bug.verdict)}'
                         f"</td><td>{'<br>'.join(details)}</td></tr>")
        parts.append("</table>")
    parts.append(f"<footer>QA Arena · feedback profile: {text(view.profile)}</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_markdown(view: StudentView) -> str:
    lines = [f"# {md(view.problem)}", "", f"Report for {md(view.file)}", "",
             f"**Score: {_score_text(view)}**", ""]
    if view.profile != "exam" or view.score is None:
        lines += [md(view.headline), ""]
    for note in view.notes:
        lines += [f"> {md(note)}", ""]
    if view.failing_tests:
        lines += ["Tests that failed on the correct code:", ""]
        lines += [f"- {md(test)}" for test in view.failing_tests] + [""]
    if view.dropped:
        lines += ["## Tests left out", "", "| Test | Why |", "|---|---|"]
        lines += [f"| {md(test)} | {md(message) if message else 'it fails on the correct code'} |"
                  for test, message in view.dropped]
        lines.append("")
    if view.bugs:
        lines += ["## Bugs", "", "| Bug | Verdict | Details |", "|---|---|---|"]
        for bug in view.bugs:
            details = []
            if bug.caught_by:
                details.append("caught by " + ", ".join(md(t, 200) for t in bug.caught_by[:5]))
            if bug.message:
                details.append(md(bug.message))
            if bug.hint:
                details.append(f"Hint: {md(bug.hint)}")
            lines.append(f"| {md(bug.label)} | {md(bug.verdict)} | {'; '.join(details)} |")
        lines.append("")
    lines.append(f"_QA Arena, feedback profile: {md(view.profile)}_")
    return visible("\n".join(lines) + "\n", multiline=True)


def write_student_reports(directory: Path, pack: Pack, rows: Sequence[GradeRow],
                          profile: str) -> dict[str, str]:
    """``<stem>.html`` and ``<stem>.md`` per row in ``directory``; returns file -> html name."""
    names = report_names([row.file for row in rows])
    written: dict[str, str] = {}
    for row in rows:
        view = student_view(pack, row, profile)
        stem = Path(names[row.file]).stem
        write_atomically(directory / f"{stem}.html", render_html(view))
        write_atomically(directory / f"{stem}.md", render_markdown(view))
        written[row.file] = f"{stem}.html"
    return written
