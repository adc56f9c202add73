"""Reconciliation's repairs on Payment (docs/reconciliation.md): the capture repair and the
void repair (the public void by order, repeated)."""

import httpx
import pytest
from shop_servicekit import Database

from ..conftest import Snapshot
from .internal_api import (
    AMOUNT,
    assert_problem,
    authorize,
    capture_repair,
    void_repair,
)
from .payment_events import deliver, shipped, state

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
async def test_the_capture_repair_is_a_401_problem_without_a_credential(
    client: httpx.AsyncClient, snapshot: Snapshot, headers: dict[str, str]
) -> None:
    await authorize(client)
    before = await snapshot()
    response = await client.post(
        "/internal/v1/authorizations/by-order/ord_1/capture", headers=headers, auth=None
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
