"""Leftover judge containers from a crashed app are found by label and removed; live ones are not."""

import contextlib
import os
import socket
import subprocess
import sys

import docker
import pytest

from qa_arena_desktop.judging.cleanup import is_leftover, sweep_leftovers
from qa_arena_desktop.judging.engine import IMAGE_TAG, LABEL, LABEL_HOST, LABEL_PID

HOST = socket.gethostname()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_container_of_a_dead_owner_on_this_host_is_a_leftover():
    labels = {LABEL: "judge-run", LABEL_HOST: HOST, LABEL_PID: str(dead_pid())}
    assert is_leftover(labels, "running")


def test_a_running_container_of_a_live_owner_is_not():
    labels = {LABEL: "judge-run", LABEL_HOST: HOST, LABEL_PID: str(os.getpid())}
    assert not is_leftover(labels, "running")
    assert is_leftover(labels, "exited")


def test_another_hosts_container_on_a_shared_engine_is_never_touched():
    labels = {LABEL: "judge-run", LABEL_HOST: "some-other-host", LABEL_PID: "1"}
    assert not is_leftover(labels, "exited")


@pytest.mark.docker
def test_sweep_removes_a_real_orphan_and_keeps_a_live_one():
    client = docker.from_env()
    orphan = client.containers.create(
        IMAGE_TAG, labels={LABEL: "judge-run", LABEL_HOST: HOST, LABEL_PID: str(dead_pid())},
        stdin_open=True, network_mode="none",
    )
    orphan.start()
    live = client.containers.create(
        IMAGE_TAG, labels={LABEL: "judge-run", LABEL_HOST: HOST, LABEL_PID: str(os.getpid())},
        stdin_open=True, network_mode="none",
    )
    live.start()
    try:
        removed = sweep_leftovers(client)
        assert orphan.short_id in removed
        assert live.short_id not in removed
        remaining = {c.id for c in client.containers.list(all=True, filters={"label": LABEL})}
        assert orphan.id not in remaining and live.id in remaining
    finally:
        for container in (orphan, live):
            with contextlib.suppress(docker.errors.NotFound):
                container.remove(force=True)
        client.close()
