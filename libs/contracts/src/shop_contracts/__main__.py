"""`python -m shop_contracts <command>`: the contracts' generators and gates.

sagas                     print the participation catalogue (docs/sagas.md)
sagas --write docs/sagas.md
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .tools import saga_doc


def _emit(text: str, write: Path | None) -> int:
    if write is None:
        sys.stdout.write(text)
    else:
        write.write_text(text)
        print(f"wrote {write}")
    return 0


def _sagas(args: argparse.Namespace) -> int:
    return _emit(saga_doc.render(), args.write)


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "sagas": ("print the participation catalogue (markdown)", _sagas),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_contracts")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--write", type=Path, help="write to this file instead of stdout")
    args = parser.parse_args(argv)
    return COMMANDS[args.command][1](args)


if __name__ == "__main__":
    raise SystemExit(main())
