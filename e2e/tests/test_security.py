"""Security at the edge, end to end: who may read and cancel an order, the body limit, the
per-customer rate limit, and where a customer's email and address may appear (ADR 0010,
data minimisation: the email only in OrderContactShared on checkout.contacts, the address
on no topic at all, besides the database rows of the services that need them; never in
another topic, a dead letter or a log line)."""

import asyncio
import uuid

import pytest
from shop_contracts import topics
from shop_e2e import Deployment, Shop
from shop_e2e.broker import read_topic
from shop_e2e.checks import fully_done

PROBLEMS = "https://shop.example/problems/"
GROUPS = ("checkout", "communications", "fulfillment", "inventory", "payment", "pricing")
GROUPS += ("reconciliation",)


async def test_one_customer_cannot_read_or_cancel_another_customers_order(shop: Shop) -> None:
    placed = await shop.place_order(shop.new_customer(), [("SKU-MUG-01", 1)])
    order_id = placed["order_id"]
    order_url = f"{shop.deployment.url('checkout')}/v1/orders/{order_id}"
    mallory = shop.auth.customer_headers(shop.new_customer()["id"])

    read = await shop.http.get(order_url, headers=mallory)
    cancel = await shop.http.post(f"{order_url}/cancel", headers=mallory)
    anonymous = await shop.http.get(order_url, auth=None)

    assert (read.status_code, read.json()["type"]) == (404, PROBLEMS + "order-not-found")
    assert (cancel.status_code, cancel.json()["type"]) == (404, PROBLEMS + "order-not-found")
    assert (anonymous.status_code, anonymous.json()["type"]) == (401, PROBLEMS + "unauthorized")
    assert (await shop.order(order_id))["status"] != "CANCELLED"  # the owner still sees it


async def test_a_two_megabyte_body_is_refused_with_413(shop: Shop) -> None:
    body = shop.checkout_body(shop.new_customer(), [("SKU-MUG-01", 1)])
    body["padding"] = "x" * (2 * 1024 * 1024)
    response = await shop.post_checkout(body)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "body-too-large"


async def test_a_burst_of_checkouts_from_one_customer_gets_429_with_retry_after(
    shop: Shop,
) -> None:
    # Invalid bodies: the limit is counted before validation, and nothing is ordered.
    customer = shop.new_customer()
    burst = [shop.post_checkout({"customer": customer}) for _ in range(15)]
    answers = await asyncio.gather(*burst)
    limited = [r for r in answers if r.status_code == 429]
    assert limited, [r.status_code for r in answers]
    assert {r.status_code for r in answers} <= {422, 429}
    assert limited[0].json()["type"] == PROBLEMS + "rate-limited"
    assert int(limited[0].headers["Retry-After"]) >= 1
    # Another customer is not slowed down by the first one's burst.
    other = await shop.post_checkout({"customer": shop.new_customer()})
    assert other.status_code == 422


async def test_a_customers_email_travels_only_on_checkout_contacts_and_no_log_names_it(
    shop: Shop, deployment: Deployment
) -> None:
    if deployment.control is None:
        pytest.skip(reason="reads the processes' logs: needs process control (embedded, compose)")
    if not deployment.broker_reachable:
        pytest.skip(reason="needs the broker to dump the topics")
    tag = uuid.uuid4().hex[:12]
    customer = {"id": f"cus_e2e_{tag}", "email": f"private-{tag}@example.com"}
    street, name = f"{tag} Hidden Lane", f"Recipient {tag}"
    body = shop.checkout_body(customer, [("SKU-MUG-01", 1)])
    body["shipping_address"] = {**body["shipping_address"], "line1": street, "name": name}
    placed = await shop.post_checkout(body)
    assert placed.status_code == 201, placed.text
    await shop.wait_for(placed.json()["order_id"], fully_done, timeout=60)

    email, address = customer["email"].encode(), (street.encode(), name.encode())
    with_email: set[str] = set()
    with_address: set[str] = set()
    for topic in (*topics.ALL, *(topics.dlq(group) for group in GROUPS)):
        for record in await read_topic(deployment.kafka_bootstrap_servers, topic):
            raw = (record.key or b"") + (record.value or b"") + b"".join(record.headers.values())
            if email in raw:
                with_email.add(topic)
            if any(part in raw for part in address):
                with_address.add(topic)
    # The one record that must carry the email (the test sees it, so it would see others).
    assert with_email == {topics.CONTACTS}, with_email
    assert with_address == set(), with_address

    logs = deployment.control.logs()
    assert any(process.startswith("checkout") for process in logs), sorted(logs)  # read at all
    personal = [email.decode(), *(part.decode() for part in address)]
    leaking = [process for process, text in logs.items() if any(v in text for v in personal)]
    assert leaking == []

    # Public reads of the order and its notifications show no email either.
    order_id = placed.json()["order_id"]
    order = await shop.http.get(f"{deployment.url('checkout')}/v1/orders/{order_id}")
    assert customer["email"] not in order.text
    notes = await shop.http.get(
        f"{deployment.url('communications')}/v1/notifications",
        params={"order_id": order_id},
    )
    assert notes.status_code == 200
    assert customer["email"] not in notes.text
