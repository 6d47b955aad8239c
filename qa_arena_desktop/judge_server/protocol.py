"""The judge server's wire format: one JSON object per line, both ways (standard library only).

Client to server, one request per connection::

    {"protocol": 1, "op": "judge", "pack": "/abs/dir" | null, "problem": "slug" | null,
     "tests_path": "my_tests.py", "tests_b64": "...", "json": true}
    {"protocol": 1, "op": "status"}
    {"protocol": 1, "op": "stop"}

Server to client: ``{"out": text}`` and ``{"err": text}`` (what the command prints, as it
prints it), ``{"status": {...}}``, then ``{"exit": code}`` last.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

MAX_LINE_BYTES = 64 * 1024 * 1024


class ProtocolError(Exception):
    pass


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")


def messages(sock: socket.socket) -> Iterator[dict[str, Any]]:
    """Messages as they arrive, until the peer closes the connection."""
    buffer = b""
    while True:
        chunk = sock.recv(1 << 16)
        if not chunk:
            if buffer.strip():
                raise ProtocolError("the connection closed in the middle of a message")
            return
        buffer += chunk
        if len(buffer) > MAX_LINE_BYTES:
            raise ProtocolError("message too large")
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                try:
                    message = json.loads(line)
                except ValueError as exc:
                    raise ProtocolError(f"not JSON: {exc}") from exc
                if not isinstance(message, dict):
                    raise ProtocolError("a message must be a JSON object")
                yield message
