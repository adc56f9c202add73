"""The typed errors of a dependency call; see the hierarchy in the package docstring."""

from __future__ import annotations


class DependencyError(Exception):
    """Base: a call to `dependency` did not produce a usable response."""

    def __init__(self, dependency: str, message: str) -> None:
        super().__init__(f"{dependency}: {message}")
        self.dependency = dependency


class DependencyUnavailable(DependencyError):
    """Connect error, 5xx, an attempt over its own time limit, or an open breaker.

    `retry_after` (seconds) is a hint for the caller's own clients.
    """

    def __init__(self, dependency: str, reason: str, *, retry_after: int = 1) -> None:
        super().__init__(dependency, reason)
        self.reason = reason
        self.retry_after = retry_after


class CircuitOpen(DependencyUnavailable):
    """The breaker is open (or its one probe is in flight): no request was sent."""

    def __init__(self, dependency: str, *, retry_after: int) -> None:
        super().__init__(dependency, "circuit breaker open", retry_after=retry_after)


class DependencyTimeout(DependencyError):
    """The caller's budget ran out before the dependency answered."""

    def __init__(self, dependency: str) -> None:
        super().__init__(dependency, "time budget exhausted")
