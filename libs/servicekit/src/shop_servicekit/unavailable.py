"""Is this exception "our database is unreachable"? Then the answer is 503, not 500.

A request that fails because PostgreSQL is down, restarting or out of connections, or
because its host name does not resolve right now (a stopped compose container's name leaves
Docker's DNS; a DNS outage), did nothing wrong and changed nothing (its transaction never
committed): the client should retry later, which a 503 with Retry-After says. Everything
else unexpected stays a 500.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import sqlalchemy.exc

# SQLSTATE classes of "the server, not the statement": connection exceptions, insufficient
# resources, operator intervention (shutting down, starting up).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")

_UNAVAILABLE_TYPES: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused or reset while connecting or mid-statement
    socket.gaierror,  # the host name did not resolve (SQLAlchemy passes it on unwrapped)
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # the pool had no connection to give in time
)


def database_unavailable(error: BaseException) -> bool:
    """True when `error`, or any exception in its cause chain, says the database could not
    be reached or is not accepting work right now."""
    for link in _chain(error):
        if isinstance(link, sqlalchemy.exc.DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, _UNAVAILABLE_TYPES):
            return True
        state = _sqlstate(link)
        if state is not None and state.startswith(_UNAVAILABLE_SQLSTATES):
            return True
    return False


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


def _sqlstate(error: BaseException) -> str | None:
    for candidate in (error, getattr(error, "orig", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(state, str):
            return state
    return None
