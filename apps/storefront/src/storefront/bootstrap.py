"""The one place the storefront is wired together: clients, the customer issuer, pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from shop_auth import CUSTOMER_ISSUER, CustomerIssuer, Minter, dev_key, private_key

from storefront.order_phase import money
from storefront.pages import pages_router
from storefront.public_api import Clients, PublicApi
from storefront.sessions import Sessions
from storefront.settings import StorefrontSettings

HERE = Path(__file__).resolve().parent


def customer_issuer(settings: StorefrontSettings) -> CustomerIssuer:
    """The dev issuer: a real identity provider would sign customers in instead."""
    if settings.identity_key is not None:
        key = private_key(settings.identity_key.get_secret_value())
    else:  # the settings allow no key only in `local`
        key = dev_key(CUSTOMER_ISSUER)
    return CustomerIssuer(Minter(CUSTOMER_ISSUER, key))


def build_clients(settings: StorefrontSettings) -> Clients:
    timeout = httpx.Timeout(settings.request_timeout_seconds)

    def client(url: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=url, timeout=timeout)

    return Clients(
        checkout=client(settings.checkout_url),
        pricing=client(settings.pricing_url),
        inventory=client(settings.inventory_url),
        communications=client(settings.communications_url),
    )


def build_app(settings: StorefrontSettings) -> FastAPI:
    clients = build_clients(settings)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["money"] = money

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await clients.aclose()

    app = FastAPI(title="Storefront", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(
        pages_router(
            PublicApi(clients),
            Sessions(customer_issuer(settings), hours=settings.session_hours),
            templates,
            currency=settings.currency,
            secure=settings.environment != "local",
        )
    )

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready")
    async def ready() -> dict[str, str]:
        # Ready once it serves: the catalog page itself says when the shop is down.
        return {"status": "ok"}

    return app
