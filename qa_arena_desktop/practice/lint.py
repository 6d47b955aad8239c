"""What the editor marks while the learner types: syntax errors and undefined names.

pyflakes reads the test file without running it, so a typo shows before any run
(and before the judge's container starts). Only two kinds of finding are kept:
the ones that make a test fail for a reason that has nothing to do with the code
under test. Unused imports, redefinitions and the like are style, not errors: the
starter file's ``from target import <name>`` is "unused" until the first test
uses it. Names bound by ``from target import ...`` are ordinary imports, and a
``from target import *`` only silences pyflakes' undefined-name check (it cannot
know what the star brings), so neither is ever marked.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

from pyflakes import checker, messages

MAX_LINT_CHARS = 256 * 1024  # longer texts are not linted while typing (the judge still checks)
SYNTAX = "syntax"
UNDEFINED = "undefined"
_UNDEFINED_KINDS = (messages.UndefinedName, messages.UndefinedLocal, messages.UndefinedExport)
_QUOTED = re.compile(r"'([^']+)'")


@dataclass(frozen=True)
class LintIssue:
    line: int  # 1-based
    column: int  # 0-based, in characters
    length: int  # characters to underline (at least 1)
    message: str  # in words, no file name or path
    kind: str  # SYNTAX | UNDEFINED


def lint_tests(text: str) -> list[LintIssue]:
    """The syntax error (at most one: parsing stops there) or the undefined names of
    ``text``, in line order. Pure and quick (a few ms for a few hundred lines)."""
    if len(text) > MAX_LINT_CHARS:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for "\d" in a string
            tree = ast.parse(text, filename="test_yours.py")
    except SyntaxError as exc:
        return [_syntax_issue(text, exc)]
    except (ValueError, RecursionError, MemoryError):  # NUL bytes, absurd nesting
        return []
    issues = []
    for found in checker.Checker(tree, filename="test_yours.py").messages:
        if not isinstance(found, _UNDEFINED_KINDS):
            continue
        words = found.message % found.message_args
        name = _QUOTED.search(words)
        issues.append(LintIssue(line=found.lineno, column=found.col,
                                length=len(name.group(1)) if name else 1,
                                message=words, kind=UNDEFINED))
    return sorted(issues, key=lambda issue: (issue.line, issue.column))


def _syntax_issue(text: str, exc: SyntaxError) -> LintIssue:
    line = max(1, exc.lineno or 1)
    lines = text.splitlines()
    source_line = lines[line - 1] if line <= len(lines) else ""
    column = max(0, min((exc.offset or 1) - 1, len(source_line)))
    if column == len(source_line) and column > 0:
        column -= 1  # "unexpected end of line": mark the last character, not past it
    what = exc.msg or "invalid syntax"
    return LintIssue(line=line, column=column, length=1,
                     message=f"syntax error: {what}", kind=SYNTAX)
