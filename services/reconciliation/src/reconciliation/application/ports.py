"""What the reconciliation job needs from the outside world, as Protocols.

The adapters implement the other services' APIs (`Sources`, `Repairs`, over HTTP) and the
metrics (`RunObserver`). `RunStore` and `RunLock` are this service's own database
(`application.run_records`, `adapters.runs.AdvisoryRunLock`): they stay ports so the job's
unit tests and the benchmark run it in memory (`adapters.memory`). What they exchange and
raise (`Reading`, `Run`, `SourceUnavailable`, `RunInProgress`) lives in the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from reconciliation.domain.findings import Repair, Window
from reconciliation.domain.runs import Run
from reconciliation.domain.sources import Reading


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
