"""The stack's table: names, ports and each service's prefixed settings."""

from __future__ import annotations

from pathlib import Path

from shop_stack.paths import VarDirs
from shop_stack.topology import SERVICES, StackConfig, build_topology, service_env


def test_every_service_has_a_serve_and_a_work_process_after_the_infrastructure() -> None:
    topology = build_topology(StackConfig(VarDirs(Path("/tmp/x"))))

    names = [s.name for s in topology.processes]
    assert names[:3] == ["postgres", "broker", "smtp"]
    assert {"payment-serve", "payment-work"} <= set(names)
    assert topology.get("reconciliation-work").url == "http://127.0.0.1:8106"
    assert len(topology.migrations) == len(SERVICES) >= 7


def test_service_env_is_prefixed_and_points_at_the_embedded_stack() -> None:
    env = service_env(StackConfig(VarDirs(Path("/tmp/x"))), "checkout", 8000)

    assert env["CHECKOUT_DATABASE_URL"] == (
        "postgresql+asyncpg://postgres@127.0.0.1:15432/shop_checkout"
    )
    assert env["CHECKOUT_KAFKA_ENABLE_IDEMPOTENCE"] == "false"
    assert env["CHECKOUT_PRICING_URL"] == "http://127.0.0.1:8001"
    assert env["CHECKOUT_WORKER_PORT"] == "8100"
    assert "CHECKOUT_CHECKOUT_URL" not in env


def test_external_servers_replace_the_embedded_ones() -> None:
    config = StackConfig.from_env(
        {
            "STACK_DATABASE_URL": "postgresql://app:pw@db:5432/postgres",
            "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
        }
    )
    topology = build_topology(config)
    env = service_env(config, "payment", 8003)

    assert [s.name for s in topology.infra] == ["smtp"]
    assert env["PAYMENT_DATABASE_URL"] == "postgresql+asyncpg://app:pw@db:5432/shop_payment"
    assert env["PAYMENT_KAFKA_ENABLE_IDEMPOTENCE"] == "true"


def test_the_storefront_starts_last_and_calls_only_the_public_api() -> None:
    topology = build_topology(StackConfig(VarDirs(Path("/tmp/x"))))

    assert [s.name for s in topology.processes][-1] == "storefront"
    storefront = topology.get("storefront")
    assert storefront.url == "http://127.0.0.1:8080"
    assert storefront.env["STOREFRONT_CHECKOUT_URL"] == "http://127.0.0.1:8000"
    assert {k for k in storefront.env if k.endswith("_URL")} == {
        f"STOREFRONT_{s}_URL" for s in ("CHECKOUT", "PRICING", "INVENTORY", "COMMUNICATIONS")
    }


def test_no_storefront_without_the_public_api_it_calls() -> None:
    config = StackConfig.from_env({"STACK_SERVICES": "pricing,inventory"})
    assert build_topology(config).apps == ()
