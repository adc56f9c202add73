"""The shape of the stack: which processes run, on which ports, with which settings.

    topology = build_topology(StackConfig.from_env())

A plain table: infrastructure first (in start order), then one `migrate` command and
two long-running processes (`<svc>-serve`, `<svc>-work`) per service, then the apps in
front of the public API (the storefront). Nothing here starts anything; tests pass their
own `Topology` to the runner.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from urllib.parse import urlsplit, urlunsplit

from shop_stack.broker import broker_spec
from shop_stack.health import http_ready
from shop_stack.paths import VarDirs
from shop_stack.postgres import admin_url, postgres_spec
from shop_stack.spec import ProcessSpec
from shop_stack.topics import create_topics

SERVICES: tuple[tuple[str, int], ...] = (
    ("checkout", 8000),
    ("pricing", 8001),
    ("inventory", 8002),
    ("payment", 8003),
    ("fulfillment", 8004),
    ("communications", 8005),
    ("reconciliation", 8006),
    ("returns", 8007),
)
WORKER_PORT_OFFSET = 100
# A local stack is for exploring: reconciliation's deadlines and orphan grace period are
# seconds, not minutes, so `make demo` can show drift being found and repaired. Any of
# these set in the environment wins.
LOCAL_RECONCILIATION_TUNING: Mapping[str, str] = {
    "RECONCILIATION_ORPHAN_GRACE_SECONDS": "10",
    "RECONCILIATION_ALLOCATION_DEADLINE_SECONDS": "10",
    "RECONCILIATION_RESERVATION_COMMIT_DEADLINE_SECONDS": "10",
    "RECONCILIATION_PAYMENT_CAPTURE_DEADLINE_SECONDS": "10",
    "RECONCILIATION_CUSTOMER_NOTIFICATION_DEADLINE_SECONDS": "10",
    "RECONCILIATION_STATUS_SETTLE_SECONDS": "10",
}
INFRA_STOP_ORDER = ("smtp", "broker", "postgres")


@dataclass(frozen=True)
class StackConfig:
    """Ports and overrides, read once from the environment."""

    dirs: VarDirs
    python: str = sys.executable
    postgres_port: int = 15432
    broker_port: int = 9092
    smtp_port: int = 1025
    smtp_http_port: int = 8025
    storefront_port: int = 8080
    external_database_url: str | None = None
    external_kafka: str | None = None
    services: tuple[tuple[str, int], ...] = SERVICES
    reconciliation_tuning: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> StackConfig:
        return cls(
            dirs=VarDirs.from_env(env),
            postgres_port=int(env.get("STACK_POSTGRES_PORT", 15432)),
            broker_port=int(env.get("STACK_BROKER_PORT", 9092)),
            smtp_port=int(env.get("STACK_SMTP_PORT", 1025)),
            smtp_http_port=int(env.get("STACK_SMTP_HTTP_PORT", 8025)),
            storefront_port=int(env.get("STACK_STOREFRONT_PORT", 8080)),
            external_database_url=env.get("STACK_DATABASE_URL") or None,
            external_kafka=env.get("KAFKA_BOOTSTRAP_SERVERS") or None,
            services=_selected(env.get("STACK_SERVICES")),
            reconciliation_tuning={
                key: value for key, value in LOCAL_RECONCILIATION_TUNING.items() if key not in env
            },
        )

    @property
    def admin_url(self) -> str:
        return self.external_database_url or admin_url(self.postgres_port)

    @property
    def bootstrap(self) -> str:
        return self.external_kafka or f"127.0.0.1:{self.broker_port}"


def _selected(names: str | None) -> tuple[tuple[str, int], ...]:
    """STACK_SERVICES="checkout,pricing" runs a subset; "none" runs the infrastructure only."""
    if names is None or names.strip() == "":
        return SERVICES
    wanted = {n.strip() for n in names.split(",")}
    unknown = wanted - {s for s, _ in SERVICES} - {"none"}
    if unknown:
        raise ValueError(f"STACK_SERVICES: unknown services {sorted(unknown)}")
    return tuple((s, p) for s, p in SERVICES if s in wanted)


@dataclass(frozen=True)
class Topology:
    """Everything the runner starts, in order, and what it prepares for them."""

    infra: tuple[ProcessSpec, ...]
    services: tuple[ProcessSpec, ...]
    migrations: tuple[ProcessSpec, ...] = ()
    # Started once every service is ready; not services (no database, no manifests).
    apps: tuple[ProcessSpec, ...] = ()
    databases: tuple[str, ...] = ()
    admin_url: str | None = None
    bootstrap: str | None = None
    create_topics: bool = False

    @property
    def processes(self) -> tuple[ProcessSpec, ...]:
        return self.infra + self.services + self.apps

    def get(self, name: str) -> ProcessSpec:
        for spec in self.processes:
            if spec.name == name:
                return spec
        known = ", ".join(s.name for s in self.processes)
        raise KeyError(f"unknown process {name!r}; known: {known}")


def database_url(admin: str, database: str) -> str:
    """SQLAlchemy asyncpg URL of `database` on the server of admin URL `admin`."""
    parts = urlsplit(admin)
    return urlunsplit(("postgresql+asyncpg", parts.netloc, f"/{database}", parts.query, ""))


def service_env(config: StackConfig, service: str, port: int) -> dict[str, str]:
    """The env vars of one service's processes, all prefixed `<SERVICE>_`."""
    p = service.upper()
    env = {
        f"{p}_DATABASE_URL": database_url(config.admin_url, f"shop_{service}"),
        f"{p}_KAFKA_BOOTSTRAP_SERVERS": config.bootstrap,
        # Tansu rejects InitProducerId; real Kafka gets the idempotent producer.
        f"{p}_KAFKA_ENABLE_IDEMPOTENCE": "true" if config.external_kafka else "false",
        f"{p}_PORT": str(port),
        f"{p}_WORKER_PORT": str(port + WORKER_PORT_OFFSET),
        f"{p}_LOG_FORMAT": "json",
    }
    if not config.external_kafka:
        # Tansu admits a group member after about half the session timeout: keep it short,
        # but heartbeat once a second: at 300 ms every idle consumer and the broker were busy.
        env[f"{p}_KAFKA_SESSION_TIMEOUT_MS"] = "3000"
        env[f"{p}_KAFKA_HEARTBEAT_INTERVAL_MS"] = "1000"
    for other, other_port in config.services:
        if other != service:
            env[f"{p}_{other.upper()}_URL"] = f"http://127.0.0.1:{other_port}"
    if service == "reconciliation":
        env.update(config.reconciliation_tuning)
    if service == "communications":
        env[f"{p}_SMTP_HOST"] = "127.0.0.1"
        env[f"{p}_SMTP_PORT"] = str(config.smtp_port)
    return env


def smtp_spec(config: StackConfig) -> ProcessSpec:
    argv: tuple[str, ...] = (
        config.python,
        "-m",
        "shop_stack.smtp",
        "--port",
        str(config.smtp_port),
    )
    argv += ("--http-port", str(config.smtp_http_port), "--maildir", str(config.dirs.mail))
    url = f"http://127.0.0.1:{config.smtp_http_port}"
    return ProcessSpec(
        name="smtp",
        argv=argv,
        ports=(config.smtp_port, config.smtp_http_port),
        url=url,
        ready=http_ready(f"{url}/readyz"),
        kind="infra",
    )


PUBLIC_API = ("checkout", "pricing", "inventory", "communications")


def storefront_spec(config: StackConfig) -> ProcessSpec | None:
    """The storefront, when the services of the public API it calls all run."""
    ports = dict(config.services)
    if not all(service in ports for service in PUBLIC_API):
        return None
    env = {
        "STOREFRONT_PORT": str(config.storefront_port),
        **{f"STOREFRONT_{s.upper()}_URL": f"http://127.0.0.1:{ports[s]}" for s in PUBLIC_API},
    }
    url = f"http://127.0.0.1:{config.storefront_port}"
    return ProcessSpec(
        name="storefront",
        argv=(config.python, "-m", "storefront", "serve"),
        env=env,
        ports=(config.storefront_port,),
        url=url,
        ready=http_ready(f"{url}/health/ready"),
        kind="app",
    )


def build_topology(config: StackConfig) -> Topology:
    """The full stack (docs/architecture.md, "The embedded stack")."""
    infra: list[ProcessSpec] = []
    if config.external_database_url is None:
        pg = config.dirs.pgdata
        infra.append(postgres_spec(pg, config.postgres_port, config.dirs.root / "pgsocket"))
    if config.external_kafka is None:
        broker = broker_spec(config.broker_port)
        infra.append(replace(broker, after_ready=partial(create_topics, broker.url)))
    infra.append(smtp_spec(config))
    services: list[ProcessSpec] = []
    migrations: list[ProcessSpec] = []
    for service, port in config.services:
        env = service_env(config, service, port)
        run = (config.python, "-m", service)
        migrations.append(ProcessSpec(f"{service}-migrate", (*run, "migrate"), env))
        for role, role_port in (("serve", port), ("work", port + WORKER_PORT_OFFSET)):
            url = f"http://127.0.0.1:{role_port}"
            services.append(
                ProcessSpec(
                    name=f"{service}-{role}",
                    argv=(*run, role),
                    env=env,
                    ports=(role_port,),
                    url=url,
                    ready=http_ready(f"{url}/health/ready"),
                )
            )
    storefront = storefront_spec(config)
    return Topology(
        infra=tuple(infra),
        services=tuple(services),
        migrations=tuple(migrations),
        apps=(storefront,) if storefront is not None else (),
        databases=tuple(f"shop_{service}" for service, _ in config.services),
        admin_url=config.admin_url,
        bootstrap=config.bootstrap,
        create_topics=config.external_kafka is not None,
    )
