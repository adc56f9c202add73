"""OpenAPI documents that say what the service answers: problem+json, not FastAPI's default.

    @router.get("/quotes/{quote_id}", responses=problem_responses(404))
    @router.post("/checkouts", responses=problem_responses(409, 503, retry_after=(503,)),
                 openapi_extra=required_headers("Idempotency-Key"))

`create_app` installs `truthful_openapi`: every operation documents the 422 every service
answers (validation, control characters) as application/problem+json, and FastAPI's
HTTPValidationError shape, which no service sends, is gone. Routes declare the other
problems they answer with `problem_responses`. Schemathesis' conformance checks hold the
document to it (`make fuzz`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI

from shop_servicekit.problems import PROBLEM_BASE, PROBLEM_JSON

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; members beyond these are the problem's extras "
    "(e.g. `skus` of out-of-stock).",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": f"stable: {PROBLEM_BASE}<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "validation-error only: one entry per invalid input",
            "items": {
                "type": "object",
                "properties": {
                    "location": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}

DESCRIPTIONS = {
    400: "The body could not be parsed",
    401: "Missing or invalid credentials",
    402: "Payment declined",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict with the resource's current state",
    410: "Gone",
    413: "Body too large",
    422: "Invalid input (validation-error): a field, a parameter, or a control character",
    429: "Too many requests",
    502: "A dependency answered with an error",
    503: "Unavailable for now (a dependency, or the caller's spent time budget): retry",
    504: "A dependency did not answer in time: retry",
}

RETRY_AFTER = {
    "description": "Seconds to wait before retrying",
    "schema": {"type": "integer", "minimum": 0},
}


def problem_response(status: int, *, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, "Problem"),
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    if retry_after:
        response["headers"] = {"Retry-After": RETRY_AFTER}
    return response


def problem_responses(
    *statuses: int, retry_after: Iterable[int] = ()
) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route: each status as a problem+json response (with Retry-After
    for the statuses in `retry_after`)."""
    with_header = set(retry_after)
    return {
        status: problem_response(status, retry_after=status in with_header) for status in statuses
    }


REQUIRED_HEADERS = "x-required-headers"


def required_headers(*names: str) -> dict[str, Any]:
    """`openapi_extra` of a route whose header parameter is optional in Python only so the
    route can answer its own problem when it is missing: documented as required."""
    return {REQUIRED_HEADERS: list(names)}


def _require(operation: dict[str, Any], names: list[str]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter["name"] in names:
            parameter["required"] = True
            parameter["schema"] = {"type": "string"}


def _truthful(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses["422"] = problem_response(422)
            if operation.get("security"):  # a guarded route: no or bad token, or not admitted
                responses.setdefault("401", problem_response(401))
                responses.setdefault("403", problem_response(403))
            # Any operation answers 503 database-unavailable while its database is down.
            responses.setdefault("503", problem_response(503, retry_after=True))
            if "requestBody" in operation:  # bytes that are not JSON at all: FastAPI's 400
                responses["400"] = problem_response(400)
            _require(operation, operation.pop(REQUIRED_HEADERS, []))
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def truthful_openapi(app: FastAPI) -> None:
    """Replace `app.openapi` with one that post-processes FastAPI's document once."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _truthful(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
