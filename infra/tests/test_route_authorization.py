"""The route authorization matrix: every route of every service, and who may call it.

A route added without a decision here fails `test_every_route_has_exactly_the_decided_access`;
the other tests send real requests to each app (no database needed: the guard answers first)
and check that anonymous calls, forged or misdirected tokens and the wrong callers are refused.
Kinds (shop_servicekit.auth): public, health, customer, service (with its callers), operator.
"""

import importlib
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from shop_auth import Minter, dev_key, new_key
from shop_k8s.settings_catalog import SERVICE_SETTINGS
from shop_servicekit import route_table

CUSTOMER = ("customer", "shop-identity")
PUBLIC = ("public",)
OPERATOR = ("operator", "operator")
RECONCILIATION = ("service", "reconciliation")
CHECKOUT = ("service", "checkout")
HOLDERS = ("service", "checkout", "reconciliation")  # coordination: checkout and its repairer
LOOKERS = ("service", "checkout", "operator", "reconciliation")

MATRIX: dict[tuple[str, str], tuple[str, ...]] = {
    ("checkout", "POST /v1/checkouts"): CUSTOMER,
    ("checkout", "GET /v1/orders/{order_id}"): CUSTOMER,
    ("checkout", "POST /v1/orders/{order_id}/cancel"): CUSTOMER,
    ("checkout", "GET /internal/v1/orders"): RECONCILIATION,
    ("checkout", "POST /internal/v1/orders/{order_id}/republish"): RECONCILIATION,
    ("checkout", "POST /internal/v1/orders/{order_id}/facts"): RECONCILIATION,
    ("pricing", "GET /v1/products"): PUBLIC,
    ("pricing", "POST /v1/quotes"): CHECKOUT,
    ("pricing", "GET /v1/quotes/{quote_id}"): CHECKOUT,
    ("inventory", "GET /v1/stock/{sku}"): PUBLIC,
    ("inventory", "POST /v1/reservations"): CHECKOUT,
    ("inventory", "GET /v1/reservations/{reservation_id}"): LOOKERS,
    ("inventory", "DELETE /v1/reservations/{reservation_id}"): HOLDERS,
    ("inventory", "POST /v1/reservations/by-order/{order_id}/release"): HOLDERS,
    ("inventory", "POST /v1/reservations/by-order/{order_id}/confirm"): CHECKOUT,
    ("inventory", "POST /v1/stock/{sku}/replenish"): OPERATOR,
    ("inventory", "GET /internal/v1/reservations"): RECONCILIATION,
    ("inventory", "POST /internal/v1/reservations/by-order/{order_id}/commit"): RECONCILIATION,
    ("inventory", "POST /internal/v1/reservations/by-order/{order_id}/rehold"): RECONCILIATION,
    ("inventory", "GET /internal/v1/restocks"): RECONCILIATION,
    ("inventory", "POST /internal/v1/restocks"): RECONCILIATION,
    ("payment", "POST /v1/authorizations"): CHECKOUT,
    ("payment", "GET /v1/authorizations/{authorization_id}"): LOOKERS,
    ("payment", "POST /v1/authorizations/{authorization_id}/void"): HOLDERS,
    ("payment", "POST /v1/authorizations/by-order/{order_id}/void"): HOLDERS,
    ("payment", "GET /internal/v1/authorizations"): RECONCILIATION,
    ("payment", "POST /internal/v1/authorizations/by-order/{order_id}/capture"): RECONCILIATION,
    ("payment", "GET /internal/v1/refunds"): RECONCILIATION,
    ("payment", "POST /internal/v1/refunds"): RECONCILIATION,
    ("fulfillment", "GET /v1/shipments"): ("service", "operator", "reconciliation"),
    ("fulfillment", "GET /v1/shipments/{shipment_id}"): ("service", "operator", "reconciliation"),
    ("fulfillment", "GET /v1/backorders"): ("service", "operator", "reconciliation"),
    ("fulfillment", "GET /v1/backorders/{backorder_id}"): ("service", "operator", "reconciliation"),
    ("fulfillment", "GET /v1/warehouses"): PUBLIC,
    ("fulfillment", "GET /internal/v1/shipments"): RECONCILIATION,
    ("fulfillment", "GET /internal/v1/backorders"): RECONCILIATION,
    ("communications", "GET /v1/notifications"): CUSTOMER,
    ("communications", "GET /v1/notifications/{notification_id}"): CUSTOMER,
    ("communications", "GET /internal/v1/notifications"): RECONCILIATION,
    ("communications", "POST /internal/v1/notifications/resend"): RECONCILIATION,
    ("reconciliation", "GET /v1/coordination/orders/{order_id}"): OPERATOR,
    ("reconciliation", "GET /v1/coordination/stuck"): OPERATOR,
    ("reconciliation", "POST /v1/reconciliation/runs"): OPERATOR,
    ("reconciliation", "GET /v1/reconciliation/runs"): OPERATOR,
    ("reconciliation", "GET /v1/reconciliation/runs/{run_id}"): OPERATOR,
    ("returns", "POST /v1/returns"): CUSTOMER,
    ("returns", "GET /v1/returns/{return_id}"): CUSTOMER,
    ("returns", "POST /v1/returns/{return_id}/receive"): OPERATOR,
    ("returns", "GET /internal/v1/returns"): RECONCILIATION,
    # The operator console: its login form is public, every page an operator's (a session
    # cookie from that form, or an operator bearer token).
    ("reconciliation", "GET /console/login"): PUBLIC,
    ("reconciliation", "POST /console/login"): PUBLIC,
    ("reconciliation", "POST /console/logout"): OPERATOR,
    ("reconciliation", "GET /console"): OPERATOR,
    ("reconciliation", "GET /console/orders"): OPERATOR,
    ("reconciliation", "GET /console/orders/{order_id}"): OPERATOR,
    ("reconciliation", "POST /console/runs"): OPERATOR,
    ("reconciliation", "GET /console/runs/{run_id}"): OPERATOR,
    ("reconciliation", "GET /console/dead-letters"): OPERATOR,
    ("reconciliation", "POST /console/dead-letters/{group}/replay"): OPERATOR,
    ("reconciliation", "GET /console/services"): OPERATOR,
    ("reconciliation", "POST /console/services/{service}/faults"): OPERATOR,
}
# What create_app adds to every service.
COMMON: dict[str, tuple[str, ...]] = {
    "GET /health/live": ("health",),
    "GET /health/ready": ("health",),
    "GET /metrics": ("health",),
    "GET /admin/faults": OPERATOR,
    "PUT /admin/faults": OPERATOR,
    "DELETE /admin/faults": OPERATOR,
}


def build(service: str) -> FastAPI:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    app: FastAPI = bootstrap.build_app(SERVICE_SETTINGS[service]())
    return app


def decided_routes() -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """(service, method, path, access) of every route the apps serve."""
    for service in SERVICE_SETTINGS:
        for route in route_table(build(service)):
            assert len(route.guards) == 1, f"{service} {route.path}: {len(route.guards)} guards"
            [guard] = route.guards
            access = (guard.access.kind, *sorted(guard.access.callers))
            for method in sorted(route.methods):
                yield service, method, route.path, access


ROUTES = list(decided_routes())


def test_every_route_has_exactly_the_decided_access() -> None:
    served = {(service, f"{method} {path}"): access for service, method, path, access in ROUTES}
    expected = dict(MATRIX)
    for service in SERVICE_SETTINGS:
        expected |= {(service, route): access for route, access in COMMON.items()}
    undecided = sorted(set(served) - set(expected))
    assert not undecided, f"routes without a decision in MATRIX: {undecided}"
    assert served == expected


def _url(path: str) -> str:
    return path.replace("{", "x").replace("}", "")  # any value fits a path parameter


def _token(identity: str, audience: str, key: object = None) -> dict[str, str]:
    minter = Minter(identity, key if key is not None else dev_key(identity))  # type: ignore[arg-type]
    return minter.headers(audience, "cus_1" if identity == "shop-identity" else None)


GUARDED = [r for r in ROUTES if r[3][0] not in ("public", "health")]


@pytest.mark.parametrize(("service", "method", "path", "access"), GUARDED)
async def test_anonymous_forged_and_misdirected_calls_are_refused(
    service: str, method: str, path: str, access: tuple[str, ...]
) -> None:
    kind, caller = access[0], access[1]
    audience = "shop" if kind == "customer" else service
    elsewhere = "pricing" if service != "pricing" else "payment"
    attempts = {
        "anonymous": {},
        "not a token": {"Authorization": "Bearer not-a-token"},
        "forged": _token(caller, audience, new_key()),  # the right name, someone else's key
        "for another service": _token(caller, "shop" if kind != "customer" else elsewhere),
    }
    transport = httpx.ASGITransport(app=build(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for what, headers in attempts.items():
            response = await client.request(method, _url(path), headers=headers)
            assert response.status_code == 401, (what, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("service", "method", "path", "access"), [r for r in GUARDED if r[3][0] != "customer"]
)
async def test_a_valid_token_from_a_caller_not_admitted_is_forbidden(
    service: str, method: str, path: str, access: tuple[str, ...]
) -> None:
    outsider = next(
        name
        for name in ("fulfillment", "communications", "pricing", "checkout")
        if name not in access and name != service
    )
    transport = httpx.ASGITransport(app=build(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        response = await client.request(method, _url(path), headers=_token(outsider, service))
    assert response.status_code == 403, response.text
    assert response.json()["type"] == "https://shop.example/problems/forbidden"


def test_every_openapi_document_declares_the_bearer_schemes_it_uses() -> None:
    for service in SERVICE_SETTINGS:
        document = build(service).openapi()
        schemes = document["components"]["securitySchemes"]
        assert schemes, service
        assert {s["scheme"] for s in schemes.values()} == {"bearer"}
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                public = path.startswith(("/health", "/metrics")) or (
                    (service, f"{method.upper()} {path}") in MATRIX
                    and MATRIX[(service, f"{method.upper()} {path}")] == PUBLIC
                )
                assert bool(operation.get("security")) != public, (service, method, path)
