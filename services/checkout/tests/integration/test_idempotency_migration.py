"""Keys completed before revision 0004 (which stored the HTTP response, not the outcome)
still replay the same answer after it, and a downgrade gives the responses back."""

import asyncio
import json
import os
from typing import Any

import asyncpg
import pytest
from checkout.bootstrap import ALEMBIC_INI, build_app
from checkout.entrypoints.api.routes import scoped_key
from checkout.entrypoints.api.schemas import CheckoutBody
from checkout.settings import CheckoutSettings
from shop_servicekit.migrations import downgrade, upgrade
from shop_testing.apps import app_client
from shop_testing.databases import DatabaseFactory
from shop_testing.migrated import asyncpg_url

from .test_idempotency_and_validation import body

CONFIRMED = {
    "order_id": "ord_legacy1",
    "status": "CONFIRMED",
    "total": {"amount": 2599, "currency": "EUR"},
    "lines": [
        {
            "sku": "SKU-MUG-01",
            "name": "Mug",
            "quantity": 2,
            "unit_price": {"amount": 1000, "currency": "EUR"},
            "line_total": {"amount": 2000, "currency": "EUR"},
        }
    ],
    "fulfillment_status": "PENDING",
    "created_at": "2026-11-21T12:00:00.123456Z",
}
OUT_OF_STOCK = {
    "type": "https://shop.example/problems/out-of-stock",
    "title": "Not enough stock",
    "status": 409,
    "detail": "not enough stock of: SKU-MUG-01",
    "instance": "/v1/checkouts",
    "skus": ["SKU-MUG-01"],
    "order_id": "ord_legacy2",
}
FRAUD = {
    "type": "https://shop.example/problems/fraud-suspected",
    "title": "Payment stopped by the fraud screen",
    "status": 402,
    "instance": "/v1/checkouts",
    "order_id": "ord_legacy3",
}
LEGACY = {"key-legacy-1": (201, CONFIRMED), "key-legacy-2": (409, OUT_OF_STOCK)}
LEGACY["key-legacy-3"] = (402, FRAUD)


@pytest.fixture
def legacy_url(database_factory: DatabaseFactory) -> str:
    """A database at revision 0003, the last that stored responses."""
    name = f"checkout_legacy_{os.getpid()}"
    database_factory.drop(name)
    url = asyncpg_url(database_factory.create(name))
    upgrade(ALEMBIC_INI, url, "0003")
    return url


async def test_keys_completed_before_0004_replay_the_same_answers(legacy_url: str) -> None:
    payloads = {key: body(customer=key.replace("-", "_")) for key in LEGACY}
    conn = await asyncpg.connect(legacy_url.replace("+asyncpg", ""))
    try:
        for key, (status, response) in LEGACY.items():
            fingerprint = CheckoutBody.model_validate(payloads[key]).fingerprint()
            await conn.execute(
                "INSERT INTO idempotency_keys (key, request_hash, status, order_id, "
                "response_status, response_body, created_at, locked_until) "
                "VALUES ($1, $2, 'COMPLETED', $3, $4, $5, now(), now())",
                # Stored as the customer-scoped key (keys stored before the scoping expire).
                scoped_key(payloads[key]["customer"]["id"], key),
                fingerprint,
                response["order_id"],
                status,
                json.dumps(response),
            )
        await asyncio.to_thread(upgrade, ALEMBIC_INI, legacy_url)

        app = build_app(CheckoutSettings(database_url=legacy_url))
        async with app_client(app, "http://checkout") as client:
            for key, (status, response) in LEGACY.items():
                headers = {"Idempotency-Key": key}
                replayed = await client.post("/v1/checkouts", json=payloads[key], headers=headers)
                assert replayed.status_code == status
                # Byte for byte what the first answer sent (compact JSON, in this order).
                assert replayed.content == _compact(response)
                assert replayed.headers["Idempotent-Replayed"] == "true"

        await asyncio.to_thread(downgrade, ALEMBIC_INI, legacy_url, "0003")
        rows = await conn.fetch("SELECT key, response_status, response_body FROM idempotency_keys")
        restored = {
            row["key"]: (row["response_status"], json.loads(row["response_body"])) for row in rows
        }
        assert restored == {
            scoped_key(payloads[key]["customer"]["id"], key): answer
            for key, answer in LEGACY.items()
        }
    finally:
        await conn.close()


def _compact(response: dict[str, Any]) -> bytes:
    return json.dumps(response, separators=(",", ":"), ensure_ascii=False).encode()
