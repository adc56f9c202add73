"""The definitive answers of a checkout: each refusal names its reason and leaves nothing held;
a retried checkout (same Idempotency-Key) gets the same answer and makes one order."""

import asyncio
import uuid

from shop_e2e import Shop
from shop_e2e.checks import assert_every_service_agrees, fully_done


async def assert_nothing_held(shop: Shop, order_id: str) -> None:
    """A refused order holds no stock and no money: its hold (if any) is released, and it
    never got an authorization (a refusal by payment is definitive)."""
    order = await shop.order(order_id)
    assert order["status"] == "REJECTED", order
    assert order["authorization_id"] is None, order
    if order["reservation_id"] is not None:
        reservation = await shop.reservation(order["reservation_id"])
        assert reservation["status"] == "RELEASED", reservation
    assert await shop.shipments(order_id) == []


async def test_out_of_stock_is_refused_with_409_naming_the_sku_and_nothing_is_held(
    shop: Shop,
) -> None:
    # SKU-PRINT-01 is the scarce one (a few units; the load scenario drains it).
    available = (await shop.stock("SKU-PRINT-01"))["available"]
    assert available < 100, f"precondition: fewer than 100 SKU-PRINT-01 ({available})"
    response = await shop.checkout(shop.new_customer(), [("SKU-MUG-01", 1), ("SKU-PRINT-01", 100)])
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("/out-of-stock"), problem
    assert problem["skus"] == ["SKU-PRINT-01"], problem
    await assert_nothing_held(shop, problem["order_id"])
    assert (await shop.order(problem["order_id"]))["reject_reason"] == "out-of-stock"
    after = await shop.stock("SKU-PRINT-01")
    assert after["available"] == available, "a refused checkout changed the stock"


async def test_a_declined_card_is_refused_with_402_and_the_hold_is_released(shop: Shop) -> None:
    response = await shop.checkout(shop.new_customer(), [("SKU-CAP-01", 1)], token="tok_declined")
    assert response.status_code == 402, response.text
    problem = response.json()
    assert problem["type"].endswith("/payment-declined"), problem
    # Checkout compensates before answering: when the 402 arrives, nothing is held.
    await assert_nothing_held(shop, problem["order_id"])


async def test_a_fraudulent_card_is_stopped_with_402_fraud_suspected_and_nothing_is_held(
    shop: Shop,
) -> None:
    response = await shop.checkout(shop.new_customer(), [("SKU-CAP-01", 1)], token="tok_fraud")
    assert response.status_code == 402, response.text
    problem = response.json()
    assert problem["type"].endswith("/fraud-suspected"), problem
    assert "rule" not in response.text.lower(), "the fraud screen must not explain itself"
    await assert_nothing_held(shop, problem["order_id"])


async def test_a_retried_checkout_gets_the_same_answer_and_makes_one_order(shop: Shop) -> None:
    customer = shop.new_customer()
    body = shop.checkout_body(customer, [("SKU-NOTE-01", 2)])
    key = f"e2e-retry-{uuid.uuid4().hex}"

    # Three racing requests with one key: exactly one runs; the others are told it is in
    # flight (409 + Retry-After) or get its stored answer.
    racing = await asyncio.gather(*(shop.post_checkout(body, key) for _ in range(3)))
    codes = sorted(r.status_code for r in racing)
    assert 201 in codes, [r.text for r in racing]
    assert set(codes) <= {201, 409}, [r.text for r in racing]
    for busy in (r for r in racing if r.status_code == 409):
        assert busy.json()["type"].endswith("/request-in-progress"), busy.text
        assert busy.headers.get("Retry-After"), busy.headers
    first = next(r for r in racing if r.status_code == 201).json()

    # A retry after the answer: the same response, field for field.
    again = await shop.post_checkout(body, key)
    assert again.status_code == 201, again.text
    assert again.json() == first

    # The same key for a different request is a client bug, not a second order.
    other = shop.checkout_body(customer, [("SKU-NOTE-01", 3)])
    reused = await shop.post_checkout(other, key)
    assert reused.status_code == 422, reused.text
    assert reused.json()["type"].endswith("/idempotency-key-reused")

    # One order, one hold, one authorization, one shipment, one email per fact.
    order = await shop.wait_for(first["order_id"], fully_done)
    await assert_every_service_agrees(shop, order, customer["email"])
    assert {r.json()["order_id"] for r in racing if r.status_code == 201} == {first["order_id"]}
