"""Every outbound call carries the correlation id of the request or event being handled."""

from collections.abc import Callable

import httpx
from asgi_correlation_id import correlation_id
from shop_http import CORRELATION_HEADER, Budget, Dependency


def recording(
    seen: list[str | None], *, fail_first: bool = True
) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get(CORRELATION_HEADER))
        return httpx.Response(503 if fail_first and len(seen) == 1 else 200)

    return handle


async def test_every_attempt_forwards_the_correlation_id_in_force(
    make_dependency: Callable[..., Dependency],
) -> None:
    seen: list[str | None] = []
    dependency = make_dependency(recording(seen), retries=1)

    token = correlation_id.set("corr-42")
    try:
        await dependency.request("POST", "/x", budget=Budget(2.0), idempotent=True)
    finally:
        correlation_id.reset(token)

    assert seen == ["corr-42", "corr-42"]  # the first attempt and its retry


async def test_no_header_is_invented_outside_a_request_or_event(
    make_dependency: Callable[..., Dependency],
) -> None:
    seen: list[str | None] = []
    dependency = make_dependency(recording(seen), retries=1)

    await dependency.request("GET", "/x", budget=Budget(2.0), idempotent=True)

    assert seen == [None, None]


async def test_a_header_the_caller_sets_wins(make_dependency: Callable[..., Dependency]) -> None:
    seen: list[str | None] = []
    dependency = make_dependency(recording(seen, fail_first=False))

    token = correlation_id.set("corr-42")
    try:
        await dependency.request(
            "GET", "/x", budget=Budget(2.0), idempotent=False, headers={CORRELATION_HEADER: "own"}
        )
    finally:
        correlation_id.reset(token)

    assert seen == ["own"]
