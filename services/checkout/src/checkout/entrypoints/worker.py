"""The `work` process's subscription table: which events checkout consumes, and how.

Checkout is the order's front controller: it follows what fulfillment, inventory, payment
and communications did with each order into the status and timeline the customer reads.
Events of other types on these topics (StockReplenished) have no handler and are skipped.
"""

from shop_contracts import (
    BackorderDeclared,
    CustomerNotified,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ShipmentCreated,
    ShipmentDispatched,
)
from shop_messaging import Subscriptions

from checkout.application.progress import (
    record_backorder,
    record_capture,
    record_capture_failure,
    record_dispatch,
    record_notification,
    record_reservation_commit,
    record_reservation_release,
    record_shipment,
    record_void,
)

GROUP_ID = "checkout"

SUBSCRIPTIONS: Subscriptions = {
    BackorderDeclared: record_backorder,
    ShipmentCreated: record_shipment,
    ShipmentDispatched: record_dispatch,
    ReservationCommitted: record_reservation_commit,
    ReservationReleased: record_reservation_release,
    PaymentCaptured: record_capture,
    PaymentCaptureFailed: record_capture_failure,
    PaymentVoided: record_void,
    CustomerNotified: record_notification,
}
