"""The `work` process's subscription table: what Returns consumes, as group `returns`.

    messaging.consumer(GROUP, subscriptions(outbox=Outbox(), clock=utc_now))   # bootstrap

OrderConfirmed and ShipmentCreated build returns' own copy of what each order may send
back; ReturnRestocked and PaymentRefunded move a return to its end. Other events on those
topics have no handler and are skipped. The relay publishes ReturnRequested and
ReturnReceived.
"""

from functools import partial

from shop_contracts import OrderConfirmedV2, PaymentRefunded, ReturnRestocked, ShipmentCreated
from shop_contracts.saga_steps import LEARN_RETURNABLE, TRACK_RETURN
from shop_contracts.sagas import performs
from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock

from returns.application.events import learn_order, learn_shipment, record_refund, record_restock

GROUP = "returns"


def subscriptions(*, outbox: Outbox, clock: Clock) -> Subscriptions:
    """`outbox` is unused: the handlers publish nothing (the shape is every service's)."""
    return {
        OrderConfirmedV2: performs(LEARN_RETURNABLE, learn_order),
        ShipmentCreated: performs(LEARN_RETURNABLE, learn_shipment),
        ReturnRestocked: performs(TRACK_RETURN, partial(record_restock, clock=clock)),
        PaymentRefunded: performs(TRACK_RETURN, partial(record_refund, clock=clock)),
    }
