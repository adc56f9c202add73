"""Reading a dependency's problem+json answer: its slug and extra members."""

from __future__ import annotations

from typing import Any

import httpx
from shop_http import DependencyUnavailable
from shop_servicekit import PROBLEM_BASE


def problem_of(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """("out-of-stock", {...body}) for a problem answer; ("", {}) for anything else."""
    try:
        body = response.json()
    except ValueError:
        return "", {}
    if not isinstance(body, dict):
        return "", {}
    kind = str(body.get("type", ""))
    return kind.removeprefix(PROBLEM_BASE), body


def unexpected(dependency: str, response: httpx.Response) -> DependencyUnavailable:
    """An answer outside the contract: a bug on one side, so no usable answer."""
    slug, _ = problem_of(response)
    return DependencyUnavailable(
        dependency, f"unexpected answer {response.status_code} {slug}".strip()
    )


def json_of(dependency: str, response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise DependencyUnavailable(dependency, "answer is not a JSON object")
    return body
