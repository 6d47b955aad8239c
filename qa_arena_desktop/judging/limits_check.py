"""Prove that this engine really enforces the sandbox's limits before trusting it.

Some engines accept limits and silently ignore them (rootless Docker on cgroup
v1, hosts without swap accounting). A tiny probe container, started with the
judge's own container options, tries to exceed the memory and pids limits and
to reach the network. The result is cached per engine (id, version, kernel,
cgroup version and the options' hash), so the probe runs once per engine and
configuration, not once per submission. ``qa-arena doctor`` always re-runs it.
When a limit does not hold, judging is refused with an explanation, unless
``QA_ARENA_ALLOW_UNENFORCED_LIMITS=1`` says the user accepts the risk.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import docker
import docker.errors

from qa_arena_desktop import env_settings, paths
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.domain.judge_models import Limits
from qa_arena_desktop.files import write_atomically
from qa_arena_desktop.judging.cleanup import remove_container
from qa_arena_desktop.judging.container_run import container_options

OVERRIDE_ENV = "QA_ARENA_ALLOW_UNENFORCED_LIMITS"
ENFORCED_TEXT = "sandbox limits enforced: memory, processes, no network"  # the doctors' line
UNENFORCED_FIX = (f"use rootful Docker or cgroup v2 with swap accounting; {OVERRIDE_ENV}=1 "
                  "judges anyway at your own risk")
CACHE_FILE = "limits-check.json"

PROBE = r"""
import json, os, socket, sys, time
report = {}
# pids: fork sleepers until the kernel says no
children = []
for _ in range(400):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    children.append(pid)
report["processes_started"] = len(children)
for pid in children:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
# memory: a child allocates and reports each 16 MiB until it dies or reaches the ceiling
read_end, write_end = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(read_end)
    blocks = []
    try:
        for _ in range(int(sys.argv[1]) // 16):
            blocks.append(bytearray(16 * 1024 * 1024))
            os.write(write_end, b"x")
    except MemoryError:
        pass
    os._exit(0)
os.close(write_end)
allocated = 0
while True:
    chunk = os.read(read_end, 1024)
    if not chunk:
        break
    allocated += 16 * len(chunk)
os.waitpid(pid, 0)
report["memory_mb_reached"] = allocated
# network
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    report["network"] = "connected"
except OSError as exc:
    report["network"] = type(exc).__name__
report["interfaces"] = sorted(name for _, name in socket.if_nameindex())
print(json.dumps(report))
"""


@dataclass(frozen=True)
class LimitsReport:
    memory_enforced: bool
    pids_enforced: bool
    network_blocked: bool
    details: str

    @property
    def ok(self) -> bool:
        return self.memory_enforced and self.pids_enforced and self.network_blocked

    def problems(self) -> list[str]:
        problems = []
        if not self.memory_enforced:
            problems.append("the memory limit is not enforced (a test could exhaust your RAM)")
        if not self.pids_enforced:
            problems.append("the process limit is not enforced (a fork bomb could freeze "
                            "your machine)")
        if not self.network_blocked:
            problems.append("containers can reach the network")
        return problems


def evaluate(raw: dict, limits: Limits) -> LimitsReport:
    """Judge the probe's raw findings against the limits it was started with (pure)."""
    return LimitsReport(
        memory_enforced=raw.get("memory_mb_reached", 0) < limits.memory_mb * 2,
        pids_enforced=raw.get("processes_started", 0) < limits.pids * 2,
        network_blocked=raw.get("network") != "connected" and set(raw.get("interfaces", [])) <= {
            "lo"},
        details=json.dumps(raw, sort_keys=True),
    )


def run_probe(client: docker.DockerClient, limits: Limits | None = None) -> LimitsReport:
    limits = limits or Limits()
    options = container_options(limits)
    options.update(stdin_open=False, detach=True, entrypoint=["python3", "-c", PROBE,
                                                              str(limits.memory_mb * 3)])
    container = client.containers.create(**options)
    try:
        container.start()
        status = container.wait(timeout=60)
        output = container.logs(stdout=True, stderr=False).decode("utf-8", "replace").strip()
        try:
            raw = json.loads(output.splitlines()[-1])
        except (ValueError, IndexError):
            raise JudgeUnavailable(
                f"the limits probe failed (exit {status.get('StatusCode')}): {output[-300:]}",
                "Run `qa-arena doctor` for details") from None
    finally:
        remove_container(client, container.id)
    return evaluate(raw, limits)


def _engine_key(client: docker.DockerClient, limits: Limits) -> str:
    info = client.info()
    options = container_options(limits)
    material = json.dumps([info.get("ID"), info.get("ServerVersion"), info.get("KernelVersion"),
                           info.get("CgroupVersion"), info.get("SecurityOptions"),
                           repr(sorted((k, repr(v)) for k, v in options.items()
                                       if k != "labels"))])
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def _cache_path() -> Path:
    return paths.data_dir() / CACHE_FILE


def check_limits(client: docker.DockerClient, limits: Limits | None = None,
                 use_cache: bool = True) -> LimitsReport:
    """The engine's limits report, from the cache when this engine was probed before."""
    limits = limits or Limits()
    key = _engine_key(client, limits)
    cache = _cache_path()
    if use_cache and cache.is_file():
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
            if cached.get("key") == key:
                return LimitsReport(**cached["report"])
        except (ValueError, KeyError, TypeError):
            pass
    report = run_probe(client, limits)
    write_atomically(cache, json.dumps({"key": key, "report": asdict(report)}))
    return report


def require_enforced_limits(client: docker.DockerClient, limits: Limits | None = None) -> None:
    """Refuse to judge on an engine that ignores limits (unless the user overrides)."""
    report = check_limits(client, limits)
    if report.ok or env_settings.current().allow_unenforced_limits:
        return
    raise JudgeUnavailable(
        "this Docker engine does not enforce the sandbox's limits: " + "; ".join(report.problems()),
        "Use an engine with cgroup memory and pids accounting (rootful Docker, or cgroup v2 with "
        f"swap accounting), or set {OVERRIDE_ENV}=1 to judge anyway at your own risk",
    )
