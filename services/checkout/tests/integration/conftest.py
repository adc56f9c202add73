"""The checkout app for the internal-route tests: its own database, no other service."""

from collections.abc import AsyncIterator

import httpx
import pytest
from checkout.bootstrap import build_app
from checkout.settings import CheckoutSettings
from shop_servicekit import Database
from shop_testing.credentials import RouteAuth

from ..fakes import World
from .placing import Checkout


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    # The internal routes call no other service: their URLs point nowhere.
    nowhere = "http://127.0.0.1:9"
    settings = CheckoutSettings(
        database_url=database_url,
        pricing_url=nowhere,
        inventory_url=nowhere,
        payment_url=nowhere,
    )
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        auth = RouteAuth(app, customer="cus_1")  # the owner of the stored orders
        async with httpx.AsyncClient(
            transport=transport, base_url="http://checkout", auth=auth
        ) as client:
            yield client


@pytest.fixture
async def checkout(database: Database, world: World) -> AsyncIterator[Checkout]:
    checkout = Checkout(database, world)
    yield checkout
    await checkout.run_spawned()  # what a test left running finishes before the database goes
