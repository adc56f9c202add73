"""`python -m shop_stack.create_topics`: create infra/topics.toml's topics on a broker, once
it answers; the init job of docker compose (the embedded runner calls create_topics itself).

    python -m shop_stack.create_topics --bootstrap kafka:9092 --within 120

Exits 0 when every topic exists (creating none is fine), 1 if the broker never answered.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from aiokafka.errors import KafkaError

from shop_stack.topics import create_topics


async def create_when_ready(bootstrap: str, within: float, interval: float = 1.0) -> list[str]:
    """Retry until the broker takes the request or `within` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        try:
            return await create_topics(bootstrap)
        except (KafkaError, OSError) as error:
            if time.monotonic() + interval > deadline:
                raise TimeoutError(
                    f"{bootstrap} did not answer within {within}s: {error}"
                ) from error
            await asyncio.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_stack.create_topics")
    parser.add_argument("--bootstrap", required=True, help="host:port of the broker")
    parser.add_argument("--within", type=float, default=120.0, help="seconds to wait for it")
    args = parser.parse_args(argv)
    try:
        created = asyncio.run(create_when_ready(args.bootstrap, args.within))
    except TimeoutError as error:
        print(error, file=sys.stderr)
        return 1
    print("created: " + (", ".join(created) or "nothing, every topic exists"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
