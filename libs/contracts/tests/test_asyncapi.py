"""The committed AsyncAPI document is the contracts' and covers every topic and event."""

import json
from typing import Any

from shop_contracts import EVENT_TYPES, TOPIC_EVENT_TYPES, topics
from shop_contracts.tools import asyncapi


def document() -> dict[str, Any]:
    committed: dict[str, Any] = json.loads(asyncapi.DOCUMENT.read_text())
    return committed


def test_the_committed_document_is_current() -> None:
    assert asyncapi.DOCUMENT.read_text() == asyncapi.render(), (
        "stale: python -m shop_contracts asyncapi --write"
    )


def test_every_topic_is_a_channel_carrying_its_events() -> None:
    doc = document()
    assert doc["asyncapi"].startswith("3.")
    assert set(doc["channels"]) == set(topics.ALL)
    for topic, types in TOPIC_EVENT_TYPES.items():
        assert set(doc["channels"][topic]["messages"]) == set(types)
    assert set(doc["components"]["messages"]) == set(EVENT_TYPES)


def test_every_reference_resolves() -> None:
    doc = document()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                target: Any = doc
                for part in node["$ref"].removeprefix("#/").split("/"):
                    target = target[part]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)


def test_each_producer_sends_and_each_consumer_receives_what_it_subscribes_to() -> None:
    operations = document()["operations"]
    for topic in topics.ALL:
        assert operations[f"{topic.split('.')[0]}.publishes.{topic}"]["action"] == "send"
    checkout_gets = operations["checkout.consumes.fulfillment.shipments"]["messages"]
    # checkout subscribes to v2 and receives v1 records upcast: both are on its operation.
    assert {m["$ref"].rsplit("/", 1)[-1] for m in checkout_gets} >= {
        "shop.fulfillment.ShipmentDispatched.v1",
        "shop.fulfillment.ShipmentDispatched.v2",
    }
