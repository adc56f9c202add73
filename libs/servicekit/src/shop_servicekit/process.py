"""The three commands of every service process: `python -m <service> serve|work|migrate`.

    # services/pricing/src/pricing/__main__.py
    from shop_servicekit.process import ServiceCommands, main
    main(ServiceCommands(name="pricing", settings=PricingSettings, build_app=build_app,
                         build_worker=build_worker, alembic_ini=ALEMBIC_INI))

`serve` runs the HTTP API under uvicorn. `work` runs the service's background work
(consumers, outbox relay, schedules) next to a small health app on the worker port, and
stops it cleanly on SIGTERM/SIGINT. `migrate` upgrades the database to head and exits.
"""

import argparse
import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
import uvloop
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from shop_telemetry import configure_logging, configure_tracing, instrument_httpx

from shop_servicekit.health import ReadinessCheck, health_router
from shop_servicekit.metrics import metrics_router
from shop_servicekit.migrations import upgrade_when_ready
from shop_servicekit.problems import install_problem_handlers
from shop_servicekit.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Worker:
    """What `work` runs: long-lived coroutines, and the checks its health app reports."""

    tasks: Sequence[Callable[[], Coroutine[Any, Any, None]]]
    checks: dict[str, ReadinessCheck]
    registry: CollectorRegistry
    close: Callable[[], Coroutine[Any, Any, None]] | None = None


@dataclass(frozen=True)
class ServiceCommands:
    name: str
    settings: Callable[[], ServiceSettings]
    build_app: Callable[[Any], FastAPI]
    build_worker: Callable[[Any], Worker]
    alembic_ini: Path


def _uvicorn_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    # log_config=None keeps our JSON logging; access logs are replaced by metrics and traces.
    # uvloop and httptools named, not left to "auto": a missing one must fail, not slow down.
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        loop="uvloop",
        http="httptools",
    )


def worker_health_app(worker: Worker) -> FastAPI:
    app = FastAPI(title="worker health")
    install_problem_handlers(app)
    app.include_router(health_router(worker.checks))
    app.include_router(metrics_router(worker.registry))
    return app


async def run_worker(worker: Worker, host: str, port: int) -> None:
    """Run the worker's tasks until the health server is told to exit, then cancel them."""
    server = uvicorn.Server(_uvicorn_config(worker_health_app(worker), host, port))
    tasks = [
        asyncio.create_task(make(), name=getattr(make, "__name__", repr(make)))
        for make in worker.tasks
    ]

    def _on_task_done(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            # A dead consumer must not hide behind a healthy process: stop, let the
            # supervisor restart us.
            log.error("worker task %s failed", task.get_name(), exc_info=task.exception())
            server.should_exit = True

    for task in tasks:
        task.add_done_callback(_on_task_done)
    try:
        await server.serve()
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if worker.close is not None:
            await worker.close()


def main(commands: ServiceCommands, argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=commands.name)
    parser.add_argument("command", choices=["serve", "work", "migrate"])
    args = parser.parse_args(argv)

    settings = commands.settings()
    process = f"{commands.name}-{args.command}"
    configure_logging(
        service=process, level=settings.log_level, json_format=settings.log_format == "json"
    )
    if args.command == "migrate":
        upgrade_when_ready(commands.alembic_ini, settings.database_url)
        log.info("database migrated to head")
        return

    # The OTEL_* variables configure export; the service is one service.name, the
    # command (serve or work) its role.
    configure_tracing(service=commands.name, role=args.command)
    instrument_httpx()
    if args.command == "serve":
        app = commands.build_app(settings)
        uvicorn.Server(_uvicorn_config(app, settings.host, settings.port)).run()
    else:
        # The work process runs on uvloop too (consumers, relay, periodic loops).
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(_work(commands, settings))


async def _work(commands: ServiceCommands, settings: ServiceSettings) -> None:
    worker = commands.build_worker(settings)
    await run_worker(worker, settings.host, settings.worker_port)
