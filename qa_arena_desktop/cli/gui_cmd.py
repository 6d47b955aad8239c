"""``qa-arena`` with no command (or ``qa-arena gui``): the desktop app."""

from __future__ import annotations

import argparse


def run_gui(args: argparse.Namespace) -> int:
    from qa_arena_desktop.ui.app import run_app

    return run_app(args)
