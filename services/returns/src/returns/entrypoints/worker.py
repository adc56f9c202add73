"""The `work` process's subscription table: what Returns consumes, as group `returns`.

Nothing yet. A subscription is one line: `SomeEvent: partial(handle_it, outbox=outbox,
clock=clock)`, a handler in application/ that takes the consumer's session and never
commits it; `bootstrap.build_worker` starts the consumer once the table is not empty.
"""

from shop_messaging import Outbox, Subscriptions
from shop_servicekit import Clock

GROUP = "returns"


def subscriptions(*, outbox: Outbox, clock: Clock) -> Subscriptions:
    return {}
