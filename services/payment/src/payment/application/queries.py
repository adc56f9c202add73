"""Read-only queries behind the routes: one authorization, and reconciliation's pages."""

from shop_servicekit import Page, Window
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.adapters import refunds, repository
from payment.domain.authorizations import Authorization


async def find_authorization(
    sessions: async_sessionmaker[AsyncSession], authorization_id: str
) -> Authorization | None:
    async with sessions() as session:
        return await repository.get(session, authorization_id)


async def read_authorizations(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every attempt created in the window, DECLINED ones included, in keyset order."""
    async with sessions() as session:
        return await repository.authorizations_page(session, window)


async def read_refunds(sessions: async_sessionmaker[AsyncSession], window: Window) -> Page:
    """Every refund made in the window, in keyset order."""
    async with sessions() as session:
        return await refunds.refunds_page(session, window)
