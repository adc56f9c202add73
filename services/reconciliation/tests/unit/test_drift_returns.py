from datetime import timedelta

from reconciliation.adapters.repairs import command
from reconciliation.domain.drift import find_drift
from reconciliation.domain.findings import Action, Kind
from reconciliation.domain.sources import RefundRecord, RestockRecord, ReturnRecord, Snapshot

from .world import NOW, POLICY, WINDOW, ago

SETTLE = POLICY.return_settle.total_seconds()


def _received(seconds_ago: float, *, status: str = "RECEIVED") -> ReturnRecord:
    return ReturnRecord(
        return_id="ret_1",
        order_id="ord_1",
        status=status,
        refund_amount=1100,
        currency="EUR",
        lines=(("SKU-MUG-01", 1),),
        created_at=ago(seconds_ago + 60),
        received_at=ago(seconds_ago),
    )


def _drift(
    ret: ReturnRecord, *, refunded: bool = False, restocked: bool = False, refund_age: float = 10
) -> list[tuple[Kind, Action | None]]:
    refund = RefundRecord("rfd_1", "ord_1", "ret_1", 1100, ago(refund_age))
    snapshot = Snapshot.of(
        returns=[ret],
        refunds=[refund] if refunded else [],
        restocks=[RestockRecord("ret_1", "ord_1", ago(10))] if restocked else [],
    )
    found = find_drift(snapshot, window=WINDOW, now=NOW, policy=POLICY)
    return [(f.kind, f.repair.action if f.repair else None) for f in found]


def test_a_received_return_refunded_and_restocked_is_no_drift() -> None:
    assert _drift(_received(SETTLE + 60), refunded=True, restocked=True) == []


def test_a_return_received_but_never_refunded_is_refunded_by_the_repair() -> None:
    assert _drift(_received(SETTLE + 60), restocked=True) == [
        (Kind.RETURN_NOT_REFUNDED, Action.REFUND_RETURN)
    ]


def test_a_refunded_return_never_restocked_is_restocked_by_the_repair() -> None:
    assert _drift(_received(SETTLE + 60), refunded=True) == [
        (Kind.RETURN_NOT_RESTOCKED, Action.RESTOCK_RETURN)
    ]


def test_a_refund_returns_never_heard_of_is_announced_again_by_the_refund_repair() -> None:
    def drift(ret: ReturnRecord, refund_age: float) -> list[tuple[Kind, Action | None]]:
        return _drift(ret, refunded=True, restocked=True, refund_age=refund_age)

    # Refunded and restocked, but returns never got PaymentRefunded: still RECEIVED.
    received = _received(SETTLE + 60)
    assert drift(received, SETTLE + 1) == [(Kind.RETURN_REFUND_UNHEARD, Action.REFUND_RETURN)]
    # Not before the event has had the deadline to arrive, and not once returns has it.
    assert drift(received, SETTLE - 1) == []
    assert drift(_received(SETTLE + 60, status="REFUNDED"), SETTLE + 1) == []


def test_nothing_is_owed_before_the_deadline_or_before_the_return_is_received() -> None:
    assert _drift(_received(SETTLE - 1)) == []
    requested = ReturnRecord("ret_1", "ord_1", "REQUESTED", 1100, "EUR", (), ago(3600))
    assert _drift(requested) == []


def test_the_repairs_call_payment_and_inventory_with_the_return() -> None:
    snapshot = Snapshot.of(returns=[_received(SETTLE + 60)])
    found = find_drift(snapshot, window=WINDOW, now=NOW, policy=POLICY)
    assert all(f.evidence and f.detail and "ret_1" in f.detail for f in found)
    commands = {f.kind: command(f.repair) for f in found if f.repair}
    assert commands[Kind.RETURN_NOT_REFUNDED] == (
        "payment",
        "/internal/v1/refunds",
        {"order_id": "ord_1", "return_id": "ret_1", "amount": 1100},
    )
    assert commands[Kind.RETURN_NOT_RESTOCKED] == (
        "inventory",
        "/internal/v1/restocks",
        {
            "order_id": "ord_1",
            "return_id": "ret_1",
            "lines": [{"sku": "SKU-MUG-01", "quantity": 1}],
        },
    )
    assert POLICY.return_settle == timedelta(seconds=60)
