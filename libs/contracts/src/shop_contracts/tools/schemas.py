"""The committed JSON Schema of every event type and version (libs/contracts/schemas/events).

A committed schema is a published version: `write` adds new versions and compatible changes,
and refuses a change that breaks consumers (`compat.breaks`); a new version is the way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._registry import EVENT_TYPES

# libs/contracts/schemas/events, beside the package's src/ (the repo's layout).
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas" / "events"

Schema = dict[str, Any]


def generate() -> dict[str, Schema]:
    """Each known event type and the JSON Schema of its `data`, from its pydantic model."""
    schemas: dict[str, Schema] = {}
    for event_type, model in sorted(EVENT_TYPES.items()):
        schema = model.model_json_schema()
        schema["$id"] = f"{event_type}.json"
        schema["x-topic"] = model.topic
        schemas[event_type] = schema
    return schemas


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def committed(directory: Path = SCHEMA_DIR) -> dict[str, Schema]:
    """The published schemas, by event type."""
    return {
        path.name.removesuffix(".json"): json.loads(path.read_text())
        for path in sorted(directory.glob("*.json"))
    }


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Event types whose committed schema differs from the model (or is missing)."""
    current = generate()
    return [
        event_type
        for event_type, schema in current.items()
        if not (directory / f"{event_type}.json").is_file()
        or (directory / f"{event_type}.json").read_text() != render(schema)
    ]


def write(schemas: Mapping[str, Schema], directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type, schema in schemas.items():
        path = directory / f"{event_type}.json"
        text = render(schema)
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            written.append(path)
    return written
