"""How a handler's exception is classified, and the retry backoff (pure logic)."""

import smtplib

import asyncpg
import httpx
import pytest
import sqlalchemy.exc
from shop_http import CircuitOpen, DependencyTimeout
from shop_messaging import Backoff, Failure, PermanentFailure, TransientFailure, classify


class NotNow(Exception):
    pass


class NeverThis(Exception):
    pass


def wrapped(cause: BaseException, outer: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as exc:
            raise outer from exc
    except BaseException as exc:
        return exc


def dbapi(orig: BaseException, **kw: bool) -> sqlalchemy.exc.DBAPIError:
    error = sqlalchemy.exc.DBAPIError("SELECT 1", None, orig, **kw)
    error.__cause__ = orig
    return error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "refused"),
        TimeoutError(),
        smtplib.SMTPServerDisconnected("gone"),
        sqlalchemy.exc.OperationalError("SELECT 1", None, Exception("down")),
        sqlalchemy.exc.TimeoutError("pool"),
        dbapi(asyncpg.exceptions.CannotConnectNowError("starting up")),
        dbapi(asyncpg.exceptions.SerializationError("40001")),
        dbapi(Exception("closed"), connection_invalidated=True),
        httpx.ConnectTimeout("slow"),
        CircuitOpen("inventory", retry_after=5),
        DependencyTimeout("payment"),
        TransientFailure("not now"),
        wrapped(ConnectionResetError(), RuntimeError("the mailer failed")),
    ],
    ids=lambda e: type(e).__name__,
)
def test_outages_are_transient(error: BaseException) -> None:
    assert classify(error) is Failure.TRANSIENT


@pytest.mark.parametrize(
    "error",
    [
        PermanentFailure("no such customer, ever"),
        sqlalchemy.exc.DataError("INSERT", None, Exception("bad")),
        dbapi(asyncpg.exceptions.CharacterNotInRepertoireError("NUL")),
        wrapped(OSError("refused"), PermanentFailure("refused for good")),
    ],
    ids=lambda e: type(e).__name__,
)
def test_invalid_data_and_refusals_are_permanent(error: BaseException) -> None:
    assert classify(error) is Failure.PERMANENT


@pytest.mark.parametrize(
    "error",
    [RuntimeError("a bug"), KeyError("x"), dbapi(asyncpg.exceptions.UniqueViolationError())],
    ids=lambda e: type(e).__name__,
)
def test_anything_else_is_unknown(error: BaseException) -> None:
    assert classify(error) is Failure.UNKNOWN


def test_a_service_registers_its_own_verdicts_and_they_win() -> None:
    assert classify(NotNow(), transient=(NotNow,)) is Failure.TRANSIENT
    assert classify(NeverThis(), permanent=(NeverThis,)) is Failure.PERMANENT
    # A registered "not now" raised because the database was unreachable is still "not now",
    # and a registered refusal caused by a connection error is still a refusal.
    assert classify(wrapped(OSError(), NeverThis()), permanent=(NeverThis,)) is Failure.PERMANENT
    assert classify(NotNow()) is Failure.UNKNOWN


def test_a_cause_chain_that_loops_ends() -> None:
    a, b = RuntimeError("a"), RuntimeError("b")
    a.__cause__, b.__cause__ = b, a
    assert classify(a) is Failure.UNKNOWN


def test_backoff_doubles_up_to_its_cap_with_jitter_within_half_of_it() -> None:
    backoff = Backoff(base=0.2, cap=5.0)
    assert [backoff.ceiling(n) for n in range(1, 7)] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0]
    assert backoff.ceiling(10_000) == 5.0  # a very long outage stays at the cap
    delays = [backoff.delay(3) for _ in range(200)]
    assert all(0.4 <= d <= 0.8 for d in delays)
    assert len(set(delays)) > 1
