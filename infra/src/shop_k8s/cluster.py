"""The names a cluster gives the stack's parts, and the settings that differ from a laptop.

    cluster_values("checkout", plan, fields)["pricing_url"]   # 'http://pricing:8001'

Everything a team would change per cluster (registry, Kafka, SMTP relay, namespace) is
named here once and patched by an overlay, never edited in the generated base.
"""

from __future__ import annotations

from collections.abc import Collection

from shop_k8s.plan import ClusterPlan

PART_OF = "shop"
# The Strimzi `Kafka` resource the topics belong to; Strimzi names its bootstrap Service
# `<cluster>-kafka-bootstrap`.
KAFKA_CLUSTER = "shop"
KAFKA_BOOTSTRAP = f"{KAFKA_CLUSTER}-kafka-bootstrap:9092"
KAFKA_PORT = 9092
POSTGRES_PORT = 5432
# A Service in the namespace: Mailpit on kind, an ExternalName to the relay in production.
SMTP_HOST = "smtp"
DNS_PORT = 53
# Prometheus scrapes /metrics from this namespace.
MONITORING_NAMESPACE = "monitoring"
IMAGE_PREFIX = "shop"


def image(service: str) -> str:
    """The image name every manifest uses; an overlay's `images:` sets registry and tag."""
    return f"{IMAGE_PREFIX}/{service}"


def config_map(service: str) -> str:
    return f"{service}-config"


def secret(service: str) -> str:
    return f"{service}-secrets"


def labels(service: str, component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": service,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
    }


def selector(service: str, component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": service, "app.kubernetes.io/component": component}


def cluster_values(service: str, plan: ClusterPlan, fields: Collection[str]) -> dict[str, str]:
    """Settings (by field name, among `fields`) whose laptop default is wrong in a cluster."""
    values = {
        "environment": "production",
        # The default is loopback; a pod must answer on its own address.
        # (bandit B104: inside the pod; the Service decides what is exposed)
        "host": "0.0.0.0",  # nosec B104
        "kafka_bootstrap_servers": KAFKA_BOOTSTRAP,
        "kafka_enable_idempotence": "true",
    }
    for other in plan.services:
        if f"{other}_url" in fields:
            values[f"{other}_url"] = f"http://{other}:{plan.process(other, 'serve').port}"
    if service == "communications":
        values["smtp_host"] = SMTP_HOST
    if service == "reconciliation":
        # The CronJob owns the schedule in a cluster: one run at a time, visible as Jobs.
        values["schedule_interval_seconds"] = "0"
    return values
