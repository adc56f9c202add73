"""An order's returns show on its timeline (returns own their status, ADR 0015): requested,
received, refunded, each once, and the order's status is left as it was."""

from checkout.domain.orders import OrderStatus
from shop_contracts import PaymentRefunded, ReturnLine, ReturnReceived, ReturnRequested
from shop_servicekit import Database

from .order_events import (
    capture,
    deliver,
    detail,
    eur,
    event,
    shipment,
    stored_order,
    timeline,
    view,
)


async def test_a_return_requested_received_and_refunded_shows_on_the_order_once(
    database: Database,
) -> None:
    order = await stored_order(database)
    assert order.authorization_id is not None
    await deliver(database, event(shipment(order.id), after=1))
    await deliver(database, event(capture(order.id, order.authorization_id), after=2))
    lines = (ReturnLine(sku="SKU-MUG-01", quantity=1),)

    requested = ReturnRequested(order_id=order.id, return_id="ret_1", lines=lines)
    received = ReturnReceived(
        order_id=order.id, return_id="ret_1", customer_id="cus_1", lines=lines, refund=eur(1428)
    )
    refunded = PaymentRefunded(
        order_id=order.id,
        authorization_id=order.authorization_id,
        refund_id="rfd_1",
        return_id="ret_1",
        amount=eur(1428),
    )
    for n, data in enumerate((requested, received, refunded, refunded)):
        assert await deliver(database, event(data, after=3 + n))  # the last: a republish

    done = await view(database, order.id)
    assert timeline(done)[-3:] == [
        ("ReturnRequested", "returns"),
        ("ReturnReceived", "returns"),
        ("PaymentRefunded", "payment"),
    ]
    assert detail(done, "PaymentRefunded")["amount"] == {"amount": 1428, "currency": "EUR"}
    assert (done.status, done.payment_status) == (OrderStatus.COMPLETED, "CAPTURED")
