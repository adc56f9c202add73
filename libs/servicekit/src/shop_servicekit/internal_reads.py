"""Paged, time-windowed reads of a service's source of truth, for reconciliation.

    @router.get("/internal/v1/reservations")
    async def list_reservations(window: WindowDep) -> Page:
        async with sessions() as session:
            t = reservations
            return await read_page(session, select(t), t.c.created_at, t.c.id, window,
                                   render=reservation_item)

Every internal read (docs/reconciliation.md) takes `since`, `until`, `limit` and `cursor`
and answers `{"items": [...], "next_cursor": ...}`. Pages are keyset pages ordered by
(created_at, id): stable while rows are added, and as cheap on page 600 as on page 1.
The cursor is opaque to clients (base64 of the last row's key).
"""

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from shop_servicekit.problems import Problem

MAX_PAGE = 1000


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime | None
    limit: int
    after: tuple[datetime, str] | None


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created), str(key)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise Problem(422, "invalid-cursor", "The cursor is not one this service issued") from exc


def _encode_cursor(created: datetime, key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created.isoformat(), key]).encode()).decode()


async def window(
    since: AwareDatetime,
    until: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Window:
    if until is not None and until <= since:
        raise Problem(422, "invalid-window", "`until` must be after `since`")
    return Window(since, until, limit, _decode_cursor(cursor) if cursor else None)


WindowDep = Annotated[Window, Depends(window)]


async def read_page(
    session: AsyncSession,
    query: Select[Any],
    created_at: ColumnElement[datetime],
    key: ColumnElement[str],
    window: Window,
    *,
    render: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> Page:
    """One page of `query`'s rows created in the window, after the cursor, in key order."""
    query = query.where(created_at >= window.since)
    if window.until is not None:
        query = query.where(created_at < window.until)
    if window.after is not None:
        query = query.where(tuple_(created_at, key) > tuple_(*window.after))
    rows = (
        (await session.execute(query.order_by(created_at, key).limit(window.limit + 1)))
        .mappings()
        .all()
    )
    more = len(rows) > window.limit
    rows = rows[: window.limit]
    last = rows[-1] if more else None
    next_cursor = (
        _encode_cursor(last[created_at.key], str(last[key.key])) if last is not None else None
    )
    return Page(items=[render(row) for row in rows], next_cursor=next_cursor)
