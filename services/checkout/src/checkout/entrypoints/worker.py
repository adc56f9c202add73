"""The `work` process's subscription table: which events checkout consumes, and how.

Checkout is the order's front controller: it follows what fulfillment, inventory, payment
and communications did with each order into the status and timeline the customer reads.
Events of other types on these topics (StockReplenished) have no handler and are skipped.
"""

from collections.abc import Mapping

from shop_contracts import (
    BackorderDeclared,
    CustomerNotified,
    Event,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ShipmentCreated,
    ShipmentDispatched,
    topics,
)
from shop_messaging import Handler

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

TOPICS = (topics.SHIPMENTS, topics.STOCK, topics.PAYMENTS, topics.NOTIFICATIONS)

SUBSCRIPTIONS: Mapping[type[Event], Handler] = {
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
