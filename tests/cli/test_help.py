"""CLI conventions: every subcommand and option has help; results on stdout, progress on
stderr (`image build`)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from qa_arena_desktop.cli import engine_cmds
from qa_arena_desktop.cli.main import build_parser, main
from qa_arena_desktop.exit_codes import ExitCode


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every (command path, parser) pair under ``parser``, ``parser`` itself first."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


ALL = list(commands(build_parser()))


def test_the_walk_finds_every_command():
    paths = {" ".join(path) for path, _ in ALL}
    assert {"judge", "problems import", "image export", "image import", "image build",
            "server status", "mutants generate", "grade", "gui", "doctor"} <= paths


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[" ".join(p) or "qa-arena" for p, _ in ALL])
def test_every_command_and_option_has_help(path, parser):
    if path:
        assert parser.description, f"`{' '.join(path)} --help` has no description"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help, f"{' '.join(path)} {choice.dest}: no help"
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.help and action.help != argparse.SUPPRESS, f"{' '.join(path)} {name}"


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[" ".join(p) or "qa-arena" for p, _ in ALL])
def test_every_commands_help_shows_each_options_help_on_stdout_and_exits_0(path, parser, capsys):
    with pytest.raises(SystemExit) as exited:
        main([*path, "--help"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: qa-arena") and err == ""
    shown = " ".join(out.split())
    for action in parser._actions:
        if action.help and not isinstance(action, argparse._SubParsersAction):
            assert " ".join((action.help % {"prog": parser.prog, "default": action.default}
                             ).split()) in shown, action.dest


def test_the_help_of_a_real_process_lists_the_exit_codes():
    """A real process: ``python -m qa_arena_desktop`` (the ``__main__`` module) is under test."""
    completed = subprocess.run([sys.executable, "-m", "qa_arena_desktop", "--help"],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0 and "exit codes:" in completed.stdout
    assert "130  cancelled with Ctrl+C" in completed.stdout


class _Client:
    def close(self) -> None:
        pass


def test_image_build_streams_its_log_to_stderr_and_prints_the_result_on_stdout(
        monkeypatch, capsys):
    """The engine and the build itself stand in here: this pins the streams the command uses."""

    def build(client, log, base="auto", mirror=None):
        log("Step 1/9 : FROM qa-arena-judge-base:bookworm")
        log("built qa-arena-judge:x and qa-arena-judge:latest")
        return "sha256:abc"

    monkeypatch.setattr(engine_cmds.engine, "connect", lambda: _Client())
    monkeypatch.setattr(engine_cmds, "build_image", build)
    code = engine_cmds.run_image(argparse.Namespace(base="auto", mirror=None))
    out, err = capsys.readouterr()
    assert code == ExitCode.OK
    assert "Step 1/9" in err and "Step 1/9" not in out
    assert out == (f"built {engine_cmds.IMAGE_TAG} and {engine_cmds.IMAGE_LATEST} "
                   "(sha256:abc)\n")
