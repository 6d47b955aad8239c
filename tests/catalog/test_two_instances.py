"""Two app instances on one data dir: concurrent writers queue, nothing is lost or corrupted."""

import sqlite3
import subprocess
import sys
import textwrap

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from qa_arena_desktop.catalog import claims, store
    from qa_arena_desktop.catalog.db import Catalog
    from qa_arena_desktop.domain.judge_models import JudgeResult, MutantResult
    from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
    catalog = Catalog(Path(sys.argv[1]))
    prefix = sys.argv[2]
    for index in range(60):
        sid = f"{prefix}-{index}"
        store.create_submission(catalog, sid, "p", "code")
        claims.claim_submission(catalog, sid, 3)
        mutants = []
        for name in ("a", "b", "c"):
            result = MutantResult(name=name, weight=1.0, status=MutantStatus.KILLED)
            store.record_mutant_result(catalog, sid, result)
            mutants.append(result)
        store.finish_submission(catalog, JudgeResult(
            submission_id=sid, problem="p", status=SubmissionStatus.SUCCESS, score=100.0,
            killed_mutants=3, total_mutants=3, kill_ratio=1.0, mutants=tuple(mutants)))
    catalog.close()
    print("done")
""")


def test_two_processes_writing_at_once_keep_every_row_and_a_sound_file(tmp_path):
    db = tmp_path / "catalog.sqlite3"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), name],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("first", "second")]
    outputs = [w.communicate(timeout=120) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT COUNT(*) FROM submissions WHERE status = 'SUCCESS'"
                              ).fetchone() == (120,)
    assert connection.execute("SELECT COUNT(*) FROM mutant_results").fetchone() == (360,)
