"""A small, deterministic TOML writer for ``problem.toml`` (the stdlib only reads TOML).

Why our own: the output must be byte-stable (saving an unchanged pack twice gives
identical files, so packs diff cleanly in version control) and laid out the way
DESIGN.md shows it: top-level keys in the documented order (an ``api`` block as a
multi-line string), then one ``[[goldens]]`` table per further golden and one
``[[mutants]]`` table per mutant. Only the value types a manifest uses are
supported: strings, booleans, integers, floats, lists of those, and small tables
written inline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

TOP_ORDER = ("slug", "title", "difficulty", "kind", "chapter", "function_signature", "api",
             "support_files", "description", "golden", "reference_tests", "time_limit_s", "tags")
GOLDEN_ORDER = ("file", "clause")
MUTANT_ORDER = ("name", "file", "weight", "hint", "equivalent")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}
_BARE_KEY = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def quote(text: str) -> str:
    """A TOML basic string: escapes for quotes, backslashes and control characters."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    return name if name and set(name) <= _BARE_KEY else quote(name)


def number(value: float, prefer_int: bool = False) -> str:
    """Floats keep a decimal point (``1.0``); ``prefer_int`` writes whole numbers as ints (``5``)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if prefer_int and float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return number(item)
    if isinstance(item, str):
        return quote(item)
    if isinstance(item, Mapping):
        inner = ", ".join(f"{key(str(k))} = {value(v)}" for k, v in item.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(item, Sequence):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise TypeError(f"cannot write {type(item).__name__} to TOML")


def _ordered(table: Mapping[str, Any], order: Sequence[str]) -> list[tuple[str, Any]]:
    known = [(name, table[name]) for name in order if name in table]
    return known + [(name, v) for name, v in table.items() if name not in order]


def _multiline(text: str) -> str | None:
    """A multi-line basic string (an ``api`` block) when the text can be one verbatim."""
    if "\n" not in text or '"""' in text or "\\" in text or text.endswith('"') or any(
            (ord(char) < 0x20 and char != "\n") or ord(char) == 0x7F for char in text):
        return None
    return '"""\n' + text + '"""'


def _line(name: str, item: Any) -> str:
    if name == "time_limit_s" and isinstance(item, int | float) and not isinstance(item, bool):
        return f"{key(name)} = {number(item, prefer_int=True)}"
    if isinstance(item, str) and (block := _multiline(item)) is not None:
        return f"{key(name)} = {block}"
    return f"{key(name)} = {value(item)}"


def _tables(name: str, items: Any, order: Sequence[str]) -> list[str]:
    """``[[name]]`` tables (further goldens, mutants), one per item."""
    lines: list[str] = []
    for table in items or ():
        lines += ["", f"[[{name}]]"]
        for field, item in _ordered(table, order):
            if item is None or (field == "equivalent" and item is False):
                continue
            lines.append(_line(field, item))
    return lines


def dumps_manifest(manifest: Mapping[str, Any]) -> str:
    """``problem.toml`` text for a manifest dict (``mutants`` a list of dicts).

    ``None`` values are left out (TOML has no null). ``equivalent = false`` is the
    default and is left out too, as in the bundled packs.
    """
    goldens = manifest.get("goldens")
    as_tables = isinstance(goldens, list) and all(isinstance(g, Mapping) for g in goldens)
    lines = [_line(name, item) for name, item in _ordered(manifest, TOP_ORDER)
             if name != "mutants" and item is not None and not (name == "goldens" and as_tables)]
    if as_tables:
        lines += _tables("goldens", goldens, GOLDEN_ORDER)
    lines += _tables("mutants", manifest.get("mutants"), MUTANT_ORDER)
    return "\n".join(lines) + "\n"
