"""place_order wired to a real database and fakes of pricing, inventory and payment, for the
tests of what a checkout stores and undoes."""

from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from checkout.application.checkouts import CheckoutDeps, PlaceOrder, place_order
from checkout.application.coordination import Coordination
from checkout.application.outcomes import Answer
from checkout.domain.orders import Address, OrderRequest
from shop_messaging import Outbox
from shop_servicekit import Database
from sqlalchemy import text

from ..fakes import World

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def command(
    key: str = "key-00000001",
    fingerprint: str = "fp1",
    order_id: str = "ord_1",
    customer_id: str = "cus_1",
) -> PlaceOrder:
    return PlaceOrder(
        key,
        fingerprint,
        OrderRequest(
            order_id=order_id,
            customer_id=customer_id,
            customer_email="ada@example.com",
            items=[("SKU-MUG-01", 2)],
            shipping_address=Address("Ada", "1 Main St", "Berlin", "10115", "DE"),
            payment_token="tok_visa",
            currency="EUR",
        ),
    )


class Checkout:
    """place_order wired to the test's database and fakes; spawned jobs wait to be run."""

    def __init__(self, database: Database, world: World) -> None:
        self.database = database
        self.spawned: list[Coroutine[Any, Any, None]] = []
        self.deps = CheckoutDeps(
            sessions=database.sessions,
            outbox=Outbox(),
            coordination=Coordination(world.pricing, world.inventory, world.payment, 2.0),
            key_lock=timedelta(seconds=30),
            compensation_budget_seconds=1.0,
            spawn=self.spawned.append,
        )

    async def __call__(self, placed: PlaceOrder, *, at: datetime = NOW) -> Answer:
        return await place_order(placed, deps=self.deps, clock=lambda: at)

    async def run_spawned(self) -> None:
        while self.spawned:
            await self.spawned.pop(0)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.database.sessions() as session:
            return await session.scalar(text(sql), params)
