"""The duplicates nemesis reads a topic that checkouts keep writing to: the read stops at the
log ends it began with, instead of waiting for a quiet topic (a 3,000-checkout run's first
re-publish waited out the whole workload)."""

import asyncio
import uuid

from shop_e2e.broker import produce_raw, read_topic


async def test_a_read_up_to_the_end_returns_while_the_topic_is_still_written(
    kafka_bootstrap_servers: str,
) -> None:
    topic = f"chaos.live-{uuid.uuid4().hex[:8]}"  # created on first write
    for n in range(5):
        await produce_raw(kafka_bootstrap_servers, topic, b"before-%d" % n, key=b"k")
    writing = asyncio.Event()
    stop = asyncio.Event()

    async def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            await produce_raw(kafka_bootstrap_servers, topic, b"during-%d" % n, key=b"k")
            writing.set()
            n += 1
            await asyncio.sleep(0.05)

    writer = asyncio.create_task(keep_writing())
    try:
        await writing.wait()
        read = read_topic(kafka_bootstrap_servers, topic, upto_end=True, fetch_ms=500)
        records = await asyncio.wait_for(read, timeout=30)
    finally:
        stop.set()
        await writer
    values = [r.value for r in records]
    assert values[:5] == [b"before-%d" % n for n in range(5)]
