"""The `work` process's tasks: the outbox relay (PaymentVoided and, later, captures).

Payment consumes no events yet (capturing on ShipmentCreated and voiding on
OrderCancelled come with the consumers), so there is no subscription table here yet.
"""

from shop_messaging import KafkaPublisher, OutboxRelay
from sqlalchemy.ext.asyncio import AsyncEngine


async def relay_outbox(engine: AsyncEngine, bootstrap_servers: str, *, idempotence: bool) -> None:
    """Publish the outbox to Kafka until cancelled."""
    async with KafkaPublisher(
        bootstrap_servers, enable_idempotence=idempotence, client_id="payment-relay"
    ) as publisher:
        await OutboxRelay(engine, publisher).run()
