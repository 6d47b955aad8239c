"""``qa-arena image export FILE.tar`` / ``qa-arena image import FILE.tar``.

Moves the judge image to machines that reach no registry (an offline lab, a USB
stick): export on a machine that has the image, import on the others. Works
with any engine ``--docker-host`` / ``DOCKER_HOST`` names. Progress goes to
stderr, the outcome is one line on stdout.

Exit codes: 0 done; 2 bad input (no such file, not an image archive, a file
that holds another image, an unwritable path); 3 the judge cannot run (no
engine, no judge image to export, or the imported image is not the one this
version of the app needs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

import docker.errors
import requests.exceptions

from qa_arena_desktop.classroom.image_transfer import TransferError, archive_tags, export_image, import_image
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.console.output import error
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.engine import IMAGE_TAG
from qa_arena_desktop.judging.image import image_status

MB = 1024 * 1024


class ByteProgress:
    """``exporting qa-arena-judge:0.1.0: 64 / 124 MB``: rewritten in place on a terminal,
    a line per quarter otherwise (logs stay short)."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        # sys.stderr when called, not when imported: a caller may have redirected it since
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._last_step = -1
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if total > 0:
            step = min(done * 4 // total, 4)
            text = f"{self.label}: {done / MB:.0f} / {max(total, done) / MB:.0f} MB"
        else:
            step = done // (32 * MB)
            text = f"{self.label}: {done / MB:.0f} MB"
        if self.tty:
            self.stream.write("\r" + text)
            self._shown = True
        elif step != self._last_step:
            self._last_step = step
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self._shown:
            self.stream.write("\n")
            self.stream.flush()


def run_image_transfer(args: argparse.Namespace) -> int:
    path = Path(args.file)
    exporting = args.image_command == "export"
    if not exporting:
        try:
            archive_tags(path)  # a bad file is bad input, whether or not an engine answers
        except TransferError as exc:
            error(str(exc))
            return EXIT_BAD_INPUT
    try:
        client = engine.connect(timeout=120)
    except JudgeUnavailable as exc:
        error(str(exc))
        return EXIT_JUDGE_ERROR
    progress = ByteProgress(f"exporting {IMAGE_TAG}" if exporting else f"importing {path.name}")
    try:
        if exporting:
            written = export_image(client, path, progress)
            progress.finish()
            print(f"saved {IMAGE_TAG} to {path} ({written / MB:.0f} MB); on each lab machine run: "
                  f"qa-arena image import {path.name}")
            return EXIT_OK
        imported = import_image(client, path, progress)
        progress.finish()
        print(f"imported {', '.join(imported.tags)} ({imported.image_id}, "
              f"{imported.size / MB:.0f} MB)")
        if not imported.has_current_tag:
            error(f"this app judges with {IMAGE_TAG}: export the image from a machine that runs "
                  "the same QA Arena version, or build it with `qa-arena image build`")
            return EXIT_JUDGE_ERROR
        status = image_status(client)
        if status.problem:
            error(f"{status.problem}: it was built from other judge files than this app's; "
                  "export it again from an up-to-date machine, or run `qa-arena image build`")
            return EXIT_JUDGE_ERROR
        return EXIT_OK
    except TransferError as exc:
        progress.finish()
        error(str(exc))
        return EXIT_BAD_INPUT if exc.bad_input else EXIT_JUDGE_ERROR
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        progress.finish()
        reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        error(f"the Docker engine failed during the transfer ({reason})")
        return EXIT_JUDGE_ERROR
    finally:
        client.close()
