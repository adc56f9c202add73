"""The AsyncAPI 3 document of the shop's events, generated from the contracts.

Channels are the topics (`shop_contracts.topics`), messages are the CloudEvents of each
type in the Kafka binary binding (the `ce_*` headers, the order id as the key, the payload
schema committed under libs/contracts/schemas/events), and operations are per service:
the producer sends on its topic, each consumer (its subscriptions, from the saga
catalogue) receives. `python -m shop_contracts asyncapi --write`; a test fails when stale.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

from .._registry import EVENT_TYPES, TOPIC_EVENT_TYPES
from ..saga_steps import STEPS
from ..upcasting import UPCASTERS
from .schemas import generate

DOCUMENT = Path(__file__).resolve().parents[3] / "asyncapi.json"

_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0, Kafka binary binding: attributes as ce_* headers.",
    "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject"],
    "properties": {
        "ce_specversion": {"const": "1.0"},
        "ce_id": {"type": "string", "description": "unique event id (evt_...)"},
        "ce_source": {"type": "string", "description": "/<producing service>"},
        "ce_type": {"type": "string", "description": "shop.<service>.<Name>.v<N>"},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_subject": {"type": "string", "description": "the order id (the SKU for stock)"},
        "ce_correlationid": {"type": "string"},
        "traceparent": {"type": "string", "description": "W3C trace context"},
        "content-type": {"const": "application/json"},
    },
}


_NOT_INLINED = ("$defs", "$id", "x-topic")


def _ref_defs(node: Any) -> Any:
    """The payload's `#/$defs/X` references, pointed at the document's shared schemas."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref"
                else _ref_defs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_ref_defs(item) for item in node]
    return node


def _consumers() -> dict[str, set[str]]:
    """service -> the event types it receives (an upcast version's old type included)."""
    received: dict[str, set[str]] = {}
    for step in STEPS:
        for trigger in step.triggers:
            if isinstance(trigger, type):
                received.setdefault(step.service, set()).add(trigger.event_type)
    for old, upcaster in UPCASTERS.items():
        for types in received.values():
            if upcaster.target.event_type in types:
                types.add(old)
    return received


def _message_ref(event_type: str) -> dict[str, str]:
    topic = EVENT_TYPES[event_type].topic
    return {"$ref": f"#/channels/{topic}/messages/{event_type}"}


def build(version: str) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event_type, schema in generate().items():
        # `$id` would rebase the payload's references; the topic is the channel's.
        payload = _ref_defs({k: v for k, v in schema.items() if k not in _NOT_INLINED})
        schemas.update(_ref_defs(schema.get("$defs", {})))
        schemas[event_type] = payload
        model = EVENT_TYPES[event_type]
        messages[event_type] = {
            "name": event_type,
            "title": model.__name__,
            "summary": (model.__doc__ or "").strip().split("\n")[0] or event_type,
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
            "payload": {"$ref": f"#/components/schemas/{event_type}"},
            "bindings": {"kafka": {"key": {"type": "string"}, "bindingVersion": "0.5.0"}},
        }
    schemas["CloudEventHeaders"] = _HEADERS
    channels = {
        topic: {
            "address": topic,
            "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in types},
        }
        for topic, types in sorted(TOPIC_EVENT_TYPES.items())
    }
    operations: dict[str, Any] = {}
    for topic, types in sorted(TOPIC_EVENT_TYPES.items()):
        producer = topic.split(".")[0]
        operations[f"{producer}.publishes.{topic}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": [_message_ref(t) for t in types],
        }
    for service, received in sorted(_consumers().items()):
        for topic, types in sorted(TOPIC_EVENT_TYPES.items()):
            mine = [t for t in types if t in received]
            if mine:
                operations[f"{service}.consumes.{topic}"] = {
                    "action": "receive",
                    "channel": {"$ref": f"#/channels/{topic}"},
                    "messages": [_message_ref(t) for t in mine],
                }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Shop events",
            "version": version,
            "description": "Generated by `python -m shop_contracts asyncapi --write` from "
            "libs/contracts; do not edit. Each consumer group's dead letters go to "
            "`<group>.dlq` with the original record. Sagas: docs/sagas.md.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def render() -> str:
    return json.dumps(build(metadata.version("shop-contracts")), indent=2) + "\n"
