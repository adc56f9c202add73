"""Keep a confirmed order's hold: tell inventory, once the order is stored, that its stock
is held until it ships (the hold's TTL no longer applies).

    deps.spawn(keep_hold("ord_1", inventory=inventory, budget_seconds=3.0))

It runs after the answer, off the customer's time. Inventory also confirms the hold when
OrderConfirmed arrives, whichever comes first; if both fail (inventory down, then the event
late past the TTL), reconciliation finds the confirmed order whose hold ended and holds its
stock again (docs/adr/ "hold under a confirmed order").
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

from shop_http import Budget, DependencyError

from checkout.application.ports import Inventory
from checkout.domain.orders import HoldEnded

log = logging.getLogger(__name__)


def keep_hold(
    order_id: str, *, inventory: Inventory, budget_seconds: float
) -> Coroutine[Any, Any, None]:
    async def run() -> None:
        try:
            await inventory.confirm(order_id, Budget(budget_seconds))
        except HoldEnded:
            log.error("order %s is confirmed but its hold ended; left to reconciliation", order_id)
        except DependencyError as exc:
            log.warning("order %s: hold not confirmed (%s); OrderConfirmed will", order_id, exc)

    return run()
