"""The committed JSON Schema of every event type and version (libs/contracts/schemas/events).

A committed schema is a published version: `write` adds new versions and compatible changes,
and refuses a change that breaks consumers (`compat.breaks`); a new version is the way.
`committed_at` reads them as a git revision has them: what was published before a change.
"""

from __future__ import annotations

import json
import subprocess
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


class RevisionError(Exception):
    """The schemas of a revision cannot be read: no git, no repository, an unknown revision."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as error:  # no git on PATH, or no such directory
        raise RevisionError(f"cannot run git in {cwd}: {error.strerror}") from None


def _failed(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    return lines[-1].removeprefix("fatal: ") if lines else f"git exited {done.returncode}"


def committed_at(ref: str, directory: Path = SCHEMA_DIR) -> dict[str, Schema]:
    """The schemas published at `ref` (a branch, tag or commit of the repository holding
    `directory`), by event type. Read from git's objects, never from the working tree: a
    change that edits or deletes a committed schema cannot change what it is compared with."""
    where = _git(directory, "rev-parse", "--show-toplevel", "--show-prefix")
    if where.returncode != 0:
        raise RevisionError(f"{directory}: {_failed(where)}")
    root, prefix = where.stdout.splitlines()
    # --end-of-options: a ref is never taken for an option; ^{commit}: a tag is peeled.
    found = _git(
        Path(root), "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
    )
    if found.returncode != 0:
        raise RevisionError(f"unknown git revision {ref!r} (in a shallow clone, fetch it first)")
    commit = found.stdout.strip()
    # The directory's own entries (not recursive, as `committed`); none before it existed.
    listing = _git(Path(root), "ls-tree", "-z", commit, "--", prefix)
    if listing.returncode != 0:
        raise RevisionError(f"{ref}: {_failed(listing)}")
    published: dict[str, Schema] = {}
    for entry in filter(None, listing.stdout.split("\0")):
        meta, path = entry.split("\t", 1)
        if meta.split()[1] != "blob" or not path.endswith(".json"):
            continue
        shown = _git(Path(root), "show", f"{commit}:{path}")
        if shown.returncode != 0:
            raise RevisionError(f"{ref}:{path}: {_failed(shown)}")
        published[Path(path).name.removesuffix(".json")] = json.loads(shown.stdout)
    return dict(sorted(published.items()))


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
