"""What the cluster runs, read from the stack topology (`shop_stack.topology`).

    plan = cluster_plan()
    [p.name for p in plan.processes]   # ['checkout-serve', 'checkout-work', 'pricing-serve', ...]

Nothing here knows the list of services: it comes from `build_topology`, so a process
added to the stack appears here, and the manifests (or their staleness test) follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec
from shop_stack.topology import StackConfig, Topology, build_topology

# A cluster always has its own PostgreSQL and Kafka: the topology then lists no embedded ones.
CLUSTER_STACK = StackConfig(
    dirs=VarDirs(Path("var")),
    external_database_url="postgresql://postgres@postgres:5432/postgres",
    external_kafka="kafka:9092",
)


@dataclass(frozen=True)
class Process:
    """One long-running process of a service: `python -m <service> <role>` on `port`."""

    name: str
    service: str
    role: str
    port: int


@dataclass(frozen=True)
class Migration:
    name: str
    service: str


@dataclass(frozen=True)
class ClusterPlan:
    processes: tuple[Process, ...]
    migrations: tuple[Migration, ...]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.service for p in self.processes))

    def process(self, service: str, role: str) -> Process:
        for p in self.processes:
            if (p.service, p.role) == (service, role):
                return p
        raise KeyError(f"{service} has no {role} process")


def _service_and_role(spec: ProcessSpec) -> tuple[str, str]:
    # The topology runs every service process as `python -m <service> <role>`.
    if spec.argv[-3:-2] != ("-m",):
        raise ValueError(f"{spec.name}: expected `python -m <service> <role>`, got {spec.argv}")
    return spec.argv[-2], spec.argv[-1]


def plan_of(topology: Topology) -> ClusterPlan:
    processes = []
    for spec in topology.services:
        service, role = _service_and_role(spec)
        if len(spec.ports) != 1:
            raise ValueError(f"{spec.name}: expected one port, got {spec.ports}")
        processes.append(Process(spec.name, service, role, spec.ports[0]))
    migrations = tuple(Migration(m.name, _service_and_role(m)[0]) for m in topology.migrations)
    return ClusterPlan(tuple(processes), migrations)


def cluster_plan() -> ClusterPlan:
    return plan_of(build_topology(CLUSTER_STACK))
