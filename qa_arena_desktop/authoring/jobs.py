"""The studio's two long jobs as plain functions: validate a draft, generate and judge candidates.

They run on a worker thread, so they take copies of plain data (a deep-copied
:class:`PackDraft`, strings) and return plain data; the Qt side only schedules
them and shows the result. Kept here, without Qt, so they are tested headless.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qa_arena_desktop.authoring.checking import CandidateCheck, Progress, check_candidates
from qa_arena_desktop.authoring.draft import PackDraft
from qa_arena_desktop.authoring.mutation import Candidate, generate_candidates
from qa_arena_desktop.authoring.pack_writer import write_pack
from qa_arena_desktop.authoring.validation import PackValidation, validate_pack
from qa_arena_desktop.domain.backend import Backend, JudgeUnavailable
from qa_arena_desktop.domain.pack import SupportFile


@dataclass(frozen=True)
class GenerateResult:
    golden: str  # the golden the candidates were made from
    candidates: tuple[Candidate, ...]
    check: CandidateCheck | None  # None: not judged (no tests, or no engine)
    message: str = ""


def validate_draft(draft: PackDraft, backend: Backend) -> PackValidation:
    """``validate_pack`` on the draft as it is now (written to a temporary folder first).

    The unsaved edits are what the author wants checked, and validation must not
    touch the pack's own folder. Raises ``JudgeUnavailable`` without an engine.
    """
    with tempfile.TemporaryDirectory(prefix="qa-arena-studio-") as temporary:
        folder = Path(temporary) / (draft.slug or "pack")
        write_pack(draft, folder)
        return validate_pack(folder, backend)


def generate_and_check(golden: str, reference_tests: str, backend: Backend,
                       time_limit_s: float = 5.0,
                       cancel: threading.Event | None = None,
                       on_progress: Progress | None = None,
                       support_files: Sequence[SupportFile] = ()) -> GenerateResult:
    """Candidates of ``golden`` with verdicts; without tests or an engine, without verdicts.

    The candidates are judged as one batch (:func:`check_candidates`), reporting
    ``on_progress(done, total)``; a cancel keeps the verdicts known so far.
    Raises ``GoldenError`` when golden does not compile.
    """
    candidates = tuple(generate_candidates(golden))
    if not candidates:
        return GenerateResult(golden, candidates, None, "no mutation applies to this golden")
    if not reference_tests.strip():
        return GenerateResult(golden, candidates, None, "write reference tests to get verdicts")
    try:
        check = check_candidates(golden, reference_tests, candidates, backend, cancel,
                                 time_limit_s=time_limit_s, on_progress=on_progress,
                                 support_files=support_files)
    except JudgeUnavailable as exc:
        return GenerateResult(golden, candidates, None, f"no verdicts: {exc.message}")
    return GenerateResult(golden, candidates, check)
