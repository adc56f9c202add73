"""What the operator console shows, and the ports it reads through.

    journey = await order_journey(sessions, sources, "ord_1", clock=clock, deadlines=d)
    journey.states["payment"]        # payment's word on the order
    journey.events                   # the events reconciliation saw, oldest first

The console is reconciliation's because reconciliation already owns the operator's view:
it sees every topic (coordination state and its event log), it can read every service's
source of truth (the job's internal reads), and it keeps the findings and repairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reconciliation.adapters import journal
from reconciliation.application.coordination import OrderProgress, find_order_progress
from reconciliation.application.ports import Sources
from reconciliation.domain.coordination import Deadlines
from reconciliation.domain.errors import SourceUnavailable
from reconciliation.domain.findings import Window
from reconciliation.domain.operations import (
    DeadLetterShelf,
    FaultSettings,
    ServiceStatus,
)


class DeadLetters(Protocol):
    async def peek(self, group: str, *, limit: int) -> DeadLetterShelf: ...

    async def replay(self, group: str) -> int:
        """Send the group's dead letters back to their topics; how many went."""
        ...


class Fleet(Protocol):
    async def statuses(self) -> list[ServiceStatus]: ...

    async def set_faults(self, service: str, faults: FaultSettings) -> None: ...

    async def clear_faults(self, service: str) -> None: ...


@dataclass(frozen=True)
class JourneyEvent:
    type: str
    source: str
    occurred_at: datetime
    received_at: datetime


@dataclass(frozen=True)
class JourneyFinding:
    run_id: str
    dry_run: bool
    kind: str
    detail: str
    repair: str | None
    status: str
    created_at: datetime


@dataclass(frozen=True)
class Journey:
    order_id: str
    progress: OrderProgress | None
    events: list[JourneyEvent]
    findings: list[JourneyFinding]
    states: Mapping[str, list[Mapping[str, Any]]]  # service -> its records of the order
    sources_error: str | None = None


# How far around the order's first event the sources are read: a checkout reserves and
# authorizes just before it confirms; everything else happens after.
BEFORE_FIRST_EVENT = timedelta(minutes=5)


async def order_journey(
    sessions: async_sessionmaker[AsyncSession],
    sources: Sources,
    order_id: str,
    *,
    clock: Clock,
    deadlines: Deadlines,
) -> Journey:
    progress = await find_order_progress(sessions, order_id, clock=clock, deadlines=deadlines)
    async with sessions() as session:
        event_rows = await journal.events_of_order(session, order_id)
        finding_rows = await journal.findings_of_order(session, order_id)
    events = [
        JourneyEvent(r.type, _source_of(r.type), r.occurred_at, r.received_at) for r in event_rows
    ]
    findings = [
        JourneyFinding(r.run_id, r.dry_run, r.kind, r.detail, r.repair, r.status, r.created_at)
        for r in finding_rows
    ]
    first = events[0].occurred_at if events else clock() - timedelta(days=1)
    states: dict[str, list[Mapping[str, Any]]] = {}
    error = None
    try:
        reading = await sources.read(Window(since=first - BEFORE_FIRST_EVENT, until=clock()))
        states = _states_of(reading.snapshot, order_id)
    except SourceUnavailable as exc:
        error = str(exc)
    return Journey(order_id, progress, events, findings, states, error)


def _source_of(event_type: str) -> str:
    """`shop.payment.PaymentCaptured.v1` -> payment (the event type names its producer)."""
    parts = event_type.split(".")
    return parts[1] if len(parts) > 2 else "?"


SNAPSHOT_PARTS: Sequence[tuple[str, str]] = (
    ("checkout", "orders"),
    ("inventory", "reservations"),
    ("payment", "authorizations"),
    ("fulfillment", "shipments"),
    ("fulfillment", "backorders"),
    ("communications", "notifications"),
)
# Keyed by return id, not order id (an order can be returned more than once): picked out
# by the order id each record carries.
RETURN_PARTS: Sequence[tuple[str, str]] = (
    ("returns", "returns"),
    ("payment", "refunds"),
    ("inventory", "restocks"),
)


def _states_of(snapshot: Any, order_id: str) -> dict[str, list[Mapping[str, Any]]]:
    states: dict[str, list[Mapping[str, Any]]] = {}

    def add(service: str, part: str, records: Sequence[Any]) -> None:
        if records:
            states.setdefault(service, []).extend(
                {"record": part, **_readable(asdict(record))} for record in records
            )

    for service, part in SNAPSHOT_PARTS:
        found = getattr(snapshot, part).get(order_id, ())
        add(service, part, found if isinstance(found, list | tuple) else [found])
    for service, part in RETURN_PARTS:
        mine = (r for r in getattr(snapshot, part).values() if r.order_id == order_id)
        add(service, part, sorted(mine, key=lambda r: r.created_at))
    return states


def _readable(fields: dict[str, Any]) -> dict[str, Any]:
    """A record's (sku, units) lines as a person writes them: "1 x SKU-MUG-01"."""
    lines = fields.get("lines")
    if not isinstance(lines, list | tuple):
        return fields
    if all(isinstance(line, list | tuple) and len(line) == 2 for line in lines):
        fields["lines"] = ", ".join(f"{units} x {sku}" for sku, units in lines)
    return fields
