"""A service's settings from environment variables, checked."""

import os
from typing import NamedTuple

TRUE, FALSE = {"1", "true", "yes"}, {"0", "false", "no", ""}


class Settings(NamedTuple):
    name: str
    port: int
    debug: bool


def load_settings(env=None):
    if env is None:
        env = os.environ
    name = env.get("APP_NAME", "").strip()
    if not name:
        raise ValueError("APP_NAME is required")
    port_text = env.get("APP_PORT", "")
    port = int(port_text) if port_text else 8080
    if port < 0:
        raise ValueError(f"APP_PORT out of range: {port}")
    debug_text = env.get("APP_DEBUG", "").lower()
    if debug_text not in TRUE | FALSE:
        raise ValueError(f"APP_DEBUG must be yes or no, got {debug_text!r}")
    return Settings(name, port, debug_text in TRUE)
