"""The `work` process's tasks: the expiry sweep and the outbox relay.

Inventory consumes no events yet (committing on ShipmentCreated and releasing on
OrderCancelled come with the consumers), so there is no subscription table here yet.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from shop_messaging import KafkaPublisher, OutboxRelay
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


async def sweep_expired(
    expire: Callable[[], Awaitable[int]], *, interval: float, batch: int
) -> None:
    """Run `expire` every `interval` seconds, back to back while it finds full batches."""
    while True:
        try:
            expired = await expire()
        except Exception:
            # A database blip must not kill the sweep; the next pass picks the holds up.
            log.exception("expiry sweep failed; retrying in %.1fs", interval)
            expired = 0
        if expired:
            log.info("expired %d reservations", expired)
        if expired < batch:
            await asyncio.sleep(interval)


async def relay_outbox(engine: AsyncEngine, bootstrap_servers: str, *, idempotence: bool) -> None:
    """Publish the outbox to Kafka until cancelled."""
    async with KafkaPublisher(
        bootstrap_servers, enable_idempotence=idempotence, client_id="inventory-relay"
    ) as publisher:
        await OutboxRelay(engine, publisher).run()
