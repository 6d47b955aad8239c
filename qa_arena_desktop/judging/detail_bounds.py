"""A bounded amount of per-test detail per submission, whatever the learner's file holds.

500 tests with long names, each reported on every mutant, made 7 to 9 MB per
submission in the catalog. Now each variant run keeps at most its share of
:data:`MAX_DETAIL_BYTES` (split evenly over golden and the scored mutants, so what
is kept does not depend on the order the variants finish in): the failing tests
first, then the others, each test's id, outcome and message counted; what does not
fit is dropped and counted in ``omitted_tests``. Test ids are cut to
:data:`MAX_ID_CHARS` (the cut keeps a short hash of the whole id, so two long ids
stay two tests).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from qa_arena_desktop.domain.judge_models import TestOutcome

MAX_DETAIL_BYTES = 256 * 1024
MAX_ID_CHARS = 200
ENTRY_OVERHEAD = 40  # the JSON around one stored test entry
FLAG = "details-truncated"
FAILING = frozenset({"failed", "error"})


def cap_id(test_id: str) -> str:
    if len(test_id) <= MAX_ID_CHARS:
        return test_id
    digest = hashlib.sha256(test_id.encode("utf-8", "replace")).hexdigest()[:10]
    return f"{test_id[: MAX_ID_CHARS - 13]}...{digest}"


def share(variants: int) -> int:
    """The bytes of detail one variant run may keep."""
    return MAX_DETAIL_BYTES // max(1, variants)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "replace"))


def _entry_size(entry: TestOutcome) -> int:
    return _size(entry.id) + _size(entry.outcome) + _size(entry.message) + ENTRY_OVERHEAD


def bound(tests: Iterable[TestOutcome], failed: Iterable[str],
          budget: int) -> tuple[tuple[TestOutcome, ...], tuple[str, ...], int]:
    """(tests kept in their reported order, failing ids kept, how many tests were cut).

    Failing tests come first (the listed failing ids, then entries that failed or
    errored), each with its entry and its id; then the others, while the total
    stays within ``budget`` bytes.
    """
    entries: dict[str, TestOutcome] = {}
    for test in tests:
        entries.setdefault(cap_id(test.id), test.model_copy(update={"id": cap_id(test.id)}))
    failing = list(dict.fromkeys(cap_id(name) for name in failed))
    listed = set(failing)
    urgent = failing + [i for i, t in entries.items()
                        if t.outcome in FAILING and i not in listed]
    others = [i for i in entries if i not in listed and entries[i].outcome not in FAILING]
    used = 0
    kept: set[str] = set()
    for name in urgent + others:
        cost = _entry_size(entries[name]) if name in entries else 0
        if name in listed:
            cost += _size(name) + ENTRY_OVERHEAD
        if used + cost > budget:
            break
        used += cost
        kept.add(name)
    reported = set(entries) | listed
    return (tuple(t for i, t in entries.items() if i in kept),
            tuple(name for name in failing if name in kept), len(reported - kept))
