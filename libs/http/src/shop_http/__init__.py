"""The resilient client every service-to-service call goes through (docs/architecture.md,
"Calls between services" and "Known traps").

    from shop_http import Budget, Dependency, DependencyMetrics

    metrics = DependencyMetrics(registry)                  # once per app registry
    payment = Dependency(
        "payment", httpx.AsyncClient(base_url=settings.payment_url),
        fail_max=5, reset_timeout=10.0, retries=2, metrics=metrics,
    )
    budget = Budget(2.0)                                   # one per checkout
    response = await payment.request(
        "POST", "/v1/authorizations", json=body, budget=budget, idempotent=True
    )
    if response.status_code == 402: ...                    # 4xx: the caller maps it

What it guarantees: one budget shared by every call (each call's timeout is the smaller of
its own limit and what is left, enforced with `asyncio.timeout`, and the rest is sent as
`X-Budget-Remaining-Ms`); the correlation id in force forwarded as `X-Correlation-Id`;
one breaker per dependency (an open one fails at once with no
request; half-open lets one probe through; cancellation is never counted; 5xx, transport
errors and timeouts count, 4xx do not); retries only for idempotent calls, bounded, jittered,
never past the budget. State changes are logged and exported as metrics.

Exceptions (httpx's never escape):

    DependencyError(dependency)                the call produced no usable response
     +-- DependencyUnavailable(dependency, reason, retry_after)
     |    |                                    connect error, 5xx, an attempt's own time limit
     |    +-- CircuitOpen(dependency, retry_after)
     |                                         breaker open or probe in flight: nothing sent
     +-- DependencyTimeout(dependency)         the budget ran out

Responses with a 4xx status are returned, not raised: they are answers the caller maps.
"""

from ._breaker import Breaker
from ._budget import BUDGET_HEADER, Budget
from ._client import CORRELATION_HEADER, Dependency
from ._errors import CircuitOpen, DependencyError, DependencyTimeout, DependencyUnavailable
from ._metrics import DependencyMetrics

__all__ = [
    "BUDGET_HEADER",
    "CORRELATION_HEADER",
    "Breaker",
    "Budget",
    "CircuitOpen",
    "Dependency",
    "DependencyError",
    "DependencyMetrics",
    "DependencyTimeout",
    "DependencyUnavailable",
]
