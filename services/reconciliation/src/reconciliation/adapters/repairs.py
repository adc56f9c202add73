"""The repair commands over HTTP, one per drift, each idempotent on the service that owns it.

    repairs = HttpRepairs(dependencies, timeout=10.0)
    error = await repairs.execute(Repair(Action.CAPTURE_PAYMENT, "ord_1"))   # None: accepted

The routes are docs/reconciliation.md's. Any 2xx is accepted; anything else (a 409 from a
capture that cannot happen, a 404, an unreachable service) comes back as the reason the
finding stays OPEN: the job reports it and never tries something else instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from shop_http import Budget, Dependency, DependencyError

from reconciliation.domain.findings import Action, Repair


def command(repair: Repair) -> tuple[str, str, Any]:
    """(service, path, JSON body or None) of a repair."""
    order = quote(repair.order_id, safe="")
    match repair.action:
        case Action.REPUBLISH_ORDER_CONFIRMED:
            return "checkout", f"/internal/v1/orders/{order}/republish", None
        case Action.POST_ORDER_FACTS:
            return "checkout", f"/internal/v1/orders/{order}/facts", dict(repair.params)
        case Action.RELEASE_RESERVATION:
            return "inventory", f"/v1/reservations/by-order/{order}/release", None
        case Action.COMMIT_RESERVATION:
            return "inventory", f"/internal/v1/reservations/by-order/{order}/commit", None
        case Action.REHOLD_RESERVATION:
            return "inventory", f"/internal/v1/reservations/by-order/{order}/rehold", None
        case Action.VOID_AUTHORIZATION:
            return "payment", f"/v1/authorizations/by-order/{order}/void", None
        case Action.CAPTURE_PAYMENT:
            return "payment", f"/internal/v1/authorizations/by-order/{order}/capture", None
        case Action.REFUND_RETURN:
            body = {
                "order_id": repair.order_id,
                "return_id": repair.params["return_id"],
                "amount": repair.params["amount"],
            }
            return "payment", "/internal/v1/refunds", body
        case Action.RESTOCK_RETURN:
            body = {
                "order_id": repair.order_id,
                "return_id": repair.params["return_id"],
                "lines": repair.params["lines"],
            }
            return "inventory", "/internal/v1/restocks", body
        case Action.RESEND_NOTIFICATION:
            # The recipient and total (checkout's), when known: communications uses them
            # only if it never saw the order's OrderConfirmed.
            given = {k: repair.params[k] for k in ("recipient", "total") if k in repair.params}
            body = {"order_id": repair.order_id, "kind": repair.params["kind"], **given}
            return "communications", "/internal/v1/notifications/resend", body


class HttpRepairs:
    def __init__(
        self,
        dependencies: Mapping[str, Dependency],
        *,
        timeout: float = 10.0,
    ) -> None:
        self.dependencies = dependencies
        self.timeout = timeout

    async def execute(self, repair: Repair) -> str | None:
        service, path, body = command(repair)
        try:
            response = await self.dependencies[service].request(
                "POST", path, json=body, budget=Budget(self.timeout), idempotent=True
            )
        except DependencyError as exc:
            return f"POST {service} {path}: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"POST {service} {path} answered {response.status_code}{_problem(response)}"


def _problem(response: httpx.Response) -> str:
    """` (slug): detail` from a problem+json answer, or the start of the body."""
    try:
        problem = response.json()
    except ValueError:
        return f": {response.text[:200]}" if response.text else ""
    if not isinstance(problem, dict):
        return ""
    slug = str(problem.get("type", "")).rsplit("/", 1)[-1]
    detail = problem.get("detail") or problem.get("title") or ""
    return f" ({slug}): {detail}" if slug else f": {detail}"
