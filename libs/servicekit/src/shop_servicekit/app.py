"""The app factory every service's API is built with.

    app = create_app(
        settings,
        title="Pricing",
        routers=[quotes_router(...), products_router(...)],
        checks={"database": db.ping, "broker": kafka_check(settings.kafka_bootstrap_servers)},
        registry=registry,
        on_shutdown=[db.dispose],
    )

It adds what every service has in common: problem+json errors (documented as such in the
OpenAPI document, shop_servicekit.openapi), a request body limit (413), 422 for control
characters in any input (shop_servicekit.control_characters), the correlation id
(shop_servicekit.correlation), HTTP metrics, fault injection, /health/live,
/health/ready, /metrics and /admin/faults (operator tokens only).
It builds nothing else: the service's bootstrap passes in what it owns, and what must be
closed when the server stops (`on_shutdown`, run in order: engines, clients, pools).
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import APIRouter, Depends, FastAPI
from prometheus_client import CollectorRegistry
from shop_telemetry import instrument_app

from shop_servicekit.auth import HEALTH, Authority
from shop_servicekit.body_limit import BodyLimitMiddleware
from shop_servicekit.control_characters import RejectControlCharacters
from shop_servicekit.correlation import CORRELATION_MIDDLEWARE_OPTIONS
from shop_servicekit.faults import FaultInjectionMiddleware, Faults, faults_router
from shop_servicekit.health import ReadinessCheck, health_router
from shop_servicekit.metrics import HttpMetrics, HttpMetricsMiddleware, metrics_router
from shop_servicekit.openapi import truthful_openapi
from shop_servicekit.problems import install_problem_handlers
from shop_servicekit.settings import ServiceSettings

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Iterable[APIRouter],
    checks: Mapping[str, ReadinessCheck],
    registry: CollectorRegistry,
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    **fastapi_kwargs: Any,
) -> FastAPI:
    app = FastAPI(title=title, lifespan=_closing(on_shutdown), **fastapi_kwargs)
    install_problem_handlers(app)

    faults = Faults(settings.fault_latency_ms, settings.fault_error_rate, settings.fault_refuse)
    app.state.faults = faults
    app.state.registry = registry

    # Added innermost first: context -> metrics -> body limit -> faults -> control
    # characters -> routes (the body limit caps what the control-character check buffers).
    app.add_middleware(RejectControlCharacters)
    app.add_middleware(FaultInjectionMiddleware, faults=faults)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(HttpMetricsMiddleware, metrics=HttpMetrics(registry))
    app.add_middleware(CorrelationIdMiddleware, **CORRELATION_MIDDLEWARE_OPTIONS)

    app.include_router(health_router(checks), dependencies=[Depends(HEALTH)])
    app.include_router(metrics_router(registry), dependencies=[Depends(HEALTH)])
    app.include_router(faults_router(faults, Authority.of(settings).operator()))
    for router in routers:
        app.include_router(router)
    instrument_app(app)
    truthful_openapi(app)
    return app


def _closing(on_shutdown: Sequence[Callable[[], Awaitable[None]]]) -> Lifespan:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        for close in on_shutdown:
            await close()

    return lifespan
