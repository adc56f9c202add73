"""NetworkPolicies: deny everything, then allow exactly the calls the services make.

    documents = network_policies(plan, calls={"checkout": ["pricing", ...], ...}, smtp_port=1025)

Today one admin token per service guards /admin and /internal, so the network is the only
thing that says *who* may call: checkout calls pricing, inventory and payment;
reconciliation calls the internal APIs of checkout, inventory, payment, fulfillment,
communications and returns (`calls` is read from each service's `<other>_url` settings). Every shop
pod may reach DNS, PostgreSQL and Kafka, by port, since managed ones live outside the
cluster; communications may reach its SMTP relay. Checkout's and returns' APIs are the
public entries (customers call both).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shop_k8s import cluster
from shop_k8s.plan import ClusterPlan, Process

Manifest = dict[str, Any]
PUBLIC = frozenset({"checkout-serve", "returns-serve"})


def _policy(name: str, pod_selector: Manifest, **rules: list[Manifest]) -> Manifest:
    types = [kind for kind, key in (("Ingress", "ingress"), ("Egress", "egress")) if key in rules]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/part-of": cluster.PART_OF}},
        "spec": {"podSelector": pod_selector, "policyTypes": types, **rules},
    }


def _tcp(port: int) -> Manifest:
    return {"protocol": "TCP", "port": port}


def _shop_pods() -> Manifest:
    return {"matchLabels": {"app.kubernetes.io/part-of": cluster.PART_OF}}


def _pods_of(service: str) -> Manifest:
    # Every process of the caller (serve, work, the reconciliation CronJob) shares its
    # settings, so each may make the calls.
    return {"podSelector": {"matchLabels": {"app.kubernetes.io/name": service}}}


def _monitoring() -> Manifest:
    name = {"kubernetes.io/metadata.name": cluster.MONITORING_NAMESPACE}
    return {"namespaceSelector": {"matchLabels": name}}


def _baseline(smtp_port: int) -> list[Manifest]:
    infra_ports = [
        {"protocol": "UDP", "port": cluster.DNS_PORT},
        _tcp(cluster.DNS_PORT),
        _tcp(cluster.POSTGRES_PORT),
        _tcp(cluster.KAFKA_PORT),
    ]
    return [
        # No rules: every shop pod starts with no ingress and no egress at all.
        _policy("shop-default-deny", _shop_pods(), ingress=[], egress=[]),
        _policy("shop-infrastructure-egress", _shop_pods(), egress=[{"ports": infra_ports}]),
        _policy(
            "communications-smtp-egress",
            {"matchLabels": {"app.kubernetes.io/name": "communications"}},
            egress=[{"ports": [_tcp(smtp_port)]}],
        ),
    ]


def _ingress(process: Process, callers: Sequence[str]) -> Manifest:
    port = [_tcp(process.port)]
    rules: list[Manifest] = [{"from": [_monitoring()], "ports": port}]
    if process.name in PUBLIC:
        rules = [{"ports": port}]  # from anywhere: the ingress controller, the customers
    elif callers:
        rules.append({"from": [_pods_of(caller) for caller in callers], "ports": port})
    selector = {"matchLabels": cluster.selector(process.service, process.role)}
    return _policy(f"{process.name}-ingress", selector, ingress=rules)


def _egress(plan: ClusterPlan, caller: str, callees: Sequence[str]) -> Manifest:
    rules = [
        {
            "to": [{"podSelector": {"matchLabels": cluster.selector(callee, "serve")}}],
            "ports": [_tcp(plan.process(callee, "serve").port)],
        }
        for callee in callees
    ]
    selector = {"matchLabels": {"app.kubernetes.io/name": caller}}
    return _policy(f"{caller}-calls-egress", selector, egress=rules)


def network_policies(
    plan: ClusterPlan, calls: Mapping[str, Sequence[str]], smtp_port: int
) -> list[Manifest]:
    documents = _baseline(smtp_port)
    for process in plan.processes:
        callers = [c for c in plan.services if process.service in calls.get(c, ())]
        documents.append(_ingress(process, callers if process.role == "serve" else []))
    for caller in plan.services:
        if calls.get(caller):
            documents.append(_egress(plan, caller, calls[caller]))
    return documents
