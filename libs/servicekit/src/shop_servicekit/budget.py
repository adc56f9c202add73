"""The caller's remaining time budget: refuse at once when it is spent.

See docs/architecture.md, "Calls between services".

Checkout sends what is left of its checkout budget as `X-Budget-Remaining-Ms`; work started
with less than that would only be thrown away (and compensated) by a caller who has gone.
No header means no budget to honour.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Header

from shop_servicekit.problems import Problem

BUDGET_HEADER = "X-Budget-Remaining-Ms"


def budget_guard(min_budget_ms: int) -> Callable[..., Awaitable[None]]:
    """A route dependency: 503 `budget-exhausted` when fewer than `min_budget_ms` ms remain."""

    async def require_budget(
        x_budget_remaining_ms: Annotated[int | None, Header()] = None,
    ) -> None:
        remaining = x_budget_remaining_ms
        if remaining is not None and (remaining <= 0 or remaining < min_budget_ms):
            raise Problem(
                503,
                "budget-exhausted",
                "The caller's time budget is spent",
                detail=f"{BUDGET_HEADER} was {remaining}; at least {max(min_budget_ms, 1)} needed",
                remaining_ms=remaining,
            )

    return require_budget
