"""Which judge server a call may use, where it listens, and the wire format (no engine needed)."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from qa_arena_desktop.judge_server import address, protocol
from tests.import_blocker import import_with_blocked


def test_calls_with_the_same_settings_share_a_server_and_different_settings_do_not():
    base = {"QA_ARENA_HOME": "/a", "HOME": "/root", "PATH": "/bin"}
    assert address.settings_key(base) == address.settings_key({**base, "PATH": "/usr/bin",
                                                                "EDITOR": "vim"})
    assert address.settings_key(base) == address.settings_key(
        {**base, address.SERVER_ENV: "on"})
    for changed in ({"QA_ARENA_HOME": "/b"}, {"DOCKER_HOST": "tcp://lab:2376"},
                    {"QA_ARENA_SHARDS": "1"}, {"QA_ARENA_ISOLATION": "strict"},
                    {"HOME": "/home/other"}, {"XDG_DATA_HOME": "/data"}):
        assert address.settings_key(base) != address.settings_key({**base, **changed}), changed


def test_editing_the_apps_code_means_a_new_server(tmp_path, monkeypatch):
    package = tmp_path / "qa_arena_desktop"
    package.mkdir()
    module = package / "module.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(address, "_PACKAGE_DIR", package)
    before = address.code_fingerprint()
    assert address.code_fingerprint() == before
    module.write_text("x = 22\n")
    assert address.code_fingerprint() != before


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false"])
def test_the_server_can_be_switched_off(value):
    assert not address.enabled({address.SERVER_ENV: value})
    assert address.enabled({})


@pytest.fixture
def runtime():
    """A short XDG_RUNTIME_DIR (pytest's tmp_path is too long for a socket path)."""
    folder = Path(tempfile.mkdtemp(prefix="qa-rt-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_sockets_live_in_a_directory_only_this_user_can_enter(runtime):
    folder = address.runtime_dir({"XDG_RUNTIME_DIR": str(runtime)})
    assert folder == runtime / "qa-arena"
    os.chmod(folder, 0o755)
    address.runtime_dir({"XDG_RUNTIME_DIR": str(runtime)})
    assert os.stat(folder).st_mode & 0o777 == 0o700


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to hand a folder to another user")
def test_a_socket_folder_owned_by_someone_else_is_refused(runtime):
    (runtime / "qa-arena").mkdir()
    os.chown(runtime / "qa-arena", 12345, 12345)
    with pytest.raises(address.ServerUnavailable, match="another user"):
        address.runtime_dir({"XDG_RUNTIME_DIR": str(runtime)})


def test_a_runtime_dir_too_long_for_a_socket_path_falls_back_to_tmp(tmp_path):
    deep = tmp_path / ("x" * 90)
    deep.mkdir()
    folder = address.runtime_dir({"XDG_RUNTIME_DIR": str(deep)})
    assert folder.name == f"qa-arena-{os.getuid()}"
    assert len(str(address.Address("k" * 20, folder / f"judge-{'k' * 20}.sock", folder,
                                   folder).socket)) < 100


def test_messages_survive_arbitrary_chunking_and_bad_input_is_refused():
    left, right = socket.socketpair()
    payload = b'{"out": "a\\nb"}\n\n{"exit": 0}\n'

    def write() -> None:
        for index in range(len(payload)):
            left.send(payload[index:index + 1])
        left.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert list(protocol.messages(right)) == [{"out": "a\nb"}, {"exit": 0}]
    writer.join()
    right.close()
    for bad, reason in ((b"[1, 2]\n", "JSON object"), (b"{nope\n", "not JSON"),
                        (b'{"out": "cut', "middle of a message")):
        left, right = socket.socketpair()
        left.sendall(bad)
        left.close()
        with pytest.raises(protocol.ProtocolError, match=reason):
            list(protocol.messages(right))
        right.close()


def test_the_judge_client_path_imports_only_the_standard_library():
    """What runs on every `qa-arena judge` call before the server takes over stays light."""
    third_party = ["docker", "sqlalchemy", "pydantic", "requests", "platformdirs", "PySide6"]
    completed = import_with_blocked(third_party, [
        "qa_arena_desktop.cli.main", "qa_arena_desktop.judge_server.client",
        "qa_arena_desktop.cli.server_cmd"])
    assert completed.returncode == 0, completed.stderr
    blocked = import_with_blocked(third_party, ["qa_arena_desktop.judging.docker_backend"])
    assert blocked.returncode != 0  # the blocker works: the server itself needs them


def test_files_of_servers_gone_for_a_day_are_removed_and_live_or_recent_ones_kept(runtime):
    import fcntl
    import time

    from qa_arena_desktop.judge_server.server import STALE_AFTER_S, remove_stale_files

    day_old = time.time() - STALE_AFTER_S - 60
    names = {}
    for key in ("gone", "held", "recent", "mine"):
        names[key] = runtime / f"judge-{key}.lock"
        names[key].write_bytes(b"")
        (runtime / f"judge-{key}.err").write_text("")
        if key != "recent":
            os.utime(names[key], (day_old, day_old))
    with open(names["held"], "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live server's lock
        remove_stale_files(runtime, keep=names["mine"])
    assert not names["gone"].exists() and not (runtime / "judge-gone.err").exists()
    assert names["held"].exists() and names["recent"].exists() and names["mine"].exists()
