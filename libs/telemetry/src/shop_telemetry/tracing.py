"""OpenTelemetry tracing: a tracer provider per process, exported by OTLP when configured.

Without an endpoint the provider still creates spans, so trace ids appear in logs and
traceparent headers flow across HTTP and Kafka; nothing is exported.
"""

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_HEALTH_AND_METRICS = "health/.*,metrics"


def configure_tracing(*, service: str, otlp_endpoint: str | None) -> TracerProvider:
    """Install the process-wide tracer provider (call once, at process start).

    configure_tracing(service="checkout", otlp_endpoint="http://127.0.0.1:4318")
    """
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if otlp_endpoint:
        # Imported lazily: the exporter pulls in protobuf, which most test runs never need.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces")
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def instrument_app(app: FastAPI) -> None:
    """Server spans for every request except health checks and metrics scrapes."""
    FastAPIInstrumentor.instrument_app(app, excluded_urls=_HEALTH_AND_METRICS)


def instrument_httpx() -> None:
    """Client spans and traceparent injection for every httpx client in the process."""
    HTTPXClientInstrumentor().instrument()
