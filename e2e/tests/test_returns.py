"""Issue 16's Returns, end to end: a completed order's line comes back, and every service
gives back its part on its own clock (ADR 0015). The unit is on hand again, the refund is
on the payment, the customer got the email, the order's timeline shows the return, and
the reconciliation job finds nothing. Then the same with payment down while the return is
received: the refund happens once payment is back, with no operator.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from shop_e2e import ProcessControl, Shop
from shop_e2e.checks import findings_by_order, fully_done, timeline_types
from shop_e2e.report import Scenario
from shop_e2e.returns import returned_status

ITEMS = [("SKU-MUG-01", 2)]
PAYMENT = ("payment-serve", "payment-work")
RETURN_ENTRIES = ("ReturnRequested", "ReturnReceived", "PaymentRefunded")


async def test_a_completed_orders_line_is_returned_restocked_refunded_and_mailed(
    shop: Shop, internal_apis: None, report: Scenario
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    customer = shop.new_customer()
    placed = await shop.place_order(customer, ITEMS)
    order = await shop.wait_for(placed["order_id"], fully_done)
    order_id = order["order_id"]
    before = await shop.stock("SKU-MUG-01")

    ret = await shop.request_return(customer, order_id, [("SKU-MUG-01", 1)])
    assert (ret["status"], ret["return_id"][:4]) == ("REQUESTED", "ret_")
    # One mug of two, the order's only line: half of what was paid, shipping and tax included.
    assert ret["refund"]["amount"] == order["total"]["amount"] // 2, (ret, order["total"])
    assert (await shop.receive_return(ret["return_id"]))["status"] == "RECEIVED"

    done = await shop.wait_for_return(
        customer, ret["return_id"], lambda r: r["status"] == "REFUNDED" and r["restocked_at"]
    )
    assert [e["type"] for e in done["timeline"]][:2] == ["ReturnRequested", "ReturnReceived"]
    assert {"ReturnRestocked", "PaymentRefunded"} <= {e["type"] for e in done["timeline"]}
    await _every_part_given_back(shop, customer, order, done, before["on_hand"], since)
    report.measured("return refunded", f"{done['refund']['amount']} of {order['total']['amount']}")

    # Both mugs shipped and one is back: asking for two more is refused, with a stable type.
    refused = await shop.post_return(customer, order_id, [("SKU-MUG-01", 2)])
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("/return-quantity-exceeded")
    assert refused.json()["returnable"] == 1
    # Another customer cannot see the return, nor return the order's lines.
    stranger = shop.new_customer()
    assert (await shop.post_return(stranger, order_id, [("SKU-MUG-01", 1)])).status_code == 404


async def test_a_return_received_while_payment_is_down_is_refunded_once_payment_is_back(
    shop: Shop, control: ProcessControl, internal_apis: None, report: Scenario
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    customer = shop.new_customer()
    placed = await shop.place_order(customer, ITEMS)
    order = await shop.wait_for(placed["order_id"], fully_done)
    before = await shop.stock("SKU-MUG-01")
    ret = await shop.request_return(customer, order["order_id"], [("SKU-MUG-01", 1)])

    for name in PAYMENT:
        control.stop(name)
    try:
        report.injected("payment (serve and work) stopped while the return was received")
        assert (await shop.receive_return(ret["return_id"]))["status"] == "RECEIVED"
        # Everyone but payment does their part meanwhile: nobody waits on payment.
        waiting = await shop.wait_for_return(
            customer, ret["return_id"], lambda r: r["restocked_at"] is not None
        )
        assert waiting["status"] == "RECEIVED"
        await shop.wait_until(order["order_id"], lambda: _return_mail(shop, customer))
    finally:
        for name in PAYMENT:
            await control.start(name)

    done = await shop.wait_for_return(
        customer, ret["return_id"], returned_status("REFUNDED"), timeout=60
    )
    report.measured("refunded after payment came back", "yes, without an operator")
    await _every_part_given_back(shop, customer, order, done, before["on_hand"], since)


async def _every_part_given_back(
    shop: Shop,
    customer: dict[str, str],
    order: dict[str, Any],
    ret: dict[str, Any],
    on_hand_before: int,
    since: datetime,
) -> None:
    order_id = order["order_id"]
    assert (await shop.stock("SKU-MUG-01"))["on_hand"] == on_hand_before + 1

    refunds = await shop.internal_read("payment", "refunds", since) or []
    [refund] = [r for r in refunds if r["return_id"] == ret["return_id"]]
    assert refund["amount"] == ret["refund"]
    assert refund["authorization_id"] == order["authorization_id"]

    [mail] = await shop.wait_until(order_id, lambda: _return_mail(shop, customer))
    assert order_id in mail["Subject"]

    timeline = await shop.wait_for(
        order_id, lambda o: all(t in timeline_types(o) for t in RETURN_ENTRIES)
    )
    assert timeline["status"] == "COMPLETED"  # the return does not undo the order

    run = await shop.reconcile(since)
    assert findings_by_order(run).get(order_id, []) == [], await shop.run_report_text(run["run_id"])


async def _return_mail(shop: Shop, customer: dict[str, str]) -> list[dict[str, Any]]:
    mails = [m for m in await shop.mails_to(customer["email"]) if "return" in m["Subject"]]
    assert mails, "no return email yet"
    return mails
