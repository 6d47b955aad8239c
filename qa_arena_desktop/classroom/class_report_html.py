"""``class-report.html``: the class analytics as one self-contained page.

No script and nothing loaded from anywhere (a Content-Security-Policy says so too): the
score histogram is an inline SVG drawn here, bars as ``<rect>`` elements. Every value
from the students' files (file names, test ids, assertion messages) is escaped as in
the student reports (:func:`.student_reports.text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qa_arena_desktop.classroom.student_reports import CSP, text
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.text_safety import json_text

STYLE = """
body{font:14px/1.5 system-ui,sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:1.6rem 0 .4rem}
.sub{color:#5b6472;margin:.2rem 0 1rem}.cards{display:flex;gap:.8rem;flex-wrap:wrap}
.card{background:#f3f5f8;border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dde1e8;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f5f8}
.bar{background:#e4e8ef;border-radius:3px;height:.8rem;width:10rem;display:inline-block}
.fill{background:#3b6fd8;border-radius:3px;height:.8rem;display:block}
.low .fill{background:#d1533a}code{font-family:ui-monospace,monospace;overflow-wrap:anywhere;
white-space:pre-wrap}.muted{color:#7a8290}
"""
LOW_KILL_RATE = 0.25  # at or below this, a bug is one almost nobody catches


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def histogram_svg(bins: list[dict[str, Any]], width: int = 640, height: int = 220) -> str:
    """The score histogram as inline SVG: one bar per bin, counts above, ranges below."""
    left, bottom, top = 36, 34, 18
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max([int(b.get("count", 0)) for b in bins] + [1])
    step = plot_w / max(1, len(bins))
    out = [f'<svg width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="Score distribution">',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" '
           'stroke="#8a93a3"/>']
    for index, b in enumerate(bins):
        count = int(b.get("count", 0))
        bar_h = plot_h * count / peak
        x = left + index * step + 3
        y = top + plot_h - bar_h
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step - 6:.1f}" height="{bar_h:.1f}" '
                   f'fill="#3b6fd8"><title>{int(b["from"])}-{int(b["to"])}: {count}</title></rect>')
        if count:
            out.append(f'<text x="{x + (step - 6) / 2:.1f}" y="{y - 4:.1f}" font-size="12" '
                       f'text-anchor="middle" fill="#1d2330">{count}</text>')
        out.append(f'<text x="{x + (step - 6) / 2:.1f}" y="{top + plot_h + 16}" font-size="11" '
                   f'text-anchor="middle" fill="#5b6472">{int(b["from"])}–{int(b["to"])}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 2}" font-size="12" '
               'text-anchor="middle" fill="#5b6472">score</text>')
    # up the y axis, left of the bars: written across the top it covered a tall first bar
    out.append(f'<text x="{-(top + plot_h / 2):.1f}" y="14" font-size="12" transform="rotate(-90)" '
               'text-anchor="middle" fill="#5b6472">students</text>')
    out.append("</svg>")
    return "".join(out)


def _bug_rows(bugs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for bug in sorted(bugs, key=lambda b: (b["kill_rate"] is None, b["kill_rate"] or 0)):
        rate = bug["kill_rate"]
        low = rate is not None and rate <= LOW_KILL_RATE
        fill = f"{(rate or 0) * 100:.0f}%"
        rows.append(
            f'<tr class="{"low" if low else ""}"><td><code>{text(bug["name"])}</code></td>'
            f'<td><span class="bar"><span class="fill" style="width:{fill}"></span></span> '
            f'{_pct(rate)}</td><td>{bug["killed"]} of {bug["judged"]}</td>'
            f'<td>{"almost nobody catches it" if low else ""}</td></tr>')
    return rows


def render_class_report(report: dict[str, Any]) -> str:
    failed = report["failed_on_golden"]
    scores = report["scores"]
    mean = "—" if scores["mean"] is None else f"{scores['mean']:.1f}"
    median = "—" if scores["median"] is None else f"{scores['median']:.1f}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>Class report: {text(report['title'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>Class report: {text(report['title'])}</h1>",
        f'<p class="sub"><code>{text(report["problem"])}</code> · generated '
        f'{text(report["generated_at"])} · QA Arena {text(report["qa_arena_version"])}</p>',
        '<div class="cards">',
        f'<div class="card"><b>{report["graded"]}</b>graded of {report["files"]} files</div>',
        f'<div class="card"><b>{mean}</b>mean score (median {median})</div>',
        f'<div class="card"><b>{_pct(failed["share"])}</b>failed on the correct code</div>',
        f'<div class="card"><b>{len(report["flagged"])}</b>flagged files</div>',
        "</div>",
        "<h2>Kill rate per bug</h2>",
        '<p class="muted">Of the students whose tests pass on the correct code, the share '
        "that caught each bug; least caught first.</p>",
        "<table><tr><th>Bug</th><th>Kill rate</th><th>Students</th><th></th></tr>",
        *_bug_rows(report["bugs"]), "</table>",
        "<h2>Score distribution</h2>", histogram_svg(scores["histogram"]),
        "<h2>Tests that failed on the correct code</h2>",
        f'<p class="muted">{failed["students"]} of {report["graded"]} graded students '
        f'({_pct(failed["share"])}). Grouped by the failing assertion, most common first; the '
        "Author studio opens these groups as suggestions for misconception mutants.</p>",
    ]
    if failed["groups"]:
        parts.append("<table><tr><th>Students</th><th>Failing assertion</th><th>Tests</th>"
                     "<th>Files</th></tr>")
        for group in failed["groups"]:
            tests = ", ".join(f"<code>{text(t, 120)}</code>" for t in group["tests"][:5])
            files = ", ".join(text(f, 120) for f in group["files"][:8])
            more = len(group["files"]) - 8
            files += f" and {more} more" if more > 0 else ""
            parts.append(f'<tr><td>{group["students"]}</td><td><code>{text(group["message"])}'
                         f"</code></td><td>{tests}</td><td>{files}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    parts.append("<h2>Flagged files</h2>")
    if report["flagged"]:
        parts.append("<table><tr><th>File</th><th>Flags</th></tr>")
        for entry in report["flagged"]:
            flags = "<br>".join(f"<code>{text(f, 80)}</code>: {text(m)}"
                                for f, m in zip(entry["flags"], entry["meanings"], strict=False))
            parts.append(f"<tr><td>{text(entry['file'])}</td><td>{flags}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    if report["dropped_tests"]:
        parts.append("<h2>Tests left out (--invalid drop)</h2><table><tr><th>File</th>"
                     "<th>Tests</th></tr>")
        for entry in report["dropped_tests"]:
            tests = ", ".join(f"<code>{text(t, 120)}</code>" for t in entry["tests"])
            parts.append(f"<tr><td>{text(entry['file'])}</td><td>{tests}</td></tr>")
        parts.append("</table>")
    if report["not_graded"]:
        parts.append("<h2>Not graded (judge errors)</h2><ul>")
        parts += [f"<li>{text(f)}</li>" for f in report["not_graded"]]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_class_report(report: dict[str, Any], directory: Path,
                       name: str = "class-report") -> tuple[Path, Path]:
    """``NAME.json`` and ``NAME.html`` in ``directory`` (``qa-arena grade`` names them
    after its report, ``grades-class-report.*``, so two problems graded into one folder
    keep a class report each)."""
    json_path, html_path = directory / f"{name}.json", directory / f"{name}.html"
    write_atomically(json_path, json_text(report, indent=2) + "\n")
    write_atomically(html_path, render_class_report(report))
    return json_path, html_path
