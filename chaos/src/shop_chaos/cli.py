"""`python -m shop_chaos [--checkouts N] [--seed S] [--rate R]`: one chaos run, its report.

Starts an embedded stack on free ports in a temporary var dir (the e2e suite's, with its
settings), runs the seeded schedule of faults while checkouts flow, checks every
invariant and prints the report. Exit status 1 when the checker found an anomaly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys

from shop_e2e.deployment import embedded_stack

from shop_chaos.report import report_lines
from shop_chaos.run import chaos_run

DEFAULT_CHECKOUTS = 300
DEFAULT_RATE = 4.0
# Seventeen processes and seven migrations; measured past 4 minutes on a busy 2-core machine.
STARTUP_SECONDS = 600.0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m shop_chaos", description=__doc__)
    parser.add_argument("--checkouts", type=int, default=DEFAULT_CHECKOUTS)
    parser.add_argument("--seed", type=int, default=None, help="replays a run's schedule")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="checkouts per second")
    parser.add_argument("--keep-logs", action="store_true", help="keep the stack's var dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    print(f"chaos: seed {seed}", flush=True)
    # Faults make aiokafka (our raw clients) log every refused connection.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    with embedded_stack(
        keep=args.keep_logs, within=STARTUP_SECONDS, export_traces=False
    ) as deployment:
        run = asyncio.run(
            chaos_run(deployment, seed=seed, checkouts=args.checkouts, rate=args.rate, say=say)
        )
    print("\n".join(report_lines(run)), flush=True)
    return 1 if run.anomalies else 0


def say(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
