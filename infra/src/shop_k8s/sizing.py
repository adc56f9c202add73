"""Resource requests and limits per process role, from what the processes were measured using.

    resources("checkout", "serve")   # {'requests': {...}, 'limits': {...}}

Measured on the embedded stack (every process on one shared 2-core machine; RSS with
children, CPU sampled each second): every serve and work process held 99-107 MiB idle and
at most 112 MiB (checkout-serve) while services/checkout/bench/bench_checkout.py ran 300
checkouts at concurrency 16 (7.6 confirmed/s); CPU peaked at 28% of a core for
checkout-serve and 11-43% for the workers (communications-work the busiest). Requests sit
near the measured working set so the scheduler packs honestly; memory limits leave twice
that for bursts (a Python process over its limit is killed, not slowed); CPU has no limit,
since throttling a request in the middle of its time budget only makes it later. The
migration and the reconciliation job were not measured: they are sized by the same
interpreter's footprint, the job with room for its pages of 1000 rows from five sources.
"""

from __future__ import annotations

from typing import Any

# role -> (cpu request, memory request, memory limit)
BY_ROLE: dict[str, tuple[str, str, str]] = {
    "serve": ("100m", "128Mi", "256Mi"),
    "work": ("100m", "128Mi", "256Mi"),
    "migrate": ("50m", "128Mi", "256Mi"),
    "reconcile": ("100m", "192Mi", "512Mi"),
}
# Checkout's API does the most per request (three calls, one transaction, an outbox row).
BY_PROCESS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("checkout", "serve"): ("250m", "160Mi", "320Mi"),
}


def resources(service: str, role: str) -> dict[str, Any]:
    cpu, memory, memory_limit = BY_PROCESS.get((service, role), BY_ROLE[role])
    return {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory_limit}}
