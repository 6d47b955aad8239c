"""What a pack must tell learners before it is published: checked by validate, Publish, the studio.

The loader accepts a pack that is *well formed*; these checks ask whether it is
*finished* (docs/pack-format.md, "Finished packs"), so a work-in-progress pack
still opens, loads and saves, but ``qa-arena problems validate`` and the studio's
Validate and Publish refuse it:

- the description is not still the starter text that ``new pack`` writes
  (:data:`TEMPLATE_PLACEHOLDER`);
- the description has at least one example: a line that calls the function,
  inside a fenced code block (````` or ``~~~``) or after a ``>>>`` prompt (its
  ``def`` line, as in the starter's signature block, does not count);
- every scored mutant (not marked ``equivalent``) has a hint: it is what a
  learner whose tests let the bug survive is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qa_arena_desktop.domain.pack import MANIFEST, Pack
from qa_arena_desktop.packs.errors import PackIssue

# The sentence the starter description asks the author to replace (authoring.draft.new_pack).
TEMPLATE_PLACEHOLDER = ("Describe what it returns, with an example or two, and what it raises "
                        "on bad input.")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class MutantText:
    name: str
    hint: str
    equivalent: bool = False


def _words(text: str) -> str:
    return " ".join(text.split())


def is_template(description_md: str) -> bool:
    """True when the starter's placeholder sentence is still in the description."""
    return _words(TEMPLATE_PLACEHOLDER) in _words(description_md)


def example_lines(description_md: str, function_name: str) -> list[str]:
    """Lines that call ``function_name``, in fenced code blocks or after ``>>>``."""
    call = re.compile(rf"(?<![\w.]){re.escape(function_name)}\s*\(") if function_name else None
    found: list[str] = []
    fenced = False
    for line in description_md.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        stripped = line.strip()
        prompt = stripped.startswith(">>>")
        if not (fenced or prompt) or call is None:
            continue
        code = stripped.removeprefix(">>>").strip()
        if re.match(r"(async\s+)?def\s", code):
            continue  # the signature, not an example
        if call.search(code):
            found.append(stripped)
    return found


def content_problems(description_md: str, function_name: str,
                     mutants: Iterable[MutantText]) -> dict[str, list[str]]:
    """Problems keyed by field (``description``, ``mutants[2].hint``), as the studio shows them."""
    problems: dict[str, list[str]] = {}
    if is_template(description_md):
        problems.setdefault("description", []).append(
            "still the starter text: replace “Describe what it returns…” with the real "
            "contract")
    if not example_lines(description_md, function_name):
        name = function_name or "the function"
        problems.setdefault("description", []).append(
            f"has no example: show a call of {name}(...) in a ``` code block or on a >>> line")
    for index, mutant in enumerate(mutants):
        if not mutant.equivalent and not mutant.hint.strip():
            problems.setdefault(f"mutants[{index}].hint", []).append(
                f"mutant {mutant.name!r} has no hint: write the question a learner whose tests "
                "miss this bug should ask")
    return problems


def content_issues(pack: Pack, description_file: str = "description.md") -> list[PackIssue]:
    """:func:`content_problems` of a loaded pack, as pack issues naming the file and field."""
    problems = content_problems(pack.description_md, pack.function_name,
                                (MutantText(m.name, m.hint, m.equivalent) for m in pack.mutants))
    issues = []
    for field, messages in problems.items():
        file = description_file if field == "description" else MANIFEST
        issues += [PackIssue(file, message, field) for message in messages]
    return issues
