"""What the operator console shows of the running shop: dead letters, services' health,
fault settings and metrics. Plain data, standard library only; the adapters fill it in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: str
    at: datetime
    headers: Mapping[str, str]
    preview: str


@dataclass(frozen=True)
class DeadLetterShelf:
    group: str
    topic: str
    total: int  # records in the DLQ topic (replayed ones stay: Kafka keeps its log)
    letters: list[DeadLetter]


@dataclass(frozen=True)
class Target:
    serve_url: str
    work_url: str | None = None


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: int = 0
    error_rate: float = 0.0
    refuse: bool = False

    @property
    def active(self) -> bool:
        return bool(self.latency_ms or self.error_rate or self.refuse)


@dataclass(frozen=True)
class MetricSample:
    role: str  # serve | work
    name: str
    labels: str
    value: float


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    reachable: bool
    ready: bool
    breakers: Mapping[str, str]
    faults: FaultSettings | None
    metrics: list[MetricSample] = field(default_factory=list)
