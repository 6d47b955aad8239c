"""A real ``qa-arena worker`` whose judge dies on one file: the poison-file test's worker.

Everything is the product's code, started the way the command starts it, except
one injected fault: when the judge is handed a file containing ``POISON_MARK``,
the worker process SIGKILLs itself (as a judge crash that takes the process down
would). Every other file is judged normally. Usage: ``python poison_worker.py worker ARGS``.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

POISON_MARK = b"POISON-PILL-FOR-THE-WORKER"


def main() -> int:
    from qa_arena_desktop.classroom import batch
    from qa_arena_desktop.cli.main import main as cli_main

    judge_file = batch.ServiceJudge.__call__

    def poisoned(self, pack, data, cancel):  # type: ignore[no-untyped-def]
        if POISON_MARK in data:
            os.kill(os.getpid(), signal.SIGKILL)
        return judge_file(self, pack, data, cancel)

    batch.ServiceJudge.__call__ = poisoned  # type: ignore[method-assign]
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
