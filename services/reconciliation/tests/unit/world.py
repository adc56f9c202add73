"""A small world of consistent source-of-truth rows for the drift rules' tests.

world = completed("ord_1")                # every fact in place: no drift
world.shipments.clear(); world.drift()    # then break one thing and look
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from reconciliation.domain.coordination import Step
from reconciliation.domain.drift import find_drift
from reconciliation.domain.findings import Finding, Policy, Window
from reconciliation.domain.sources import (
    AuthorizationRecord,
    BackorderRecord,
    NotificationRecord,
    OrderRecord,
    ReservationRecord,
    ShipmentRecord,
    Snapshot,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
POLICY = Policy(
    deadlines={
        Step.ALLOCATION: timedelta(seconds=60),
        Step.RESERVATION_COMMIT: timedelta(seconds=120),
        Step.PAYMENT_CAPTURE: timedelta(seconds=120),
        Step.CUSTOMER_NOTIFICATION: timedelta(seconds=60),
    },
    orphan_grace=timedelta(seconds=300),
    status_settle=timedelta(seconds=60),
)
WINDOW = Window(NOW - timedelta(days=1), NOW)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


ORDERED_AT = ago(3600)
HELD_AT = ago(3601)
SHIPPED_AT = ago(3590)
NOTIFIED_AT = ago(3580)


@dataclass
class World:
    orders: list[OrderRecord] = field(default_factory=list)
    reservations: list[ReservationRecord] = field(default_factory=list)
    authorizations: list[AuthorizationRecord] = field(default_factory=list)
    shipments: list[ShipmentRecord] = field(default_factory=list)
    backorders: list[BackorderRecord] = field(default_factory=list)
    notifications: list[NotificationRecord] = field(default_factory=list)

    def snapshot(self) -> Snapshot:
        return Snapshot.of(
            orders=self.orders,
            reservations=self.reservations,
            authorizations=self.authorizations,
            shipments=self.shipments,
            backorders=self.backorders,
            notifications=self.notifications,
        )

    def drift(
        self, *, now: datetime = NOW, window: Window = WINDOW, policy: Policy = POLICY
    ) -> list[Finding]:
        return find_drift(self.snapshot(), window=window, now=now, policy=policy)

    def kinds(self, **kwargs: object) -> list[tuple[str, str]]:
        return [(f.kind.value, f.order_id) for f in self.drift(**kwargs)]

    def update_order(self, order_id: str, **changes: object) -> None:
        self.orders = [replace(o, **changes) if o.order_id == order_id else o for o in self.orders]

    def update(self, rows: str, order_id: str, **changes: object) -> None:
        current = getattr(self, rows)
        setattr(
            self,
            rows,
            [replace(r, **changes) if r.order_id == order_id else r for r in current],
        )

    def remove(self, rows: str, order_id: str, **match: object) -> None:
        def matches(r: Any) -> bool:
            return r.order_id == order_id and all(getattr(r, k) == v for k, v in match.items())

        setattr(self, rows, [r for r in getattr(self, rows) if not matches(r)])


def order(
    order_id: str = "ord_1",
    *,
    status: str = "COMPLETED",
    fulfillment: str = "SHIPPED",
    payment: str = "CAPTURED",
    notification: str = "NOTIFIED",
    at: datetime = ORDERED_AT,
    updated: datetime | None = None,
) -> OrderRecord:
    return OrderRecord(
        order_id=order_id,
        status=status,
        fulfillment_status=fulfillment,
        payment_status=payment,
        notification_status=notification,
        reservation_id=f"res_{order_id}",
        authorization_id=f"auth_{order_id}",
        created_at=at,
        updated_at=updated or at + timedelta(seconds=30),
        customer_id="cus_1",
        customer_email="ada@example.com",
        total_amount=2856,
        total_currency="EUR",
    )


def reservation(
    order_id: str = "ord_1", status: str = "COMMITTED", at: datetime = HELD_AT
) -> ReservationRecord:
    return ReservationRecord(f"res_{order_id}", order_id, status, at)


def authorization(
    order_id: str = "ord_1", status: str = "CAPTURED", at: datetime = HELD_AT
) -> AuthorizationRecord:
    captured = at + timedelta(seconds=20) if status == "CAPTURED" else None
    voided = at + timedelta(seconds=20) if status == "VOIDED" else None
    return AuthorizationRecord(
        f"auth_{order_id}", order_id, status, 2856, "EUR", at, captured, voided
    )


def shipment(
    order_id: str = "ord_1", at: datetime = SHIPPED_AT, status: str = "CREATED"
) -> ShipmentRecord:
    return ShipmentRecord(f"shp_{order_id}", order_id, status, "wh_berlin", at)


def backorder(
    order_id: str = "ord_1", at: datetime = SHIPPED_AT, status: str = "OPEN"
) -> BackorderRecord:
    return BackorderRecord(f"bo_{order_id}", order_id, status, at)


def notification(
    order_id: str = "ord_1",
    kind: str = "ORDER_CONFIRMED",
    status: str = "SENT",
    at: datetime = NOTIFIED_AT,
) -> NotificationRecord:
    return NotificationRecord(f"ntf_{order_id}_{kind}", order_id, kind, status, at)


def completed(order_id: str = "ord_1", at: datetime = ORDERED_AT) -> World:
    """An order every service agrees is done: shipped, committed, captured, notified."""
    return World(
        orders=[order(order_id, at=at)],
        reservations=[reservation(order_id, at=at - timedelta(seconds=1))],
        authorizations=[authorization(order_id, at=at - timedelta(seconds=1))],
        shipments=[shipment(order_id, at=at + timedelta(seconds=10))],
        notifications=[
            notification(order_id, "ORDER_CONFIRMED", at=at + timedelta(seconds=5)),
            notification(order_id, "SHIPMENT_CREATED", at=at + timedelta(seconds=15)),
        ],
    )


def backordered(order_id: str = "ord_1", at: datetime = ORDERED_AT) -> World:
    """An order waiting for stock, as every service sees it."""
    return World(
        orders=[
            order(
                order_id,
                status="BACKORDERED",
                fulfillment="BACKORDERED",
                payment="AUTHORIZED",
                at=at,
            )
        ],
        reservations=[reservation(order_id, "HELD", at - timedelta(seconds=1))],
        authorizations=[authorization(order_id, "AUTHORIZED", at - timedelta(seconds=1))],
        backorders=[backorder(order_id, at + timedelta(seconds=10))],
        notifications=[
            notification(order_id, "ORDER_CONFIRMED", at=at + timedelta(seconds=5)),
            notification(order_id, "BACKORDER_DECLARED", at=at + timedelta(seconds=15)),
        ],
    )


# -- scenarios the drift tests share ---------------------------------------------------


def in_flight_confirmation(at_seconds_ago: float) -> World:
    """Checkout confirmed; nothing downstream has heard of it."""
    return World(
        orders=[
            order(
                status="CONFIRMED",
                fulfillment="PENDING",
                payment="AUTHORIZED",
                notification="PENDING",
                at=ago(at_seconds_ago),
            )
        ],
        reservations=[reservation(status="HELD", at=ago(at_seconds_ago + 1))],
        authorizations=[authorization(status="AUTHORIZED", at=ago(at_seconds_ago + 1))],
    )


def abandoned_checkout(seconds_ago: float, **order_fields: object) -> World:
    """Checkout reserved and authorized, then never confirmed."""
    world = World(
        reservations=[reservation("ord_x", "HELD", ago(seconds_ago))],
        authorizations=[authorization("ord_x", "AUTHORIZED", ago(seconds_ago))],
    )
    if order_fields:
        world.orders = [order("ord_x", at=ago(seconds_ago - 1), **order_fields)]  # type: ignore[arg-type]
    return world


def shipped(seconds_ago: float) -> World:
    world = completed()
    world.remove("shipments", "ord_1")
    world.shipments = [shipment(at=ago(seconds_ago))]
    return world


def with_row(world: World, rows: str, **changes: object) -> World:
    world.update(rows, "ord_1", **changes)
    return world


def with_order(world: World, **changes: object) -> World:
    world.update_order("ord_1", **changes)
    return world
