"""Thin routes: HTTP in, an application function called, HTTP out; domain errors become
problems. Routes never open a session: the use cases and queries own their transactions."""

from datetime import timedelta

from fastapi import APIRouter, Depends
from shop_contracts.saga_steps import QUOTE_PRICES
from shop_contracts.sagas import route_tag
from shop_servicekit import PUBLIC, Authority, Clock, Problem, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pricing.application.products import list_products
from pricing.application.quotes import CreateQuote, create_quote, find_quote
from pricing.domain.quotes import UnknownSkus, UnsupportedCountry, UnsupportedCurrency
from pricing.entrypoints.api.schemas import ProductListView, ProductView, QuoteBody, QuoteView


def pricing_router(
    sessions: async_sessionmaker[AsyncSession],
    *,
    quote_ttl: timedelta,
    clock: Clock,
    auth: Authority,
) -> APIRouter:
    quoting = auth.services("checkout")  # quotes are checkout's; the catalogue is public
    router = APIRouter(prefix="/v1", tags=["pricing"])

    @router.get("/products", dependencies=[Depends(PUBLIC)])
    async def get_products() -> ProductListView:
        products = await list_products(sessions)
        return ProductListView(products=[ProductView.of(product) for product in products])

    @router.post(
        "/quotes",
        status_code=201,
        responses=problem_responses(404),
        openapi_extra=route_tag(QUOTE_PRICES),
        dependencies=[Depends(quoting)],
    )
    async def post_quote(body: QuoteBody) -> QuoteView:
        command = CreateQuote(
            items=[(item.sku, item.quantity) for item in body.items],
            currency=body.currency,
            country=body.country,
        )
        try:
            created = await create_quote(sessions, command, ttl=quote_ttl, clock=clock)
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
        return QuoteView.of(created)

    @router.get(
        "/quotes/{quote_id}",
        responses=problem_responses(404),
        dependencies=[Depends(quoting)],
    )
    async def get_quote(quote_id: str) -> QuoteView:
        found = await find_quote(sessions, quote_id)
        if found is None:
            raise Problem(404, "quote-not-found", "No such quote", quote_id=quote_id)
        return QuoteView.of(found)

    return router
