"""The identities of the shop and where a client finds its signing key.

Services sign as their own name. `operator` is the people and tools that use admin routes
(faults, replenishment, reconciliation runs). `shop-identity` is the customer token issuer
(the development stand-in for an OIDC provider): its tokens have aud = `shop`, the public
API, and sub = the customer.

A client outside a service (the e2e suite, the demo, the benchmarks, the chaos run) signs
with `SHOP_<NAME>_KEY` (e.g. SHOP_OPERATOR_KEY, SHOP_SHOP_IDENTITY_KEY) when set, and with
the well-known development key otherwise: those clients only ever talk to a local stack or
to a deployment whose keys they were given.
"""

import os
from collections.abc import Mapping

from shop_auth.keys import PrivateKey, dev_key, private_key
from shop_auth.tokens import Minter

OPERATOR = "operator"
CUSTOMER_ISSUER = "shop-identity"
CUSTOMER_AUDIENCE = "shop"
SERVICES = (
    "checkout",
    "pricing",
    "returns",
    "inventory",
    "payment",
    "fulfillment",
    "communications",
    "reconciliation",
)
IDENTITIES = (*SERVICES, OPERATOR, CUSTOMER_ISSUER)


def env_name(identity: str) -> str:
    return f"SHOP_{identity.upper().replace('-', '_')}_KEY"


def client_key(identity: str, env: Mapping[str, str] | None = None) -> PrivateKey:
    env = os.environ if env is None else env
    text = env.get(env_name(identity))
    return private_key(text) if text else dev_key(identity)


def client_minter(identity: str, env: Mapping[str, str] | None = None) -> Minter:
    return Minter(identity, client_key(identity, env))


class CustomerIssuer:
    """Customer tokens as an identity provider would issue them after a login."""

    def __init__(self, minter: Minter, audience: str = CUSTOMER_AUDIENCE) -> None:
        self._minter = minter
        self._audience = audience

    def token(self, customer_id: str) -> str:
        return self._minter.token(self._audience, customer_id)

    def headers(self, customer_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(customer_id)}"}


def dev_customer_issuer(env: Mapping[str, str] | None = None) -> CustomerIssuer:
    return CustomerIssuer(client_minter(CUSTOMER_ISSUER, env))
