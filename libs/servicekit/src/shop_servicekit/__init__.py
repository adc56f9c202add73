"""What every service is built from, and the first thing a forking team reads.

    from shop_servicekit import Database, Problem, ServiceSettings, create_app, kafka_check

- `ServiceSettings`: pydantic-settings base; one subclass per service, env-prefixed.
- `create_app`: FastAPI with problem+json errors, correlation ids, metrics, health, faults.
- `Problem`: the one exception routes raise; rendered as RFC 9457 problem+json, and
  declared on a route with `responses=problem_responses(404, 409)`.
- `Database`: the async engine and session factory of the service's own PostgreSQL.
- `process.main`: the `serve | work | migrate` commands of every service process.
- `AdmissionLimit`, `AdmissionMiddleware`: shed excess requests with 503 + Retry-After.
- `Authority`, `Guard`, `Caller`: who may call which route (service, operator, customer tokens).
- `Clock`, `utc_now`: how time enters a service; `periodic`: a loop task for `work`.
"""

from shop_auth import OPERATOR

from shop_servicekit.admission import AdmissionLimit, AdmissionMetrics, AdmissionMiddleware
from shop_servicekit.app import create_app
from shop_servicekit.auth import (
    HEALTH,
    PUBLIC,
    Access,
    Authority,
    Caller,
    Guard,
    RouteAccess,
    minter_of,
    route_table,
)
from shop_servicekit.budget import BUDGET_HEADER, budget_guard
from shop_servicekit.clock import Clock, utc_now
from shop_servicekit.database import Database
from shop_servicekit.health import ReadinessCheck, kafka_check
from shop_servicekit.ids import new_id
from shop_servicekit.internal_reads import Page, Window, WindowDep, read_page
from shop_servicekit.openapi import problem_responses, required_headers
from shop_servicekit.periodic import periodic
from shop_servicekit.problems import PROBLEM_BASE, PROBLEM_JSON, Problem
from shop_servicekit.process import ServiceCommands, Worker, main
from shop_servicekit.rate_limit import TokenBuckets, limit_per_caller, limit_per_client
from shop_servicekit.settings import ServiceSettings, embedded_database_url, service_url

__all__ = [
    "BUDGET_HEADER",
    "HEALTH",
    "OPERATOR",
    "PROBLEM_BASE",
    "PROBLEM_JSON",
    "PUBLIC",
    "Access",
    "AdmissionLimit",
    "AdmissionMetrics",
    "AdmissionMiddleware",
    "Authority",
    "Caller",
    "Clock",
    "Database",
    "Guard",
    "Page",
    "Problem",
    "ReadinessCheck",
    "RouteAccess",
    "ServiceCommands",
    "ServiceSettings",
    "TokenBuckets",
    "Window",
    "WindowDep",
    "Worker",
    "budget_guard",
    "create_app",
    "embedded_database_url",
    "kafka_check",
    "limit_per_caller",
    "limit_per_client",
    "main",
    "minter_of",
    "new_id",
    "periodic",
    "problem_responses",
    "read_page",
    "required_headers",
    "route_table",
    "service_url",
    "utc_now",
]
