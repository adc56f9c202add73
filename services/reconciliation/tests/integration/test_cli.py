"""`python -m reconciliation reconcile`, as a process: report on stdout, exit code by drift."""

import asyncio
import json
import os
import sys

from reconciliation.settings import ReconciliationSettings

from .stub_rows import ago, completed_order, reservation_row
from .stubs import ShopStubs


async def reconcile(settings: ReconciliationSettings, *args: str) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "RECONCILIATION_DATABASE_URL": settings.database_url,
        "RECONCILIATION_READ_RETRIES": "0",
        "RECONCILIATION_LOG_LEVEL": "WARNING",
        **{
            f"RECONCILIATION_{service.upper()}_URL": getattr(settings, f"{service}_url")
            for service in (
                "checkout",
                "inventory",
                "payment",
                "fulfillment",
                "communications",
                "returns",
            )
        },
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "reconciliation",
        "reconcile",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_the_cli_exits_non_zero_while_drift_is_left_and_zero_once_repaired(
    job_settings: ReconciliationSettings, stubs: ShopStubs
) -> None:
    stubs.add(completed_order("ord_fine", at=ago(3600)))
    stubs.reservations.append(reservation_row("ord_orphan", "HELD", at=ago(1200)))

    code, out, _ = await reconcile(job_settings, "--since", "24h", "--dry-run")
    assert code == 1
    assert "(dry run, cli)" in out
    assert "DRY_RUN   orphan-reservation          ord_orphan" in out
    assert stubs.calls == []

    code, out, _ = await reconcile(job_settings, "--since", "24h", "--json")
    assert code == 0, out
    report = json.loads(out)  # stdout is the report alone: logs go to stderr
    assert report["status"] == "SUCCEEDED"
    assert report["trigger"] == "cli"
    assert [(f["kind"], f["status"]) for f in report["findings"]] == [
        ("orphan-reservation", "REPAIRED")
    ]

    code, out, _ = await reconcile(job_settings, "--since", "24h")
    assert code == 0
    assert "no drift found" in out


async def test_the_cli_says_when_a_source_cannot_be_read_or_the_window_is_wrong(
    job_settings: ReconciliationSettings, stubs: ShopStubs
) -> None:
    stubs.unavailable.add("fulfillment")
    code, out, _ = await reconcile(job_settings, "--since", "1h")
    assert code == 3
    assert "FAILED" in out
    assert "fulfillment: GET /internal/v1/" in out

    code, _, err = await reconcile(job_settings, "--since", "last tuesday")
    assert code == 2
    assert "neither a span back from now" in err
