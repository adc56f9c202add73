"""`python -m shop_stack up|down|status|start|stop|restart`: the operator's commands.

python -m shop_stack up [--foreground] [--timeout 60]
python -m shop_stack status            # exit 1 if any expected process is down
python -m shop_stack restart payment-work
python -m shop_stack down

`up` without `--foreground` (what `make up` and `make demo` run) starts a detached keeper,
`up --foreground` in its own session (`stack` in status, var/log/stack.log), and returns
once the stack is ready: the keeper restarts any process that dies until `down`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time

from shop_stack.runner import StackError, StackRunner
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor, SupervisorError
from shop_stack.topology import StackConfig, Topology, build_topology

KEEPER = "stack"
KEEPER_GRACE = 60.0  # stopping every process of the stack, PostgreSQL last
# Readiness of a cold start: about 25 Python processes (migrations, serve, work, storefront)
# import FastAPI, SQLAlchemy and aiokafka, 5-6 s of CPU each, which is a minute of two cores.
STARTUP_SECONDS = 240.0


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


async def _status_rows(topology: Topology, sup: Supervisor) -> tuple[list[tuple[str, ...]], bool]:
    rows: list[tuple[str, ...]] = [("PROCESS", "PID", "ALIVE", "URL", "HEALTH", "LOG")]
    all_up = True
    for spec in topology.processes:
        state = sup.state(spec.name)
        healthy = state.alive and (spec.ready is None or await spec.ready())
        all_up &= healthy
        rows.append((spec.name, str(state.pid or "-"), "yes" if state.alive else "no",
                     spec.url or "-", "200" if healthy else "down",
                     str(sup.log_file(spec.name))))  # fmt: skip
    keeper = sup.pid(KEEPER)
    if keeper is not None:  # not a service: up or not, it does not decide all_up
        rows.append((KEEPER, str(keeper), "yes", "-", "-", str(sup.log_file(KEEPER))))
    return rows, all_up


async def _up(runner: StackRunner, within: float, foreground: bool) -> int:
    if not foreground:
        return await _up_detached(runner, within)
    await runner.up(within)
    rows, _ = await _status_rows(runner.topology, runner.sup)
    print(_table(rows))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner.keep_alive()
    print("Running in the foreground, restarting any process that dies; Ctrl-C stops everything.")
    await stop.wait()
    print("Stopping...")
    runner.down([s.name for s in runner.topology.processes])
    return 0


async def _up_detached(runner: StackRunner, within: float) -> int:
    """Start the keeper (unless one runs) and wait until the whole stack is ready."""
    sup = runner.sup
    if sup.pid(KEEPER) is None:
        sup.start(keeper_spec(within))
    deadline = time.monotonic() + within + 30
    progress = Progress(runner.topology, sup)
    print(f"Starting the stack ({len(runner.topology.processes)} processes; "
          f"the keeper logs to {sup.log_file(KEEPER)}):")  # fmt: skip
    while True:
        await progress.report()
        code = sup.exited(KEEPER)
        if code is not None:
            print(f"error: the stack did not start (exit {code}); last lines of "
                  f"{sup.log_file(KEEPER)}:\n{sup.tail(KEEPER, 40)}", file=sys.stderr)  # fmt: skip
            return 1
        rows, all_up = await _status_rows(runner.topology, sup)
        if all_up or time.monotonic() > deadline:
            # The status check can see a process ready before the progress lines did.
            await progress.report()
            print(_table(rows))
            if not all_up:
                print(f"error: not ready in time; see {sup.log_file(KEEPER)}", file=sys.stderr)
                return 1
            print(f"The stack runs in the background, kept alive by pid {sup.pid(KEEPER)} "
                  "(restarts what dies); stop it with: python -m shop_stack down")  # fmt: skip
            return 0
        await asyncio.sleep(0.5)


class Progress:
    """One line per process as it starts and as it becomes ready, and every few seconds
    the ones still awaited: `make up` shows where it is instead of waiting silently."""

    def __init__(self, topology: Topology, sup: Supervisor, *, every: float = 10.0) -> None:
        self._topology = topology
        self._sup = sup
        self._began = time.monotonic()
        self._started: set[str] = set()
        self._ready: set[str] = set()
        self._every = every
        self._next_summary = self._began + every

    async def report(self) -> None:
        for spec in self._topology.processes:
            if spec.name in self._ready:
                continue
            pid = self._sup.pid(spec.name)
            if pid is not None and spec.name not in self._started:
                self._started.add(spec.name)
                print(f"  {self._elapsed()} {spec.name}: started (pid {pid})", flush=True)
            if pid is not None and (spec.ready is None or await spec.ready()):
                self._ready.add(spec.name)
                where = f" at {spec.url}" if spec.url else ""
                print(f"  {self._elapsed()} {spec.name}: ready{where}", flush=True)
        now = time.monotonic()
        waiting = [s.name for s in self._topology.processes if s.name not in self._ready]
        if waiting and now >= self._next_summary:
            self._next_summary = now + self._every
            print(f"  {self._elapsed()} waiting for: {', '.join(waiting)}", flush=True)

    def _elapsed(self) -> str:
        return f"[{time.monotonic() - self._began:5.1f}s]"


def keeper_spec(within: float) -> ProcessSpec:
    """`up --foreground` as a supervised process of its own: it starts the stack, restarts
    what dies, and stops everything on SIGTERM (`down` gives it time to)."""
    argv = (sys.executable, "-m", "shop_stack", "up", "--foreground", "--timeout", str(within))
    return ProcessSpec(KEEPER, argv, env={"PYTHONUNBUFFERED": "1"}, kind="keeper")


def _down(runner: StackRunner) -> list[str]:
    # The keeper first: left running, it would restart what the rest of `down` stops.
    stopped = [KEEPER] if runner.sup.stop(KEEPER, grace=KEEPER_GRACE) else []
    return stopped + runner.down([n for n in runner.sup.names() if n != KEEPER])


async def _run(args: argparse.Namespace) -> int:
    config = StackConfig.from_env()
    topology = build_topology(config)
    sup = Supervisor(config.dirs)
    runner = StackRunner(topology, sup)
    if args.cmd == "up":
        return await _up(runner, args.timeout, args.foreground)
    if args.cmd == "down":
        stopped = _down(runner)
        print("stopped: " + (", ".join(stopped) or "nothing was running"))
        return 0
    if args.cmd == "status":
        rows, all_up = await _status_rows(topology, sup)
        print(_table(rows))
        return 0 if all_up else 1
    topology.get(args.name)  # fail early on a typo
    if args.cmd in ("stop", "restart"):
        print(f"{args.name}: " + ("stopped" if sup.stop(args.name) else "was not running"))
    if args.cmd in ("start", "restart"):
        await runner.start(args.name, args.timeout)
        print(f"{args.name}: running, pid {sup.pid(args.name)}")
    return 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m shop_stack", description=__doc__)
    sub = parser.add_subparsers(dest="cmd")
    up = sub.add_parser("up", help="start the whole stack and wait until it is ready")
    up.add_argument("--foreground", action="store_true", help="stay; Ctrl-C stops the stack")
    sub.add_parser("down", help="stop every process we started")
    sub.add_parser("status", help="pid, liveness and health of every process")
    for cmd in ("start", "stop", "restart"):
        one = sub.add_parser(cmd, help=f"{cmd} one process")
        one.add_argument("name")
    for p in (parser, up, *(sub.choices[c] for c in ("start", "restart"))):
        p.add_argument(
            "--timeout", type=float, default=STARTUP_SECONDS, help="readiness deadline, seconds"
        )
    args = parser.parse_args(argv)
    args.cmd = args.cmd or "up"
    args.foreground = getattr(args, "foreground", False)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # A broker that is still starting makes aiokafka log every refused connection.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        return asyncio.run(_run(args))
    except (StackError, SupervisorError, KeyError, ValueError) as exc:
        print(f"error: {str(exc).splitlines()[0] if exc.args else exc!r}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        with contextlib.suppress(Exception):
            print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
