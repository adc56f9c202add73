"""What the reconciliation job needs from the outside world, as Protocols.

The adapters implement them over HTTP (sources, repairs) and PostgreSQL (runs, the lock);
the tests and the benchmark implement them in memory where that is the point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from reconciliation.domain.findings import Repair, Window
from reconciliation.domain.runs import Run
from reconciliation.domain.sources import Snapshot


@dataclass(frozen=True)
class Reading:
    snapshot: Snapshot
    rows: Mapping[str, int]  # rows read, by source ("orders", "reservations", ...)
    pages: int


class SourceUnavailable(Exception):
    """A source of truth could not be read completely; the run judges nothing."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class RunInProgress(Exception):
    """Another run that repairs is under way; two never repair at once."""

    def __init__(self) -> None:
        super().__init__("another reconciliation run is repairing right now")


class Sources(Protocol):
    async def read(self, window: Window) -> Reading:
        """Every row created in the window, from every source; raises SourceUnavailable."""
        ...


class Repairs(Protocol):
    async def execute(self, repair: Repair) -> str | None:
        """Send the command to its owner: None once accepted, else why not. Never raises."""
        ...


class RunStore(Protocol):
    async def start(self, run: Run) -> None: ...

    async def finish(self, run: Run) -> Run:
        """Record the run's outcome and its findings (which get their ids here)."""
        ...

    async def get(self, run_id: str) -> Run | None: ...

    async def latest(self, limit: int) -> Sequence[Run]:
        """The newest runs first, without their findings."""
        ...


class RunLock(Protocol):
    def hold(self) -> AbstractAsyncContextManager[None]:
        """Held for a whole repairing run; raises RunInProgress when another holds it."""
        ...


class RunObserver(Protocol):
    def run_finished(self, run: Run) -> None: ...
