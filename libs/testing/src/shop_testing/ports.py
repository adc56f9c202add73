"""Free TCP ports, so two test runs (or a test run and `make up`) never collide."""

from __future__ import annotations

import socket
from contextlib import ExitStack


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago: `free_port()` -> 41873.

    The OS picks it; another process could still grab it before we bind, which is
    unlikely enough for tests (and the stack runner reports a taken port clearly).
    """
    return free_ports(1, host)[0]


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct ports that were free a moment ago: `free_ports(3)` -> [41873, ...].

    Each socket stays bound until all are picked. Calling `free_port()` several times
    can return the same port twice (the kernel reuses a just-closed ephemeral port),
    and two processes then fight over it.
    """
    with ExitStack() as held:
        ports = []
        for _ in range(count):
            sock = held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(int(sock.getsockname()[1]))
        return ports
