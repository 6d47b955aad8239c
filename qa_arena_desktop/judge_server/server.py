"""The judge server process: a warm judge for ``qa-arena judge`` calls (see the package doc).

It holds a lock file for its whole life (a second server for the same settings exits
at once), listens on a socket only its user can reach, and judges each request in a
thread of its own with one shared catalog and :class:`DockerBackend` (containers
kept warm between calls). It exits after ``idle_s`` without a request, on ``stop``,
on SIGTERM, or when its socket is taken over; it then finishes the runs in progress,
removes its containers and closes the catalog.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import fcntl
import io
import logging
import logging.handlers
import os
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_arena_desktop import __version__, env_settings, paths
from qa_arena_desktop.exit_codes import ExitCode, internal_error_text
from qa_arena_desktop.judge_server import address as addresses
from qa_arena_desktop.judge_server import protocol

if TYPE_CHECKING:
    from qa_arena_desktop.judging.docker_backend import DockerBackend

log = logging.getLogger("qa_arena_desktop.judge_server")

SHUTDOWN_WAIT_S = 120.0
REQUEST_READ_TIMEOUT_S = 30.0


class _Channel(io.TextIOBase):
    """A text stream whose writes go to the client as ``{"out"|"err": text}`` messages.

    A client that went away (Ctrl-C) stops receiving; the run goes on and is saved.
    """

    def __init__(self, connection: socket.socket, kind: str, lock: threading.Lock) -> None:
        self.connection = connection
        self.kind = kind
        self.lock = lock
        self.gone = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text and not self.gone:
            with self.lock:
                try:
                    protocol.send(self.connection, {self.kind: text})
                except OSError:
                    self.gone = True
        return len(text)


def _peer_uid(connection: socket.socket) -> int | None:
    """The connecting process's user id (Linux), or None where the OS cannot tell."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    data = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return int(struct.unpack("3i", data)[1])


class JudgeServer:
    def __init__(self, socket_path: Path, lock_path: Path, idle_s: float) -> None:
        self.socket_path = socket_path
        self.lock_path = lock_path
        self.idle_s = idle_s
        self.started = time.time()
        self.judged = 0
        self.active = 0
        self.last_activity = time.monotonic()
        self.stopping = threading.Event()
        self.state_lock = threading.Lock()
        self.sync_lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.catalog: Any = None
        self._catalog_file: tuple[int, int] | None = None  # (device, inode) when opened
        self._retired_catalogs: list[Any] = []
        self.backend: DockerBackend | None = None
        self.listener: socket.socket | None = None
        self._socket_inode = 0

    # ---- life cycle ---------------------------------------------------------------------

    def run(self) -> int:
        """Serve until told to stop (the caller holds the lock)."""
        # The containers first: they start while the catalog code (SQLAlchemy, ~0.3 s) loads,
        # and the call that started this server finds them warming.
        from qa_arena_desktop.judging.docker_backend import DockerBackend, default_shards

        self.backend = DockerBackend(keep_warm=True, starts_at_once=default_shards())
        self.backend.prepare()
        from qa_arena_desktop.context import open_catalog

        remove_stale_files(self.lock_path.parent, keep=self.lock_path)
        self.catalog, report = open_catalog(sync=True)
        self._catalog_file = _file_identity(self.catalog.path)
        for error in report.errors:
            log.warning("%s", error)
        self._listen()
        log.info("judge server %s (pid %d) listening on %s; idle timeout %g s",
                 __version__, os.getpid(), self.socket_path, self.idle_s)
        try:
            self._serve()
        finally:
            self._shut_down()
        return 0

    def _listen(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()  # a stale socket: we hold the lock, so no server owns it
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_mask = os.umask(0o177)
        try:
            listener.bind(str(self.socket_path))
        finally:
            os.umask(old_mask)
        listener.listen(32)
        listener.settimeout(0.5)
        self._socket_inode = os.stat(self.socket_path).st_ino
        self.listener = listener

    def _serve(self) -> None:
        assert self.listener is not None
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                if self._should_exit():
                    break
                continue
            self._start_handler(connection)
        # Stop taking calls without dropping one: from now on a new call finds no socket and
        # starts a new server; calls the kernel already queued are still served here.
        self._unlink_socket()
        self.listener.setblocking(False)
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # BlockingIOError: the queue is empty
                break
            connection.setblocking(True)
            self._start_handler(connection)
        self.listener.close()

    def _start_handler(self, connection: socket.socket) -> None:
        with self.state_lock:
            self.active += 1
        thread = threading.Thread(target=self._handle, args=(connection,),
                                  name="qa-arena-request", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()

    def _unlink_socket(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            if os.stat(self.socket_path).st_ino == self._socket_inode:
                self.socket_path.unlink()

    def _should_exit(self) -> bool:
        try:
            replaced = os.stat(self.socket_path).st_ino != self._socket_inode
        except FileNotFoundError:
            replaced = True
        if replaced:
            log.info("socket %s was removed or replaced; exiting", self.socket_path)
            return True
        with self.state_lock:
            idle = self.active == 0 and time.monotonic() - self.last_activity > self.idle_s
        if idle:
            log.info("idle for %g s; exiting", self.idle_s)
        return idle

    def _shut_down(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self._unlink_socket()
        deadline = time.monotonic() + SHUTDOWN_WAIT_S
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self.backend is not None:
            self.backend.keep_warm = False
            self.backend.close()
        for catalog in (*self._retired_catalogs, self.catalog):
            if catalog is not None:
                catalog.close()
        log.info("stopped after judging %d submission(s)", self.judged)

    # ---- requests -----------------------------------------------------------------------

    def _handle(self, connection: socket.socket) -> None:
        write_lock = threading.Lock()
        try:
            with connection:
                uid = _peer_uid(connection)
                if uid is not None and uid != os.getuid():
                    log.warning("refused a connection from uid %d", uid)
                    return
                connection.settimeout(REQUEST_READ_TIMEOUT_S)
                request = next(protocol.messages(connection), None)
                connection.settimeout(None)
                if request is None:
                    return
                code = self._dispatch(request, connection, write_lock)
                with contextlib.suppress(OSError):
                    protocol.send(connection, {"exit": code})
        except (OSError, protocol.ProtocolError) as exc:
            log.info("a client connection failed: %s", exc)
        finally:
            with self.state_lock:
                self.active -= 1

    def _dispatch(self, request: dict[str, Any], connection: socket.socket,
                  write_lock: threading.Lock) -> int:
        err = _Channel(connection, "err", write_lock)
        if request.get("protocol") != addresses.PROTOCOL_VERSION:
            err.write(f"qa-arena: the judge server speaks protocol {addresses.PROTOCOL_VERSION}, "
                      f"not {request.get('protocol')!r}\n")
            return ExitCode.BAD_INPUT
        op = request.get("op")
        if op == "status":
            with contextlib.suppress(OSError):
                protocol.send(connection, {"status": self.status()})
            return 0
        if op == "stop":
            self.stopping.set()
            return 0
        if op == "judge":  # only judging counts as use: `server status` does not keep it alive
            try:
                return self._judge(request, _Channel(connection, "out", write_lock), err)
            finally:
                with self.state_lock:
                    self.last_activity = time.monotonic()
        err.write(f"qa-arena: unknown judge server request {op!r}\n")
        return ExitCode.BAD_INPUT

    def _judge(self, request: dict[str, Any], out: _Channel, err: _Channel) -> int:
        assert self.backend is not None
        try:
            data = base64.b64decode(str(request.get("tests_b64", "")), validate=True)
        except (binascii.Error, ValueError):
            err.write("qa-arena: the judge server got a damaged test file; run the command again\n")
            return ExitCode.BAD_INPUT
        pack, problem = request.get("pack"), request.get("problem")
        from qa_arena_desktop.catalog.sync import sync_bundled
        from qa_arena_desktop.console.judge import judge_tests

        try:
            catalog = self._current_catalog()
            if problem:
                with self.sync_lock:
                    for error in sync_bundled(catalog).errors:
                        log.warning("%s", error)
            code = judge_tests(data, catalog, self.backend, pack=pack, problem=problem,
                               as_json=bool(request.get("json")), out=out, err=err)
        except Exception as exc:  # noqa: BLE001 - one clear line for the user, details in the log
            log.error("judging failed:\n%s", "".join(traceback.format_exception(exc)))
            err.write(internal_error_text(exc, log_path()))
            return ExitCode.INTERNAL_ERROR
        with self.state_lock:
            self.judged += 1
        return code

    def _current_catalog(self) -> Any:
        """The catalog this call saves to: opened again when its file was removed or
        replaced while the server waited (a reset data folder), so that a submission is
        never written into a deleted database where nobody would see it again."""
        with self.sync_lock:
            if _file_identity(self.catalog.path) != self._catalog_file:
                from qa_arena_desktop.context import open_catalog

                log.info("the catalog %s was removed or replaced; opening it again",
                         self.catalog.path)
                # Calls already running keep (and finish on) the one they started with.
                self._retired_catalogs.append(self.catalog)
                self.catalog, report = open_catalog(sync=True)
                self._catalog_file = _file_identity(self.catalog.path)
                for error in report.errors:
                    log.warning("%s", error)
            return self.catalog

    def status(self) -> dict[str, Any]:
        with self.state_lock:
            active, judged = self.active - 1, self.judged  # minus the status request itself
        return {
            "pid": os.getpid(),
            "version": __version__,
            "started_at": self.started,
            "uptime_s": round(time.time() - self.started, 1),
            "judged": judged,
            "active": max(0, active),
            "idle_timeout_s": self.idle_s,
            "data_dir": str(paths.data_dir()),
            "docker_host": os.environ.get("DOCKER_HOST", ""),
            "warm_containers": self.backend.warm_containers if self.backend else 0,
            "socket": str(self.socket_path),
            "log": str(log_path()),
        }


STALE_AFTER_S = 24 * 3600


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def remove_stale_files(folder: Path, keep: Path) -> None:
    """Lock and error files of servers (other settings, older code) gone for a day or more.

    A lock held by a live server is left alone; so is anything touched recently, so a
    server starting right now for other settings never loses its lock file.
    """
    now = time.time()
    for lock_file in folder.glob("judge-*.lock"):
        if lock_file == keep:
            continue
        try:
            if now - lock_file.stat().st_mtime < STALE_AFTER_S:
                continue
            with open(lock_file, "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if a server holds it
                for name in (lock_file, lock_file.with_suffix(".err"), lock_file.with_suffix(".sock")):
                    with contextlib.suppress(FileNotFoundError):
                        name.unlink()
        except OSError:
            continue


def log_path() -> Path:
    return paths.logs_dir() / "judge-server.log"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa_arena_desktop.judge_server")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--lock", required=True)
    parser.add_argument("--idle-s", type=float, default=None)
    args = parser.parse_args(argv)
    # The lock before anything heavy: a server that loses the race exits in milliseconds.
    lock = open(args.lock, "a+b")  # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another judge server holds it
    try:
        settings = env_settings.current()
    except env_settings.SettingsError as exc:  # the client says it and exits 2
        sys.stderr.write(f"qa-arena: {exc}\n")
        return ExitCode.BAD_INPUT
    handler = logging.handlers.RotatingFileHandler(log_path(), maxBytes=1_000_000, backupCount=2,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    server = JudgeServer(Path(args.socket), Path(args.lock),
                         args.idle_s if args.idle_s is not None
                         else max(1.0, settings.server_idle_s))
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda *_: server.stopping.set())
    try:
        return server.run()
    except Exception as exc:  # noqa: BLE001 - logged; the client falls back to judging itself
        log.exception("the judge server failed")
        sys.stderr.write(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}\n")
        return ExitCode.INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
