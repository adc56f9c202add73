"""The admin route that receives goods: `POST /v1/stock/{sku}/replenish`.

Operators only: stock appears out of nowhere here, so only operations (or a
goods-in system) may call it. Retries are safe with an `Idempotency-Key`.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from pydantic import TypeAdapter, ValidationError
from shop_contracts.saga_steps import REPLENISH_STOCK
from shop_contracts.sagas import route_tag
from shop_messaging import Outbox
from shop_servicekit import Clock, Guard, Problem, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inventory.application.replenishment import ReplenishStock, replenish_stock
from inventory.domain.receipts import ReceiptConflict
from inventory.domain.reservations import UnknownSkus
from inventory.entrypoints.api.schemas import IdempotencyKey, ReceiptView, ReplenishBody

_KEY = TypeAdapter(IdempotencyKey)


async def optional_idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> str | None:
    if key is None:
        return None
    try:
        return _KEY.validate_python(key)
    except ValidationError as exc:
        raise Problem(
            422,
            "idempotency-key-invalid",
            "Idempotency-Key is not valid",
            detail="8 to 255 printable ASCII characters, no spaces",
        ) from exc


def replenishment_router(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    guard: Guard,
    clock: Clock,
) -> APIRouter:
    router = APIRouter(
        responses=problem_responses(401),
        prefix="/v1",
        tags=["inventory admin"],
        dependencies=[Depends(guard)],
    )

    @router.post(
        "/stock/{sku}/replenish",
        responses=problem_responses(404, 409),
        status_code=201,
        openapi_extra=route_tag(REPLENISH_STOCK),
    )
    async def replenish(
        sku: str,
        body: ReplenishBody,
        key: Annotated[str | None, Depends(optional_idempotency_key)],
        response: Response,
    ) -> ReceiptView:
        command = ReplenishStock(
            sku=sku, quantity=body.quantity, reference=body.reference, idempotency_key=key
        )
        try:
            receipt, level, added = await replenish_stock(sessions, outbox, command, clock=clock)
        except UnknownSkus as exc:
            raise Problem(
                404, "unknown-sku", "Unknown SKU", detail=str(exc), skus=exc.skus
            ) from exc
        except ReceiptConflict as exc:
            raise Problem(
                409,
                "idempotency-key-reused",
                "Idempotency-Key used for other goods",
                detail=str(exc),
                receipt_id=exc.receipt_id,
            ) from exc
        if not added:
            response.status_code = 200
        return ReceiptView.of(receipt, level)

    return router
