"""The `work` process: the subscription table (every topic -> coordination state) and the
reconciliation job's schedule.

Every event that moves an order through COMPLETE_ORDER is observed; other types on these
topics (StockReplenished, ReservationReleased, PaymentVoided, ...) have no handler and are
skipped by the runner. The inbox makes a redelivery a no-op, and the coordination state
is indifferent to arrival order (domain/coordination.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from shop_contracts import EVENT_TYPES, CloudEvent
from shop_messaging import Subscriptions
from sqlalchemy.ext.asyncio import AsyncSession

from reconciliation.application.coordination import (
    FACT_OF_EVENT_TYPE,
    ObservedEvent,
    observe_event,
)
from reconciliation.application.ports import RunInProgress
from reconciliation.application.reconcile import Job, reconcile
from reconciliation.domain.runs import Trigger

log = logging.getLogger(__name__)

GROUP_ID = "reconciliation"


async def observe(session: AsyncSession, event: CloudEvent[Any]) -> None:
    order_id = getattr(event.data, "order_id", None) or event.subject
    await observe_event(
        session,
        ObservedEvent(event.id, event.type, order_id, event.time),
        now=datetime.now(UTC),
    )


SUBSCRIPTIONS: Subscriptions = {EVENT_TYPES[type_]: observe for type_ in FACT_OF_EVENT_TYPE}


def scheduled_runs(
    job: Job, *, interval: float, window: timedelta, now: Callable[[], datetime]
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A task running the job every `interval` seconds over the last `window`.

    The first run waits one interval (the stack is still starting). A run refused because
    another is repairing (the API's, the CLI's) is skipped; any other failure is logged
    and the schedule goes on: the next run repeats whatever this one missed.
    """

    async def scheduled_reconciliation() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await reconcile(job, since=now() - window, dry_run=False, trigger=Trigger.SCHEDULE)
            except RunInProgress:
                log.info("scheduled reconciliation skipped: another run is repairing")
            except Exception:
                log.exception("scheduled reconciliation failed")

    return scheduled_reconciliation
