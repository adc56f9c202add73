"""The `work` process's subscription table: which events checkout consumes, and how.

    messaging.consumer(GROUP, subscriptions(outbox=Outbox(), clock=utc_now))   # bootstrap

Checkout is the order's front controller: it follows what fulfillment, inventory, payment
and communications did with each order into the status and timeline the customer reads,
and the order's returns (returns' requests and receipts, payment's refunds) onto its timeline.
The topics follow from the table; events of other types on them (StockReplenished) have
no handler and are skipped.
"""

from functools import partial

from shop_contracts import (
    BackorderDeclared,
    CustomerNotified,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentRefunded,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ReturnReceived,
    ReturnRequested,
    ShipmentCreated,
    ShipmentDispatchedV2,
)
from shop_contracts.saga_steps import TRACK_CANCELLATION, TRACK_ORDER, TRACK_ORDER_RETURN
from shop_contracts.sagas import performs
from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock

from checkout.application.progress import (
    record_backorder,
    record_capture,
    record_capture_failure,
    record_dispatch,
    record_notification,
    record_refund,
    record_reservation_commit,
    record_reservation_release,
    record_return_receipt,
    record_return_request,
    record_shipment,
    record_void,
)

GROUP = "checkout"


def subscriptions(*, outbox: Outbox, clock: Clock) -> Subscriptions:
    """`outbox` is unused: checkout's handlers publish nothing (the shape is every service's)."""
    return {
        BackorderDeclared: performs(TRACK_ORDER, partial(record_backorder, clock=clock)),
        ShipmentCreated: performs(TRACK_ORDER, partial(record_shipment, clock=clock)),
        ShipmentDispatchedV2: performs(TRACK_ORDER, partial(record_dispatch, clock=clock)),
        ReservationCommitted: performs(
            TRACK_ORDER, partial(record_reservation_commit, clock=clock)
        ),
        ReservationReleased: performs(
            TRACK_CANCELLATION, partial(record_reservation_release, clock=clock)
        ),
        PaymentCaptured: performs(TRACK_ORDER, partial(record_capture, clock=clock)),
        PaymentCaptureFailed: performs(TRACK_ORDER, partial(record_capture_failure, clock=clock)),
        PaymentVoided: performs(TRACK_CANCELLATION, partial(record_void, clock=clock)),
        CustomerNotified: performs(TRACK_ORDER, partial(record_notification, clock=clock)),
        ReturnRequested: performs(TRACK_ORDER_RETURN, partial(record_return_request, clock=clock)),
        ReturnReceived: performs(TRACK_ORDER_RETURN, partial(record_return_receipt, clock=clock)),
        PaymentRefunded: performs(TRACK_ORDER_RETURN, partial(record_refund, clock=clock)),
    }
