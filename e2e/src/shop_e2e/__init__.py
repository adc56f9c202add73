"""End-to-end tests of the shop as one system, through its public interfaces only.

    with deployment_from_env() as deployment:      # E2E_* URLs, or a fresh embedded stack
        async with Shop(deployment) as shop:
            order = await shop.place_order(...)
            await shop.wait_for(order["order_id"], status("COMPLETED"))

- `deployment`: where the shop runs (URLs, broker, mail sink) and, for an embedded stack
  started here, control of its processes (stop, start, SIGKILL).
- `shop`: a client of every public and admin HTTP API, the mail sink's Mailpit-style API
  and the broker's end offsets; waits print the order when they fail.

No service package is ever imported: what these tests prove, a customer could observe.
"""

from shop_e2e.deployment import Deployment, ProcessControl, deployment_from_env
from shop_e2e.shop import Shop, status

__all__ = ["Deployment", "ProcessControl", "Shop", "deployment_from_env", "status"]
