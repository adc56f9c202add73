"""Every subscription and coordinated route performs a catalogued saga step, every catalogued
step is performed where it says, and docs/sagas.md is the catalogue's current rendering.

A coordinated route is any route that changes state (not GET) outside /admin (the fault
switches of the test stack). A subscription is an entry of a service's worker table.
"""

import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from shop_contracts.saga_steps import STEPS
from shop_contracts.sagas import OPENAPI_EXTENSION, Route, step_of
from shop_contracts.tools import saga_doc

ROOT = Path(__file__).resolve().parents[2]
SERVICES = (
    "checkout",
    "communications",
    "fulfillment",
    "inventory",
    "payment",
    "pricing",
    "reconciliation",
)
BY_KEY = {step.key: step for step in STEPS}


def build_app(service: str) -> FastAPI:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = importlib.import_module(f"{service}.settings")
    (settings_class,) = (
        value
        for name, value in vars(settings).items()
        if name.endswith("Settings") and name != "ServiceSettings"
    )
    app: FastAPI = bootstrap.build_app(settings_class())
    return app


def worker_table(service: str) -> dict[type, Any]:
    """The service's subscription table, built with placeholders: handlers are partials,
    so nothing runs."""
    worker = importlib.import_module(f"{service}.entrypoints.worker")
    params = inspect.signature(worker.subscriptions).parameters
    table: dict[type, Any] = worker.subscriptions(**dict.fromkeys(params, None))
    return table


def tagged_routes(service: str) -> dict[Route, list[str]]:
    found: dict[Route, list[str]] = {}
    for path, operations in build_app(service).openapi()["paths"].items():
        for method, operation in operations.items():
            if method == "get" or path.startswith("/admin/"):
                continue
            found[Route(method.upper(), path)] = operation.get(OPENAPI_EXTENSION, [])
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_every_subscription_performs_a_step_of_its_service(service: str) -> None:
    table = worker_table(service)
    for event_type, handler in table.items():
        step = step_of(handler)
        assert step is not None, f"{service}: the {event_type.__name__} handler is untagged"
        assert step.service == service, f"{service}: {step.key} is {step.service}'s step"
        assert event_type in step.triggers, f"{step.key} is not triggered by {event_type}"
    expected = {
        (trigger, step.key)
        for step in STEPS
        if step.service == service
        for trigger in step.triggers
        if isinstance(trigger, type)
    }
    performed = {(event_type, step_of(handler).key) for event_type, handler in table.items()}  # type: ignore[union-attr]
    assert performed == expected, "the catalogue and the worker table disagree"


@pytest.mark.parametrize("service", SERVICES)
def test_every_coordinated_route_performs_a_step_of_its_service(service: str) -> None:
    routes = tagged_routes(service)
    for route, keys in routes.items():
        assert keys, f"{service}: {route} is a coordinated route without a saga step"
        for key in keys:
            step = BY_KEY[key]
            assert step.service == service, f"{route}: {key} is {step.service}'s step"
            assert route in step.triggers, f"{route}: {key} is not triggered by it"
    catalogued = {
        trigger
        for step in STEPS
        if step.service == service
        for trigger in step.triggers
        if isinstance(trigger, Route)
    }
    assert catalogued <= routes.keys(), f"{service} serves no {catalogued - routes.keys()}"


def test_docs_sagas_md_is_the_catalogue() -> None:
    committed = (ROOT / "docs" / "sagas.md").read_text()
    assert committed == saga_doc.render(), (
        "docs/sagas.md is stale: python -m shop_contracts sagas --write docs/sagas.md"
    )
