"""`python -m shop_forking wire --name gifts --port 8010 [--summary ...] [--like pricing]` and
`python -m shop_forking rename --name acme` (run from the repository's root)."""

from __future__ import annotations

import argparse
from pathlib import Path

from shop_forking.rename import rename
from shop_forking.wiring import NewService, wire


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shop_forking")
    commands = parser.add_subparsers(dest="command", required=True)
    wiring = commands.add_parser("wire", help="register a generated service everywhere")
    wiring.add_argument("--name", required=True)
    wiring.add_argument("--port", required=True, type=int)
    wiring.add_argument("--summary", default="generated from the service template")
    wiring.add_argument("--check", action="store_true", help="refuse a name or port in use")
    wiring.add_argument("--like", default="pricing", help="the service whose entries it copies")
    renaming = commands.add_parser("rename", help="rename the project's packages and wire names")
    renaming.add_argument("--name", required=True)
    renaming.add_argument("--keep-wire-names", action="store_true")
    args = parser.parse_args()
    root = Path.cwd()
    try:
        if args.command == "wire":
            service = NewService(args.name, args.port, args.summary, like=args.like)
            changed = wire(root, service, check_only=args.check)
        else:
            changed = rename(root, args.name, keep_wire_names=args.keep_wire_names)
    except (ValueError, FileNotFoundError) as exc:
        raise SystemExit(f"{args.command}: {exc}") from None
    for path in changed:
        print(f"  changed {path}")


if __name__ == "__main__":
    main()
