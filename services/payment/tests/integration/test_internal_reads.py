"""Reconciliation's read of authorizations on Payment (docs/reconciliation.md)."""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from payment.domain.authorizations import AuthorizationStatus
from shop_servicekit import Database

from .internal_api import (
    AMOUNT,
    T0,
    arrange,
    assert_problem,
    at,
    authorize,
    read_all,
)

# --- GET /internal/v1/authorizations -------------------------------------------------------


async def test_the_read_answers_every_attempt_created_in_the_window_with_its_fields(
    client: httpx.AsyncClient, db: Database
) -> None:
    await arrange(
        db,
        ("auth_early", "ord_early", -1, AuthorizationStatus.CAPTURED),
        ("auth_1a", "ord_1", 0, AuthorizationStatus.DECLINED),
        ("auth_1b", "ord_1", 0.5, AuthorizationStatus.DECLINED),
        ("auth_1c", "ord_1", 1, AuthorizationStatus.AUTHORIZED),
        ("auth_2", "ord_2", 2, AuthorizationStatus.CAPTURED),
        ("auth_3", "ord_3", 3, AuthorizationStatus.VOIDED),
        ("auth_late", "ord_late", 4, AuthorizationStatus.AUTHORIZED),
    )
    items, _ = await read_all(client, since=T0.isoformat(), until=at(4).isoformat())

    def item(auth: str, order: str, status: str, created: str, **stamps: str) -> dict[str, Any]:
        return {
            "authorization_id": auth,
            "order_id": order,
            "status": status,
            "amount": AMOUNT,
            "created_at": created,
            "captured_at": stamps.get("captured_at"),
            "voided_at": stamps.get("voided_at"),
        }

    assert items == [
        item("auth_1a", "ord_1", "DECLINED", "2026-11-21T12:00:00Z"),
        item("auth_1b", "ord_1", "DECLINED", "2026-11-21T12:00:30Z"),
        item("auth_1c", "ord_1", "AUTHORIZED", "2026-11-21T12:01:00Z"),
        item(
            "auth_2",
            "ord_2",
            "CAPTURED",
            "2026-11-21T12:02:00Z",
            captured_at="2026-11-21T12:03:00Z",
        ),
        item("auth_3", "ord_3", "VOIDED", "2026-11-21T12:03:00Z", voided_at="2026-11-21T12:04:00Z"),
    ]


async def test_the_read_pages_in_creation_order_and_a_shared_timestamp_skips_none(
    client: httpx.AsyncClient, db: Database
) -> None:
    # Arranged out of order; auth_2 and auth_3 share a timestamp, so the id breaks the tie.
    created = [("auth_5", 3), ("auth_1", 0), ("auth_3", 1), ("auth_2", 1), ("auth_4", 2)]
    await arrange(
        db, *((a, a.replace("auth", "ord"), m, AuthorizationStatus.AUTHORIZED) for a, m in created)
    )
    items, pages = await read_all(client, since=T0.isoformat(), limit="2")
    assert [i["authorization_id"] for i in items] == [
        "auth_1",
        "auth_2",
        "auth_3",
        "auth_4",
        "auth_5",
    ]
    assert pages == 3


async def test_an_authorization_made_through_the_api_is_in_the_window_of_its_creation(
    client: httpx.AsyncClient,
) -> None:
    before = datetime.now(UTC)
    created = (await authorize(client)).json()
    [item] = (await read_all(client, since=before.isoformat()))[0]
    assert (item["authorization_id"], item["status"]) == (created["authorization_id"], "AUTHORIZED")
    assert item["created_at"] == created["created_at"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_read_is_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, db: Database, headers: dict[str, str]
) -> None:
    await arrange(db, ("auth_1", "ord_1", 0, AuthorizationStatus.AUTHORIZED))
    response = await client.get(
        "/internal/v1/authorizations", params={"since": T0.isoformat()}, headers=headers, auth=None
    )
    assert_problem(response, 401, "unauthorized")
