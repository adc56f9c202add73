"""The credentials of the shop's own tools (the e2e suite, the demo, the benchmarks, the
chaos run), call by call: a customer at the public API, checkout or reconciliation where
only they are admitted, an operator everywhere else.

    http = httpx.AsyncClient(auth=ShopAuth({"checkout": "http://127.0.0.1:8000", ...}))

Tokens are signed with SHOP_<NAME>_KEY when set (a deployment's keys, e.g. from compose's
.env) and with the development keys otherwise (the embedded stack, `environment=local`).
A customer's token has the checkout body's `customer.id` as subject; reads and cancels of
an order, and its notifications, go out as the customer who placed it. A request that
already carries an Authorization header (a test playing another customer, or none at all
with `auth=None`) is sent as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Mapping
from typing import Any
from urllib.parse import parse_qs

import httpx

from shop_auth.identities import (
    CUSTOMER_ISSUER,
    OPERATOR,
    client_minter,
    dev_customer_issuer,
)
from shop_auth.tokens import Minter

_ORDER = re.compile(r"^/v1/orders/([^/]+)")


def identity_for(service: str, method: str, path: str) -> str:
    """Whom a tool plays for this call (the routes' guards say who is admitted)."""
    if service in ("checkout", "communications") and path.startswith("/v1/"):
        return CUSTOMER_ISSUER
    deletes_hold = method == "DELETE" and service == "inventory" and path.startswith("/v1/")
    if path.endswith(("/void", "/release")) or deletes_hold:
        return "reconciliation"  # the repair of an orphan hold or authorization
    if method == "POST" and path in ("/v1/reservations", "/v1/authorizations"):
        return "checkout"  # drift made on purpose: a hold or authorization with no order
    if path.startswith("/internal/"):
        return "reconciliation"
    return OPERATOR


class ShopAuth(httpx.Auth):
    requires_response_body = True  # it learns which customer placed each order

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._services = {httpx.URL(url).netloc: name for name, url in urls.items()}
        self._minters: dict[str, Minter] = {}
        self._customers = dev_customer_issuer()
        self._owners: dict[str, str] = {}

    def customer_headers(self, customer_id: str) -> dict[str, str]:
        return self._customers.headers(customer_id)

    def owner_of(self, order_id: str) -> str | None:
        return self._owners.get(order_id)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if "authorization" in request.headers:
            yield request
            return
        service = self._services.get(request.url.netloc, "")
        identity = identity_for(service, request.method, request.url.path)
        customer = None
        if identity == CUSTOMER_ISSUER:
            customer = self._customer_of(request)
            request.headers.update(self._customers.headers(customer))
        else:
            request.headers.update(self._minter(identity).headers(service))
        response = yield request
        if customer is not None:  # a refused checkout names its order too
            order_id = _json(response.content).get("order_id")
            if isinstance(order_id, str):
                self._owners[order_id] = customer

    def _minter(self, identity: str) -> Minter:
        if identity not in self._minters:
            self._minters[identity] = client_minter(identity)
        return self._minters[identity]

    def _customer_of(self, request: httpx.Request) -> str:
        order = _ORDER.match(request.url.path)
        order_id = order.group(1) if order else None
        if order_id is None:
            order_id = parse_qs(request.url.query.decode()).get("order_id", [None])[0]
        if order_id is not None and order_id in self._owners:
            return self._owners[order_id]
        customer = _json(request.content).get("customer")
        if isinstance(customer, dict) and isinstance(customer.get("id"), str):
            return str(customer["id"])
        return "cus_e2e_anonymous"


def _json(content: bytes) -> dict[str, Any]:
    try:
        value = json.loads(content or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
