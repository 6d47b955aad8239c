"""One hardened judge container: start it, send it a request, read its events, remove it.

The request goes in over the container's stdin (a read-only root rules out
``put_archive``; there are no writable bind mounts); events come back as JSON
lines over the attach stream. The runner warms up before reading stdin, so a
container started ahead of time (see :mod:`standby`) is ready the moment a
request arrives.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import docker
import docker.errors
from docker.types import LogConfig

from qa_arena_desktop import env_settings
from qa_arena_desktop.domain.backend import JudgeCancelled, JudgeUnavailable
from qa_arena_desktop.domain.judge_models import Limits
from qa_arena_desktop.judging import seccomp
from qa_arena_desktop.judging.cleanup import remove_container
from qa_arena_desktop.judging.engine import (
    IMAGE_TAG,
    LABEL,
    LABEL_HOST,
    LABEL_PID,
    LABEL_SESSION,
)

RUN_USER = "10001:10001"
MAX_LINE_BYTES = 8 * 1024 * 1024
STDERR_KEEP_BYTES = 64 * 1024
POLL_S = 0.2


class EngineFault(Exception):
    """The engine or the container failed mid-run (transient): the caller may retry."""


class Stopped(Exception):
    """This container's part of the run is no longer needed (golden failed elsewhere)."""


def owner_labels() -> dict[str, str]:
    """Labels that let leftovers be found: the app's, the owner's PID and host, a session tag.

    ``QA_ARENA_SESSION_TAG`` (optional) groups the containers of one batch or one test.
    """
    return {LABEL: "judge-run", LABEL_PID: str(os.getpid()), LABEL_HOST: socket.gethostname(),
            LABEL_SESSION: env_settings.current().session_tag}


def container_options(limits: Limits) -> dict[str, Any]:
    """The hardened ``containers.create`` arguments (also used by the limits probe)."""
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
        "log_config": LogConfig(type=LogConfig.types.JSON,
                                config={"max-size": "1m", "max-file": "1"}),
        "labels": owner_labels(),
        "use_config_proxy": False,
    }


class _Stream:
    """The attach socket: write request lines, half-close, read multiplexed frames."""

    def __init__(self, raw: Any) -> None:
        # A unix socket comes wrapped in SocketIO; TLS and ssh give the socket/channel itself.
        self._raw = raw
        self._sock: Any = getattr(raw, "_sock", raw)
        self._buffer = b""
        self._write_lock = threading.Lock()

    def send(self, data: bytes) -> None:
        with self._write_lock:
            self._sock.sendall(data)

    def close_stdin(self) -> None:
        with self._write_lock, contextlib.suppress(OSError):
            if hasattr(self._sock, "shutdown_write"):  # paramiko channel (ssh://)
                self._sock.shutdown_write()
            elif isinstance(self._sock, ssl.SSLSocket):
                # SSLSocket.shutdown() would drop the TLS layer and garble every later read:
                # half-close the TCP connection underneath instead.
                socket.socket.shutdown(self._sock, socket.SHUT_WR)
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
                raise EngineFault(f"the connection to the container broke ({exc})") from exc
            if not chunk:
                return
            self._buffer += chunk

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
        if self._raw is not self._sock:
            # the SocketIO holds the socket open (its file descriptor) until it closes too
            with contextlib.suppress(OSError):
                self._raw.close()


class JudgeContainer:
    """A started judge container and its attach stream, waiting for one request."""

    def __init__(self, client: docker.DockerClient, container_id: str, stream: _Stream,
                 limits: Limits, image_id: str = "") -> None:
        self.client = client
        # True when no one else uses ``client``: remove() closes it (a standby's own client)
        self.owns_client = False
        self.id = container_id
        self.limits = limits
        self.image_id = image_id  # a container started ahead of a rebuild is not used after it
        self.uses = 0  # submissions judged in it so far
        self._stream = stream
        self._frames = stream.frames(POLL_S)
        self._line_buffer = b""
        self.started_at = time.monotonic()

    @classmethod
    def start(cls, client: docker.DockerClient, limits: Limits,
              environment: dict[str, str] | None = None) -> JudgeContainer:
        """``environment`` adds variables for the runner (bench/judge_speed.py only)."""
        options = container_options(limits)
        options["environment"] = {**options["environment"], **(environment or {})}
        container = client.containers.create(**options)
        try:
            stream = _Stream(client.api.attach_socket(
                container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}))
            container.start()
        except BaseException:
            remove_container(client, container.id)
            raise
        return cls(client, container.id, stream, limits, str(container.attrs.get("Image", "")))

    def send(self, document: dict[str, Any]) -> None:
        """One JSON line to the runner (the request, then any hints)."""
        try:
            self._stream.send(json.dumps(document, separators=(",", ":")).encode("utf-8") + b"\n")
        except OSError as exc:
            raise EngineFault(f"could not write to the judge container ({exc})") from exc

    def events(self, cancel: threading.Event, stop: threading.Event,
               log: Callable[[str], None], grace_s: float) -> Iterator[dict[str, Any]]:
        """Parsed runner events until ``done``; a watchdog ends a container gone silent."""
        deadline = time.monotonic() + grace_s
        stderr_kept = 0
        total = 0
        for frame in self._frames:
            if cancel.is_set():
                raise JudgeCancelled()
            if stop.is_set():
                raise Stopped()
            if frame is None:
                if time.monotonic() > deadline:
                    raise EngineFault(f"the judge container said nothing for {grace_s:g} s")
                continue
            kind, data = frame
            if kind == 2:
                if stderr_kept < STDERR_KEEP_BYTES:
                    log(data[: STDERR_KEEP_BYTES - stderr_kept].decode("utf-8", "replace").rstrip())
                    stderr_kept += len(data)
                continue
            total += len(data)
            if total > self.limits.max_output_bytes:
                raise JudgeUnavailable("the judge container wrote more than its output cap",
                                       "This is a judge fault; please report it")
            self._line_buffer += data
            if len(self._line_buffer) > MAX_LINE_BYTES:
                raise JudgeUnavailable("the judge container wrote an oversized event",
                                       "This is a judge fault; please report it")
            while b"\n" in self._line_buffer:
                line, self._line_buffer = self._line_buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                event = json.loads(line)
                deadline = time.monotonic() + grace_s
                yield event
                if event.get("event") == "done":
                    return
        if cancel.is_set():
            raise JudgeCancelled()
        raise EngineFault("the judge container ended before reporting every variant")

    def close_stream(self) -> None:
        self._stream.close_stdin()
        self._stream.close()

    def remove(self) -> None:
        """Close the stream first (an unread stream can hang a kill), then remove."""
        self._stream.close()
        remove_container(self.client, self.id)  # what fails is swept at the next start
        if self.owns_client:
            self.client.close()
