"""What the app needs from the machine (Docker engine, judge image), and how to fix each gap.

``check_docker_health`` can take seconds (it talks to the engine), so the UI calls it
from a worker thread; the result is plain data. The fix texts are per platform and
share their wording with ``qa-arena doctor`` through :mod:`judging.engine`.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

from qa_arena_desktop import env_settings
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.engine import EngineInfo
from qa_arena_desktop.judging.image import ImageStatus, image_status
from qa_arena_desktop.judging.limits_check import LimitsReport, check_limits

INSTALL_URLS = {
    "Linux": "https://docs.docker.com/engine/install/",
    "Darwin": "https://docs.docker.com/desktop/setup/install/mac-install/",
    "Windows": "https://docs.docker.com/desktop/setup/install/windows-install/",
}


@dataclass(frozen=True)
class DockerHealth:
    engine: EngineInfo
    image: ImageStatus | None = None  # None when the engine could not be asked
    image_error: str = ""
    limits: LimitsReport | None = None  # the sandbox-limits probe (once the image is ready)
    limits_error: str = ""

    @property
    def limits_refused(self) -> bool:
        """The engine ignores a sandbox limit and the user did not accept the risk."""
        return (self.limits is not None and not self.limits.ok
                and not env_settings.current().allow_unenforced_limits)

    @property
    def ready(self) -> bool:
        return (self.engine.reachable and self.image is not None and not self.image.problem
                and not self.limits_refused)

    @property
    def image_buildable(self) -> bool:
        """The engine answers but the image is missing or stale: building it is the fix."""
        return self.engine.reachable and self.image is not None and bool(self.image.problem)

    def summary(self) -> str:
        """One line for the status bar."""
        if not self.engine.reachable:
            where = f" ({self.engine.setting})" if self.engine.setting else ""
            return f"Docker: not reachable{where}"
        text = f"Docker {self.engine.version}"
        if self.image is None:
            return f"{text} · image unknown"
        if not self.image.present:
            return f"{text} · judge image missing"
        if not self.image.current:
            return f"{text} · judge image out of date"
        if self.limits_refused:
            return f"{text} · sandbox limits not enforced"
        return f"{text} · judge image ready"

    def problems(self) -> list[str]:
        found = []
        if not self.engine.reachable:
            found.append(self.engine.error or "no Docker engine is reachable")
        elif self.image is None:
            found.append(self.image_error or "cannot ask the engine about the judge image")
        elif self.image.problem:
            found.append(self.image.problem)
        elif self.limits is not None and not self.limits.ok:
            found.extend(self.limits.problems())
        return found


def check_docker_health() -> DockerHealth:
    """Ask the engine for its version, the judge image's state and whether it enforces the
    sandbox's limits, as ``qa-arena doctor`` does (the limits probe is cached per engine:
    judging runs it anyway). Slow: call off the GUI thread. Failures are data, in words."""
    info = engine.engine_info()
    if not info.reachable:
        return DockerHealth(engine=info)
    try:
        client = engine.connect(timeout=10)
    except JudgeUnavailable as exc:
        return DockerHealth(engine=info, image_error=str(exc))
    try:
        try:
            image = image_status(client)
        except Exception as exc:  # noqa: BLE001 - reported to the user as data
            return DockerHealth(engine=info, image_error="cannot ask the engine about the "
                                f"judge image ({engine.reason(exc)})")
        if image.problem:
            return DockerHealth(engine=info, image=image)
        try:
            return DockerHealth(engine=info, image=image, limits=check_limits(client))
        except JudgeUnavailable as exc:
            return DockerHealth(engine=info, image=image, limits_error=exc.message)
        except Exception as exc:  # noqa: BLE001 - reported to the user as data
            return DockerHealth(engine=info, image=image, limits_error="the sandbox-limits "
                                f"check could not run ({engine.reason(exc)})")
    finally:
        client.close()


def engine_fix_steps(system: str | None = None) -> list[str]:
    """What to do when no engine answers, for this platform (or ``system``)."""
    system = system or platform.system()
    url = INSTALL_URLS.get(system, INSTALL_URLS["Linux"])
    if system == "Darwin":
        return [
            f"Install Docker Desktop for Mac ({url}) or colima (`brew install colima docker`).",
            "Start Docker Desktop (or run `colima start`) and wait until it says it is running.",
            "Click “Check again”.",
        ]
    if system == "Windows":
        return [
            f"Install Docker Desktop for Windows with the WSL 2 backend ({url}).",
            "Start Docker Desktop and wait until the whale icon stops animating.",
            "Click “Check again”.",
        ]
    return [
        f"Install Docker Engine for your distribution ({url}).",
        "Start it: `sudo systemctl start docker` (without systemd: `sudo dockerd &`).",
        "Let your user use it: `sudo usermod -aG docker $USER`, then log out and in again.",
        "Click “Check again”.",
    ]


def image_fix_steps() -> list[str]:
    return [
        "Click “Build judge image” (or run `qa-arena image build` in a terminal).",
        "The first build downloads a small Python base image; offline labs can use "
        "`qa-arena image build --base debootstrap` or import an exported image.",
    ]


def error_advice(message: str) -> tuple[str, bool, bool]:
    """For a submission's ERROR message: (what to do, offer the doctor, offer an image build)."""
    lowered = message.lower()
    if "cancelled" in lowered:
        return ("The run was cancelled. Submit again when you are ready.", False, False)
    if "judge image" in lowered or "image build" in lowered:
        return ("The judge image is missing or out of date: build it, then submit again.",
                True, True)
    if "docker" in lowered or "engine" in lowered:
        return ("The Docker engine is not available. Start Docker, then submit again; "
                "the doctor shows how on this system.", True, False)
    return ("The judge itself failed; this is not a problem with your tests. "
            "Submit again; if it keeps failing, open the doctor.", True, False)
