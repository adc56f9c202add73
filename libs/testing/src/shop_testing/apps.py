"""Drive a service the way its process would, without a network in between.

    async with app_client(build_app(settings)) as client:        # lifespan entered
        response = await client.post("/v1/quotes", json=...)

    handled = await deliver_event(db.sessions, "fulfillment", allocate_order, event)

`app_client` runs the app's lifespan (so it disposes its engine) around an httpx client on
an ASGI transport. `deliver_event` hands an event to a handler exactly as the consumer runner
does: inbox claim and handler in one transaction, the handler in the event's correlation
chain; False when the inbox had seen it.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from shop_contracts import CloudEvent
from shop_messaging import Handler, claim, correlated
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shop_testing.credentials import DEFAULT_CUSTOMER, RouteAuth


@asynccontextmanager
async def app_client(
    app: FastAPI, base_url: str = "http://service", *, customer: str = DEFAULT_CUSTOMER
) -> AsyncIterator[httpx.AsyncClient]:
    """Requests carry the credential their route asks for (`RouteAuth`); pass `auth=None`
    to a request to send it anonymously."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        auth = RouteAuth(app, customer)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, auth=auth) as client:
            yield client


async def deliver_event(
    sessions: async_sessionmaker[AsyncSession], group: str, handler: Handler, event: CloudEvent[Any]
) -> bool:
    async with sessions.begin() as session:
        if not await claim(session, group, event.id):
            return False
        with correlated(event):
            await handler(session, event)
        return True
