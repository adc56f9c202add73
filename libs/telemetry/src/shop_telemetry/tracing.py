"""OpenTelemetry tracing: a tracer provider per process, exported by OTLP when configured.

Without an endpoint nothing would ever read a span, so none is recorded: the sampler drops
every span, yet each still gets its trace and span ids, so trace ids appear in logs and
traceparent headers flow across HTTP and Kafka at almost no cost. With an endpoint the
standard `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` variables choose the sampler
(default: parent-based, always on); `parentbased_traceidratio` with `0.1` keeps a tenth.
"""

import os

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.environment_variables import OTEL_TRACES_SAMPLER
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

_HEALTH_AND_METRICS = "health/.*,metrics"


def configure_tracing(*, service: str, otlp_endpoint: str | None) -> TracerProvider:
    """Install the process-wide tracer provider (call once, at process start).

    configure_tracing(service="checkout", otlp_endpoint="http://127.0.0.1:4318")
    """
    provider = tracer_provider(service=service, otlp_endpoint=otlp_endpoint)
    trace.set_tracer_provider(provider)
    return provider


def tracer_provider(*, service: str, otlp_endpoint: str | None) -> TracerProvider:
    """The provider `configure_tracing` installs (built apart so tests can inspect one)."""
    resource = Resource.create({"service.name": service})
    if not otlp_endpoint:
        # An explicit OTEL_TRACES_SAMPLER still wins (a span processor added by hand).
        sampler = None if os.environ.get(OTEL_TRACES_SAMPLER) else ALWAYS_OFF
        return TracerProvider(resource=resource, sampler=sampler)
    # Imported lazily: the exporter pulls in protobuf, which most test runs never need.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=resource)  # the sampler from OTEL_TRACES_SAMPLER
    exporter = OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces")
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def instrument_app(app: FastAPI) -> None:
    """Server spans for every request except health checks and metrics scrapes; no spans
    for each ASGI receive and send (two or more per request, and rarely read)."""
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=_HEALTH_AND_METRICS, exclude_spans=["receive", "send"]
    )


def instrument_httpx() -> None:
    """Client spans and traceparent injection for every httpx client in the process."""
    HTTPXClientInstrumentor().instrument()
