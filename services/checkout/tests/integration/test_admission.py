"""Offered more checkouts than it admits, checkout sheds the excess with 503 + Retry-After
before any call goes out, the admitted ones complete, and no breaker opens."""

import asyncio
from typing import Any

from checkout.bootstrap import build_app
from checkout.settings import CheckoutSettings
from shop_testing.apps import app_client
from shop_testing.eventually import eventually

from .test_coordination import PROBLEMS, body, key


async def test_the_excess_is_shed_with_retry_after_while_admitted_checkouts_complete(
    settings: CheckoutSettings, shop: Any
) -> None:
    settings = settings.model_copy(
        update={"admission_max_in_flight": 2, "admission_max_waiting": 0}
    )
    app = build_app(settings)
    # Pricing is slowed so the two admitted checkouts are still running when the third comes.
    await shop.faults("pricing", latency_ms=1000)
    served_before = await shop.requests_served("pricing")
    async with app_client(app, "http://checkout") as client:
        admitted = [
            asyncio.create_task(client.post("/v1/checkouts", json=body(), headers=key()))
            for _ in range(2)
        ]

        async def two_in_flight() -> bool:
            metrics = (await client.get("/metrics")).text
            return "http_admitted_in_flight 2.0" in metrics

        await eventually(two_in_flight)
        shed = await client.post("/v1/checkouts", json=body(), headers=key())
        done = await asyncio.gather(*admitted)
        ready = (await client.get("/health/ready")).json()

    assert shed.status_code == 503
    assert shed.headers["Retry-After"] == str(settings.admission_retry_after_s)
    assert shed.json()["type"] == PROBLEMS + "overloaded"
    assert [r.status_code for r in done] == [201, 201], [r.text for r in done]
    # The shed checkout never reached pricing: only the two admitted ones did.
    assert await shop.requests_served("pricing") == served_before + 2
    states = [check["state"] for name, check in ready["checks"].items() if "breaker" in name]
    assert states == ["closed"] * 3, ready
