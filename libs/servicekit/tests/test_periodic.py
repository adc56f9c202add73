import asyncio

import pytest
from shop_servicekit import periodic
from shop_testing.eventually import eventually


async def test_a_full_batch_runs_again_without_waiting_for_the_interval() -> None:
    batches = [10, 10, 3]
    calls: list[int] = []

    async def step() -> int:
        calls.append(1)
        return batches.pop(0) if batches else 0

    # An interval far longer than the test: only the back-to-back rule can make three calls.
    task = asyncio.create_task(periodic(step, name="drain", interval=3600, batch_size=10)())
    try:
        await eventually(lambda: len(calls) == 3, timeout=5)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert batches == []


async def test_a_failing_step_is_logged_and_the_loop_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outcomes: list[Exception | int] = [RuntimeError("database away"), 0]
    done = asyncio.Event()

    async def step() -> int:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        done.set()
        return outcome

    task = asyncio.create_task(periodic(step, name="sweep", interval=0.01)())
    try:
        await asyncio.wait_for(done.wait(), timeout=5)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert "sweep failed" in caplog.text
    assert periodic(step, name="sweep", interval=1).__name__ == "sweep"
