"""What the stack complained about while a scenario ran, for the scenario's failure report.

A scenario that fails in CI leaves nothing behind but its output: the embedded stack's
var dir is temporary and the compose stack is taken down. So a failure report carries the
warnings and errors every service logged during the scenario, oldest first, one short
line each:

    excerpt = warnings_since(control.logs(), started)
    10:27:23.709 communications-work WARNING handler failed for evt_... (transient, ...)

Lines that are not the services' JSON logs (PostgreSQL's, the broker's) are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

LEVELS = frozenset(("WARNING", "ERROR", "CRITICAL"))
MESSAGE_CHARS = 240


def warnings_since(logs: Mapping[str, str], since: datetime, *, limit: int = 60) -> list[str]:
    """The last `limit` warning-or-worse lines logged at or after `since` (aware), by time."""
    found: list[tuple[datetime, str]] = []
    for name, text in logs.items():
        for line in text.splitlines():
            entry = _entry(line)
            if entry is None or entry.get("level") not in LEVELS:
                continue
            try:
                at = datetime.fromisoformat(str(entry["time"]))
            except (KeyError, ValueError):
                continue
            if at >= since:
                message = " ".join(str(entry.get("message", "")).split())[:MESSAGE_CHARS]
                when = f"{at:%H:%M:%S.%f}"[:-3]
                found.append((at, f"{when} {name} {entry['level']} {message}"))
    found.sort(key=lambda item: item[0])
    return [line for _, line in found[-limit:]]


def _entry(line: str) -> dict[str, object] | None:
    if not line.startswith("{"):
        return None
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None
