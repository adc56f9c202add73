"""The compatibility gate: is the current model of a published event version still readable
by its consumers, and are events already in the log still readable by the new model?

Breaking (needs a new `.vN`): a field removed, a field retyped, an optional field made
required, a required field added. Compatible: an optional field added (deploy consumers
first: payloads are strict and an old consumer refuses a field it does not know), a
constraint or description changed. Nested value objects are compared field by field.

    python -m shop_contracts compat        # exit 1 naming each field and its consumers
    python -m shop_contracts compat --against origin/main   # and main's published schemas

Against a base, the published schemas are read from git at that revision: a change that
edits or deletes a committed schema together with the model is compared with the schema
as it was before (like `buf breaking --against`), not with its own edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..saga_steps import STEPS
from ..upcasting import UPCASTERS
from .schemas import SCHEMA_DIR, Schema, committed, committed_at, generate


@dataclass(frozen=True)
class Break:
    event_type: str
    field: str
    change: str
    consumers: tuple[str, ...]

    def __str__(self) -> str:
        who = ", ".join(self.consumers) or "no consumer yet"
        return f"{self.event_type}: field {self.field!r} {self.change} (consumed by {who})"


def consumers(event_type: str) -> tuple[str, ...]:
    """The services whose subscriptions receive this type (itself or upcast)."""
    types = {event_type}
    if event_type in UPCASTERS:
        types.add(UPCASTERS[event_type].target.event_type)
    return tuple(
        sorted(
            {
                step.service
                for step in STEPS
                for trigger in step.triggers
                if isinstance(trigger, type) and trigger.event_type in types
            }
        )
    )


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        node = root["$defs"][str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def _kind(node: Mapping[str, Any], root: Mapping[str, Any]) -> str:
    node = _resolve(node, root)
    if "anyOf" in node:
        return " | ".join(sorted(_kind(option, root) for option in node["anyOf"]))
    if "enum" in node or "const" in node:
        return "enum"
    kind = str(node.get("type", "any"))
    return f"{kind}:{node['format']}" if "format" in node else kind


def _compare(
    old: Mapping[str, Any], new: Mapping[str, Any], roots: tuple[Schema, Schema], path: str
) -> list[tuple[str, str]]:
    old, new = _resolve(old, roots[0]), _resolve(new, roots[1])
    old_kind, new_kind = _kind(old, roots[0]), _kind(new, roots[1])
    if old_kind != new_kind:
        return [(path, f"retyped from {old_kind} to {new_kind}")]
    found: list[tuple[str, str]] = []
    if old_kind == "object":
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, schema in old_props.items():
            field = f"{path}.{name}" if path else name
            if name not in new_props:
                found.append((field, "removed"))
            else:
                found += _compare(schema, new_props[name], roots, field)
        for name in sorted(new_required - old_required):
            field = f"{path}.{name}" if path else name
            found.append((field, "made required" if name in old_props else "added as required"))
    elif old_kind == "array" and "items" in old and "items" in new:
        found += _compare(old["items"], new["items"], roots, f"{path}[]")
    return found


def breaks(published: Mapping[str, Schema], current: Mapping[str, Schema]) -> list[Break]:
    """Every incompatible change of a published version (a vanished version included)."""
    found: list[Break] = []
    for event_type, old in sorted(published.items()):
        new = current.get(event_type)
        if new is None:
            found.append(Break(event_type, "*", "version removed", consumers(event_type)))
            continue
        for field, change in _compare(old, new, (old, new), ""):
            found.append(Break(event_type, field, change, consumers(event_type)))
    return found


def check(directory: Path = SCHEMA_DIR) -> list[Break]:
    """The gate CI runs: the models against the committed (published) schemas."""
    return breaks(committed(directory), generate())


def check_against(ref: str, directory: Path = SCHEMA_DIR) -> list[Break]:
    """The gate against a base: the models against the schemas published at `ref` (a git
    revision; `schemas.RevisionError` when it cannot be read), then against the working
    tree's, as `check`, each break named once."""
    current = generate()
    found = breaks(committed_at(ref, directory), current)
    return found + [b for b in breaks(committed(directory), current) if b not in found]
