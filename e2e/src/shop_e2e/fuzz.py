"""`make fuzz`: schemathesis over every service's OpenAPI document, on a running shop.

    python -m shop_e2e.fuzz                       # an embedded stack on free ports
    E2E_CHECKOUT_URL=... python -m shop_e2e.fuzz  # a deployment (the E2E_* env, as e2e)
    python -m shop_e2e.fuzz --examples 30 pricing # quicker, one service

Every operation of every service gets generated requests, valid and invalid (NUL and other
control characters included), until each service has had at least `--cases` of them. The
checks are schemathesis' conformance checks: no 5xx other than a documented 503/504, every
status, content type, header and body as documented. The admin fault switches are left
alone (fuzzing them would inject faults). Exit 1 on any failure; e2e/fuzz/schemathesis.toml
holds the configuration, e2e/fuzz/reports/ the reports of the last run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shop_e2e.deployment import Deployment, deployment_from_env

SERVICES = (
    "pricing",
    "inventory",
    "payment",
    "checkout",
    "fulfillment",
    "communications",
    "reconciliation",
    "returns",
)
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)
HERE = Path(__file__).resolve().parents[2] / "fuzz"
CONFIG = HERE / "schemathesis.toml"
_GENERATED = re.compile(r"(\d+) generated")


def fuzz_service(
    deployment: Deployment, service: str, *, examples: int, seed: int
) -> tuple[int, int]:
    """Run schemathesis against one service: (exit code, test cases generated)."""
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        f"{deployment.url(service)}/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--exclude-path-regex",
        "^/admin/",
        # One worker: hypothesis' lambda-source parsing is not thread-safe on Python 3.11
        # ("AST constructor recursion depth mismatch" aborted whole operations at 2).
        "--workers",
        "1",
        # No example cache in the work tree: every run starts from the seed alone.
        "--generation-database",
        "none",
        "--report",
        "junit",
        "--report-junit-path",
        str(HERE / "reports" / f"{service}.xml"),
    ]
    # Each call signed as the caller its route admits (shop_e2e.fuzz_auth).
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "shop_e2e.fuzz_auth", "SHOP_FUZZ_SERVICE": service}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    output = done.stdout + done.stderr
    sys.stdout.write(output + "\n")  # one write: services fuzzed at once do not interleave
    sys.stdout.flush()
    counts = [int(n) for n in _GENERATED.findall(output)]
    return done.returncode, max(counts, default=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_e2e.fuzz")
    parser.add_argument("services", nargs="*", default=list(SERVICES))
    parser.add_argument("--cases", type=int, default=1000, help="at least this many per service")
    parser.add_argument("--examples", type=int, default=200, help="max examples per operation")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--parallel", type=int, default=2, help="services fuzzed at once (one process each)"
    )
    args = parser.parse_args(argv)

    def fuzz(service: str) -> tuple[str, int, int, float]:
        began = time.monotonic()
        code, cases = fuzz_service(deployment, service, examples=args.examples, seed=args.seed)
        return service, code, cases, time.monotonic() - began

    with deployment_from_env(export_traces=False) as deployment:  # no spans to look at
        print(f"fuzzing {deployment.target} (seed {args.seed})", flush=True)
        # Two at a time keep both cores busy: one schemathesis process generates while the
        # service it targets answers the other's requests. Each service's cases and seed
        # are the same whatever runs beside it.
        with ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
            results = list(pool.map(fuzz, args.services))

    failed = False
    print(f"\n{'service':<16}{'cases':>8}{'seconds':>9}  result")
    for service, code, cases, seconds in results:
        short = cases < args.cases
        failed |= code != 0 or short
        verdict = "ok" if code == 0 else "FAILED"
        verdict += f" (fewer than {args.cases} cases)" if short else ""
        print(f"{service:<16}{cases:>8}{seconds:>9.0f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
