"""Who reads what, from the services' subscription tables: personal data reaches only the
readers ADR 0010 names, and nobody subscribes to a version that is read as a newer one.

To check the check: subscribe fulfillment's worker table to `OrderContactShared`, or
inventory's to `OrderConfirmed` (v1); each is reported by service and event.
"""

import importlib
import inspect
from typing import Any

from shop_contracts import Event, topics
from shop_contracts.upcasting import UPCASTERS
from shop_stack.topology import SERVICES

# ADR 0010: the topics that carry personal data, and the only groups that may read them.
PERSONAL_DATA_READERS = {topics.CONTACTS: {"communications"}}


def subscriptions() -> dict[str, dict[type[Event], Any]]:
    """Each service's subscription table, built with placeholders (nothing runs)."""
    tables = {}
    for service, _ in SERVICES:
        worker = importlib.import_module(f"{service}.entrypoints.worker")
        params = inspect.signature(worker.subscriptions).parameters
        tables[service] = worker.subscriptions(**dict.fromkeys(params, None))
    return tables


def test_only_the_services_adr_0010_names_read_a_topic_with_personal_data() -> None:
    readers: dict[str, set[str]] = {topic: set() for topic in PERSONAL_DATA_READERS}
    for service, table in subscriptions().items():
        for event in table:
            if event.topic in readers:
                readers[event.topic].add(service)
    assert readers == PERSONAL_DATA_READERS


def test_no_service_subscribes_to_a_version_that_reaches_it_upcast() -> None:
    # from_kafka hands such records over as the newer version: that handler would never run.
    superseded = [
        (service, event.event_type)
        for service, table in subscriptions().items()
        for event in table
        if event.event_type in UPCASTERS
    ]
    assert superseded == []
