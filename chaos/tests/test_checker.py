"""The checker finds each kind of anomaly in a synthetic source of truth, and none in a
clean one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shop_chaos.checker import Anomaly, check
from shop_chaos.history import Attempt, Ledger, Stock, Truth

LEDGER = Ledger(initial_on_hand={"SKU-TEE-01": 10})


def order(n: int, status: str = "COMPLETED", total: int = 2500) -> dict[str, Any]:
    return {
        "order_id": f"ord_{n}",
        "status": status,
        "fulfillment_status": "DISPATCHED" if status == "COMPLETED" else "PENDING",
        "payment_status": "CAPTURED" if status == "COMPLETED" else "AUTHORIZED",
        "notification_status": "NOTIFIED",
        "customer_id": f"cus_{n}",
        "customer_email": f"c{n}@example.com",
        "total": {"amount": total, "currency": "EUR"},
    }


def hold(n: int, status: str = "COMMITTED") -> dict[str, Any]:
    return {"reservation_id": f"res_{n}", "order_id": f"ord_{n}", "status": status}


def auth(n: int, status: str = "CAPTURED", amount: int = 2500, tag: str = "") -> dict[str, Any]:
    return {
        "authorization_id": f"auth_{n}{tag}",
        "order_id": f"ord_{n}",
        "status": status,
        "amount": {"amount": amount, "currency": "EUR"},
    }


def attempt(n: int, status: int = 201) -> Attempt:
    order_id = f"ord_{n}" if status == 201 else None
    return Attempt(f"cus_{n}", f"c{n}@example.com", "SKU-TEE-01", 1, "tok_visa", status, order_id)


def notified(n: int, kind: str) -> dict[str, Any]:
    return {"notification_id": f"n_{n}_{kind}", "order_id": f"ord_{n}", "kind": kind,
            "status": "SENT"}  # fmt: skip


ATTEMPTS = [attempt(1), attempt(2), attempt(3, status=409)]
CLEAN = Truth(
    orders=[order(1), order(2), order(3, status="REJECTED")],
    reservations=[hold(1), hold(2), hold(3, status="RELEASED")],
    authorizations=[auth(1), auth(2), auth(3, status="VOIDED")],
    shipments=[{"shipment_id": f"shp_{n}", "order_id": f"ord_{n}"} for n in (1, 2)],
    notifications=[notified(n, k) for n in (1, 2) for k in ("ORDER_CONFIRMED", "SHIPMENT_CREATED")],
    mails={"c1@example.com": 2, "c2@example.com": 2},
    stock={"SKU-TEE-01": Stock(on_hand=8, reserved=0)},
)


def test_a_clean_history_has_no_anomaly() -> None:
    assert check(ATTEMPTS, CLEAN, LEDGER) == []


def test_an_oversell_is_found_by_sku() -> None:
    # Twelve shipped from ten: on hand went negative, and the moves no longer balance.
    oversold = replace(CLEAN, stock={"SKU-TEE-01": Stock(on_hand=-2, reserved=0)})

    kinds = {(a.kind, a.subject) for a in check(ATTEMPTS, oversold, LEDGER)}

    assert kinds == {("oversell", "SKU-TEE-01"), ("stock-unbalanced", "SKU-TEE-01")}


def test_a_duplicate_capture_is_found_with_its_order_id() -> None:
    twice = replace(CLEAN, authorizations=[*CLEAN.authorizations, auth(2, tag="b")])

    anomalies = check(ATTEMPTS, twice, LEDGER)

    assert {(a.kind, a.subject) for a in anomalies} == {
        ("duplicate-capture", "ord_2"),
        ("duplicate-authorization", "ord_2"),
        ("capture-amount-mismatch", "ord_2"),
    }


def test_a_lost_order_is_found_with_its_order_id() -> None:
    # The client was told 201 for ord_2, but checkout has it REJECTED and everything undone.
    lost = replace(
        CLEAN,
        orders=[order(1), order(2, status="REJECTED"), order(3, status="REJECTED")],
        reservations=[hold(1), hold(3, status="RELEASED")],
        authorizations=[auth(1), auth(3, status="VOIDED")],
        shipments=CLEAN.shipments[:1],
        notifications=CLEAN.notifications[:2],
        mails={"c1@example.com": 2},
        stock={"SKU-TEE-01": Stock(on_hand=9, reserved=0)},
    )

    assert check(ATTEMPTS, lost, LEDGER) == [
        Anomaly("lost-order", "ord_2", "answered 201, now REJECTED")
    ]


def test_a_refusal_that_left_a_hold_and_an_authorization_is_found() -> None:
    left = replace(
        CLEAN,
        reservations=[hold(1), hold(2), hold(3, status="HELD")],
        authorizations=[auth(1), auth(2), auth(3, status="AUTHORIZED")],
        stock={"SKU-TEE-01": Stock(on_hand=8, reserved=1)},
    )

    kinds = {(a.kind, a.subject) for a in check(ATTEMPTS, left, LEDGER)}

    assert kinds == {
        ("hold-without-order", "ord_3"),
        ("authorization-without-order", "ord_3"),
        # ord_3's quantity is held, as inventory's reserved count says: no stock anomaly.
    }


def test_a_completed_order_whose_shipment_email_was_never_sent_is_found() -> None:
    unsent = replace(
        CLEAN,
        notifications=CLEAN.notifications[:3],
        mails={"c1@example.com": 2, "c2@example.com": 1},
    )

    assert check(ATTEMPTS, unsent, LEDGER) == [
        Anomaly("email-missing", "ord_2", "SHIPMENT_CREATED of a COMPLETED order")
    ]


def test_a_hold_ended_under_a_confirmed_order_and_an_unfinished_order_are_found() -> None:
    drifted = replace(
        CLEAN,
        orders=[order(1), order(2, status="CONFIRMED"), order(3, status="REJECTED")],
        reservations=[hold(1), hold(2, status="EXPIRED"), hold(3, status="RELEASED")],
        authorizations=[auth(1), auth(2, status="AUTHORIZED"), auth(3, status="VOIDED")],
        shipments=CLEAN.shipments[:1],
        stock={"SKU-TEE-01": Stock(on_hand=9, reserved=0)},
        notifications=CLEAN.notifications[:3],
        mails={"c1@example.com": 2, "c2@example.com": 2},
    )

    kinds = {(a.kind, a.subject) for a in check(ATTEMPTS, drifted, LEDGER)}

    assert kinds == {
        ("hold-ended-under-live-order", "ord_2"),
        ("not-converged", "ord_2"),
        ("duplicate-mail", "ord_2"),  # two messages for the one fact recorded
    }


def test_a_retried_key_whose_earlier_attempts_are_superseded_is_one_order() -> None:
    attempt_3 = {**order(3, status="REJECTED"), "customer_id": "cus_1", "superseded_by": "ord_1"}
    retried = replace(CLEAN, orders=[*CLEAN.orders[:2], attempt_3])
    assert check(ATTEMPTS[:2], retried, LEDGER) == []


def test_a_key_with_two_orders_left_standing_is_an_anomaly() -> None:
    attempt_3 = {**order(3, status="REJECTED"), "customer_id": "cus_1"}
    twice = replace(CLEAN, orders=[*CLEAN.orders[:2], attempt_3])
    found = {(a.kind, a.subject) for a in check(ATTEMPTS[:2], twice, LEDGER)}
    assert found == {("orders-per-key", "ord_1"), ("orders-per-key", "ord_3")}
