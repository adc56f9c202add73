"""`python -m shop_contracts <command>`: the contracts' generators and gates.

sagas                     print the participation catalogue (docs/sagas.md)
sagas --write docs/sagas.md
compat [--against REF]    the compatibility gate (docs/event-versioning.md); exit 1: a
                          break, exit 2: REF cannot be read
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .tools import asyncapi, compat, saga_doc, schemas


def _emit(text: str, write: Path | None) -> int:
    if write is None:
        sys.stdout.write(text)
    else:
        write.write_text(text)
        print(f"wrote {write}")
    return 0


def _sagas(args: argparse.Namespace) -> int:
    return _emit(saga_doc.render(), args.write)


def _schemas(args: argparse.Namespace) -> int:
    if args.write is None:
        for event_type, schema in schemas.generate().items():
            sys.stdout.write(f"# {event_type}\n{schemas.render(schema)}")
        return 0
    if _compat(args):
        return 1
    for path in schemas.write(schemas.generate(), args.write):
        print(f"wrote {path}")
    return 0


def _asyncapi(args: argparse.Namespace) -> int:
    return _emit(asyncapi.render(), args.write)


def _compat(args: argparse.Namespace) -> int:
    directory = schemas.SCHEMA_DIR  # read at call time: tests point it at a repo of their own
    against = getattr(args, "against", None)  # `schemas --write` runs the plain gate
    try:
        found = compat.check_against(against, directory) if against else compat.check(directory)
    except schemas.RevisionError as error:
        print(f"compat: {error}", file=sys.stderr)
        return 2
    # Against a base the working tree's files must also be the models' (the test checks it
    # too): they are what the next change will be compared with.
    outdated = schemas.stale(directory) if against else []
    for broken in found:
        print(f"BREAKING {broken}", file=sys.stderr)
    for event_type in outdated:
        print(f"STALE {event_type}: the committed schema is not the model's", file=sys.stderr)
    if found:
        print(
            "A published event version changed incompatibly. Publish the change as a new "
            "version (.v2) with an upcaster instead: docs/event-versioning.md",
            file=sys.stderr,
        )
        return 1
    if outdated:
        print("Run: python -m shop_contracts schemas --write", file=sys.stderr)
        return 1
    published = len(schemas.committed(directory))
    print(
        f"compatible: {published} published event versions"
        + (f", and with {against}" if against else "")
    )
    return 0


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "sagas": ("print the participation catalogue (markdown)", _sagas),
    "schemas": ("print or --write the events' JSON Schemas", _schemas),
    "asyncapi": ("print or --write the AsyncAPI 3 document", _asyncapi),
    "compat": ("fail on an incompatible change of a published event version", _compat),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_contracts")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        if name in ("schemas", "asyncapi"):
            default = schemas.SCHEMA_DIR if name == "schemas" else asyncapi.DOCUMENT
            command.add_argument("--write", type=Path, nargs="?", const=default)
        elif name == "compat":
            command.add_argument(
                "--against",
                metavar="REF",
                help="also compare with the schemas published at this git revision",
            )
        else:
            command.add_argument("--write", type=Path, help="write to this file, not stdout")
    args = parser.parse_args(argv)
    return COMMANDS[args.command][1](args)


if __name__ == "__main__":
    raise SystemExit(main())
