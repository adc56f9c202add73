"""The `work` process's subscription table: what Pricing consumes, as group `pricing`.

Nothing yet: prices change by migration, not by event. The function exists so every
service's worker has one shape; the first subscription added here also needs
shop_messaging's inbox migration, and `bootstrap.build_worker` then starts its consumer.
"""

from shop_messaging import Subscriptions

GROUP = "pricing"


def subscriptions() -> Subscriptions:
    return {}
