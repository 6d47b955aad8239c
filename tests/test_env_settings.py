"""One settings object: every QA_ARENA_* variable validated in one place, with one list of
on/off words; a bad value names the variable and what it allows (CLI: exit 2)."""

from __future__ import annotations

import re

import pytest

from qa_arena_desktop import env_settings
from qa_arena_desktop.env_settings import SettingsError, load
from qa_arena_desktop.exit_codes import ExitCode
from qa_arena_desktop.judge_server import address
from qa_arena_desktop.practice.hints import hints_allowed
from tests.cli.test_judge_command import run_cli
from tests.cli_runner import run_cli_process
from tests.conftest import REPO

EVERY_VARIABLE = {
    "QA_ARENA_HOME", "QA_ARENA_DEBIAN_MIRROR", "QA_ARENA_SHARDS", "QA_ARENA_ISOLATION",
    "QA_ARENA_SESSION_TAG", "QA_ARENA_ALLOW_UNENFORCED_LIMITS", "QA_ARENA_THEME",
    "QA_ARENA_SCREENSHOT_TAB", "QA_ARENA_HINTS", "QA_ARENA_JUDGE_SERVER", "QA_ARENA_SERVER_IDLE_S",
    "QA_ARENA_DOCKER_HOST_OPTION", "QA_ARENA_SCREENSHOT_CHAPTER",
}


def test_the_model_covers_every_variable_the_app_reads():
    assert set(env_settings.VARIABLES) == EVERY_VARIABLE


def test_only_the_settings_module_and_the_judge_client_read_qa_arena_variables():
    sources = {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
               for path in (REPO / "qa_arena_desktop").rglob("*.py")}
    # the constants that name a QA_ARENA_ variable (SHARDS_ENV = "QA_ARENA_SHARDS", ...)
    constants = {name for text in sources.values()
                 for name in re.findall(r"^([A-Z_]+) = \"QA_ARENA_\w*\"", text, re.MULTILINE)}
    name = rf"\s*(f?\"QA_ARENA_\w*\"|{'|'.join(sorted(constants))})\b"
    readers = {path for path, text in sources.items()  # reads, not the CLI setting one
               if re.search(rf"environ\.get\({name}|environ\[{name}\](?!\s*=[^=])", text)}
    assert readers <= {"qa_arena_desktop/judge_server/address.py"}, readers


def test_every_variable_is_documented_with_what_it_allows():
    text = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    section = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for variable in EVERY_VARIABLE:
        assert f"`{variable}`" in section, variable


def test_nothing_set_gives_the_defaults():
    settings = load({})
    assert (settings.home, settings.shards, settings.isolation, settings.theme) == (
        None, None, "fast", "system")
    assert settings.hints and settings.judge_server and not settings.allow_unenforced_limits
    assert settings.server_idle_s == 600.0 and settings.screenshot_tab is None


def test_an_empty_variable_counts_as_unset():
    assert load({"QA_ARENA_SHARDS": "", "QA_ARENA_ISOLATION": ""}).isolation == "fast"


def test_values_are_read_with_their_types_and_words_in_any_case():
    settings = load({"QA_ARENA_SHARDS": " 3 ", "QA_ARENA_ISOLATION": "Strict",
                     "QA_ARENA_HINTS": "Disabled", "QA_ARENA_THEME": "DARK",
                     "QA_ARENA_SERVER_IDLE_S": "2.5", "QA_ARENA_ALLOW_UNENFORCED_LIMITS": "yes"})
    assert (settings.shards, settings.isolation, settings.hints, settings.theme) == (
        3, "strict", False, "dark")
    assert settings.server_idle_s == 2.5 and settings.allow_unenforced_limits


@pytest.mark.parametrize(("variable", "value", "allowed"), [
    ("QA_ARENA_ISOLATION", "bogus", "fast, strict"),
    ("QA_ARENA_SHARDS", "abc", "a whole number of 1 or more"),
    ("QA_ARENA_SHARDS", "0", "a whole number of 1 or more"),
    ("QA_ARENA_HINTS", "maybe", "off: off, 0, false, no, disabled"),
    ("QA_ARENA_JUDGE_SERVER", "of", "on: on, 1, true, yes, enabled"),
    ("QA_ARENA_ALLOW_UNENFORCED_LIMITS", "2", "on: on, 1, true, yes, enabled"),
    ("QA_ARENA_THEME", "purple", "light, dark, system"),
    ("QA_ARENA_SCREENSHOT_TAB", "matrx", "results, matrix, hints, history, progress"),
    ("QA_ARENA_SERVER_IDLE_S", "soon", "a number of seconds above 0"),
    ("QA_ARENA_SERVER_IDLE_S", "-1", "a number of seconds above 0"),
    ("QA_ARENA_SERVER_IDLE_S", "inf", "a number of seconds above 0"),
])
def test_a_bad_value_names_the_variable_its_value_and_what_it_allows(variable, value, allowed):
    with pytest.raises(SettingsError) as raised:
        load({variable: value})
    message = str(raised.value)
    assert message.startswith(f"{variable}={value!r} is not a valid setting")
    assert allowed in message


def test_every_bad_value_is_named_at_once():
    with pytest.raises(SettingsError) as raised:
        load({"QA_ARENA_SHARDS": "abc", "QA_ARENA_ISOLATION": "bogus"})
    assert "QA_ARENA_SHARDS" in str(raised.value) and "QA_ARENA_ISOLATION" in str(raised.value)


def test_the_process_settings_follow_the_environment_and_are_read_once_per_environment(
        monkeypatch):
    monkeypatch.setenv("QA_ARENA_SHARDS", "3")
    first = env_settings.current()
    assert first.shards == 3 and env_settings.current() is first
    monkeypatch.setenv("QA_ARENA_SHARDS", "4")
    assert env_settings.current().shards == 4
    monkeypatch.setenv("QA_ARENA_SHARDS", "abc")
    with pytest.raises(SettingsError):
        env_settings.current()
    monkeypatch.delenv("QA_ARENA_SHARDS")
    assert env_settings.reload().shards is None


def test_the_variable_names_are_case_sensitive(monkeypatch):
    monkeypatch.setenv("qa_arena_isolation", "bogus")
    assert env_settings.reload().isolation == "fast"


WORDS = ["on", "ON", " yes ", "1", "true", "True", "enabled", "off", "Off", "0", "no", "false",
         "FALSE", " disabled", "", "maybe", "2", "of", "y", "n", "t", "onn"]


@pytest.mark.parametrize("value", WORDS)
def test_the_judge_clients_own_reader_agrees_with_the_model(value):
    try:
        expected: bool | None = load({address.SERVER_ENV: value}).judge_server
    except SettingsError:
        expected = None
    assert address.switch(value, True) == expected


@pytest.mark.parametrize("value", WORDS)
def test_hints_and_the_judge_server_use_the_same_words(value):
    try:
        hints = hints_allowed({"QA_ARENA_HINTS": value})
    except SettingsError:
        hints = None
    assert hints == address.switch(value, True)


def test_a_bad_setting_is_exit_2_naming_the_variable_for_every_command(tmp_path):
    for args in (["problems", "list"], ["submissions"], ["doctor"],
                 ["judge", "--problem", "x", "--tests", str(tmp_path / "t.py"), "--no-server"]):
        completed = run_cli(*args, env={"QA_ARENA_ISOLATION": "bogus"})
        assert completed.returncode == ExitCode.BAD_INPUT, (args, completed.stderr)
        assert completed.stderr == ("qa-arena: QA_ARENA_ISOLATION='bogus' is not a valid "
                                    "setting (allowed: fast, strict)\n"), args
        assert completed.stdout == ""


def test_shards_abc_is_refused_instead_of_silently_becoming_2(tmp_path):
    tests = tmp_path / "t.py"
    tests.write_text("def test_a():\n    pass\n")
    completed = run_cli("judge", "--problem", "normalize-whitespace", "--tests", str(tests),
                        env={"QA_ARENA_SHARDS": "abc"})
    assert completed.returncode == ExitCode.BAD_INPUT
    assert "QA_ARENA_SHARDS='abc'" in completed.stderr and "Traceback" not in completed.stderr


def test_a_bad_setting_in_the_app_is_one_line_and_exit_2(tmp_path):
    """A real process: the app starts Qt (one QApplication per process) before it checks."""
    completed = run_cli_process("gui", "--screenshot", str(tmp_path / "out.png"),
                        env={"QA_ARENA_THEME": "purple", "QT_QPA_PLATFORM": "offscreen"})
    assert completed.returncode == ExitCode.BAD_INPUT, completed.stderr
    assert completed.stderr.startswith("qa-arena: QA_ARENA_THEME='purple' is not a valid setting")
    assert not (tmp_path / "out.png").exists()
