"""Run one submission in one hardened judge container through the ``docker`` SDK.

One container per submission (not per mutant): the in-container runner
(``judge/runner.py``) runs every variant inside it and reports each one as a
JSON line the moment it finishes. The request goes in over the container's
stdin (a read-only root rules out ``put_archive``; there are no writable bind
mounts). The host enforces a wall-clock watchdog, honours cancellation between
reads, closes the stream before it kills, and removes the container in
``finally``. Transient engine errors are retried with exponential backoff, and
a retry runs only the variants that have not reported yet.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import docker
import docker.errors
from docker.types import LogConfig

from qa_arena_desktop.judging import engine, seccomp
from qa_arena_desktop.judging.cleanup import sweep_leftovers
from qa_arena_desktop.judging.engine import (
    IMAGE_TAG,
    LABEL,
    LABEL_HOST,
    LABEL_PID,
    LABEL_SESSION,
    SESSION_TAG_ENV,
    JudgeUnavailable,
)
from qa_arena_desktop.judging.image import require_image
from qa_arena_desktop.judging.limits_check import require_enforced_limits
from qa_arena_desktop.judging.models import GOLDEN, JudgeRequest, VariantRun
from qa_arena_desktop.judging.verdicts import Outcome

RUN_USER = "10001:10001"
MAX_LINE_BYTES = 8 * 1024 * 1024
STDERR_KEEP_BYTES = 64 * 1024
POLL_S = 0.2


class JudgeCancelled(Exception):
    """The run was cancelled by the user; its container is gone."""


class _EngineFault(Exception):
    """The engine failed mid-run (transient); the caller may retry the remaining variants."""


def container_options(request: JudgeRequest) -> dict[str, Any]:
    """The hardened ``containers.create`` arguments (also used by the sandbox tests)."""
    limits = request.limits
    memory = f"{limits.memory_mb}m"
    return {
        "image": IMAGE_TAG,
        "stdin_open": True,
        "detach": False,  # with stdin_open: StdinOnce, so closing our stdin ends the container's
        "tty": False,
        "user": RUN_USER,
        "hostname": "judge",
        "working_dir": "/work",
        "environment": {"PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
        "network_mode": "none",
        "read_only": True,
        "tmpfs": {
            "/work": f"rw,nosuid,nodev,size={limits.work_tmpfs_mb}m,uid=10001,gid=10001,mode=0700",
            "/tmp": f"rw,nosuid,nodev,size={limits.tmp_tmpfs_mb}m,uid=10001,gid=10001,mode=0700",
        },
        "mem_limit": memory,
        "memswap_limit": memory,
        "pids_limit": limits.pids,
        "nano_cpus": int(limits.cpus * 1e9),
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges", seccomp.security_opt()],
        "ipc_mode": "none",
        "ulimits": [docker.types.Ulimit(name="nofile", soft=256, hard=256)],
        "log_config": LogConfig(type=LogConfig.types.JSON, config={"max-size": "1m", "max-file": "1"}),
        "labels": owner_labels(),
        "use_config_proxy": False,
    }


def owner_labels() -> dict[str, str]:
    """Labels that let leftovers be found: the app's, the owner's PID and host, a session tag.

    ``QA_ARENA_SESSION_TAG`` (optional) groups the containers of one batch or one test.
    """
    return {LABEL: "judge-run", LABEL_PID: str(os.getpid()), LABEL_HOST: socket.gethostname(),
            LABEL_SESSION: os.environ.get(SESSION_TAG_ENV, "")}


class _Stream:
    """The attach socket: write the request, half-close, read multiplexed frames."""

    def __init__(self, raw: Any) -> None:
        # A unix socket comes wrapped in SocketIO; TLS and ssh give the socket/channel itself.
        self._sock: Any = getattr(raw, "_sock", raw)
        self._buffer = b""

    def send_and_close_stdin(self, data: bytes) -> None:
        self._sock.sendall(data)
        if hasattr(self._sock, "shutdown_write"):  # paramiko channel (ssh://)
            self._sock.shutdown_write()
        else:
            self._sock.shutdown(socket.SHUT_WR)

    def frames(self, timeout: float) -> Iterator[tuple[int, bytes] | None]:
        """Yield (stream, payload) frames, or None on each idle ``timeout``; stop at EOF."""
        self._sock.settimeout(timeout)
        while True:
            while len(self._buffer) >= 8:
                stream, length = struct.unpack(">BxxxL", self._buffer[:8])
                if len(self._buffer) < 8 + length:
                    break
                payload = self._buffer[8 : 8 + length]
                self._buffer = self._buffer[8 + length :]
                yield stream, payload
            try:
                chunk = self._sock.recv(65536)
            except TimeoutError:
                yield None
                continue
            except OSError as exc:
                raise _EngineFault(f"the connection to the container broke ({exc})") from exc
            if not chunk:
                return
            self._buffer += chunk

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()


_RETRYABLE: tuple[type[BaseException], ...] = (_EngineFault, *engine.TRANSIENT_ERRORS)


class DockerBackend:
    """Judges :class:`JudgeRequest` s in containers on the engine ``connect`` reaches."""

    def __init__(
        self,
        connect: Callable[[], docker.DockerClient] = engine.connect,
        retries: int = 3,
        backoff_s: float = 0.5,
    ) -> None:
        self._connect = connect
        self._retries = retries
        self._backoff_s = backoff_s
        self._active: set[str] = set()
        self._lock = threading.Lock()
        self._swept = False
        self._limits_checked = False

    def run(
        self,
        request: JudgeRequest,
        on_variant: Callable[[VariantRun], None],
        cancel: threading.Event | None = None,
        log: Callable[[str], None] = lambda _line: None,
    ) -> None:
        """Run golden and every mutant; call ``on_variant`` for each as it finishes.

        Raises :class:`JudgeUnavailable` when the engine cannot be used (after
        retries) and :class:`JudgeCancelled` when ``cancel`` was set.
        """
        cancel = cancel or threading.Event()
        done: set[str] = set()
        stop_after_golden = threading.Event()

        def relay(run: VariantRun) -> None:
            done.add(run.variant)
            if run.is_golden and run.outcome is not Outcome.PASSED:
                stop_after_golden.set()
            on_variant(run)

        client = self._connect()
        try:
            if not self._swept:
                self._swept = True
                removed = sweep_leftovers(client)
                if removed:
                    log(f"removed {len(removed)} judge container(s) left by a crashed run")
            require_image(client)
            if not self._limits_checked:
                require_enforced_limits(client, request.limits)
                self._limits_checked = True
            attempt = 0
            while True:
                try:
                    self._run_once(client, request, done, relay, cancel, log)
                    return
                except _RETRYABLE as exc:
                    if isinstance(exc, docker.errors.APIError) and not exc.is_server_error():
                        raise JudgeUnavailable(
                            f"the Docker engine refused the judge container ({exc.explanation})",
                            "Run `qa-arena doctor` to check the engine",
                        ) from exc
                    if stop_after_golden.is_set():
                        return
                    attempt += 1
                    reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
                    log(f"engine error (attempt {attempt} of {self._retries}): {reason}")
                    if attempt >= self._retries or cancel.is_set():
                        raise JudgeUnavailable(
                            f"the Docker engine failed during the run ({reason})",
                            "Check that Docker is running and healthy, then submit again",
                        ) from exc
                    delay = self._backoff_s * (2 ** (attempt - 1))
                    if cancel.wait(delay):
                        raise JudgeCancelled() from None
        finally:
            client.close()

    def _run_once(
        self,
        client: docker.DockerClient,
        request: JudgeRequest,
        done: set[str],
        relay: Callable[[VariantRun], None],
        cancel: threading.Event,
        log: Callable[[str], None],
    ) -> None:
        keys: dict[str, str] = {}
        variants = []
        if GOLDEN not in done:
            keys["v0"] = GOLDEN
            variants.append({"key": "v0", "source": request.golden_source, "golden": True})
        for index, mutant in enumerate(request.mutants, start=1):
            if mutant.name not in done:
                keys[f"v{index}"] = mutant.name
                variants.append({"key": f"v{index}", "source": mutant.source})
        if not variants:
            return
        payload = json.dumps(
            {"tests": request.tests, "variants": variants,
             "time_limit_s": request.limits.time_limit_s}
        ).encode("utf-8")

        container = client.containers.create(**container_options(request))
        with self._lock:
            self._active.add(container.id)
        stream: _Stream | None = None
        try:
            stream = _Stream(
                client.api.attach_socket(
                    container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
                )
            )
            container.start()
            stream.send_and_close_stdin(payload)
            self._read_events(stream, request, keys, relay, cancel, log)
        finally:
            if stream is not None:
                stream.close()
            self._remove(client, container.id)

    def _read_events(
        self,
        stream: _Stream,
        request: JudgeRequest,
        keys: dict[str, str],
        relay: Callable[[VariantRun], None],
        cancel: threading.Event,
        log: Callable[[str], None],
    ) -> None:
        limits = request.limits
        # The runner enforces the per-variant limit itself; this watchdog catches a runner
        # (or engine) that stops talking altogether.
        deadline = time.monotonic() + limits.startup_grace_s
        line_buffer = b""
        stderr_kept = 0
        total = 0
        finished = False
        for frame in stream.frames(POLL_S):
            if cancel.is_set():
                raise JudgeCancelled()
            if frame is None:
                if time.monotonic() > deadline:
                    raise _EngineFault(
                        f"the judge container stopped responding for "
                        f"{limits.time_limit_s + limits.startup_grace_s:g} s"
                    )
                continue
            kind, data = frame
            if kind == 2:
                if stderr_kept < STDERR_KEEP_BYTES:
                    log(data[: STDERR_KEEP_BYTES - stderr_kept].decode("utf-8", "replace").rstrip())
                    stderr_kept += len(data)
                continue
            total += len(data)
            if total > limits.max_output_bytes:
                raise JudgeUnavailable("the judge container wrote more than its output cap",
                                       "This is a judge fault; please report it")
            line_buffer += data
            if len(line_buffer) > MAX_LINE_BYTES:
                raise JudgeUnavailable("the judge container wrote an oversized event",
                                       "This is a judge fault; please report it")
            while b"\n" in line_buffer:
                line, line_buffer = line_buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                event = json.loads(line)
                deadline = time.monotonic() + limits.time_limit_s + limits.startup_grace_s
                kind_name = event.get("event")
                if kind_name == "variant":
                    relay(_variant_run(event, keys))
                elif kind_name == "error":
                    raise JudgeUnavailable(f"the judge runner failed: {event.get('message')}",
                                           "This is a judge fault; please report it")
                elif kind_name == "done":
                    finished = True
                elif kind_name == "ready":
                    log(f"judge ready (python {event.get('python')}, pytest {event.get('pytest')})")
        if cancel.is_set():
            raise JudgeCancelled()
        if not finished:
            raise _EngineFault("the judge container ended before reporting every variant")

    def _remove(self, client: docker.DockerClient, container_id: str) -> None:
        try:
            client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.DockerException:
            pass  # swept at the next start (see cleanup.sweep_leftovers)
        finally:
            with self._lock:
                self._active.discard(container_id)

    def active_containers(self) -> list[str]:
        with self._lock:
            return list(self._active)


def _variant_run(event: dict[str, Any], keys: dict[str, str]) -> VariantRun:
    return VariantRun(
        variant=keys[event["key"]],
        outcome=Outcome(event["outcome"]),
        duration_ms=int(event.get("duration_ms", 0)),
        tests=tuple(event.get("tests", ())),
        failed_tests=tuple(event.get("failed_tests", ())),
        message=str(event.get("message", "")),
    )
