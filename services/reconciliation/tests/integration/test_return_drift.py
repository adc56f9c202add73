"""Return drift through the job's API: a received return that payment never refunded and
inventory never restocked is repaired by both owners once, and the next run finds nothing."""

import httpx

from .job_scenarios import found, start_run
from .stub_rows import ago
from .stubs import ShopStubs


async def test_a_received_return_never_refunded_nor_restocked_is_repaired_once(
    api: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    stubs.returns.append(
        {
            "return_id": "ret_lost",
            "order_id": "ord_returned",
            "status": "RECEIVED",
            "refund": {"amount": 1100, "currency": "EUR"},
            "lines": [{"sku": "SKU-MUG-01", "quantity": 1}],
            "created_at": ago(900),
            "received_at": ago(600),
            "refunded_at": None,
            "restocked_at": None,
        }
    )

    run = await start_run(api)

    assert found(run) == [
        ("return-not-refunded", "ord_returned", "REPAIRED"),
        ("return-not-restocked", "ord_returned", "REPAIRED"),
    ]
    assert sorted(stubs.repairs()) == [
        ("inventory", "/internal/v1/restocks"),
        ("payment", "/internal/v1/refunds"),
    ]
    [refund] = [c for c in stubs.calls if c.service == "payment"]
    assert refund.body == {"order_id": "ord_returned", "return_id": "ret_lost", "amount": 1100}

    again = await start_run(api)
    assert again["findings"] == []
    assert len(stubs.calls) == 2
