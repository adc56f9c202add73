"""OpenTelemetry tracing, configured the standard way: by the `OTEL_*` environment variables.

    configure_tracing(service="checkout", role="serve")

- `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns export on;
  `OTEL_EXPORTER_OTLP_PROTOCOL` (or `..._TRACES_PROTOCOL`) is `http/protobuf` (default) or
  `grpc`; headers, timeout and compression follow the exporter's own `OTEL_EXPORTER_OTLP_*`.
- `service.name` is the service (`checkout`), the same for its `serve` and `work`
  processes; `shop.process.role` says which. `OTEL_SERVICE_NAME` and
  `OTEL_RESOURCE_ATTRIBUTES` override or add to both.
- `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` choose the sampler (default
  parent-based, always on); `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true` turn
  export off.

Without an exporter nothing would ever read a span, so none is recorded: the sampler drops
every span, yet each still gets its trace and span ids, so trace ids appear in logs and
traceparent headers flow across HTTP and Kafka at almost no cost; the spans that only
matter when exported (outbox, relay, database) are not even started (`exporting()`).
"""

import os

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.environment_variables import OTEL_TRACES_EXPORTER
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.environment_variables import (
    OTEL_EXPORTER_OTLP_ENDPOINT,
    OTEL_EXPORTER_OTLP_PROTOCOL,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL,
    OTEL_SDK_DISABLED,
    OTEL_TRACES_SAMPLER,
)
from opentelemetry.sdk.resources import OTELResourceDetector, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

_HEALTH_AND_METRICS = "health/.*,metrics"
ROLE_ATTRIBUTE = "shop.process.role"
"""The resource attribute naming the process's role: `serve` (HTTP API) or `work`."""

_exporting = False


class UnsupportedProtocol(ValueError):
    """`OTEL_EXPORTER_OTLP_PROTOCOL` names a protocol the Python exporters lack."""


def exporting() -> bool:
    """True when this process exports spans: only then are the optional spans started.

    if exporting():
        with tracer.start_as_current_span("checkout.orders publish"): ...
    """
    return _exporting


def configure_tracing(*, service: str, role: str | None = None) -> TracerProvider:
    """Install the process-wide tracer provider (call once, at process start, before any
    database engine is created: the SQLAlchemy instrumentation hooks engine creation).

    configure_tracing(service="checkout", role="work")
    """
    global _exporting
    provider = tracer_provider(service=service, role=role)
    trace.set_tracer_provider(provider)
    _exporting = export_enabled()
    if _exporting:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        # Its declared range stops below SQLAlchemy 2.1; the engine events it hooks are
        # unchanged there, and e2e/tests/test_traces.py asserts the SQL spans arrive.
        SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    return provider


def export_enabled() -> bool:
    """Whether the environment asks for spans to be exported (an OTLP endpoint is set)."""
    env = os.environ
    if env.get(OTEL_SDK_DISABLED, "").strip().lower() == "true":
        return False
    if env.get(OTEL_TRACES_EXPORTER, "otlp").strip().lower() != "otlp":
        return False  # `none`, or an exporter this project does not ship
    return bool(env.get(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or env.get(OTEL_EXPORTER_OTLP_ENDPOINT))


def resource_of(service: str, role: str | None) -> Resource:
    """`service.name` and the role, overridden by OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES."""
    defaults: dict[str, str] = {"service.name": service, "service.namespace": "shop"}
    if role:
        defaults[ROLE_ATTRIBUTE] = role
    # Resource.create lets code win over the environment; the standard wants the opposite.
    return Resource.create(defaults).merge(OTELResourceDetector().detect())


def tracer_provider(*, service: str, role: str | None = None) -> TracerProvider:
    """The provider `configure_tracing` installs (built apart so tests can inspect one)."""
    resource = resource_of(service, role)
    if not export_enabled():
        # An explicit OTEL_TRACES_SAMPLER still wins (a span processor added by hand).
        sampler = None if os.environ.get(OTEL_TRACES_SAMPLER) else ALWAYS_OFF
        return TracerProvider(resource=resource, sampler=sampler)
    provider = TracerProvider(resource=resource)  # the sampler from OTEL_TRACES_SAMPLER
    provider.add_span_processor(BatchSpanProcessor(span_exporter()))
    return provider


def span_exporter() -> SpanExporter:
    """The OTLP exporter the protocol names; it reads its endpoint and options itself."""
    env = os.environ
    protocol = (
        env.get(OTEL_EXPORTER_OTLP_TRACES_PROTOCOL)
        or env.get(OTEL_EXPORTER_OTLP_PROTOCOL)
        or "http/protobuf"
    ).strip()
    # Imported lazily: the exporters pull in protobuf (and grpc), which most runs never need.
    if protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
            OTLPSpanExporter as GrpcSpanExporter,
        )

        return GrpcSpanExporter()
    raise UnsupportedProtocol(
        f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r}: use 'http/protobuf' or 'grpc'"
    )


def instrument_app(app: FastAPI) -> None:
    """Server spans for every request except health checks and metrics scrapes; no spans
    for each ASGI receive and send (two or more per request, and rarely read)."""
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=_HEALTH_AND_METRICS, exclude_spans=["receive", "send"]
    )


def instrument_httpx() -> None:
    """Client spans and traceparent injection for every httpx client in the process."""
    HTTPXClientInstrumentor().instrument()
