"""PostgreSQL and Kafka in containers for a test session (testcontainers), the backend of
SHOP_TEST_BACKEND=containers instead of the embedded servers.

    with postgres_container() as admin_url:   # postgresql://postgres@127.0.0.1:<port>/postgres
        ...
    with kafka_container() as bootstrap:      # 127.0.0.1:<port>
        ...

The images are settings (ContainerSettings): SHOP_TEST_POSTGRES_IMAGE (postgres:16) and
SHOP_TEST_KAFKA_IMAGE (apache/kafka:3.9.0). A stand-in image works when it keeps the
upstream contract: the postgres image's POSTGRES_* env, and for the broker either Kafka's
KAFKA_* env or TANSU_PORT / TANSU_ADVERTISED_HOST (infra/docker/substitutes). Ports are
published on 127.0.0.1 only; Kafka's 1:1, so the address it advertises works from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pydantic_settings import BaseSettings, SettingsConfigDict
from shop_stack.broker import kafka_ready
from shop_stack.health import wait_until
from shop_stack.postgres import admin_url

from shop_testing.ports import free_port
from shop_testing.sync import run_sync

if TYPE_CHECKING:  # imported where used: `make test` never pays for testcontainers' import
    from testcontainers.core.container import DockerContainer

READY_SECONDS = 120.0


class ContainerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_TEST_", extra="ignore", frozen=True)

    backend: str = "embedded"
    postgres_image: str = "postgres:16"
    kafka_image: str = "apache/kafka:3.9.0"
    # Real Kafka takes the idempotent producer the services use in production; a stand-in
    # without it (Tansu) sets SHOP_TEST_KAFKA_IDEMPOTENCE=false.
    kafka_idempotence: bool = True


def _publish_on_loopback(container: DockerContainer, inside: int, outside: int) -> None:
    # docker-py's (address, port) form: with_bind_ports() would publish on every interface.
    container.ports[f"{inside}/tcp"] = ("127.0.0.1", outside)  # type: ignore[assignment]


@contextmanager
def _running(container: DockerContainer, ready: object, what: str) -> Iterator[None]:
    container.start()
    try:
        if not run_sync(lambda: wait_until(ready, READY_SECONDS, interval=0.5)):  # type: ignore[arg-type]
            logs = b"\n".join(part or b"" for part in container.get_logs()).decode(errors="replace")
            raise RuntimeError(f"{what} not ready in {READY_SECONDS}s:\n{logs[-3000:]}")
        yield
    finally:
        container.stop()


@contextmanager
def postgres_container(settings: ContainerSettings | None = None) -> Iterator[str]:
    """A fresh PostgreSQL container with trust auth; yields its admin URL."""
    from testcontainers.core.container import DockerContainer

    settings = settings or ContainerSettings()
    port = free_port()
    container = (
        DockerContainer(settings.postgres_image)
        .with_env("POSTGRES_USER", "postgres")
        .with_env("POSTGRES_HOST_AUTH_METHOD", "trust")
    )
    _publish_on_loopback(container, 5432, port)
    url = admin_url(port)

    async def ready() -> bool:
        # Over TCP: the image's init phase listens on its socket only.
        import asyncpg

        try:
            connection = await asyncpg.connect(url, timeout=2)
        except (OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    with _running(container, ready, settings.postgres_image):
        yield url


@contextmanager
def kafka_container(settings: ContainerSettings | None = None) -> Iterator[str]:
    """A fresh single-node broker (KRaft); yields its bootstrap servers string."""
    from testcontainers.core.container import DockerContainer

    settings = settings or ContainerSettings()
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    env = {
        "KAFKA_NODE_ID": "1",
        "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_LISTENERS": f"PLAINTEXT://:{port},CONTROLLER://:9093",
        "KAFKA_ADVERTISED_LISTENERS": f"PLAINTEXT://{bootstrap}",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@localhost:9093",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
        # The Tansu stand-in's two settings; Kafka ignores them, as Tansu ignores KAFKA_*.
        "TANSU_PORT": str(port),
        "TANSU_ADVERTISED_HOST": "127.0.0.1",
    }
    container = DockerContainer(settings.kafka_image)
    _publish_on_loopback(container, port, port)
    for key, value in env.items():
        container = container.with_env(key, value)

    async def ready() -> bool:
        return await kafka_ready(bootstrap)

    with _running(container, ready, settings.kafka_image):
        yield bootstrap
