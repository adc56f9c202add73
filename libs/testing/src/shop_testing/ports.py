"""Free TCP ports, so two test runs (or a test run and `make up`) never collide."""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago: `free_port()` -> 41873.

    The OS picks it; another process could still grab it before we bind, which is
    unlikely enough for tests (and the stack runner reports a taken port clearly).
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port
