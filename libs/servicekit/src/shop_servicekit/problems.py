"""RFC 9457 problem details: the one error shape every service answers with.

    raise Problem(409, "out-of-stock", "Not enough stock", detail="...", skus=["SKU-1"])

Hierarchy: `Problem` is the only exception routes raise on purpose. Validation errors,
HTTP errors from the framework and unexpected exceptions are all turned into problems by
the handlers installed with `install_problem_handlers`, so a client never sees another shape.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shop_servicekit.unavailable import database_unavailable

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://shop.example/problems/"

DATABASE_RETRY_AFTER_S = 2  # a restart or failover is seconds, not minutes

log = logging.getLogger(__name__)


class Problem(Exception):
    """An error a client can act on, identified by a stable `type` slug."""

    def __init__(
        self,
        status: int,
        type_: str,
        title: str,
        *,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.type = type_
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.type,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc, request.url.path)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"location": list(err["loc"]), "message": err["msg"], "code": err["type"]}
        for err in exc.errors()
    ]
    problem = Problem(
        422,
        "validation-error",
        "The request is not valid",
        detail="; ".join(f"{'.'.join(map(str, e['location']))}: {e['message']}" for e in errors),
        errors=errors,
    )
    return problem_response(problem, request.url.path)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    problem = Problem(exc.status_code, slug, str(exc.detail), headers=dict(exc.headers or {}))
    return problem_response(problem, request.url.path)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if database_unavailable(exc):
        log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
        problem = Problem(
            503,
            "database-unavailable",
            "The service's database cannot be reached right now",
            detail="Nothing was changed; retry after the given number of seconds",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )
        return problem_response(problem, request.url.path)
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    problem = Problem(500, "internal-error", "Internal server error")
    return problem_response(problem, request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
