"""Issue 4's lifecycle, end to end: completed, backordered then released, cancelled."""

from shop_e2e import Shop, status
from shop_e2e.checks import assert_every_service_agrees, fully_done, lamp_on_shelves, timeline_types


async def test_an_order_goes_from_confirmed_to_completed_and_every_service_agrees(
    shop: Shop,
) -> None:
    customer = shop.new_customer()
    before = await shop.stock("SKU-MUG-01")

    placed = await shop.place_order(customer, [("SKU-MUG-01", 2)])
    assert (placed["status"], placed["fulfillment_status"]) == ("CONFIRMED", "PENDING")

    order = await shop.wait_for(placed["order_id"], fully_done)
    assert order["payment_status"] == "CAPTURED"
    await assert_every_service_agrees(shop, order, customer["email"])
    after = await shop.stock("SKU-MUG-01")
    assert after["on_hand"] == before["on_hand"] - 2
    assert after["reserved"] == before["reserved"]

    refused = await shop.cancel(order["order_id"])
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("/order-not-cancellable")


async def test_a_backordered_order_ships_and_completes_once_stock_is_replenished(
    shop: Shop,
) -> None:
    customer = shop.new_customer()
    # Inventory sells lamps the warehouses do not hold: one more than any shelf has.
    quantity = await lamp_on_shelves(shop) + 1

    placed = await shop.place_order(customer, [("SKU-LAMP-01", quantity)])
    order_id = placed["order_id"]
    backordered = await shop.wait_for(order_id, status("BACKORDERED"))
    assert backordered["fulfillment_status"] == "BACKORDERED"
    [backorder] = await shop.backorders(order_id)
    assert (backorder["status"], backorder["skus_short"]) == ("OPEN", ["SKU-LAMP-01"])
    before = await shop.stock("SKU-LAMP-01")

    await shop.replenish("SKU-LAMP-01", quantity)

    order = await shop.wait_for(order_id, fully_done)
    await assert_every_service_agrees(shop, order, customer["email"])
    types = timeline_types(order)
    assert types.index("BackorderDeclared") < types.index("ShipmentCreated")
    [released] = await shop.backorders(order_id)
    assert released["status"] == "RELEASED"
    # Replenished by `quantity`, then the order's `quantity` left with its shipment.
    after = await shop.stock("SKU-LAMP-01")
    assert after["on_hand"] == before["on_hand"]
    assert after["reserved"] == before["reserved"] - quantity


async def test_cancelling_before_shipping_releases_the_hold_and_voids_the_payment(
    shop: Shop,
) -> None:
    customer = shop.new_customer()
    quantity = await lamp_on_shelves(shop) + 1  # backordered: it cannot ship under us
    placed = await shop.place_order(customer, [("SKU-LAMP-01", quantity)])
    order_id = placed["order_id"]
    await shop.wait_for(order_id, status("BACKORDERED"))
    before = await shop.stock("SKU-LAMP-01")

    response = await shop.cancel(order_id, "e2e: changed my mind")

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "CANCELLED"
    order = await shop.wait_for(
        order_id,
        lambda o: o["payment_status"] == "VOIDED" and "ReservationReleased" in timeline_types(o),
    )
    assert order["status"] == "CANCELLED"
    assert (await shop.reservation(order["reservation_id"]))["status"] == "RELEASED"
    assert (await shop.authorization(order["authorization_id"]))["status"] == "VOIDED"

    async def backorder_closed() -> bool:
        [backorder] = await shop.backorders(order_id)
        assert backorder["status"] == "CANCELLED", backorder
        return True

    await shop.wait_until(order_id, backorder_closed)
    after = await shop.stock("SKU-LAMP-01")
    assert after["reserved"] == before["reserved"] - quantity
    assert after["on_hand"] == before["on_hand"]
    assert await shop.shipments(order_id) == []
    # Cancelling again answers with the cancelled order.
    again = await shop.cancel(order_id)
    assert (again.status_code, again.json()["status"]) == (200, "CANCELLED")
