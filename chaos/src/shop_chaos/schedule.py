"""The seeded schedule of nemeses: the same seed and length give the same schedule.

    for fault in plan(seed=42, seconds=120):
        print(fault)        # "  14.2s  pause payment-work for 4.0s"

A fault is plain data (when, what, on which target, for how long); `nemeses` performs it.
Faults run one after another: each starts at its planned time or when the previous one
has ended, whichever is later, so two faults never fight over one process. The
reconciliation job runs on its own fixed schedule, between faults.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SERVICES = (
    "checkout", "pricing", "inventory", "payment", "fulfillment", "communications",
    "reconciliation",
)  # fmt: skip
PROCESSES = tuple(f"{service}-{role}" for service in SERVICES for role in ("serve", "work"))
DEPENDENCIES = ("pricing", "inventory", "payment")  # what checkout calls in the moment
TOPICS = ("checkout.orders", "fulfillment.shipments", "inventory.stock", "payment.payments")

# Longer than any retry budget of the consumers (five attempts over about 3 s).
SMTP_DOWN_SECONDS = (8.0, 15.0)
# Weights: process faults are the most common, infrastructure restarts the rarest.
KINDS = {
    "kill": 5,
    "pause": 4,
    "latency": 3,
    "refuse": 2,
    "duplicates": 3,
    "smtp-down": 1,
    "broker-restart": 1,
    "postgres-restart": 1,
}
RECONCILE_EVERY = 30.0


@dataclass(frozen=True)
class Fault:
    at: float  # seconds after the workload starts
    kind: str
    target: str = ""
    seconds: float = 0.0  # how long it lasts (pause, latency, refuse, down)
    size: int = 0  # latency in ms, or records re-published

    def __str__(self) -> str:
        what = {
            "kill": f"SIGKILL {self.target}",
            "pause": f"SIGSTOP {self.target}, SIGCONT after {self.seconds:.1f}s",
            "latency": f"{self.size} ms latency on {self.target} for {self.seconds:.1f}s",
            "refuse": f"{self.target} refuses every request for {self.seconds:.1f}s",
            "duplicates": f"re-publish {self.size} records of {self.target}",
            "smtp-down": f"SMTP sink down for {self.seconds:.1f}s",
            "broker-restart": f"broker stopped for {self.seconds:.1f}s, then restarted",
            "postgres-restart": f"PostgreSQL stopped for {self.seconds:.1f}s, then restarted",
            "reconcile": "a reconciliation run (repairing)",
        }[self.kind]
        return f"{self.at:7.1f}s  {what}"


def plan(seed: int, seconds: float, *, gap: tuple[float, float] = (4.0, 10.0)) -> list[Fault]:
    """The faults of a run of `seconds`, from `seed`, sorted by start time."""
    rng = random.Random(seed)
    faults: list[Fault] = []
    at = rng.uniform(*gap)
    while at < seconds - gap[0]:
        faults.append(_fault(rng, round(at, 1)))
        at += rng.uniform(*gap)
    at = RECONCILE_EVERY
    while at < seconds:
        faults.append(Fault(at, "reconcile"))
        at += RECONCILE_EVERY
    return sorted(faults, key=lambda f: f.at)


def _fault(rng: random.Random, at: float) -> Fault:
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    if kind == "kill":
        return Fault(at, kind, rng.choice(PROCESSES))
    if kind == "pause":
        return Fault(at, kind, rng.choice(PROCESSES), round(rng.uniform(1.0, 6.0), 1))
    if kind == "latency":
        ms = rng.choice((200, 500, 1000, 2500))
        return Fault(at, kind, rng.choice(DEPENDENCIES), round(rng.uniform(3.0, 10.0), 1), ms)
    if kind == "refuse":
        return Fault(at, kind, rng.choice(DEPENDENCIES), round(rng.uniform(2.0, 8.0), 1))
    if kind == "duplicates":
        return Fault(at, kind, rng.choice(TOPICS), size=rng.randint(3, 20))
    if kind == "smtp-down":
        return Fault(at, kind, "smtp", round(rng.uniform(*SMTP_DOWN_SECONDS), 1))
    return Fault(at, kind, kind.removesuffix("-restart"), round(rng.uniform(1.0, 4.0), 1))
