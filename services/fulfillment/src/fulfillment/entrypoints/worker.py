"""The `work` process's subscription table: what Fulfillment consumes, as group `fulfillment`.

Each event type maps to its handler; the topics follow from the table, so adding an event
here is the whole subscription change. The outbox relay, the consumer and the dispatch task
(`shop_servicekit.periodic` over `application.dispatch.dispatch_shipments`) are wired in
`bootstrap.build_worker`.
"""

from functools import partial

from shop_contracts import OrderCancelled, OrderConfirmedV2, StockReplenished
from shop_contracts.saga_steps import ALLOCATE_ORDER, CANCEL_BACKORDER, RECEIVE_STOCK
from shop_contracts.sagas import performs
from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock

from fulfillment.application.allocation import allocate_order
from fulfillment.application.cancellation import cancel_backorder
from fulfillment.application.replenishment import receive_stock

GROUP = "fulfillment"


def subscriptions(*, outbox: Outbox, clock: Clock, receiving_warehouse_id: str) -> Subscriptions:
    return {
        OrderConfirmedV2: performs(
            ALLOCATE_ORDER, partial(allocate_order, outbox=outbox, clock=clock)
        ),
        OrderCancelled: performs(CANCEL_BACKORDER, partial(cancel_backorder, clock=clock)),
        StockReplenished: performs(
            RECEIVE_STOCK,
            partial(receive_stock, outbox=outbox, warehouse_id=receiving_warehouse_id, clock=clock),
        ),
    }
