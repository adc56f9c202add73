"""schemathesis hooks (SCHEMATHESIS_HOOKS=shop_e2e.fuzz_auth): every generated call carries
the credential its route admits, as the shop's own tools send it (shop_auth.harness), so
the fuzzer reaches the routes' logic instead of stopping at 401.

The caller is the first one the operation's documented security admits (else the
harness's choice). The service being fuzzed comes from SHOP_FUZZ_SERVICE (set per run by
shop_e2e.fuzz). A
customer call goes out as the body's `customer.id` when it has one (a mismatch would only
test the 403), otherwise as one fuzzing customer.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from shop_auth.harness import identity_for
from shop_auth.identities import CUSTOMER_ISSUER, client_minter, dev_customer_issuer
from shop_auth.tokens import Minter

SERVICE = os.environ.get("SHOP_FUZZ_SERVICE", "")
FUZZ_CUSTOMER = "cus_fuzz"

_customers = dev_customer_issuer()
_minters: dict[str, Minter] = {}


@schemathesis.auth()
class RouteCredentials:
    def get(self, case: Any, ctx: Any) -> str:
        return SERVICE  # nothing to fetch: tokens are minted per call in `set`

    def set(self, case: Any, data: str, ctx: Any) -> None:
        operation = ctx.operation
        identity = _admitted(operation) or identity_for(
            data, operation.method.upper(), operation.path
        )
        if identity == CUSTOMER_ISSUER:
            token = _customers.token(_customer_of(case.body))
        else:
            if identity not in _minters:
                _minters[identity] = client_minter(identity)
            token = _minters[identity].token(data)
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def _admitted(operation: Any) -> str | None:
    """The first caller the operation's documented security admits: its schemes are named
    `<kind>.<identity>` (service.checkout, operator.operator, customer.shop-identity)."""
    for requirement in operation.definition.raw.get("security") or ():
        for scheme in requirement:
            kind, _, identity = scheme.partition(".")
            if kind == "customer":
                return CUSTOMER_ISSUER
            if identity:
                return str(identity)
    return None


def _customer_of(body: Any) -> str:
    customer = body.get("customer") if isinstance(body, dict) else None
    if isinstance(customer, dict) and isinstance(customer.get("id"), str) and customer["id"]:
        return str(customer["id"])
    return FUZZ_CUSTOMER
