from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from communications.bootstrap import ALEMBIC_INI, build_app
from communications.settings import CommunicationsSettings
from shop_servicekit import Database
from shop_testing.apps import app_client
from shop_testing.migrated import DatabaseFactory, MigratedDatabases
from shop_testing.ports import free_port


class CapturingHandler:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on a free port that a test can start, stop and start again."""

    def __init__(self) -> None:
        self.handler = CapturingHandler()
        self.port = free_port()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def mail_server() -> Iterator[SmtpServer]:
    """An SMTP server for this test only, not yet started (so a test can begin with it down)."""
    server = SmtpServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp(mail_server: SmtpServer) -> tuple[CapturingHandler, int]:
    """A real SMTP server on a free port, for this test only, running: (handler, port)."""
    mail_server.start()
    return mail_server.handler, mail_server.port


@pytest.fixture(scope="session")
def communications_databases(database_factory: DatabaseFactory) -> MigratedDatabases:
    return MigratedDatabases(database_factory, ALEMBIC_INI, prefix="communications")


@pytest.fixture
def settings(
    communications_databases: MigratedDatabases, mail_server: SmtpServer
) -> CommunicationsSettings:
    """A fresh database; SMTP is this test's `mail_server` (down unless the test starts it)."""
    return CommunicationsSettings(
        database_url=communications_databases.create(),
        smtp_port=mail_server.port,
        smtp_timeout_seconds=5,
    )


@pytest.fixture
async def db(settings: CommunicationsSettings) -> AsyncIterator[Database]:
    database = Database(settings.database_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
async def client(settings: CommunicationsSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(build_app(settings), "http://communications") as c:
        yield c
