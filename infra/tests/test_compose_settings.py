"""docker-compose.yml and its override files set only what the services read, and every
address in them resolves on the compose network. To check the check: misspell a variable
(CHECKOUT_PRICNG_URL) or a host (http://pricng:8001) in docker-compose.yml and run
`.venv/bin/pytest infra/tests/test_compose_settings.py`; both are reported by name.
"""

from __future__ import annotations

import copy
import importlib
import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from shop_e2e.deployment import E2E_SETTINGS
from shop_servicekit.settings import ServiceSettings
from shop_stack.topology import SERVICES

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "docker-compose.yml"
OVERRIDES = (ROOT / "infra/docker/substitutes/compose.yml", ROOT / "infra/docker/compose.e2e.yml")
PROCESS_SUFFIXES = ("-migrate", "-serve", "-work")
OTEL_PREFIX = "OTEL_"
# Links the operator's browser opens (on the host, where 127.0.0.1 is right), not peers.
BROWSER_LINKS = {"RECONCILIATION_CONSOLE_TRACE_URL"}


class _ComposeLoader(yaml.SafeLoader):
    """YAML with compose's merge tags (`!reset`, `!override`), read as their plain values."""


def _plain(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


for _tag in ("!reset", "!override"):
    _ComposeLoader.add_constructor(_tag, _plain)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(), Loader=_ComposeLoader)
    return data


def settings_class(service: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"{service}.settings")
    (settings,) = (
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
    )
    return settings


def env_name(settings: type[ServiceSettings], field: str) -> str:
    return f"{settings.model_config.get('env_prefix', '')}{field}".upper()


def declared_settings() -> dict[str, set[str]]:
    """Each service's settings, as the env names it reads: {"pricing": {"PRICING_PORT", ...}}."""
    declared = {}
    for service, _ in SERVICES:
        settings = settings_class(service)
        declared[service] = {env_name(settings, name) for name in settings.model_fields}
    return declared


def loopback_addresses() -> dict[str, set[str]]:
    """Each service's address settings whose default is this machine (`http://127.0.0.1:8007`):
    right on the embedded stack, wrong in a container, where 127.0.0.1 is the container."""
    found: dict[str, set[str]] = {}
    for service, _ in SERVICES:
        settings = settings_class(service)
        found[service] = {
            env_name(settings, name)
            for name, field in settings.model_fields.items()
            if name.endswith("_url")
            and isinstance(field.default, str)
            and urlsplit(field.default).hostname in {"127.0.0.1", "localhost"}
        }
    return found


def addresses_left_at_loopback(compose: dict[str, Any]) -> list[str]:
    problems = []
    addresses = loopback_addresses()
    for name, definition in compose.get("services", {}).items():
        service = shop_service(name)
        if service is None or name.endswith("-migrate"):
            continue
        missing = addresses.get(service, set()) - environment(definition).keys() - BROWSER_LINKS
        problems += [
            f"{name}: {variable} is not set (it would be 127.0.0.1)" for variable in missing
        ]
    return sorted(problems)


def shop_service(compose_service: str) -> str | None:
    """`pricing` for `pricing-serve`, `-work` and `-migrate`; None for infrastructure."""
    for suffix in PROCESS_SUFFIXES:
        if compose_service.endswith(suffix):
            return compose_service.removesuffix(suffix)
    return None


def environment(definition: dict[str, Any]) -> dict[str, str]:
    env = definition.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(key): str(value) for key, value in env.items()}


def undeclared_variables(compose: dict[str, Any], declared: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, definition in compose.get("services", {}).items():
        service = shop_service(name)
        if service is None:
            continue
        for variable in environment(definition):
            if variable.startswith(OTEL_PREFIX):
                continue  # OpenTelemetry's standard variables, read by its SDK
            if variable not in declared.get(service, set()):
                problems.append(f"{name}: {variable} is no setting of {service}")
    return problems


def service_names(compose: dict[str, Any]) -> set[str]:
    """Every name the compose network resolves: service names and network aliases."""
    names = set()
    for name, definition in compose.get("services", {}).items():
        names.add(name)
        networks = definition.get("networks") or {}
        if isinstance(networks, dict):
            for network in networks.values():
                names.update((network or {}).get("aliases", []))
    return names


def _hosts(variable: str, value: str) -> list[str]:
    if variable.endswith("_URL"):
        return [urlsplit(value).hostname or ""]
    if variable.endswith("_BOOTSTRAP_SERVERS"):
        return [server.rsplit(":", 1)[0] for server in value.split(",")]
    if variable.endswith("_SMTP_HOST"):  # `<SERVICE>_HOST` is a bind address, not a peer
        return [value]
    return []


def unknown_hosts(compose: dict[str, Any], names: set[str]) -> list[str]:
    problems = []
    for name, definition in compose.get("services", {}).items():
        if shop_service(name) is None:
            continue
        for variable, value in environment(definition).items():
            problems += [
                f"{name}: {variable}={value} names {host!r}, no compose service or alias"
                for host in _hosts(variable, value)
                if host not in names
            ]
    return problems


@pytest.mark.parametrize("path", [BASE, *OVERRIDES], ids=lambda path: path.name)
def test_every_compose_variable_is_a_declared_setting(path: object) -> None:
    assert undeclared_variables(load(path), declared_settings()) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [BASE, *OVERRIDES], ids=lambda path: path.name)
def test_every_service_address_names_a_compose_service_or_alias(path: object) -> None:
    assert unknown_hosts(load(path), service_names(load(BASE))) == []  # type: ignore[arg-type]


def test_every_address_a_service_reads_is_set_to_a_compose_name() -> None:
    assert addresses_left_at_loopback(load(BASE)) == []


def test_an_address_left_out_is_reported() -> None:
    compose = copy.deepcopy(load(BASE))
    del compose["services"]["reconciliation-serve"]["environment"]["RECONCILIATION_RETURNS_URL"]
    # serve and work share one environment (a YAML anchor): each reports it.
    assert [p for p in addresses_left_at_loopback(compose) if "RETURNS_URL" in p] == [
        "reconciliation-serve: RECONCILIATION_RETURNS_URL is not set (it would be 127.0.0.1)",
        "reconciliation-work: RECONCILIATION_RETURNS_URL is not set (it would be 127.0.0.1)",
    ]


def test_a_misspelled_variable_and_a_misspelled_host_are_both_reported() -> None:
    compose = copy.deepcopy(load(BASE))
    env = compose["services"]["checkout-serve"]["environment"]
    del env["CHECKOUT_PRICING_URL"]
    env["CHECKOUT_PRICNG_URL"] = "http://pricing:8001"
    env["CHECKOUT_INVENTORY_URL"] = "http://inventroy:8002"

    # migrate, serve and work share one environment (a YAML anchor): each reports it.
    undeclared = undeclared_variables(compose, declared_settings())
    assert "checkout-serve: CHECKOUT_PRICNG_URL is no setting of checkout" in undeclared
    assert all("CHECKOUT_PRICNG_URL" in problem for problem in undeclared)
    unknown = unknown_hosts(compose, service_names(compose))
    assert (
        "checkout-serve: CHECKOUT_INVENTORY_URL=http://inventroy:8002 names 'inventroy', "
        "no compose service or alias"
    ) in unknown
    assert all("inventroy" in problem for problem in unknown)


def test_every_service_api_is_reachable_by_its_service_name() -> None:
    names = service_names(load(BASE))
    assert {service for service in declared_settings()} <= names


def test_the_e2e_override_carries_exactly_the_e2e_settings() -> None:
    compose = load(ROOT / "infra/docker/compose.e2e.yml")
    merged: dict[str, str] = {}
    for definition in compose["services"].values():
        merged.update(environment(definition))
    assert merged == dict(E2E_SETTINGS)


def _third_party(pyproject: str) -> set[str]:
    dependencies = tomllib.loads((ROOT / pyproject).read_text())["project"]["dependencies"]
    names = {dep.split("[")[0].split(">")[0].split("=")[0].strip().lower() for dep in dependencies}
    return {name for name in names if not name.startswith("shop-")}


def test_the_image_dependency_layer_holds_every_runtime_dependency() -> None:
    packages = [
        f"libs/{lib}"
        for lib in ("auth", "contracts", "telemetry", "servicekit", "http", "messaging")
    ]
    packages += [f"services/{service}" for service in declared_settings()]
    needed = set().union(*(_third_party(f"{package}/pyproject.toml") for package in packages))
    lines = (ROOT / "infra/docker/requirements.txt").read_text().splitlines()
    listed = {line.split("[")[0] for line in lines if line and not line.startswith("#")}

    assert needed <= listed
    # Anything beyond the services' needs is for shop_stack's compose jobs (topics, SMTP sink).
    assert listed - needed <= _third_party("infra/pyproject.toml")


def test_the_console_scrapes_every_services_worker() -> None:
    env = environment(load(BASE)["services"]["reconciliation-serve"])
    workers = json.loads(env["RECONCILIATION_CONSOLE_WORKER_URLS"])
    assert sorted(workers) == sorted(service for service, _ in SERVICES)
    names = service_names(load(BASE))
    assert all(urlsplit(url).hostname in names for url in workers.values())


def test_the_broker_stand_in_gives_every_process_its_settings() -> None:
    """Tansu has no idempotent producer: a process left out fails to start its producer."""
    substitutes = load(OVERRIDES[0])["services"]
    for service, _ in SERVICES:
        for suffix in PROCESS_SUFFIXES:
            env = environment(substitutes.get(f"{service}{suffix}", {}))
            assert env.get(f"{service.upper()}_KAFKA_ENABLE_IDEMPOTENCE") == "false", service
