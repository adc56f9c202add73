"""`python -m shop_messaging replay-dlq --group fulfillment --bootstrap-servers HOST:PORT`."""

from __future__ import annotations

import argparse
import asyncio
import os

from ._replay import replay_dlq


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_messaging")
    commands = parser.add_subparsers(dest="command", required=True)
    replay = commands.add_parser("replay-dlq", help="republish <group>.dlq to original topics")
    replay.add_argument("--group", required=True, help="the consumer group whose DLQ to replay")
    replay.add_argument(
        "--bootstrap-servers",
        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
    )
    replay.add_argument("--limit", type=int, default=None, help="replay at most this many")
    replay.add_argument(
        "--idempotence", action="store_true", help="idempotent producer (real Kafka only)"
    )
    args = parser.parse_args(argv)
    count = asyncio.run(
        replay_dlq(
            args.group,
            args.bootstrap_servers,
            enable_idempotence=args.idempotence,
            limit=args.limit,
        )
    )
    print(f"replayed {count} record(s) from {args.group}.dlq")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
