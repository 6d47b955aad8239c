"""Save an edited ``problem.toml`` over the author's own file: comments and layout survive.

Why not :func:`toml_writer.dumps_manifest` for every save: it writes the whole file
from the values, so an author's comments (``# why this bug matters``), blank lines
and key order were lost the first time the studio saved. Here the file as it was
read is parsed with ``tomlkit`` (which keeps every comment and every byte of
layout), only the values that changed are replaced, removed keys are deleted and
new keys are inserted after the last key of their table (before any trailing
comment or blank line). An unchanged draft gives the file back byte for byte.

Mutants are matched to their ``[[mutants]]`` tables by where they came from (the
draft remembers each mutant's index in the file), not by name, so a renamed
mutant keeps its comments. A deleted mutant's table goes, with the comments inside
it; a new one is appended in the layout :mod:`toml_writer` uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Item, Table, Whitespace

from qa_arena_desktop.authoring.toml_writer import _line


def _item(name: str, value: Any) -> Item:
    """A tomlkit item spelled exactly as :mod:`toml_writer` writes ``name = value``."""
    item = tomlkit.parse(_line(name, value) + "\n").item(name)
    assert isinstance(item, Item)
    return item


def _plain(item: Any) -> Any:
    """A tomlkit value as plain Python (strings, numbers, lists, dicts) for comparing."""
    return item.unwrap() if isinstance(item, Item) else item


def _last_key_index(container: Container) -> int:
    """Body index of the container's last plain ``key = value`` (-1 when there is none)."""
    last = -1
    for index, (key, item) in enumerate(container.body):
        if key is not None and not isinstance(item, Table | AoT):
            last = index
    return last


def _insert(where: Container | Table, name: str, item: Item) -> None:
    """Right after the last key, so a trailing comment or blank line stays at the end."""
    container = where.value if isinstance(where, Table) else where
    index = _last_key_index(container) + 1
    if index < len(container.body) and (index > 0 or not isinstance(item, Table | AoT)):
        container._insert_at(index, name, item)
    else:
        container.append(name, item)


def _update(container: Container | Table, values: Mapping[str, Any], skip: frozenset[str] = frozenset(),
            omit_false: frozenset[str] = frozenset()) -> None:
    """Make ``container``'s keys hold ``values`` (``None`` = absent), touching only changes.

    ``omit_false``: keys whose ``false`` is the default and is not written when new
    (``equivalent``), as :func:`toml_writer.dumps_manifest` leaves it out.
    """
    for name in [k for k in container if k not in skip]:
        if values.get(name) is None:
            del container[name]
    for name, value in values.items():
        if name in skip or value is None:
            continue
        if name in container:
            if _plain(container[name]) != value:
                container[name] = _item(name, value)
        elif not (name in omit_false and value is False):
            _insert(container, name, _item(name, value))


def _blank_line_after(table: Table) -> None:
    """End ``table`` with a blank line, so the ``[[mutants]]`` appended after it stands apart."""
    body = table.value.body
    if not body or not isinstance(body[-1][1], Whitespace):
        table.value.append(None, tomlkit.nl())


def _update_mutants(doc: Container, mutants: Sequence[Mapping[str, Any]],
                    origins: Sequence[int | None]) -> None:
    existing = doc.get("mutants")
    tables: list[Table] = list(existing) if isinstance(existing, AoT) else []
    kept = [o for o in origins if o is not None and 0 <= o < len(tables)]
    if not mutants:
        if "mutants" in doc:
            del doc["mutants"]
        return
    if not isinstance(existing, AoT) or kept != sorted(set(kept)):
        # No tables yet, or reordered: write the array afresh (the kept tables keep
        # their own comments; only the blank lines between them may change).
        fresh = tomlkit.aot()
        for mutant, origin in zip(mutants, origins, strict=True):
            table = tables[origin] if origin is not None and 0 <= origin < len(tables) \
                else tomlkit.table()
            _update(table, mutant, omit_false=frozenset({"equivalent"}))
            fresh.append(table)
        if "mutants" in doc:
            del doc["mutants"]
        doc.append("mutants", fresh)
        return
    for index in reversed(range(len(tables))):
        if index not in kept:
            del existing[index]
    for mutant, origin in zip(mutants, origins, strict=True):
        if origin is not None and 0 <= origin < len(tables):
            table = tables[origin]
        else:
            if len(existing):
                _blank_line_after(existing[len(existing) - 1])
            table = tomlkit.table()
            existing.append(table)
            table = existing[len(existing) - 1]
        _update(table, mutant, omit_false=frozenset({"equivalent"}))


def edit_manifest(original: str, manifest: Mapping[str, Any],
                  origins: Sequence[int | None]) -> str | None:
    """``original`` edited to hold ``manifest``; None when tomlkit cannot read it.

    ``origins``: per mutant of ``manifest["mutants"]``, its index among the
    ``[[mutants]]`` tables of ``original`` (None for a mutant added since).
    """
    try:
        doc = tomlkit.parse(original)
    except TOMLKitError:
        return None
    top = {name: value for name, value in manifest.items() if name != "mutants"}
    _update(doc, top, skip=frozenset({"mutants"}))
    _update_mutants(doc, list(manifest.get("mutants") or ()), origins)
    return tomlkit.dumps(doc)
