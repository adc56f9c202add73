"""Readiness probes shared by the runner and `status`: HTTP 200 and a deadline loop."""

from __future__ import annotations

import asyncio
import time

import httpx

from shop_stack.spec import ReadinessCheck


def http_ready(url: str) -> ReadinessCheck:
    """A check that is True when GET `url` answers 200."""

    async def check() -> bool:
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                return (await client.get(url)).status_code == 200
        except httpx.HTTPError:
            return False

    return check


async def wait_until(check: ReadinessCheck, within: float, interval: float = 0.1) -> bool:
    """Poll `check` until True or `within` seconds pass; return the last answer."""
    deadline = time.monotonic() + within
    while True:
        if await check():
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(interval)
