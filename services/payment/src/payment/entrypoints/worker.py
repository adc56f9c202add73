"""The `work` process's subscription table: what Payment consumes, as group `payment`.

Each event type maps to its handler; the topics follow from the table, so adding an event
here is the whole subscription change. The outbox relay (PaymentCaptured, PaymentVoided,
PaymentCaptureFailed, PaymentRefunded) and the consumer are `shop_messaging.MessagingWorker`
tasks, wired in `bootstrap.build_worker`.
"""

from functools import partial

from shop_contracts import OrderCancelled, ReturnReceived, ShipmentCreated
from shop_contracts.saga_steps import CAPTURE_PAYMENT, REFUND_RETURN, VOID_CANCELLED
from shop_contracts.sagas import performs
from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock

from payment.application.cancellation import void_cancelled_order
from payment.application.capture import capture_shipped_order
from payment.application.refunds import refund_received_return

GROUP = "payment"


def subscriptions(*, outbox: Outbox, clock: Clock) -> Subscriptions:
    return {
        ShipmentCreated: performs(
            CAPTURE_PAYMENT, partial(capture_shipped_order, outbox=outbox, clock=clock)
        ),
        OrderCancelled: performs(
            VOID_CANCELLED, partial(void_cancelled_order, outbox=outbox, clock=clock)
        ),
        ReturnReceived: performs(
            REFUND_RETURN, partial(refund_received_return, outbox=outbox, clock=clock)
        ),
    }
