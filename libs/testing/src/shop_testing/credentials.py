"""Credentials for tests, signed with the development keys every `local` service trusts.

    async with app_client(app) as client:     # each request gets the token its route wants
        await client.get("/internal/v1/orders", params=...)           # as reconciliation
        await client.get("/v1/orders/ord_1", auth=None)               # anonymous: 401

`RouteAuth` looks up the route a request will reach and signs as the first caller its guard
allows (a service, `operator`), or as a customer for customer routes: the `customer.id` of a
checkout body, the owner it saw create an order for that order's reads, else `customer`.
A request that already carries an Authorization header is sent as it is.
"""

import json
import re
from collections.abc import Generator, Iterator, Mapping
from typing import Any

import httpx
from fastapi import FastAPI
from shop_auth import CUSTOMER_ISSUER, Minter, dev_key
from shop_servicekit import Guard, route_table

DEFAULT_CUSTOMER = "cus_test"
_ORDER_PATH = re.compile(r"/v1/orders/([^/]+)")


def minter(identity: str) -> Minter:
    return Minter(identity, dev_key(identity))


class bearer(Mapping[str, str]):
    """`Authorization` for `identity` (a service or `operator`) calling `audience`; minted
    when read, so a module-level constant never hands out an expired token."""

    def __init__(self, identity: str, audience: str, subject: str | None = None) -> None:
        self._minter = minter(identity)
        self._audience = audience
        self._subject = subject

    def _headers(self) -> dict[str, str]:
        return self._minter.headers(self._audience, self._subject)

    def __getitem__(self, name: str) -> str:
        return self._headers()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers())

    def __len__(self) -> int:
        return 1


def customer_bearer(customer_id: str, audience: str = "shop") -> dict[str, str]:
    return minter(CUSTOMER_ISSUER).headers(audience, customer_id)


class RouteAuth(httpx.Auth):
    requires_response_body = True  # it learns which customer owns each order it sees made

    def __init__(self, app: FastAPI, customer: str = DEFAULT_CUSTOMER) -> None:
        self._table = route_table(app)
        self._customer = customer
        self._owners: dict[str, str] = {}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if "authorization" in request.headers:
            yield request
            return
        guard = self._guard(request.method, request.url.path)
        customer = None
        if guard is not None and guard.access.kind == "customer":
            customer = self._customer_of(request)
            request.headers.update(customer_bearer(customer, guard.audience))
        elif guard is not None and guard.access.callers:
            identity = sorted(guard.access.callers)[0]
            request.headers.update(bearer(identity, guard.audience))
        response = yield request
        if customer is not None:  # a refused checkout names its order too
            order_id = _json(response.content).get("order_id")
            if isinstance(order_id, str):
                self._owners[order_id] = customer

    def _guard(self, method: str, path: str) -> Guard | None:
        for route in self._table:
            if method in route.methods and route.path_regex.match(path):
                return route.guards[0] if route.guards else None
        return None

    def _customer_of(self, request: httpx.Request) -> str:
        found = _ORDER_PATH.match(request.url.path)
        if found and found.group(1) in self._owners:
            return self._owners[found.group(1)]
        customer = _json(request.content).get("customer")
        if isinstance(customer, dict) and isinstance(customer.get("id"), str):
            return str(customer["id"])
        return self._customer


def _json(content: bytes) -> dict[str, Any]:
    try:
        value = json.loads(content or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
