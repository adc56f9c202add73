"""CPU seconds spent by a set of process trees between two samples (psutil, /proc).

    meter = CpuMeter(lambda: [postmaster_pid, broker_pid, *service_pids])
    before = meter.sample(); ...; spent = cpu_seconds(before, meter.sample())

    named = NamedCpuMeter(lambda: {"postgres": postmaster_pid, "broker": broker_pid})
    before = named.sample(); ...; by_name = cpu_seconds_by_name(before, named.sample())

Every process under each root counts (PostgreSQL backends, the broker's children). A
process that appeared in between counts from zero; one that exited in between is lost,
which undercounts short-lived processes only (the stack's pools keep theirs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import psutil

# pid -> (create time, user + system CPU seconds)
Sample = dict[int, tuple[float, float]]


class CpuMeter:
    def __init__(self, roots: Callable[[], Iterable[int]]) -> None:
        self._roots = roots

    def sample(self) -> Sample:
        found: Sample = {}
        for root in self._roots():
            found.update(_tree(root))
        return found


def _tree(root: int) -> Sample:
    """The process `root` and all its descendants (none if it is gone)."""
    found: Sample = {}
    try:
        tree = [psutil.Process(root)]
        tree += tree[0].children(recursive=True)
    except psutil.Error:
        return found
    for proc in tree:
        try:
            with proc.oneshot():
                times = proc.cpu_times()
                found[proc.pid] = (proc.create_time(), times.user + times.system)
        except psutil.Error:
            continue
    return found


def cpu_seconds(before: Mapping[int, tuple[float, float]], after: Sample) -> float:
    """CPU spent between the samples by every process alive at the second one."""
    spent = 0.0
    for pid, (created, total) in after.items():
        earlier = before.get(pid)
        same_process = earlier is not None and earlier[0] == created
        spent += total - earlier[1] if same_process and earlier else total
    return spent


class NamedCpuMeter:
    """Samples per named process tree, to say where the CPU went, not only how much."""

    def __init__(self, roots: Callable[[], Mapping[str, int]]) -> None:
        self._roots = roots

    def sample(self) -> dict[str, Sample]:
        return {name: _tree(pid) for name, pid in self._roots().items()}


def cpu_seconds_by_name(
    before: Mapping[str, Sample], after: Mapping[str, Sample]
) -> dict[str, float]:
    """CPU spent by each named tree between the samples, the largest first."""
    spent = {name: cpu_seconds(before.get(name, {}), tree) for name, tree in after.items()}
    return dict(sorted(spent.items(), key=lambda item: -item[1]))
