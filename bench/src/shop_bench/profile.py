"""A py-spy profile of a running process, kept as a short text summary of its top frames.

    collapsed = await record(pid, seconds=15)          # py-spy record -f raw (needs root here)
    Path("bench/profiles/checkout-serve-before.txt").write_text(summarise(collapsed, "..."))

The summary lists where samples end (self time), which frames they pass through (inclusive
time) and the same by package, each as a share of all samples.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

TOP = 25
# py-spy names a frame "function (package/module.py:line)", the path relative to sys.path.
_PACKAGE = re.compile(r"\(([A-Za-z0-9_.]+)/[^()]*:\d+\)$")


async def record(pid: int, seconds: int, rate: int = 100) -> str:
    """py-spy's collapsed stacks ("frame;frame;frame count" lines) of `pid`."""
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.txt"
        proc = await asyncio.create_subprocess_exec(
            py_spy, "record", "-p", str(pid), "-d", str(seconds), "-r", str(rate),
            "-f", "raw", "-o", str(out),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await asyncio.wait_for(proc.communicate(), timeout=seconds + 60)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"py-spy failed ({proc.returncode}): {err.decode()[-500:]}")
        return out.read_text()


def parse(collapsed: str) -> list[tuple[list[str], int]]:
    stacks = []
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def package_of(frame: str) -> str:
    found = _PACKAGE.search(frame)
    return found.group(1) if found else "(top-level module or frozen)"


def summarise(collapsed: str, heading: str) -> str:
    stacks = parse(collapsed)
    total = sum(count for _, count in stacks) or 1
    own: Counter[str] = Counter()
    through: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    own_packages: Counter[str] = Counter()
    for frames, count in stacks:
        own[frames[-1]] += count
        own_packages[package_of(frames[-1])] += count
        for frame in set(frames):
            through[frame] += count
        for package in {package_of(f) for f in frames}:
            packages[package] += count

    def block(title: str, counts: Counter[str]) -> list[str]:
        rows = [f"{100 * n / total:6.1f}%  {name}" for name, n in counts.most_common(TOP)]
        return ["", title, *rows]

    return "\n".join(
        [
            heading,
            f"samples: {total}",
            *block("packages where samples end (self):", own_packages),
            *block("packages a sample passes through (inclusive):", packages),
            *block("frames where samples end (self):", own),
            *block("frames samples pass through (inclusive):", through),
            "",
        ]
    )
