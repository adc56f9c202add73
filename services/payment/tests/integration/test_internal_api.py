"""Reconciliation's routes on Payment (docs/reconciliation.md): the read of authorizations,
the capture repair, and the void repair (the public void by order, repeated)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from payment.adapters import repository
from payment.domain.authorizations import Authorization, AuthorizationStatus
from shop_servicekit import Database

from ..conftest import Snapshot
from .payment_events import deliver, shipped, state

PROBLEMS = "https://shop.example/problems/"
ADMIN = {"Authorization": "Bearer dev-admin-token"}
T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
AMOUNT = {"amount": 4_999, "currency": "EUR"}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def arrange(db: Database, *rows: tuple[str, str, float, AuthorizationStatus]) -> None:
    """(authorization_id, order_id, minutes after T0, status): each stored as that status
    would have it, captured or voided a minute after its creation."""
    async with db.sessions.begin() as session:
        for authorization_id, order_id, minutes, status in rows:
            authorization = Authorization(
                id=authorization_id,
                order_id=order_id,
                customer_id="cus_1",
                amount=4_999,
                currency="EUR",
                status=status,
                token="tok_visa",
                created_at=at(minutes),
                decline_reason="card-declined" if status is AuthorizationStatus.DECLINED else None,
                captured_at=at(minutes + 1) if status is AuthorizationStatus.CAPTURED else None,
                voided_at=at(minutes + 1) if status is AuthorizationStatus.VOIDED else None,
            )
            await repository.add(session, authorization)
            await repository.save_status(session, authorization)  # the stamps


async def read_all(client: httpx.AsyncClient, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of the window, following the cursor; and how many pages that took."""
    items: list[dict[str, Any]] = []
    pages = 0
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/internal/v1/authorizations", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages


async def authorize(
    client: httpx.AsyncClient, order_id: str = "ord_1", token: str = "tok_visa"
) -> httpx.Response:
    body = {
        "order_id": order_id,
        "customer_id": "cus_1",
        "amount": 4_999,
        "currency": "EUR",
        "token": token,
    }
    return await client.post("/v1/authorizations", json=body)


async def capture_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    path = f"/internal/v1/authorizations/by-order/{order_id}/capture"
    return await client.post(path, headers=ADMIN)


async def void_repair(client: httpx.AsyncClient, order_id: str = "ord_1") -> httpx.Response:
    return await client.post(f"/v1/authorizations/by-order/{order_id}/void", headers=ADMIN)


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    return problem


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
async def test_the_read_is_a_401_problem_without_the_admin_token(
    client: httpx.AsyncClient, db: Database, headers: dict[str, str]
) -> None:
    await arrange(db, ("auth_1", "ord_1", 0, AuthorizationStatus.AUTHORIZED))
    response = await client.get(
        "/internal/v1/authorizations", params={"since": T0.isoformat()}, headers=headers
    )
    assert_problem(response, 401, "unauthorized")


# --- POST /internal/v1/authorizations/by-order/{order_id}/capture --------------------------


async def test_the_capture_repair_captures_the_authorization_once_and_announces_it(
    client: httpx.AsyncClient, db: Database
) -> None:
    authorization_id = (await authorize(client)).json()["authorization_id"]
    response = await capture_repair(client)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["authorization_id"], body["status"]) == (authorization_id, "CAPTURED")
    assert body["captured_at"] is not None
    assert await state(db, "ord_1") == {
        "statuses": ["CAPTURED"],
        "captures": [(authorization_id, 4_999)],
        "events": [
            (
                "PaymentCaptured",
                {"order_id": "ord_1", "authorization_id": authorization_id, "amount": AMOUNT},
            )
        ],
    }


async def test_repeating_the_capture_repair_is_a_200_that_changes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    await authorize(client)
    first = await capture_repair(client)
    before = await state(db, "ord_1")
    again = await capture_repair(client)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert await state(db, "ord_1") == before


async def test_the_capture_repair_after_shipment_created_was_handled_changes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    await authorize(client)
    assert await deliver(db, shipped("ord_1"))
    before = await state(db, "ord_1")

    response = await capture_repair(client)
    assert response.status_code == 200
    assert response.json()["status"] == "CAPTURED"
    assert await state(db, "ord_1") == before


async def test_a_shipment_created_arriving_after_the_capture_repair_changes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    await authorize(client)
    assert (await capture_repair(client)).status_code == 200
    before = await state(db, "ord_1")
    assert await deliver(db, shipped("ord_1"))
    assert await state(db, "ord_1") == before


async def test_capturing_a_voided_authorization_is_a_409_problem_that_changes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    authorization_id = (await authorize(client)).json()["authorization_id"]
    assert (await void_repair(client)).status_code == 200
    before = await state(db, "ord_1")

    problem = assert_problem(await capture_repair(client), 409, "authorization-not-capturable")
    assert (problem["authorization_id"], problem["authorization_status"]) == (
        authorization_id,
        "VOIDED",
    )
    # A refused repair is reconciliation's to report: no capture failure is announced.
    assert await state(db, "ord_1") == before


async def test_capturing_an_order_with_only_declined_attempts_is_a_409_problem(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    assert (await authorize(client, token="tok_declined")).status_code == 402
    declined = (await authorize(client, token="tok_insufficient_funds")).json()
    before = await snapshot()

    problem = assert_problem(await capture_repair(client), 409, "authorization-not-capturable")
    assert (problem["authorization_id"], problem["authorization_status"]) == (
        declined["authorization_id"],
        "DECLINED",
    )
    assert await snapshot() == before


async def test_capturing_for_an_order_never_authorized_is_a_404_problem(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    before = await snapshot()
    problem = assert_problem(
        await capture_repair(client, "ord_missing"), 404, "authorization-not-found"
    )
    assert problem["order_id"] == "ord_missing"
    assert await snapshot() == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}])
async def test_the_capture_repair_is_a_401_problem_without_the_admin_token(
    client: httpx.AsyncClient, snapshot: Snapshot, headers: dict[str, str]
) -> None:
    await authorize(client)
    before = await snapshot()
    response = await client.post(
        "/internal/v1/authorizations/by-order/ord_1/capture", headers=headers
    )
    assert_problem(response, 401, "unauthorized")
    assert await snapshot() == before


# --- POST /v1/authorizations/by-order/{order_id}/void (the void repair) --------------------


async def test_the_void_repair_voids_once_and_a_repeat_is_a_200_no_op(
    client: httpx.AsyncClient, db: Database
) -> None:
    authorization_id = (await authorize(client)).json()["authorization_id"]
    first = await void_repair(client)
    before = await state(db, "ord_1")
    again = await void_repair(client)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "VOIDED"
    assert again.json() == first.json()
    assert before == {
        "statuses": ["VOIDED"],
        "captures": [],
        "events": [
            (
                "PaymentVoided",
                {
                    "order_id": "ord_1",
                    "authorization_id": authorization_id,
                    "amount": AMOUNT,
                    "reason": "voided on request",
                },
            )
        ],
    }
    assert await state(db, "ord_1") == before


@pytest.mark.parametrize("declined_first", [False, True])
async def test_the_void_repair_with_nothing_held_is_the_documented_404(
    client: httpx.AsyncClient, snapshot: Snapshot, declined_first: bool
) -> None:
    if declined_first:  # a declined attempt holds nothing either
        assert (await authorize(client, token="tok_declined")).status_code == 402
    before = await snapshot()
    problem = assert_problem(await void_repair(client), 404, "authorization-not-found")
    assert problem["order_id"] == "ord_1"
    assert await snapshot() == before


async def test_the_void_repair_after_the_capture_repair_is_a_409_already_captured(
    client: httpx.AsyncClient, snapshot: Snapshot
) -> None:
    await authorize(client)
    assert (await capture_repair(client)).status_code == 200
    before = await snapshot()
    assert_problem(await void_repair(client), 409, "already-captured")
    assert await snapshot() == before
