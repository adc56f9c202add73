import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from inventory.application.expiry import expire_reservations
from shop_messaging import Outbox
from shop_servicekit import Database, utc_now
from sqlalchemy import text


async def hold(client: httpx.AsyncClient, order_id: str, quantity: int = 1) -> str:
    body = {
        "order_id": order_id,
        "items": [{"sku": "SKU-PRINT-01", "quantity": quantity}],
        "ttl_seconds": 60,
    }
    response = await client.post("/v1/reservations", json=body)
    assert response.status_code == 201
    reservation_id: str = response.json()["reservation_id"]
    return reservation_id


async def reserved(db: Database) -> int:
    async with db.sessions() as session:
        value: int = await session.scalar(
            text("SELECT reserved FROM stock_items WHERE sku = 'SKU-PRINT-01'")
        )
    return value


async def test_holds_are_kept_until_their_ttl_runs_out(
    client: httpx.AsyncClient, db: Database
) -> None:
    await hold(client, "ord_1")
    expired = await expire_reservations(db.sessions, Outbox(), clock=utc_now, limit=10)
    assert expired == 0
    assert await reserved(db) == 1


async def test_overdue_holds_expire_give_stock_back_and_say_so(
    client: httpx.AsyncClient, db: Database
) -> None:
    reservation_id = await hold(client, "ord_1", 2)
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=10) == 1
    assert await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=10) == 0
    assert await reserved(db) == 0
    body = (await client.get(f"/v1/reservations/{reservation_id}")).json()
    assert (body["status"], body["release_reason"]) == ("EXPIRED", "expired")
    async with db.sessions() as session:
        types = (await session.scalars(text("SELECT type FROM outbox"))).all()
    assert types == ["shop.inventory.ReservationReleased.v1"]
    # An expired hold is over: releasing it later changes nothing.
    assert (await client.delete(f"/v1/reservations/{reservation_id}")).json()["status"] == "EXPIRED"


async def test_concurrent_sweeps_never_release_a_hold_twice(
    client: httpx.AsyncClient, db: Database
) -> None:
    for i in range(3):
        await hold(client, f"ord_{i}")
    later = datetime.now(UTC) + timedelta(minutes=2)
    counts = await asyncio.gather(
        *(
            expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=1)
            for _ in range(6)
        )
    )
    assert sum(counts) <= 3
    while await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=1):
        pass
    assert await reserved(db) == 0
    async with db.sessions() as session:
        events = await session.scalar(text("SELECT count(*) FROM outbox"))
    assert events == 3
