"""CPU seconds spent by a set of process trees between two samples (psutil, /proc).

    meter = CpuMeter(lambda: [postmaster_pid, broker_pid, *service_pids])
    before = meter.sample(); ...; spent = cpu_seconds(before, meter.sample())

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
            try:
                tree = [psutil.Process(root)]
                tree += tree[0].children(recursive=True)
            except psutil.Error:
                continue
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
