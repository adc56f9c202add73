"""The `observability` profile fits the shop: Prometheus scrapes exactly the processes
compose runs, on the ports they serve /metrics on; every dashboard query names only metrics
the code exports; the collector sends traces to the Jaeger of the same file; the committed
dashboards are what infra/observability/dashboards.py writes. To check the check: rename a
metric in a panel (shop_consumer_lag -> shop_consumer_lags) and run
`.venv/bin/pytest infra/tests/test_observability.py`: the panel and the name are reported."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry
from prometheus_client.registry import REGISTRY
from shop_stack.topology import SERVICES, WORKER_PORT_OFFSET

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "infra/observability"
DASHBOARDS = HERE / "grafana/dashboards"
OFFICIAL_IMAGES = {
    "otel-collector": "otel/opentelemetry-collector-contrib:",
    "jaeger": "jaegertracing/all-in-one:",
    "prometheus": "prom/prometheus:",
    "grafana": "grafana/grafana:",
}


def load_yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shop_dashboards", HERE / "dashboards.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exported_metrics() -> set[str]:
    """Every sample name the services can expose, from the code's own metric definitions."""
    from checkout.adapters import metrics as _checkout  # noqa: F401  (registers on REGISTRY)
    from reconciliation.adapters.metrics import RunMetrics
    from shop_http import DependencyMetrics
    from shop_messaging import _metrics as _messaging  # noqa: F401  (registers on REGISTRY)
    from shop_servicekit.admission import AdmissionMetrics
    from shop_servicekit.metrics import HttpMetrics

    registry = CollectorRegistry()
    for build in (HttpMetrics, AdmissionMetrics, DependencyMetrics, RunMetrics):
        build(registry)
    names: set[str] = set()
    for source in (registry, REGISTRY):
        for family in source.collect():
            names |= sample_names(family.name, family.type)
    return names


def sample_names(name: str, kind: str) -> set[str]:
    if kind == "counter":
        return {f"{name}_total", f"{name}_created"}
    if kind == "histogram":
        return {f"{name}_bucket", f"{name}_sum", f"{name}_count", f"{name}_created"}
    return {name}


# The Prometheus client's own process and runtime collectors, documented as groups.
CLIENT_DEFAULTS = ("process_", "python_")

_FUNCTIONS = {
    "sum", "max", "min", "avg", "count", "rate", "increase", "irate", "histogram_quantile",
    "by", "without", "on", "ignoring", "and", "or", "unless", "topk", "bottomk", "abs",
}  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label matchers, groupings, ranges and
    numbers taken out first)."""
    text = re.sub(r"\{[^}]*\}", " ", expr)
    text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    names = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", text))
    return {name for name in names if name not in _FUNCTIONS}


def dashboard_queries() -> list[tuple[str, str, str]]:
    """(dashboard, panel title, expr) for every target of every committed dashboard."""
    found = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            for target in panel["targets"]:
                found.append((path.stem, panel["title"], target["expr"]))
    return found


def test_the_three_dashboards_are_committed_as_the_generator_writes_them() -> None:
    rendered = generator().rendered()

    assert set(rendered) == {"coordination.json", "collaboration.json", "business.json"}
    for name, text in rendered.items():
        assert (DASHBOARDS / name).read_text() == text, (
            f"{name} differs: run python infra/observability/dashboards.py"
        )


def test_every_dashboard_query_names_only_metrics_the_services_export() -> None:
    exported = exported_metrics()
    unknown = [
        f"{board} / {title}: {name}"
        for board, title, expr in dashboard_queries()
        for name in sorted(metric_names(expr))
        if name not in exported
    ]

    assert dashboard_queries()
    assert unknown == []


def test_the_metric_check_reports_a_misspelled_name() -> None:
    assert metric_names("sum by (group, topic) (rate(shop_consumer_lags{group='x'}[5m]))") == {
        "shop_consumer_lags"
    }
    assert "shop_consumer_lags" not in exported_metrics()
    assert "shop_consumer_lag" in exported_metrics()


def test_prometheus_scrapes_every_shop_process_on_its_metrics_port() -> None:
    config = load_yaml(HERE / "prometheus.yml")
    (shop,) = [job for job in config["scrape_configs"] if job["job_name"] == "shop"]
    scraped = {
        target: group["labels"] for group in shop["static_configs"] for target in group["targets"]
    }
    compose = load_yaml(ROOT / "docker-compose.yml")["services"]

    expected = {}
    for name, port in SERVICES:
        expected[f"{name}-serve:{port}"] = {"service": name, "role": "serve"}
        expected[f"{name}-work:{port + WORKER_PORT_OFFSET}"] = {"service": name, "role": "work"}
    assert scraped == expected
    assert {target.split(":")[0] for target in scraped} <= set(compose)
    # Each -serve container publishes (and so serves) the port Prometheus scrapes.
    for name, port in SERVICES:
        assert f"127.0.0.1:{port}:{port}" in compose[f"{name}-serve"]["ports"]


def test_every_scraped_port_is_the_port_its_process_listens_on() -> None:
    for name, port in SERVICES:
        module = importlib.import_module(f"{name}.settings")
        settings = next(
            value
            for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
        )
        fields = settings.model_fields
        assert fields["port"].default == port, name
        assert fields["worker_port"].default == port + WORKER_PORT_OFFSET, name


def test_the_profile_names_the_official_images_and_wires_traces_to_jaeger() -> None:
    profile = load_yaml(HERE / "compose.yml")["services"]
    collector = load_yaml(HERE / "otel-collector.yaml")
    datasources = load_yaml(HERE / "grafana/provisioning/datasources/prometheus.yaml")

    assert set(profile) == set(OFFICIAL_IMAGES)
    for name, image in OFFICIAL_IMAGES.items():
        assert profile[name]["image"].startswith(image), name
        assert profile[name]["profiles"] == ["observability"], name
    assert "infra/observability/compose.yml" in load_yaml(ROOT / "docker-compose.yml")["include"]
    exporter = collector["exporters"]["otlp/jaeger"]["endpoint"]
    assert exporter.split(":")[0] in profile
    assert collector["service"]["pipelines"]["traces"]["exporters"] == ["otlp/jaeger"]
    urls = {source["uid"]: source["url"] for source in datasources["datasources"]}
    assert urls["prometheus"] == "http://prometheus:9090"


@pytest.mark.parametrize("service", [name for name, _ in SERVICES])
def test_every_service_process_can_export_traces_when_the_endpoint_is_set(service: str) -> None:
    compose = load_yaml(ROOT / "docker-compose.yml")["services"]
    for role in ("serve", "work"):
        env = compose[f"{service}-{role}"]["environment"]
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"


def test_every_metric_the_code_defines_is_documented() -> None:
    documented = (ROOT / "docs/observability.md").read_text()
    names = {
        name.removesuffix("_total").removesuffix("_bucket")
        for name in exported_metrics()
        if not name.endswith(("_created", "_sum", "_count"))
        and not name.startswith(CLIENT_DEFAULTS)
    }

    assert all(f"`{prefix}*`" in documented for prefix in CLIENT_DEFAULTS)
    assert sorted(n for n in names if f"`{n}" not in documented) == []
