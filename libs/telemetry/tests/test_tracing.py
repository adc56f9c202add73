"""The OTEL_* variables configure tracing as in any OpenTelemetry SDK. Spans cost nothing
where nothing exports them, yet ids still flow; with an exporter, the standard sampler
variables decide."""

import pytest
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
    OTLPSpanExporter as GrpcSpanExporter,
)
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from shop_telemetry.tracing import (
    ROLE_ATTRIBUTE,
    UnsupportedProtocol,
    export_enabled,
    span_exporter,
    tracer_provider,
)

OTEL_VARS = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_TRACES_EXPORTER",
    "OTEL_SDK_DISABLED",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OTEL_VARS:
        monkeypatch.delenv(name, raising=False)


def test_without_an_endpoint_spans_are_not_recorded_but_carry_ids() -> None:
    tracer = tracer_provider(service="t").get_tracer("t")

    with tracer.start_as_current_span("request") as span:
        context = span.get_span_context()

    assert not export_enabled()
    assert not span.is_recording()
    assert context.is_valid
    assert context.trace_id != 0


def test_the_service_is_the_name_and_the_process_role_an_attribute() -> None:
    serve = tracer_provider(service="checkout", role="serve").resource.attributes
    work = tracer_provider(service="checkout", role="work").resource.attributes

    assert serve["service.name"] == work["service.name"] == "checkout"
    assert (serve[ROLE_ATTRIBUTE], work[ROLE_ATTRIBUTE]) == ("serve", "work")


def test_otel_service_name_and_resource_attributes_override_the_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "shop-checkout")
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging,team=orders")

    attributes = tracer_provider(service="checkout", role="serve").resource.attributes

    assert attributes["service.name"] == "shop-checkout"
    assert attributes["deployment.environment"] == "staging"
    assert attributes["team"] == "orders"
    assert attributes[ROLE_ATTRIBUTE] == "serve"


def test_the_standard_endpoint_variable_turns_export_on_and_the_exporter_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")

    exporter = span_exporter()

    assert export_enabled()
    assert isinstance(exporter, OTLPSpanExporter)
    assert exporter._endpoint == "http://collector:4318/v1/traces"


def test_the_protocol_variable_chooses_grpc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")

    exporter = span_exporter()
    try:
        assert isinstance(exporter, GrpcSpanExporter)
    finally:
        exporter.shutdown()


def test_a_protocol_the_sdk_lacks_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")

    with pytest.raises(UnsupportedProtocol, match="http/json"):
        span_exporter()


@pytest.mark.parametrize(
    ("name", "value"), [("OTEL_TRACES_EXPORTER", "none"), ("OTEL_SDK_DISABLED", "true")]
)
def test_the_standard_off_switches_win_over_an_endpoint(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    monkeypatch.setenv(name, value)

    provider = tracer_provider(service="t")

    assert not export_enabled()
    assert provider.sampler is ALWAYS_OFF


def test_with_an_endpoint_the_standard_sampler_variables_choose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.25")

    provider = tracer_provider(service="t")
    try:
        assert "0.25" in provider.sampler.get_description()
    finally:
        provider.shutdown()


def test_an_explicit_sampler_variable_wins_without_an_endpoint_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_on")

    provider = tracer_provider(service="t")

    assert provider.sampler is not ALWAYS_OFF
    assert provider.get_tracer("t").start_span("s").is_recording()
