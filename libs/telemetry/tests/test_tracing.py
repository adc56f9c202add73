"""Spans cost nothing where nothing exports them, yet ids still flow; with an exporter,
the standard sampler variables decide."""

import pytest
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from shop_telemetry.tracing import tracer_provider


def test_without_an_endpoint_spans_are_not_recorded_but_carry_ids() -> None:
    tracer = tracer_provider(service="t", otlp_endpoint=None).get_tracer("t")

    with tracer.start_as_current_span("request") as span:
        context = span.get_span_context()

    assert not span.is_recording()
    assert context.is_valid
    assert context.trace_id != 0


def test_with_an_endpoint_the_standard_sampler_variables_choose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0.25")

    provider = tracer_provider(service="t", otlp_endpoint="http://127.0.0.1:9")
    try:
        assert "0.25" in provider.sampler.get_description()
    finally:
        provider.shutdown()


def test_an_explicit_sampler_variable_wins_without_an_endpoint_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_on")

    provider = tracer_provider(service="t", otlp_endpoint=None)

    assert provider.sampler is not ALWAYS_OFF
    assert provider.get_tracer("t").start_span("s").is_recording()
