"""The `work` process's subscription table: every topic -> coordination state, as group
`reconciliation`.

Every event that moves an order through COMPLETE_ORDER is observed; other types on these
topics (StockReplenished, ReservationReleased, PaymentVoided, ...) have no handler and are
skipped by the runner. The inbox makes a redelivery a no-op, and the coordination state
is indifferent to arrival order (domain/coordination.py). The job's schedule
(`shop_servicekit.periodic` over `application.triggers.reconcile_recent`) is wired in
`bootstrap.build_worker`.
"""

from functools import partial

from shop_contracts import EVENT_TYPES
from shop_contracts.saga_steps import OBSERVE
from shop_contracts.sagas import performs
from shop_messaging import Subscriptions
from shop_servicekit import Clock

from reconciliation.application.coordination import FACT_OF_EVENT_TYPE, observe_order_event

GROUP = "reconciliation"


def subscriptions(*, clock: Clock) -> Subscriptions:
    observe = partial(observe_order_event, clock=clock)
    return {EVENT_TYPES[type_]: performs(OBSERVE, observe) for type_ in FACT_OF_EVENT_TYPE}
