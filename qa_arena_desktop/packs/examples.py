"""The description's own examples as a test file: "examples are not the answer".

``qa-arena problems validate`` judges the file this module builds from a pack's
``description.md`` and requires its score to stay at or under the difficulty's
ceiling (:data:`EXAMPLES_CEILING`): a learner who only copies the examples must not
reach a high score. The convention (docs/pack-format.md, "Examples"):

In a fenced code block marked ``python`` (or ``pycon``):

- doctest lines: ``>>> code`` (with ``... `` continuation lines) followed by the
  expected output, a Python expression; or by ``Traceback (most recent call last):``
  and a last line ``ErrorType: message`` (an exception, its message matched as text);
- comment lines: ``code  # -> expected`` or ``code  # expected``, where ``expected``
  is a Python expression, optionally followed by two spaces and a note in parentheses
  (``# 2   (first of the three 2s)``); ``code  # raises ErrorType`` or
  ``# raises ErrorType: message`` for an exception;
- every other line is code run in order (``from datetime import date``,
  ``cache = LRUCache(2)``), so one block is one scenario and one test.

A comment that is not an expression (``# the empty case``) is an ordinary comment.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field

from qa_arena_desktop.domain.pack import Difficulty

# The highest score the examples alone may reach. Very Easy shares Easy's 85: its packs
# have 4-5 mutants, so examples that miss one bug score 79-84 (docs/pack-format.md).
EXAMPLES_CEILING: dict[Difficulty, float | None] = {
    Difficulty.VERY_EASY: 85.0,
    Difficulty.EASY: 85.0,
    Difficulty.MEDIUM: 70.0,
    Difficulty.HARD: 55.0,
}

_FENCE = re.compile(r"^```\s*(\w*)\s*$")
_NOTE = re.compile(r"\s{2,}\(.*\)\s*$")
_RAISES = re.compile(r"^raises\s+([A-Za-z_][\w.]*)(?:\s*:\s*(.+))?$")
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt)\w*)"
                             r"(?::\s*(.*))?$")


@dataclass
class Block:
    """One code block: lines of test code, and how many of them check an example."""

    lines: list[str] = field(default_factory=list)
    checks: int = 0


def is_expression(text: str) -> bool:
    """Whether ``text`` is one Python expression (the value side of an example)."""
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def split_comment(line: str) -> tuple[str, str] | None:
    """(code, comment) of a line whose comment starts after the code (not inside a string),
    read with the tokenizer; None for a line with no such comment, or one that does not
    tokenize alone (the first line of a multi-line string, say)."""
    try:
        tokens = list(_tokens(line))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    for kind, start, text in tokens:
        if kind == "COMMENT":
            code = line[:start].rstrip()
            return (code, text[1:].strip()) if code else None
    return None


def _tokens(line: str) -> Iterator[tuple[str, int, str]]:

    for token in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
        yield tokenize.tok_name[token.type], token.start[1], token.string


def _check(code: str, expected: str) -> list[str] | None:
    """Test lines for ``code`` giving ``expected`` (an expression or ``raises X[: msg]``)."""
    expected = _NOTE.sub("", expected.removeprefix("->").strip()).strip()
    raised = _RAISES.match(expected)
    if raised:
        return _raises(code, raised.group(1), raised.group(2))
    if not expected or not is_expression(expected) or not is_expression(code):
        return None
    return [f"assert ({code}) == ({expected})"]


def _raises(code: str, error: str, message: str | None) -> list[str]:
    match = ""
    if message:
        text = message.strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            text = text[1:-1]
        match = f", match=re.escape({text!r})"
    return [f"with pytest.raises({error}{match}):", f"    {code}"]


def _doctest(block_lines: list[str], index: int, out: Block) -> int:
    """Read one ``>>>`` example starting at ``index``; returns the index after it."""
    source = [block_lines[index].strip()[4:]]
    index += 1
    while index < len(block_lines) and block_lines[index].strip().startswith("..."):
        source.append(block_lines[index].strip()[4:])
        index += 1
    wanted: list[str] = []
    while index < len(block_lines) and block_lines[index].strip() and not (
            block_lines[index].strip().startswith(">>>")):
        wanted.append(block_lines[index].strip())
        index += 1
    code = "\n".join(source)
    if not wanted:
        out.lines.extend(code.splitlines())
        return index
    if wanted[0].startswith("Traceback"):
        error = _EXCEPTION_LINE.match(wanted[-1])
        if error:
            out.lines.extend(_raises(code, error.group(1), error.group(2)))
            out.checks += 1
        return index
    lines = _check(code, " ".join(wanted))
    if lines:
        out.lines.extend(lines)
        out.checks += 1
    return index


def _read_block(block_lines: list[str]) -> Block:
    out = Block()
    index = 0
    while index < len(block_lines):
        line = block_lines[index]
        if line.strip().startswith(">>>"):
            index = _doctest(block_lines, index, out)
            continue
        index += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        split = split_comment(line)
        lines = _check(*split) if split else None
        if lines and not line[:1].isspace():
            out.lines.extend(lines)
            out.checks += 1
        else:
            out.lines.append(split[0] if split else line.rstrip())
    return out


def code_blocks(markdown: str) -> list[list[str]]:
    """The lines of each ``python`` / ``pycon`` fenced block, in order."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in markdown.splitlines():
        fence = _FENCE.match(line.strip())
        if fence and current is None:
            current = [] if fence.group(1).lower() in ("python", "py", "pycon") else None
            if current is None:
                current = ["<skip>"]
            continue
        if fence and current is not None:
            if current[:1] != ["<skip>"]:
                blocks.append(current)
            current = None
            continue
        if current is not None:
            current.append(line)
    return blocks


def examples_test_file(markdown: str, names: tuple[str, ...]) -> tuple[str, int]:
    """(test file text, number of examples) from a description; no examples: ("", 0)."""
    tests: list[str] = []
    count = 0
    for number, lines in enumerate(code_blocks(markdown), start=1):
        block = _read_block(lines)
        if not block.checks:
            continue
        count += block.checks
        body = "\n".join("    " + line for line in block.lines)
        tests.append(f"def test_examples_block_{number}():\n{body}\n")
    if not tests:
        return "", 0
    header = ("import re\n\nimport pytest\n\n"
              f"from target import {', '.join(names)}\n\n\n")
    return header + "\n\n".join(tests), count
