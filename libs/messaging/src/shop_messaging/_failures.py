"""Why a handler failed, and how long to wait before trying again.

A consumer runner asks `classify` about every exception a handler raises:

    TRANSIENT  the cause is outside the event (database unreachable, mail server down, a
               dependency timing out): pause the partition and retry for as long as it
               takes. Dead-lettering would only move a valid event out of order.
    PERMANENT  the event itself can never be handled (schema-invalid data, a handler's
               definite refusal): dead-letter it at once and move on.
    UNKNOWN    anything else (most likely a bug): a few retries, then the DLQ, whose
               automatic redrive tries again once a fix may have been deployed.

Handlers say which explicitly by raising `TransientFailure` or `PermanentFailure` (or
an exception type the service registers with the runner: `transient=(RetryLater,)`);
otherwise the exception's type, and the types of its causes, decide.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy.exc


class TransientFailure(Exception):
    """Raise from a handler: not now, but the event is fine; retry it until it succeeds."""


class PermanentFailure(Exception):
    """Raise from a handler: this event can never be handled; dead-letter it."""


class Failure(enum.Enum):
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    UNKNOWN = "unknown"


# PostgreSQL SQLSTATE classes that say "the server, not the statement": connection
# exceptions, rolled-back transactions (serialization failure, deadlock), insufficient
# resources, operator intervention (shutdown, starting up) and a lock not available.
_TRANSIENT_SQLSTATES = ("08", "40", "53", "57", "55P03")
# Data exceptions (a NUL byte, a value out of range): the same data fails every time.
_PERMANENT_SQLSTATES = ("22",)

_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    TransientFailure,
    OSError,  # connection refused or reset, TimeoutError, smtplib's errors
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # the connection pool ran dry
    sqlalchemy.exc.DisconnectionError,
)
_PERMANENT_TYPES: tuple[type[BaseException], ...] = (
    PermanentFailure,
    sqlalchemy.exc.DataError,
)


def classify(
    error: BaseException,
    *,
    transient: tuple[type[BaseException], ...] = (),
    permanent: tuple[type[BaseException], ...] = (),
) -> Failure:
    """The class of `error`, judged by it and then by each cause in its chain.

    classify(ConnectionRefusedError()) is Failure.TRANSIENT
    classify(MyRefusal(), permanent=(MyRefusal,)) is Failure.PERMANENT

    An explicit verdict wins over a type's: the service's own types first, then ours.
    """
    for link in _chain(error):
        if isinstance(link, (*permanent, PermanentFailure)):
            return Failure.PERMANENT
        if isinstance(link, (*transient, TransientFailure)):
            return Failure.TRANSIENT
    for link in _chain(error):
        if isinstance(link, sqlalchemy.exc.DBAPIError) and link.connection_invalidated:
            return Failure.TRANSIENT
        state = _sqlstate(link)
        if state is not None and state.startswith(_PERMANENT_SQLSTATES):
            return Failure.PERMANENT
        if state is not None and state.startswith(_TRANSIENT_SQLSTATES):
            return Failure.TRANSIENT
        if isinstance(link, _PERMANENT_TYPES):
            return Failure.PERMANENT
        if isinstance(link, _TRANSIENT_TYPES) or _is_transport_error(link):
            return Failure.TRANSIENT
    return Failure.UNKNOWN


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


def _sqlstate(error: BaseException) -> str | None:
    # asyncpg's errors carry `sqlstate`; SQLAlchemy's wrapper keeps the driver's in `orig`.
    for candidate in (error, getattr(error, "orig", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(state, str):
            return state
    return None


def _is_transport_error(error: BaseException) -> bool:
    # httpx's transport errors (timeouts, refused connections) and shop_http's
    # DependencyError family, recognised by name so this library imports neither.
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in type(error).__mro__}
    return bool(names & _TRANSPORT_ERRORS)


_TRANSPORT_ERRORS = frozenset(
    (
        "httpx.TransportError",
        "shop_http._errors.DependencyError",
    )
)


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff with "equal jitter": attempt n waits between half and
    all of min(cap, base * 2^(n-1)), so retries of many partitions do not march in step.

    Backoff(base=0.2, cap=10.0).delay(3)   # between 0.4 and 0.8 s
    """

    base: float = 0.2
    cap: float = 10.0

    def ceiling(self, attempt: int) -> float:
        exponent = min(max(attempt, 1) - 1, 62)  # no float overflow on a very long outage
        return float(min(self.cap, self.base * 2**exponent))

    def delay(self, attempt: int) -> float:
        ceiling = self.ceiling(attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)
