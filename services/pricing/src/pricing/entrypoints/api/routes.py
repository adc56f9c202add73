"""Thin routes: HTTP in, a use case called, HTTP out; domain errors become problems."""

from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi import APIRouter
from shop_servicekit import Problem
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pricing.adapters import catalog
from pricing.application.quotes import CreateQuote, create_quote
from pricing.domain.quotes import UnknownSkus, UnsupportedCountry, UnsupportedCurrency
from pricing.entrypoints.api.schemas import ProductList, ProductOut, QuoteOut, QuoteRequest


def pricing_router(
    sessions: async_sessionmaker[AsyncSession], *, quote_ttl: timedelta, now: Callable[[], datetime]
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["pricing"])

    @router.get("/products")
    async def products() -> ProductList:
        async with sessions() as session:
            rows = await catalog.list_products(session)
        return ProductList(products=[ProductOut.model_validate(row) for row in rows])

    @router.post("/quotes", status_code=201)
    async def quote(body: QuoteRequest) -> QuoteOut:
        command = CreateQuote(
            items=[(item.sku, item.quantity) for item in body.items],
            currency=body.currency,
            country=body.country,
        )
        try:
            created = await create_quote(sessions, command, ttl=quote_ttl, now=now)
        except UnknownSkus as exc:
            raise Problem(
                404, "unknown-sku", "Unknown SKU", detail=str(exc), skus=exc.skus
            ) from exc
        except UnsupportedCurrency as exc:
            raise Problem(
                422,
                "unsupported-currency",
                "Unsupported currency",
                detail=str(exc),
                currency=exc.currency,
            ) from exc
        except UnsupportedCountry as exc:
            raise Problem(
                422,
                "unsupported-country",
                "Unsupported destination",
                detail=str(exc),
                country=exc.country,
            ) from exc
        return QuoteOut.of(created)

    @router.get("/quotes/{quote_id}")
    async def get_quote(quote_id: str) -> QuoteOut:
        async with sessions() as session:
            found = await catalog.get_quote(session, quote_id)
        if found is None:
            raise Problem(404, "quote-not-found", "No such quote", quote_id=quote_id)
        return QuoteOut.of(found)

    return router
