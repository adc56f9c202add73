"""With traces exported, every statement of a service's database gets a span (the pinned
OpenTelemetry SQLAlchemy instrumentation hooks the engine `Database` builds), and no bound
value reaches it."""

from collections.abc import Iterator

import pytest
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from shop_servicekit import Database
from shop_testing.migrated import DatabaseFactory, asyncpg_url
from shop_testing.ports import free_port
from sqlalchemy import text


class Recorded(InMemorySpanExporter):
    def __init__(self, provider: TracerProvider) -> None:
        super().__init__()
        self.provider = provider


@pytest.fixture
def statements() -> Iterator[Recorded]:
    provider = TracerProvider()
    exporter = Recorded(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # As configure_tracing does when an endpoint is set (see shop_telemetry.tracing).
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    try:
        yield exporter
    finally:
        SQLAlchemyInstrumentor().uninstrument()
        provider.shutdown()


async def test_every_statement_of_a_database_gets_a_span_without_its_values(
    database_factory: DatabaseFactory, statements: Recorded
) -> None:
    db = Database(asyncpg_url(database_factory.create(f"servicekit_trace_{free_port()}")))
    try:
        with statements.provider.get_tracer("t").start_as_current_span("request") as request:
            async with db.sessions() as session:
                await session.scalar(
                    text("SELECT CAST(:secret AS text)"), {"secret": "alice@example.com"}
                )
    finally:
        await db.dispose()

    spans = [s for s in statements.get_finished_spans() if "SELECT" in s.name]
    assert spans, [s.name for s in statements.get_finished_spans()]
    # A child of the span that ran it, across SQLAlchemy's greenlet bridge.
    assert spans[-1].parent is not None
    assert spans[-1].parent.span_id == request.get_span_context().span_id
    attributes = dict(spans[-1].attributes or {})
    assert "postgresql" in (attributes.get("db.system"), attributes.get("db.system.name"))
    assert "alice@example.com" not in repr(attributes)
