"""Refunds of returned lines: on ReturnReceived, and reconciliation's repair of a received
return that was never refunded.

    await refund_received_return(session, event, outbox=outbox, clock=clock)   # consumer
    refund = await refund_return(sessions, outbox, RefundReturn(...), clock=clock)

One refund per return (idempotent on the return id, not only the event id), never more in
all than was captured: the authorization row is locked, so two returns of one order are
refunded one after the other against the same running total. PaymentRefunded announces it.
A refusal in the consumer (not captured, nothing left) is logged and left to
reconciliation, which compares received returns with refunds; retrying cannot change it.

The repair also mends a lost announcement: asked for a return it already refunded, it
answers that refund and writes its PaymentRefunded again (a new event id; every consumer
keys on the refund, so whoever had it changes nothing and whoever lost it catches up).
"""

import logging
from dataclasses import dataclass

from shop_contracts import CloudEvent, Money, PaymentRefunded, ReturnReceived
from shop_messaging import Outbox
from shop_servicekit import Clock, new_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from payment.adapters import refunds, repository
from payment.domain.refunds import NotRefundable, Refund, refundable

log = logging.getLogger(__name__)


class NoAuthorization(Exception):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} has no authorization to refund")
        self.order_id = order_id


@dataclass(frozen=True)
class RefundReturn:
    order_id: str
    return_id: str
    amount: int  # what the return asks back, in the authorization's currency


async def refund_received_return(
    session: AsyncSession, event: CloudEvent[ReturnReceived], *, outbox: Outbox, clock: Clock
) -> None:
    data = event.data
    command = RefundReturn(data.order_id, data.return_id, data.refund.amount)
    try:
        await _refund(session, outbox, command, clock=clock)
    except (NotRefundable, NoAuthorization) as refused:
        log.warning(
            "return %s of order %s not refunded: %s",
            data.return_id,
            data.order_id,
            refused,
            extra={"order_id": data.order_id},
        )


async def refund_return(
    sessions: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    command: RefundReturn,
    *,
    clock: Clock,
) -> Refund:
    """The return's refund, made now or earlier (then announced again), in a transaction of
    its own. Raises NotRefundable or NoAuthorization, having written nothing."""
    async with sessions.begin() as session:
        refund, made_now = await _refund(session, outbox, command, clock=clock)
        if not made_now:
            await outbox.add(session, _announcement(refund))
        return refund


async def _refund(
    session: AsyncSession, outbox: Outbox, command: RefundReturn, *, clock: Clock
) -> tuple[Refund, bool]:
    """The return's refund, and whether it was made now (False: refunded before)."""
    authorization = await repository.get_live_for_order(session, command.order_id, lock=True)
    if authorization is None:
        raise NoAuthorization(command.order_id)
    earlier = await refunds.for_return(session, command.return_id)
    if earlier is not None:
        log.info("return %s is already refunded", command.return_id)
        return earlier, False
    amount = refundable(
        authorization,
        asked=command.amount,
        refunded=await refunds.refunded_total(session, authorization.id),
    )
    refund = Refund(
        id=new_id("rfd"),
        authorization_id=authorization.id,
        order_id=command.order_id,
        return_id=command.return_id,
        amount=amount,
        currency=authorization.currency,
        created_at=clock(),
    )
    await refunds.add(session, refund)  # the authorization's lock makes it the only one
    await outbox.add(session, _announcement(refund))
    log.info(
        "refunded %s of %s for return %s",
        amount,
        authorization.id,
        command.return_id,
        extra={"order_id": command.order_id},
    )
    return refund, True


def _announcement(refund: Refund) -> PaymentRefunded:
    return PaymentRefunded(
        order_id=refund.order_id,
        authorization_id=refund.authorization_id,
        refund_id=refund.id,
        return_id=refund.return_id,
        amount=Money(amount=refund.amount, currency=refund.currency),
    )
