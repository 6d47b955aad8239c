"""Find and remove judge containers left behind by a crashed or killed app.

Every container the app starts carries the app's label, the owner's PID and
host name. A container is a leftover when its owner process on this host is
gone (or it has already exited); containers of a live app instance, or of
another host sharing a remote engine, are left alone.
"""

from __future__ import annotations

import logging
import socket
import time

import docker
import docker.errors

from qa_arena_desktop.judging.engine import LABEL, LABEL_HOST, LABEL_PID
from qa_arena_desktop.processes import pid_alive

log = logging.getLogger(__name__)


def is_leftover(labels: dict[str, str], status: str, host: str | None = None) -> bool:
    """True for a judge container of this host whose owner process is gone, or that has exited."""
    if labels.get(LABEL_HOST) != (host or socket.gethostname()):
        return False  # another machine's container on a shared (remote) engine
    if status in ("exited", "dead"):
        return True
    try:
        pid = int(labels.get(LABEL_PID, "0"))
    except ValueError:
        return True
    return not pid_alive(pid)


def app_containers(client: docker.DockerClient) -> list[dict]:
    """The app's containers as the engine lists them (no per-container inspect, which would
    race a removal in progress)."""
    return list(client.api.containers(all=True, filters={"label": LABEL}))


REMOVE_ATTEMPTS = 4


def remove_container(client: docker.DockerClient, container_id: str) -> bool:
    """Force-remove one container, trying again on an engine error (a busy engine can refuse
    or time out once); True when it is gone. What still fails is swept at the next start
    (:func:`sweep_leftovers`) and logged."""
    for attempt in range(REMOVE_ATTEMPTS):
        try:
            client.api.remove_container(container_id, force=True)
            return True
        except docker.errors.NotFound:
            return True
        except docker.errors.APIError as exc:
            if exc.status_code == 409 and "already in progress" in str(exc):
                return True
            error: Exception = exc
        except (docker.errors.DockerException, OSError) as exc:  # timeouts, a lost socket
            error = exc
        time.sleep(0.25 * (attempt + 1))
    log.warning("could not remove judge container %s: %s", container_id[:12], error)
    return False


def sweep_leftovers(client: docker.DockerClient) -> list[str]:
    """Remove leftover judge containers; returns their short ids."""
    removed = []
    for container in app_containers(client):
        if not is_leftover(container.get("Labels") or {}, container.get("State", "")):
            continue
        try:
            client.api.remove_container(container["Id"], force=True)
            removed.append(container["Id"][:12])
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if exc.status_code != 409:  # 409: its removal is already in progress
                raise
    return removed
