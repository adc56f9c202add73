"""The `work` process's subscription table: what Communications consumes, as group
`communications`, and which handler each event runs.

One consumer per topic, all in the one group: a shipment event waiting (retried in place)
for its order's recipient must not hold up the OrderConfirmed that brings it, which a
single consumer of both topics would only read after giving up.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial

from shop_contracts import BackorderDeclared, Event, OrderConfirmed, ShipmentCreated
from shop_messaging import Handler, Outbox

from communications.application.notify import notify_customer
from communications.application.order_events import (
    notify_backorder_declared,
    notify_order_confirmed,
    notify_shipment_created,
)
from communications.application.ports import Mailer, RecordFailure, RememberRecipient

GROUP = "communications"


def subscriptions(
    outbox: Outbox,
    *,
    mailer: Mailer,
    mail_from: str,
    now: Callable[[], datetime],
    record_failure: RecordFailure,
    remember_recipient: RememberRecipient,
) -> dict[type[Event], Handler]:
    notify = partial(
        notify_customer,
        mailer=mailer,
        outbox=outbox,
        mail_from=mail_from,
        now=now,
        record_failure=record_failure,
    )
    return {
        OrderConfirmed: partial(
            notify_order_confirmed, notify=notify, remember_recipient=remember_recipient
        ),
        ShipmentCreated: partial(notify_shipment_created, notify=notify),
        BackorderDeclared: partial(notify_backorder_declared, notify=notify),
    }


def by_topic(table: Mapping[type[Event], Handler]) -> dict[str, dict[type[Event], Handler]]:
    """The table split into one table per topic (one consumer each)."""
    split: dict[str, dict[type[Event], Handler]] = {}
    for event_type, handler in table.items():
        split.setdefault(event_type.topic, {})[event_type] = handler
    return split
