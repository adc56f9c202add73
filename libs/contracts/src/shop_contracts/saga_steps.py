"""The participation catalogue: every step of every saga (types in `shop_contracts.sagas`).

A step named here is tagged where it is performed (a subscription entry or a route); a test
fails when a subscription or a coordinated route has no step, or a step has no tag.
The COMPLETE_ORDER deadlines are reconciliation's defaults for judging a step late.
"""

from __future__ import annotations

from datetime import timedelta

from ._events import (
    BackorderDeclared,
    CustomerNotified,
    OrderCancelled,
    OrderConfirmedV2,
    OrderContactShared,
    PaymentCaptured,
    PaymentCaptureFailed,
    PaymentRefunded,
    PaymentVoided,
    ReservationCommitted,
    ReservationReleased,
    ReturnReceived,
    ReturnRequested,
    ReturnRestocked,
    ShipmentCreated,
    ShipmentDispatchedV2,
    StockReplenished,
)
from .sagas import Route, Saga, SagaStep, Schedule

_MOMENT = timedelta(seconds=2)  # checkout's one budget for price, hold and authorization
_UNDO = timedelta(seconds=3)  # compensation's own budget (checkout_compensation_budget_ms)
_SOON = timedelta(seconds=60)
_LATER = timedelta(seconds=120)
_REPAIR = timedelta(seconds=10)  # reconciliation's repair call timeout

# Positional fields, one step per block: SagaStep(saga, name, service, triggers, emits,
# deadline, summary).
# fmt: off

# -- CHECKOUT_MOMENT: orchestrated by checkout inside POST /v1/checkouts ------------------

PLACE_ORDER = SagaStep(
    Saga.CHECKOUT_MOMENT, "place_order", "checkout", (Route("POST", "/v1/checkouts"),),
    (OrderConfirmedV2, OrderContactShared), _MOMENT,
    "claim the key, call the three below, confirm or refuse",
)
QUOTE_PRICES = SagaStep(
    Saga.CHECKOUT_MOMENT, "quote_prices", "pricing", (Route("POST", "/v1/quotes"),),
    (), _MOMENT, "price the lines",
)
HOLD_STOCK = SagaStep(
    Saga.CHECKOUT_MOMENT, "hold_stock", "inventory", (Route("POST", "/v1/reservations"),),
    (), _MOMENT, "reserve every line, with a TTL",
)
AUTHORIZE_PAYMENT = SagaStep(
    Saga.CHECKOUT_MOMENT, "authorize_payment", "payment", (Route("POST", "/v1/authorizations"),),
    (), _MOMENT, "authorize the total",
)
RELEASE_HOLD = SagaStep(
    Saga.CHECKOUT_MOMENT, "release_hold", "inventory",
    (Route("DELETE", "/v1/reservations/{reservation_id}"),),
    (ReservationReleased,), _UNDO, "compensation: give the held stock back",
)
VOID_AUTHORIZATION = SagaStep(
    Saga.CHECKOUT_MOMENT, "void_authorization", "payment",
    (Route("POST", "/v1/authorizations/{authorization_id}/void"),
     Route("POST", "/v1/authorizations/by-order/{order_id}/void")),
    (PaymentVoided,), _UNDO, "compensation: void the authorization",
)

CONFIRM_ORDER_HOLD = SagaStep(
    Saga.CHECKOUT_MOMENT, "confirm_order_hold", "inventory",
    (Route("POST", "/v1/reservations/by-order/{order_id}/confirm"),),
    (), _UNDO, "checkout's own call after storing the order: the hold no longer expires",
)

# -- COMPLETE_ORDER: choreography from OrderConfirmed ------------------------------------

CONFIRM_HOLD = SagaStep(
    Saga.COMPLETE_ORDER, "confirm_hold", "inventory", (OrderConfirmedV2,),
    (), _SOON, "the hold no longer expires",
)
ALLOCATE_ORDER = SagaStep(
    Saga.COMPLETE_ORDER, "allocation", "fulfillment", (OrderConfirmedV2,),
    (ShipmentCreated, BackorderDeclared), _SOON, "pick a warehouse, or backorder",
)
COMMIT_RESERVATION = SagaStep(
    Saga.COMPLETE_ORDER, "reservation_commit", "inventory", (ShipmentCreated,),
    (ReservationCommitted,), _LATER, "the held stock leaves on hand",
)
CAPTURE_PAYMENT = SagaStep(
    Saga.COMPLETE_ORDER, "payment_capture", "payment", (ShipmentCreated,),
    (PaymentCaptured, PaymentCaptureFailed), _LATER, "capture what was authorized",
)
NOTIFY_CUSTOMER = SagaStep(
    Saga.COMPLETE_ORDER, "customer_notification", "communications",
    (OrderContactShared, OrderConfirmedV2, ShipmentCreated, BackorderDeclared),
    (CustomerNotified,), _SOON, "mail the customer once per fact",
)
DISPATCH_SHIPMENT = SagaStep(
    Saga.COMPLETE_ORDER, "dispatch", "fulfillment", (Schedule("dispatch_shipments"),),
    (ShipmentDispatchedV2,), _LATER, "hand created shipments to a carrier",
)
TRACK_ORDER = SagaStep(
    Saga.COMPLETE_ORDER, "track_order", "checkout",
    (ShipmentCreated, BackorderDeclared, ShipmentDispatchedV2, ReservationCommitted,
     PaymentCaptured, PaymentCaptureFailed, CustomerNotified),
    (), _SOON, "the order's status and timeline, as the front controller",
)

# -- RELEASE_BACKORDER ---------------------------------------------------------------------

REPLENISH_STOCK = SagaStep(
    Saga.RELEASE_BACKORDER, "replenish", "inventory",
    (Route("POST", "/v1/stock/{sku}/replenish"),),
    (StockReplenished,), _REPAIR, "stock arrives (an operator's call)",
)
RECEIVE_STOCK = SagaStep(
    Saga.RELEASE_BACKORDER, "receive_stock", "fulfillment", (StockReplenished,),
    (ShipmentCreated,), _SOON, "release the backorders the stock now covers",
)

# -- CANCEL_ORDER --------------------------------------------------------------------------

CANCEL = SagaStep(
    Saga.CANCEL_ORDER, "cancel", "checkout", (Route("POST", "/v1/orders/{order_id}/cancel"),),
    (OrderCancelled,), _MOMENT, "refuse if shipped, else cancel",
)
RELEASE_CANCELLED = SagaStep(
    Saga.CANCEL_ORDER, "release_stock", "inventory", (OrderCancelled,),
    (ReservationReleased,), _SOON, "release the order's hold",
)
VOID_CANCELLED = SagaStep(
    Saga.CANCEL_ORDER, "void_payment", "payment", (OrderCancelled,),
    (PaymentVoided,), _SOON, "void the order's authorization",
)
CANCEL_BACKORDER = SagaStep(
    Saga.CANCEL_ORDER, "cancel_backorder", "fulfillment", (OrderCancelled,),
    (), _SOON, "stop waiting for stock",
)
TRACK_CANCELLATION = SagaStep(
    Saga.CANCEL_ORDER, "track_cancellation", "checkout",
    (ReservationReleased, PaymentVoided),
    (), _SOON, "the undo shows on the order's timeline",
)

# -- REPAIR_DRIFT --------------------------------------------------------------------------

OBSERVE = SagaStep(
    Saga.REPAIR_DRIFT, "observe", "reconciliation",
    (OrderConfirmedV2, ShipmentCreated, BackorderDeclared, ReservationCommitted,
     PaymentCaptured, CustomerNotified, OrderCancelled),
    (), _SOON, "each order's coordination state, to find late steps",
)
RECONCILE = SagaStep(
    Saga.REPAIR_DRIFT, "reconcile", "reconciliation",
    (Route("POST", "/v1/reconciliation/runs"), Schedule("reconcile_recent")),
    (), timedelta(minutes=5), "read every source of truth, compare, repair",
)
REPUBLISH_ORDER = SagaStep(
    Saga.REPAIR_DRIFT, "republish_order", "checkout",
    (Route("POST", "/internal/v1/orders/{order_id}/republish"),),
    (OrderConfirmedV2, OrderContactShared, OrderCancelled), _REPAIR,
    "publish a lost order event again",
)
RECORD_FACTS = SagaStep(
    Saga.REPAIR_DRIFT, "record_facts", "checkout",
    (Route("POST", "/internal/v1/orders/{order_id}/facts"),),
    (), _REPAIR, "bring the order's status up to what other services hold",
)
RELEASE_ORPHAN = SagaStep(
    Saga.REPAIR_DRIFT, "release_orphan_hold", "inventory",
    (Route("POST", "/v1/reservations/by-order/{order_id}/release"),),
    (ReservationReleased,), _REPAIR, "release a hold no order owns (also checkout's undo)",
)
COMMIT_BY_ORDER = SagaStep(
    Saga.REPAIR_DRIFT, "commit_reservation", "inventory",
    (Route("POST", "/internal/v1/reservations/by-order/{order_id}/commit"),),
    (ReservationCommitted,), _REPAIR, "commit the hold of a shipped order",
)
REHOLD_BY_ORDER = SagaStep(
    Saga.REPAIR_DRIFT, "rehold_reservation", "inventory",
    (Route("POST", "/internal/v1/reservations/by-order/{order_id}/rehold"),),
    (), _REPAIR, "hold the stock again for a confirmed order whose hold ended",
)
CAPTURE_BY_ORDER = SagaStep(
    Saga.REPAIR_DRIFT, "capture_payment", "payment",
    (Route("POST", "/internal/v1/authorizations/by-order/{order_id}/capture"),),
    (PaymentCaptured,), _REPAIR, "capture for a shipped order",
)
RESEND_NOTIFICATION = SagaStep(
    Saga.REPAIR_DRIFT, "resend_notification", "communications",
    (Route("POST", "/internal/v1/notifications/resend"),),
    (CustomerNotified,), _REPAIR, "mail a fact the customer never got",
)

REFUND_BY_RETURN = SagaStep(
    Saga.REPAIR_DRIFT, "refund_received_return", "payment",
    (Route("POST", "/internal/v1/refunds"),),
    (PaymentRefunded,), _REPAIR, "refund a received return whose ReturnReceived was lost",
)
RESTOCK_BY_RETURN = SagaStep(
    Saga.REPAIR_DRIFT, "restock_refunded_return", "inventory",
    (Route("POST", "/internal/v1/restocks"),),
    (ReturnRestocked,), _REPAIR, "put a refunded return's units back on hand",
)

# -- RETURN_ORDER --------------------------------------------------------------------------

LEARN_RETURNABLE = SagaStep(
    Saga.RETURN_ORDER, "learn_returnable", "returns", (OrderConfirmedV2, ShipmentCreated),
    (), _SOON, "returns' own copy of what each order bought and what shipped",
)
REQUEST_RETURN = SagaStep(
    Saga.RETURN_ORDER, "request_return", "returns", (Route("POST", "/v1/returns"),),
    (ReturnRequested,), _MOMENT, "the owner asks to return shipped lines, within the window",
)
RECEIVE_RETURN = SagaStep(
    Saga.RETURN_ORDER, "receive_return", "returns",
    (Route("POST", "/v1/returns/{return_id}/receive"),),
    (ReturnReceived,), _REPAIR, "the warehouse has the units back (an operator's call)",
)
RESTOCK_RETURN = SagaStep(
    Saga.RETURN_ORDER, "restock_return", "inventory", (ReturnReceived,),
    (ReturnRestocked, StockReplenished), _SOON,
    "the returned units are on hand again (and can release backorders)",
)
REFUND_RETURN = SagaStep(
    Saga.RETURN_ORDER, "refund_return", "payment", (ReturnReceived,),
    (PaymentRefunded,), _SOON, "refund the lines' share, never more than captured",
)
NOTIFY_RETURN = SagaStep(
    Saga.RETURN_ORDER, "return_notification", "communications", (ReturnReceived,),
    (CustomerNotified,), _SOON, "mail the customer that the return arrived",
)
TRACK_RETURN = SagaStep(
    Saga.RETURN_ORDER, "track_return", "returns", (ReturnRestocked, PaymentRefunded),
    (), _SOON, "the return's status (REFUNDED) and timeline",
)
TRACK_ORDER_RETURN = SagaStep(
    Saga.RETURN_ORDER, "track_order_return", "checkout",
    (ReturnRequested, ReturnReceived, PaymentRefunded),
    (), _SOON, "the return shows on the order's timeline",
)

STEPS: tuple[SagaStep, ...] = (
    PLACE_ORDER, QUOTE_PRICES, HOLD_STOCK, AUTHORIZE_PAYMENT, RELEASE_HOLD, VOID_AUTHORIZATION,
    CONFIRM_ORDER_HOLD,
    CONFIRM_HOLD, ALLOCATE_ORDER, COMMIT_RESERVATION, CAPTURE_PAYMENT, NOTIFY_CUSTOMER,
    DISPATCH_SHIPMENT, TRACK_ORDER,
    REPLENISH_STOCK, RECEIVE_STOCK,
    CANCEL, RELEASE_CANCELLED, VOID_CANCELLED, CANCEL_BACKORDER, TRACK_CANCELLATION,
    OBSERVE, RECONCILE, REPUBLISH_ORDER, RECORD_FACTS, RELEASE_ORPHAN, COMMIT_BY_ORDER,
    REHOLD_BY_ORDER, CAPTURE_BY_ORDER, RESEND_NOTIFICATION, REFUND_BY_RETURN, RESTOCK_BY_RETURN,
    LEARN_RETURNABLE, REQUEST_RETURN, RECEIVE_RETURN, RESTOCK_RETURN, REFUND_RETURN,
    NOTIFY_RETURN, TRACK_RETURN, TRACK_ORDER_RETURN,
)
# fmt: on
"""Every step of every saga, in saga order."""
