from collections.abc import Callable

import httpx
import pytest
from prometheus_client import CollectorRegistry
from shop_http import Dependency, DependencyMetrics

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def make_dependency(registry: CollectorRegistry) -> Callable[..., Dependency]:
    metrics = DependencyMetrics(registry)

    def make(
        handler: Handler,
        *,
        fail_max: int = 3,
        reset_timeout: float = 60.0,
        retries: int = 0,
        transport: httpx.AsyncBaseTransport | None = None,
        base_url: str = "http://dep",
    ) -> Dependency:
        client = httpx.AsyncClient(
            transport=transport or httpx.MockTransport(handler), base_url=base_url
        )
        return Dependency(
            "dep",
            client,
            fail_max=fail_max,
            reset_timeout=reset_timeout,
            retries=retries,
            metrics=metrics,
        )

    return make
