"""Run a baseline app in its own process (like a service: its own interpreter and core
share), wait until it answers, stop it afterwards.

    with app_processes([("leaf", ["--port", "40001"])], module=...) as procs: ...
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

STARTUP_SECONDS = 300.0  # importing FastAPI takes long on a loaded machine


def serve(app: FastAPI, port: int) -> None:
    """Serve like the services do: uvicorn, no access log, loopback only."""
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


@contextmanager
def app_processes(module: str, runs: Sequence[tuple[int, Sequence[str]]]) -> Iterator[list[int]]:
    """Start `python -m module *args` per (port, args); yield their pids once every
    http://127.0.0.1:<port>/health answers; terminate them on exit."""
    procs = [
        subprocess.Popen([sys.executable, "-m", module, *args], stdin=subprocess.DEVNULL)
        for _, args in runs
    ]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for port, _ in runs:
            while not _answers(f"http://127.0.0.1:{port}/health"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{module} on port {port} did not start")
                time.sleep(0.1)
        yield [p.pid for p in procs]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
