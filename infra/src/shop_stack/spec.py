"""What a supervised process is: plain data, so tests can pass their own topology.

A `ProcessSpec` says how to start one process and how to tell it is ready; it never
starts anything itself (that is `supervisor`) and knows nothing of the stack's shape
(that is `topology`).
"""

from __future__ import annotations

import signal
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

ReadinessCheck = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class ProcessSpec:
    """One named long-running process.

    `ports` are checked free before start (a clear error beats a crash in a log);
    `ready` answers True once the process really serves (a SQL connection, a Kafka
    bootstrap, an HTTP 200), never just an open socket. `prepare` runs before each
    start (e.g. initdb); `after_ready` runs once it is ready (e.g. create topics on a
    memory-only broker, which loses them on every restart). `user` runs the process
    as another system user (PostgreSQL refuses to run as root).
    """

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    ports: tuple[int, ...] = ()
    url: str = ""
    ready: ReadinessCheck | None = None
    prepare: Callable[[], None] | None = None
    after_ready: Callable[[], Awaitable[object]] | None = None
    user: str | None = None
    cwd: str | None = None
    stop_signal: int = signal.SIGTERM
    kind: str = "service"
