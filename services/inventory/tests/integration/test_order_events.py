import logging
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
import pytest
from inventory.application.expiry import expire_reservations
from inventory.application.orders import (
    commit_reservation,
    confirm_reservation,
    release_cancelled_order,
)
from shop_messaging import Outbox
from shop_servicekit import Database
from sqlalchemy import text

from ..conftest import Deliver, Snapshot
from .events import (
    NOW,
    hold,
    order_cancelled,
    order_confirmed,
    republished,
    shipment_created,
    stock,
)

confirm = partial(confirm_reservation, clock=lambda: NOW)
commit = partial(commit_reservation, outbox=Outbox(), clock=lambda: NOW)
cancel = partial(release_cancelled_order, outbox=Outbox(), clock=lambda: NOW)


async def reservation(client: httpx.AsyncClient, reservation_id: str) -> dict[str, str]:
    return dict((await client.get(f"/v1/reservations/{reservation_id}")).json())


async def outbox(db: Database) -> list[tuple[str, str, dict[str, str]]]:
    async with db.sessions() as session:
        rows = (
            await session.execute(text("SELECT type, key, payload FROM outbox ORDER BY id"))
        ).all()
    return [(row.type.split(".")[2], row.key, row.payload) for row in rows]


async def test_a_confirmed_order_keeps_its_hold_past_the_ttl(
    deliver: Deliver, client: httpx.AsyncClient, db: Database
) -> None:
    held = await hold(client, "ord_1")
    assert await deliver(confirm, order_confirmed("ord_1"))

    confirmed = await reservation(client, held["reservation_id"])
    assert (confirmed["status"], confirmed["confirmed_at"]) == ("HELD", "2026-11-21T12:00:00Z")
    much_later = NOW + timedelta(days=30)
    assert await expire_reservations(db.sessions, Outbox(), clock=lambda: much_later, limit=10) == 0
    assert await stock(client) == (500, 2)
    assert await outbox(db) == []  # confirming tells no one: nothing changed for others


async def test_confirming_again_or_under_a_new_event_id_changes_nothing(
    deliver: Deliver, client: httpx.AsyncClient
) -> None:
    held = await hold(client, "ord_1")
    event = order_confirmed("ord_1")
    assert await deliver(confirm, event)
    first = await reservation(client, held["reservation_id"])
    assert not await deliver(confirm, event)
    later = partial(confirm_reservation, clock=lambda: NOW + timedelta(hours=1))
    assert await deliver(later, republished(event))
    assert await reservation(client, held["reservation_id"]) == first


async def test_shipment_created_commits_the_hold_and_takes_the_goods_off_the_books(
    deliver: Deliver, client: httpx.AsyncClient, db: Database
) -> None:
    held = await hold(client, "ord_1")
    assert await deliver(confirm, order_confirmed("ord_1"))
    assert await deliver(commit, shipment_created("ord_1"))

    committed = await reservation(client, held["reservation_id"])
    assert (committed["status"], committed["committed_at"]) == ("COMMITTED", "2026-11-21T12:00:00Z")
    assert await stock(client) == (498, 0)
    assert await outbox(db) == [
        (
            "ReservationCommitted",
            "ord_1",
            {"order_id": "ord_1", "reservation_id": held["reservation_id"]},
        )
    ]


async def test_a_shipment_delivered_twice_or_republished_is_committed_once(
    deliver: Deliver, client: httpx.AsyncClient, db: Database
) -> None:
    await hold(client, "ord_1")
    event = shipment_created("ord_1")
    assert await deliver(commit, event)
    assert not await deliver(commit, event)
    assert await deliver(commit, republished(event))
    assert await stock(client) == (498, 0)
    assert [kind for kind, _, _ in await outbox(db)] == ["ReservationCommitted"]


@pytest.mark.parametrize("ended", ["released", "expired", "missing"])
async def test_a_shipment_without_a_live_hold_moves_no_stock_and_is_left_for_reconciliation(
    ended: str,
    deliver: Deliver,
    client: httpx.AsyncClient,
    db: Database,
    snapshot: Snapshot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if ended != "missing":
        held = await hold(client, "ord_1")
        if ended == "released":
            await client.delete(f"/v1/reservations/{held['reservation_id']}")
        else:
            later = datetime.now(UTC) + timedelta(minutes=5)
            assert (
                await expire_reservations(db.sessions, Outbox(), clock=lambda: later, limit=10) == 1
            )
    before = await snapshot()
    caplog.set_level(logging.WARNING, logger="inventory.application.orders")

    assert await deliver(commit, shipment_created("ord_1"))  # handled: no retry, no DLQ
    assert await deliver(confirm, order_confirmed("ord_1"))

    assert await snapshot() == before
    warnings = [r.message for r in caplog.records if "left for reconciliation" in r.message]
    assert len(warnings) == 2


async def test_a_cancelled_order_gives_its_held_stock_back_once(
    deliver: Deliver, client: httpx.AsyncClient, db: Database
) -> None:
    held = await hold(client, "ord_1")
    assert await deliver(confirm, order_confirmed("ord_1"))  # a confirmed hold is released too
    event = order_cancelled("ord_1")
    assert await deliver(cancel, event)
    assert not await deliver(cancel, event)
    assert await deliver(cancel, republished(event))

    released = await reservation(client, held["reservation_id"])
    assert (released["status"], released["release_reason"]) == ("RELEASED", "order-cancelled")
    assert await stock(client) == (500, 0)
    assert await outbox(db) == [
        (
            "ReservationReleased",
            "ord_1",
            {
                "order_id": "ord_1",
                "reservation_id": held["reservation_id"],
                "reason": "order-cancelled",
            },
        )
    ]


async def test_a_cancellation_after_shipping_changes_nothing_and_does_not_fail(
    deliver: Deliver, client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await hold(client, "ord_1")
    assert await deliver(commit, shipment_created("ord_1"))
    before = await snapshot()
    assert await deliver(cancel, order_cancelled("ord_1"))
    assert await deliver(cancel, order_cancelled("ord_never_held"))
    assert await snapshot() == before
