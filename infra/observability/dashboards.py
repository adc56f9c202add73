# ruff: noqa: E501  (a PromQL query reads best on one line)
"""The Grafana dashboards, as code: `python infra/observability/dashboards.py` writes them
to grafana/dashboards/ (committed; Grafana provisions them from there).

Three views, one per half of the shop's idea plus the business it serves:
- coordination: the checkout moment (rate, latency, budget spent) and each dependency's
  latency and breaker state;
- collaboration: outbox backlog and relay lag, consumer lag, dead letters, events per topic;
- business: orders by status, time to each status, stuck orders, drift found and repaired.

Every query names only metrics the services export (docs/observability.md lists them;
infra/tests/test_observability.py holds the dashboards to that).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "grafana" / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
WINDOW = "$__rate_interval"


def panel(
    title: str,
    queries: dict[str, str],
    *,
    unit: str = "short",
    kind: str = "timeseries",
    description: str = "",
) -> dict[str, Any]:
    """One panel; `queries` maps each series' legend to its PromQL."""
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {"refId": chr(ord("A") + n), "expr": expr, "legendFormat": legend}
            for n, (legend, expr) in enumerate(queries.items())
        ],
    }


def dashboard(
    uid: str, title: str, description: str, panels: list[dict[str, Any]]
) -> dict[str, Any]:
    placed = []
    for n, item in enumerate(panels):
        # Two panels a row, each half the width.
        placed.append(
            {
                **item,
                "id": n + 1,
                "gridPos": {"h": 8, "w": 12, "x": 12 * (n % 2), "y": 8 * (n // 2)},
            }
        )
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["shop"],
        "timezone": "utc",
        "schemaVersion": 39,
        "refresh": "10s",
        "time": {"from": "now-30m", "to": "now"},
        "panels": placed,
    }


CHECKOUTS = 'route="/v1/checkouts",method="POST"'

COORDINATION = dashboard(
    "shop-coordination",
    "Shop: coordination",
    "The checkout moment: one answer under one budget, three dependencies behind breakers.",
    [
        panel(
            "Checkouts per second, by answer",
            {"{{status}}": f"sum by (status) (rate(http_requests_total{{{CHECKOUTS}}}[{WINDOW}]))"},
            unit="reqps",
        ),
        panel(
            "Checkout latency",
            {
                f"p{q}": f"histogram_quantile(0.{q}, sum by (le) (rate(http_request_duration_seconds_bucket{{{CHECKOUTS}}}[{WINDOW}])))"
                for q in ("50", "95", "99")
            },
            unit="s",
        ),
        panel(
            "Budget spent: calls cut short, by dependency",
            {
                "{{dependency}} {{outcome}}": "sum by (dependency, outcome) "
                f'(rate(dependency_calls_total{{outcome=~"budget_spent|timeout"}}[{WINDOW}]))'
            },
            unit="reqps",
            description="budget_spent: the caller's budget was gone before the call; timeout: "
            "the dependency had its fair time and did not answer.",
        ),
        panel(
            "Checkouts shed by admission control",
            {"{{route}}": f"sum by (route) (rate(http_requests_shed_total[{WINDOW}]))"},
            unit="reqps",
        ),
        panel(
            "Dependency latency (p95), by dependency",
            {
                "{{dependency}}": "histogram_quantile(0.95, sum by (le, dependency) "
                f"(rate(dependency_request_duration_seconds_bucket[{WINDOW}])))"
            },
            unit="s",
        ),
        panel(
            "Dependency calls, by outcome",
            {
                "{{dependency}} {{outcome}}": "sum by (dependency, outcome) "
                f"(rate(dependency_calls_total[{WINDOW}]))"
            },
            unit="reqps",
        ),
        panel(
            "Breaker state, by dependency",
            {
                "{{dependency}} {{state}}": "max by (dependency, state) (dependency_breaker_state) == 1"
            },
            kind="state-timeline",
            description="closed: calls flow; open: refused at once; half-open: one trial call.",
        ),
        panel(
            "Breaker transitions",
            {
                "{{dependency}} {{from_state}}->{{to_state}}": "sum by (dependency, from_state, to_state) "
                "(increase(dependency_breaker_transitions_total[5m]))"
            },
        ),
    ],
)

COLLABORATION = dashboard(
    "shop-collaboration",
    "Shop: collaboration",
    "Everything after the moment, over Kafka: outbox, relay, consumers, dead letters.",
    [
        panel(
            "Outbox backlog, by service",
            {"{{service}}": "sum by (service) (shop_outbox_backlog)"},
            description="Rows waiting for the relay (neither published nor parked).",
        ),
        panel(
            "Relay lag, by service",
            {"{{service}}": "max by (service) (shop_outbox_relay_lag_seconds)"},
            unit="s",
            description="Age of the oldest unpublished outbox row when the relay last looked.",
        ),
        panel(
            "Consumer lag, by group and partition",
            {
                "{{group}} {{topic}}/{{partition}}": "sum by (group, topic, partition) (shop_consumer_lag)"
            },
        ),
        panel(
            "Dead letters waiting, by group",
            {"{{group}} {{topic}}": "sum by (group, topic) (shop_consumer_dlq_depth)"},
        ),
        panel(
            "Events published per second, by topic",
            {"{{topic}}": f"sum by (topic) (rate(shop_outbox_events_published_total[{WINDOW}]))"},
            unit="ops",
        ),
        panel(
            "Events consumed per second, by group and outcome",
            {
                "{{group}} {{outcome}}": "sum by (group, outcome) "
                f"(rate(shop_consumer_events_total[{WINDOW}]))"
            },
            unit="ops",
        ),
        panel(
            "Handler failures and parked events",
            {
                "failures {{group}} {{kind}}": "sum by (group, kind) "
                "(increase(shop_consumer_handler_failures_total[5m]))",
                "outbox parked {{topic}}": "sum by (topic) (increase(shop_outbox_parked_total[5m]))",
                "dead letters parked {{group}}": "sum by (group) (increase(shop_consumer_dlq_parked_total[5m]))",
            },
        ),
        panel(
            "Partitions paused on a retry, by group",
            {"{{group}}": "sum by (group) (shop_consumer_partitions_paused)"},
        ),
    ],
)

BUSINESS = dashboard(
    "shop-business",
    "Shop: business",
    "Orders and their journey; what drifted and what reconciliation repaired.",
    [
        panel(
            "Orders placed, by answer (last hour)",
            {"{{status}}": f"sum by (status) (increase(http_requests_total{{{CHECKOUTS}}}[1h]))"},
            kind="bargauge",
            description="By HTTP answer: 201 confirmed; 4xx refused (out of stock, declined, ...).",
        ),
        panel(
            "Orders reaching each status (last hour)",
            {
                "{{to_status}}": "sum by (to_status) (increase(checkout_order_transitions_total[1h]))"
            },
            kind="bargauge",
        ),
        panel(
            "Time from confirmation to each status (median)",
            {
                "{{status}}": "histogram_quantile(0.5, sum by (le, status) "
                "(rate(checkout_order_status_reached_seconds_bucket[15m])))"
            },
            unit="s",
        ),
        panel(
            "Saga steps performed per second",
            {"{{saga}} {{step}}": f"sum by (saga, step) (rate(shop_saga_steps_total[{WINDOW}]))"},
            unit="ops",
        ),
        panel(
            "Stuck orders: findings left open, by kind",
            {"{{kind}}": "sum by (kind) (reconciliation_open_findings)"},
            description="Left OPEN by the latest repairing run: late steps and drift not yet repaired.",
        ),
        panel(
            "Drift found, by kind and outcome (last hour)",
            {
                "{{kind}} {{status}}": "sum by (kind, status) (increase(reconciliation_findings_total[1h]))"
            },
        ),
        panel(
            "Repairs, by kind and outcome (last hour)",
            {
                "{{kind}} {{outcome}}": "sum by (kind, outcome) (increase(reconciliation_repairs_total[1h]))"
            },
        ),
        panel(
            "Reconciliation runs, by status",
            {
                "{{status}} {{trigger}}": "sum by (status, trigger) (increase(reconciliation_runs_total[1h]))"
            },
        ),
    ],
)

DASHBOARDS = {"coordination": COORDINATION, "collaboration": COLLABORATION, "business": BUSINESS}


def rendered() -> dict[str, str]:
    """File name -> the JSON Grafana reads."""
    return {
        f"{name}.json": json.dumps(board, indent=2) + "\n" for name, board in DASHBOARDS.items()
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in rendered().items():
        (OUT / name).write_text(text)
        print(f"wrote {OUT / name}", file=sys.stderr)


if __name__ == "__main__":
    main()
