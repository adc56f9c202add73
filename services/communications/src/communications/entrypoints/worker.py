"""The `work` process's subscription table: what Communications consumes, as group
`communications`, and which handler each event runs.

One consumer for every topic: an order or shipment event waiting for its order's recipient
(`RecipientUnknown`, retried) pauses only its own partition, so the OrderContactShared
that brings the recipient (checkout.contacts, which only this group reads: ADR 0010) is
read meanwhile; so does an event waiting for the mail server.
"""

from functools import partial

from shop_contracts import (
    BackorderDeclared,
    OrderConfirmedV2,
    OrderContactShared,
    ReturnReceived,
    ShipmentCreated,
)
from shop_contracts.saga_steps import NOTIFY_CUSTOMER, NOTIFY_RETURN
from shop_contracts.sagas import performs
from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from communications.application.notify import notify_customer
from communications.application.order_events import (
    notify_backorder_declared,
    notify_order_confirmed,
    notify_shipment_created,
    remember_contact,
)
from communications.application.ports import Mailer
from communications.application.return_events import notify_return_received

GROUP = "communications"


def subscriptions(
    *,
    outbox: Outbox,
    clock: Clock,
    sessions: async_sessionmaker[AsyncSession],
    mailer: Mailer,
    mail_from: str,
) -> Subscriptions:
    """`sessions` is for the writes that outlive a handler's transaction (a FAILED attempt,
    a recipient); each handler runs in the consumer's own session."""
    notify = partial(
        notify_customer,
        sessions=sessions,
        mailer=mailer,
        outbox=outbox,
        mail_from=mail_from,
        clock=clock,
    )
    return {
        OrderContactShared: performs(NOTIFY_CUSTOMER, remember_contact),
        OrderConfirmedV2: performs(
            NOTIFY_CUSTOMER, partial(notify_order_confirmed, sessions=sessions, notify=notify)
        ),
        ShipmentCreated: performs(NOTIFY_CUSTOMER, partial(notify_shipment_created, notify=notify)),
        BackorderDeclared: performs(
            NOTIFY_CUSTOMER, partial(notify_backorder_declared, notify=notify)
        ),
        ReturnReceived: performs(NOTIFY_RETURN, partial(notify_return_received, notify=notify)),
    }
