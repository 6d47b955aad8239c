"""The engine dies mid-run (or comes back): bounded retries, then ERROR; never a hang."""

from __future__ import annotations

import os
import threading
import time

import docker
import pytest

from qa_arena_desktop.catalog import store
from qa_arena_desktop.catalog.db import Catalog
from qa_arena_desktop.domain.events import VariantFinished
from qa_arena_desktop.domain.verdicts import SubmissionStatus
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.cleanup import sweep_leftovers
from qa_arena_desktop.judging.docker_backend import DockerBackend
from qa_arena_desktop.judging.engine import LABEL_SESSION, SESSION_TAG_ENV
from qa_arena_desktop.judging.service import JudgingService
from qa_arena_desktop.packs.loader import load_pack
from tests.judging.engine_proxy import EngineProxy
from tests.packs.factory import write_pack

pytestmark = pytest.mark.docker

SLOW = ("import time\nfrom target import add_one\n\n"
        "def test_one():\n    time.sleep(0.3)\n    assert add_one(1) == 2\n")


@pytest.fixture
def proxied(tmp_path, monkeypatch, judge_image):
    proxy = EngineProxy(tmp_path / "docker.sock")
    proxy.start()
    monkeypatch.setenv("DOCKER_HOST", proxy.docker_host)
    monkeypatch.setenv(SESSION_TAG_ENV, f"faults-{time.monotonic_ns()}")
    many = {f"off-by-{n}": f"def add_one(x: int) -> int:\n    return x + {n}\n" for n in range(2, 8)}
    pack = load_pack(write_pack(tmp_path / "packs", mutants=many))
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    service = JudgingService(catalog, DockerBackend(lambda: engine.connect(timeout=5)))
    yield proxy, pack, service
    proxy.cut()
    catalog.close()
    client = direct_client()
    sweep_leftovers(client)
    client.close()


def cut_after_first_verdict(proxy: EngineProxy, restore_after: float | None):
    cut = threading.Event()

    def listener(event):
        if isinstance(event, VariantFinished) and not cut.is_set():
            cut.set()
            proxy.cut()
            if restore_after is not None:
                threading.Timer(restore_after, proxy.start).start()

    return listener, cut


def test_an_engine_that_dies_mid_run_gives_error_with_the_reason_in_bounded_time(proxied):
    proxy, pack, service = proxied
    listener, cut = cut_after_first_verdict(proxy, restore_after=None)
    started = time.monotonic()
    result = service.judge(pack, SLOW, listener)
    assert cut.is_set()
    assert time.monotonic() - started < 30
    assert result.status is SubmissionStatus.ERROR
    assert result.message.startswith("the Docker engine failed during the run")
    log = store.get_submission(service.catalog, result.submission_id).execution_log
    assert "engine error (attempt 1 of 3)" in log and "engine error (attempt 3 of 3)" in log
    # The container could not be removed while the engine was away; once it has exited,
    # the sweep at the next start removes it.
    client = direct_client()
    mine = {"label": f"{LABEL_SESSION}={os.environ[SESSION_TAG_ENV]}"}
    for container in client.containers.list(all=True, filters=mine):
        container.wait(timeout=30)
    sweep_leftovers(client)
    assert client.containers.list(all=True, filters=mine) == []
    client.close()


def direct_client() -> docker.DockerClient:
    return docker.DockerClient(base_url="unix:///var/run/docker.sock")


def test_an_engine_that_comes_back_during_the_backoff_finishes_the_run(proxied):
    proxy, pack, service = proxied
    listener, cut = cut_after_first_verdict(proxy, restore_after=0.2)
    result = service.judge(pack, SLOW, listener)
    assert cut.is_set()
    assert result.status is SubmissionStatus.SUCCESS, result.message
    assert result.killed_mutants == result.total_mutants == 6
    log = store.get_submission(service.catalog, result.submission_id).execution_log
    assert "engine error (attempt 1 of 3)" in log
