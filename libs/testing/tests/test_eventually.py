"""eventually() polls until a check passes, and reports the last failure on timeout."""

from __future__ import annotations

import pytest
from shop_testing.eventually import eventually


async def test_eventually_returns_the_first_passing_value() -> None:
    calls = iter([None, 0, "ready"])

    assert await eventually(lambda: next(calls), timeout=1, interval=0.001) == "ready"


async def test_eventually_accepts_async_checks_that_stop_raising() -> None:
    attempts: list[int] = []

    async def check() -> int:
        attempts.append(1)
        assert len(attempts) >= 3, f"only {len(attempts)} attempts"
        return len(attempts)

    assert await eventually(check, timeout=1, interval=0.001) == 3


async def test_eventually_times_out_with_the_last_error() -> None:
    def check() -> None:
        raise AssertionError("stock is 0, wanted 5")

    with pytest.raises(AssertionError, match="last: AssertionError: stock is 0, wanted 5"):
        await eventually(check, timeout=0.1, interval=0.01)
