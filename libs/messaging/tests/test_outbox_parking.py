"""A row the broker refuses for good is parked and the rows behind it still go out."""

import uuid

import sqlalchemy as sa
from prometheus_client import REGISTRY
from shop_contracts import OrderCancelled, topics
from shop_messaging import KafkaPublisher, Outbox, OutboxRelay
from shop_messaging._tables import outbox_table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .kafka import end_offsets, read


def parked_total() -> float:
    return REGISTRY.get_sample_value("shop_outbox_parked_total", {"topic": topics.ORDERS}) or 0.0


async def test_a_record_too_large_for_the_broker_is_parked_and_does_not_block_the_rest(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    kafka_bootstrap_servers: str,
) -> None:
    order_id = f"ord_{uuid.uuid4().hex[:8]}"
    outbox = Outbox()
    async with session_factory() as session, session.begin():
        huge = await outbox.add(session, OrderCancelled(order_id=order_id, reason="x" * 500))
        after = await outbox.add(session, OrderCancelled(order_id=order_id, reason="small"))
    start = await end_offsets(kafka_bootstrap_servers, topics.ORDERS)
    before = parked_total()

    # A producer whose request limit the first row exceeds: refused for good, every time.
    async with KafkaPublisher(kafka_bootstrap_servers, max_request_size=600) as publisher:
        relay = OutboxRelay(engine, publisher)
        assert await relay.publish_once() == 0  # parks the huge row
        assert await relay.publish_once() == 1  # and the one behind it goes out
        assert await relay.publish_once() == 0

    [record] = await read(kafka_bootstrap_servers, topics.ORDERS, 1, start=start)
    assert dict(record.headers)["ce_id"] == after.id.encode()
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.select(
                    outbox_table.c.event_id,
                    outbox_table.c.parked_at.is_not(None),
                    outbox_table.c.published_at.is_not(None),
                    outbox_table.c.park_reason,
                ).order_by(outbox_table.c.id)
            )
        ).all()
    assert [tuple(r[:3]) for r in rows] == [(huge.id, True, False), (after.id, False, True)]
    assert "MessageSizeTooLargeError" in rows[0].park_reason
    assert parked_total() == before + 1
