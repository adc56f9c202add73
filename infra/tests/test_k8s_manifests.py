"""The Kubernetes manifests against the stack they deploy: current, complete, and wired.

Regenerate with `.venv/bin/python -m shop_k8s` when one of these fails after a change to
the topology, the topics or a settings class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reconciliation.entrypoints.cli import parser as reconcile_parser
from shop_k8s.cli import DEFAULT_OUT, manifests_input
from shop_k8s.layout import differences, render_tree, write_tree
from shop_k8s.plan import plan_of
from shop_k8s.settings_catalog import SERVICE_SETTINGS, env_prefix, settings_of
from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec
from shop_stack.topology import SERVICES, StackConfig, Topology, build_topology

Rendered = Mapping[str, list[dict[str, Any]]]


def laptop_topology() -> Topology:
    # The topology `make up` runs, not the generator's own reading of it.
    return build_topology(StackConfig(VarDirs(Path("var"))))


def named(documents: Iterable[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def missing_workloads(topology: Topology, documents: list[dict[str, Any]]) -> list[str]:
    """Processes and migrations of `topology` with no Deployment or Job among `documents`."""
    deployments, jobs = named(documents, "Deployment"), named(documents, "Job")
    missing = [p.name for p in topology.services if p.name not in deployments]
    return missing + [m.name for m in topology.migrations if m.name not in jobs]


def test_the_committed_manifests_are_what_the_generator_writes() -> None:
    assert differences(render_tree(manifests_input()), DEFAULT_OUT) == []


def test_a_stale_a_missing_and_a_left_over_file_are_each_reported(tmp_path: Path) -> None:
    files = render_tree(manifests_input())
    write_tree(files, tmp_path)
    (tmp_path / "base/pricing.env").write_text("PRICING_PORT=1\n")
    (tmp_path / "base/payment.yaml").unlink()
    (tmp_path / "base/search.yaml").write_text("{}\n")
    (tmp_path / "overlays/production/secrets").mkdir()
    (tmp_path / "overlays/production/secrets/pricing.env").write_text("PRICING_SIGNING_KEY=x\n")

    assert differences(files, tmp_path) == [
        "base/payment.yaml",
        "base/pricing.env",
        "base/search.yaml",
    ]


def test_every_process_and_migration_of_the_topology_has_its_workload(
    rendered_k8s: Rendered,
) -> None:
    topology = laptop_topology()

    for documents in rendered_k8s.values():
        assert missing_workloads(topology, documents) == []
    # Every service of the table (seven in the shop; a fork's own ones too) has all three.
    assert len(topology.services) == 2 * len(SERVICES)
    assert len(topology.migrations) == len(SERVICES)


def test_a_process_added_to_the_stack_without_a_manifest_is_caught(
    rendered_k8s: Rendered,
) -> None:
    topology = laptop_topology()
    search = ProcessSpec("search-serve", ("python", "-m", "search", "serve"), ports=(8007,))
    grown = replace(topology, services=(*topology.services, search))

    assert missing_workloads(grown, rendered_k8s["base"]) == ["search-serve"]
    # And the generator refuses a service it has no settings class for.
    with pytest.raises(KeyError, match="search"):
        render_tree(replace(manifests_input(), plan=plan_of(grown)))


def test_every_serve_process_has_a_service_on_its_port(rendered_k8s: Rendered) -> None:
    services = named(rendered_k8s["base"], "Service")

    for spec in laptop_topology().services:
        name, role = spec.name.rsplit("-", 1)
        if role == "serve":
            assert services[name]["spec"]["ports"][0]["port"] == spec.ports[0]


@pytest.mark.parametrize("overlay", ["overlays/local", "overlays/production"])
def test_every_setting_has_a_config_map_entry_or_a_secret_key(
    rendered_k8s: Rendered, overlay: str
) -> None:
    documents = rendered_k8s[overlay]
    config = {d["metadata"]["name"].rsplit("-", 1)[0]: d["data"] for d in documents
              if d["kind"] == "ConfigMap"}  # fmt: skip
    secrets = {d["metadata"]["name"].rsplit("-", 1)[0]: d["data"] for d in documents
               if d["kind"] == "Secret"}  # fmt: skip

    for service, settings in SERVICE_SETTINGS.items():
        provided = set(config[f"{service}-config"]) | set(secrets[f"{service}-secrets"])
        wanted = {f"{env_prefix(service)}{field}".upper() for field in settings.model_fields}
        assert wanted - provided == set(), service
        # Reconciliation's console also holds the operator key it toggles faults with.
        console = {"RECONCILIATION_CONSOLE_OPERATOR_KEY"} if service == "reconciliation" else set()
        assert set(secrets[f"{service}-secrets"]) == {
            f"{env_prefix(service)}DATABASE_URL".upper(),
            f"{env_prefix(service)}SIGNING_KEY".upper(),
            f"{env_prefix(service)}TRUSTED_KEYS".upper(),
            *console,
        }


@pytest.mark.parametrize("service", sorted(SERVICE_SETTINGS))
def test_each_service_reads_its_settings_from_the_rendered_config_map_and_secret(
    rendered_k8s: Rendered, service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = rendered_k8s["overlays/production"]
    config = next(d for d in documents if d["metadata"]["name"].startswith(f"{service}-config"))
    prefix = env_prefix(service).upper()
    for key, value in config["data"].items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv(f"{prefix}SIGNING_KEY", "A" * 43 + "=")
    monkeypatch.setenv(f"{prefix}TRUSTED_KEYS", "{}")
    monkeypatch.setenv(f"{prefix}DATABASE_URL", f"postgresql+asyncpg://db/shop_{service}")

    settings = SERVICE_SETTINGS[service]()

    assert settings.environment == "production"
    assert settings.host == "0.0.0.0"
    assert settings.kafka_enable_idempotence is True


def test_an_override_of_a_setting_the_service_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="pricing_url"):
        settings_of("pricing", {"pricing_url": "http://pricing:8001"})


def test_no_secret_value_sits_in_a_config_map(rendered_k8s: Rendered) -> None:
    for config in named(rendered_k8s["base"], "ConfigMap").values():
        assert not [key for key in config["data"] if key.endswith(("_DATABASE_URL", "_TOKEN"))]


def test_the_reconciliation_cron_job_runs_one_at_a_time_with_flags_the_cli_accepts(
    rendered_k8s: Rendered,
) -> None:
    cron = named(rendered_k8s["base"], "CronJob")["reconciliation-reconcile"]
    container = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]

    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert container["args"][0] == "reconcile"
    assert reconcile_parser().parse_args(container["args"][1:]).since == "24h"
    config = named(rendered_k8s["base"], "ConfigMap")
    reconciliation = next(c for n, c in config.items() if n.startswith("reconciliation-config"))
    # The worker's own schedule is off: the CronJob is the one schedule.
    assert reconciliation["data"]["RECONCILIATION_SCHEDULE_INTERVAL_SECONDS"] == "0"


def test_pods_run_as_non_root_and_probe_the_health_routes(rendered_k8s: Rendered) -> None:
    for deployment in named(rendered_k8s["overlays/production"], "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert len(pod["topologySpreadConstraints"]) == 2


def test_checkout_and_the_consumers_scale_up_to_the_partition_count(
    rendered_k8s: Rendered,
) -> None:
    autoscalers = named(rendered_k8s["base"], "HorizontalPodAutoscaler")
    budgets = named(rendered_k8s["base"], "PodDisruptionBudget")
    partitions = max(
        t["spec"]["partitions"] for t in named(rendered_k8s["base"], "KafkaTopic").values()
    )
    workers = [p.name for p in laptop_topology().services if p.name.endswith("-work")]

    assert set(autoscalers) == set(budgets) == {"checkout-serve", *workers}
    assert {autoscalers[w]["spec"]["maxReplicas"] for w in workers} == {partitions}


def ingress_sources(policies: dict[str, dict[str, Any]], process: str) -> set[str]:
    rules = policies[f"{process}-ingress"]["spec"]["ingress"]
    return {
        peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
        for rule in rules
        for peer in rule.get("from", [])
        if "podSelector" in peer
    }


def egress_targets(policies: dict[str, dict[str, Any]], service: str) -> set[str]:
    rules = policies[f"{service}-calls-egress"]["spec"]["egress"]
    return {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
            for rule in rules for peer in rule["to"]}  # fmt: skip


def test_network_policies_allow_exactly_the_calls_the_services_make(
    rendered_k8s: Rendered,
) -> None:
    policies = named(rendered_k8s["base"], "NetworkPolicy")
    internal = {"checkout", "inventory", "payment", "fulfillment", "communications", "returns"}

    assert egress_targets(policies, "checkout") == {"pricing", "inventory", "payment"}
    # Reconciliation reads and repairs the internal five; its console also shows pricing.
    assert egress_targets(policies, "reconciliation") == internal | {"pricing"}
    assert {n for n in policies if n.endswith("-calls-egress")} == {
        "checkout-calls-egress",
        "reconciliation-calls-egress",
    }
    assert ingress_sources(policies, "pricing-serve") == {"checkout", "reconciliation"}
    assert ingress_sources(policies, "inventory-serve") == {"checkout", "reconciliation"}
    assert ingress_sources(policies, "fulfillment-serve") == {"reconciliation"}
    assert ingress_sources(policies, "reconciliation-serve") == set()
    assert ingress_sources(policies, "payment-work") == set()
    # Checkout's API is the public entry: its rule names no source.
    assert policies["checkout-serve-ingress"]["spec"]["ingress"] == [
        {"ports": [{"protocol": "TCP", "port": 8000}]}
    ]
    # So is returns': its owners ask for returns there (ADR 15).
    assert policies["returns-serve-ingress"]["spec"]["ingress"] == [
        {"ports": [{"protocol": "TCP", "port": 8007}]}
    ]
