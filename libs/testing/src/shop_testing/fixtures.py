"""Session fixtures: a real PostgreSQL and Kafka-compatible broker for the whole run.

Loaded automatically (the `shop-testing` distribution registers it as a pytest plugin);
a top-level conftest may also say `pytest_plugins = ["shop_testing.fixtures"]`.

    def test_x(postgres_admin_url: str, kafka_bootstrap_servers: str) -> None: ...

    @pytest.fixture(scope="session")
    def pricing_template(database_factory: DatabaseFactory) -> str:
        url = database_factory.create(unique_name("pricing_tpl"))  # then migrate it
        ...

Env `SHOP_TEST_DATABASE_URL` (an admin URL) and `SHOP_TEST_KAFKA_BOOTSTRAP_SERVERS`
point the fixtures at external servers (e.g. docker compose) instead of embedded ones;
`SHOP_TEST_BACKEND=containers` starts them with testcontainers (shop_testing.containers).
Fixtures are synchronous so sync and async tests alike can use them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from shop_testing.containers import ContainerSettings, kafka_container, postgres_container
from shop_testing.databases import DatabaseFactory
from shop_testing.servers import embedded_broker, embedded_postgres


def _in_containers() -> bool:
    return ContainerSettings().backend == "containers"


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """Admin URL (`postgresql://postgres@127.0.0.1:<port>/postgres`) of the session's server."""
    external = os.environ.get("SHOP_TEST_DATABASE_URL")
    if external:
        yield external
        return
    with postgres_container() if _in_containers() else embedded_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def kafka_bootstrap_servers() -> Iterator[str]:
    """Bootstrap servers (`127.0.0.1:<port>`) of the session's broker (Tansu: no idempotence)."""
    external = os.environ.get("SHOP_TEST_KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    with kafka_container() if _in_containers() else embedded_broker() as bootstrap:
        yield bootstrap


@pytest.fixture(scope="session")
def kafka_idempotence() -> bool:
    """Whether the session's broker takes idempotent producers (the embedded Tansu does not)."""
    settings = ContainerSettings()
    return settings.backend == "containers" and settings.kafka_idempotence


@pytest.fixture(scope="session")
def database_factory(postgres_admin_url: str) -> Iterator[DatabaseFactory]:
    """Creates/drops databases on the session's server; drops what it made at the end."""
    factory = DatabaseFactory(postgres_admin_url)
    yield factory
    factory.drop_all()
