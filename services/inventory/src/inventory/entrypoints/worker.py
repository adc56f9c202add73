"""The `work` process's subscription table: what Inventory consumes, as group `inventory`.

Each event type maps to its handler; the topics follow from the table, so adding an event
here is the whole subscription change. The outbox relay, the consumer and the expiry sweep
(`shop_servicekit.periodic` over `application.expiry.expire_reservations`) are wired in
`bootstrap.build_worker`.
"""

from functools import partial

from shop_contracts import OrderCancelled, OrderConfirmedV2, ReturnReceived, ShipmentCreated
from shop_contracts.saga_steps import (
    COMMIT_RESERVATION,
    CONFIRM_HOLD,
    RELEASE_CANCELLED,
    RESTOCK_RETURN,
)
from shop_contracts.sagas import performs
from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock

from inventory.application.orders import (
    commit_reservation,
    confirm_reservation,
    release_cancelled_order,
)
from inventory.application.restocks import restock_received_return

GROUP = "inventory"


def subscriptions(*, outbox: Outbox, clock: Clock) -> Subscriptions:
    return {
        OrderConfirmedV2: performs(CONFIRM_HOLD, partial(confirm_reservation, clock=clock)),
        OrderCancelled: performs(
            RELEASE_CANCELLED, partial(release_cancelled_order, outbox=outbox, clock=clock)
        ),
        ShipmentCreated: performs(
            COMMIT_RESERVATION, partial(commit_reservation, outbox=outbox, clock=clock)
        ),
        ReturnReceived: performs(
            RESTOCK_RETURN, partial(restock_received_return, outbox=outbox, clock=clock)
        ),
    }
