"""Thin routes: HTTP in, an application function called, HTTP out; domain errors become
problems. Routes never open a session: the use case and the query own their transactions.

Every route has exactly one guard (shop_servicekit.auth). The template's are the closed
default, the operator's token; open a route deliberately (`auth.customer()` with the caller
as owner, `auth.services("checkout")`, `PUBLIC`) and record the decision in
infra/tests/test_route_authorization.py's matrix."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from shop_servicekit import Authority, Clock, Problem
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from returns.application.items import CreateItem, KeyReused, create_item, find_item
from returns.domain.items import BlankName
from returns.entrypoints.api.schemas import ItemBody, ItemView

KEY_MAX = 200


async def idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> str:
    if key is None:
        raise Problem(422, "idempotency-key-missing", "Idempotency-Key header required")
    if not 8 <= len(key) <= KEY_MAX or not key.isascii() or not key.isprintable() or " " in key:
        raise Problem(
            422,
            "idempotency-key-invalid",
            "Idempotency-Key is not valid",
            detail=f"8 to {KEY_MAX} printable ASCII characters, no spaces",
        )
    return key


def returns_router(
    sessions: async_sessionmaker[AsyncSession], *, clock: Clock, auth: Authority
) -> APIRouter:
    operating = auth.operator()
    router = APIRouter(prefix="/v1", tags=["returns"])

    @router.post("/items", status_code=201, dependencies=[Depends(operating)])
    async def post_item(
        body: ItemBody, response: Response, key: Annotated[str, Depends(idempotency_key)]
    ) -> ItemView:
        command = CreateItem(idempotency_key=key, name=body.name)
        try:
            created = await create_item(sessions, command, clock=clock)
        except BlankName as exc:
            raise Problem(422, "blank-name", "The name is blank", detail=str(exc)) from exc
        except KeyReused as exc:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                detail="this key already created an item from another body",
            ) from exc
        if created.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return ItemView.of(created.item)

    @router.get("/items/{item_id}", dependencies=[Depends(operating)])
    async def get_item(item_id: str) -> ItemView:
        found = await find_item(sessions, item_id)
        if found is None:
            raise Problem(404, "item-not-found", "No such item", item_id=item_id)
        return ItemView.of(found)

    return router
