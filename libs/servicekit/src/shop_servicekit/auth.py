"""Who may call which route: every route carries exactly one `Guard` (the ADR on service
identity and customer tokens; `tests` enumerate every app's routes and check their guards).

    auth = Authority.of(settings)
    router = APIRouter(dependencies=[Depends(auth.services("checkout", "reconciliation"))])

    @router.get("/v1/orders/{order_id}")
    async def get_order(order_id: str, customer: Annotated[Caller, Depends(auth.customer())]):
        ...   # customer.subject is the order's owner

Kinds: `public` (no credential: catalogue reads), `health` (probes and metrics), `customer`
(a customer bearer token for the public API), `service` (a service token from one of the
allowed callers, audience this service), `operator` (an operator token, audience this
service). No credential or a bad one: 401; a good one from a caller not allowed here: 403.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from re import Pattern
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security.base import SecurityBase
from shop_auth import (
    CUSTOMER_AUDIENCE,
    CUSTOMER_ISSUER,
    IDENTITIES,
    OPERATOR,
    InvalidToken,
    Minter,
    PublicKey,
    dev_key,
    private_key,
    public_key,
    verify,
)

from shop_servicekit.problems import Problem
from shop_servicekit.settings import ServiceSettings

Kind = Literal["public", "health", "customer", "service", "operator"]


@dataclass(frozen=True)
class Caller:
    identity: str  # who signed: a service, `operator`, or the customer issuer
    subject: str  # for a customer token, the customer's id


@dataclass(frozen=True)
class Access:
    kind: Kind
    callers: frozenset[str] = field(default_factory=frozenset)


ANONYMOUS = Caller(identity="anonymous", subject="anonymous")


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        "A valid bearer token is required",
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


class Guard:
    """A FastAPI dependency that admits a request or answers 401/403; `access` says whom."""

    def __init__(
        self, access: Access, *, audience: str = "", keys: Mapping[str, PublicKey] | None = None
    ) -> None:
        self.access = access
        self.audience = audience
        self._keys = dict(keys or {})

    async def __call__(self, request: Request) -> Caller:
        if self.access.kind in ("public", "health"):
            return ANONYMOUS
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise _unauthorized("Send Authorization: Bearer <token>")
        try:
            claims = verify(token, audience=self.audience, keys=self._keys, issuers=self._keys)
        except InvalidToken as exc:
            raise _unauthorized(str(exc)) from None
        if claims.issuer not in self.access.callers:
            raise Problem(403, "forbidden", "This caller may not use this route")
        return Caller(identity=claims.issuer, subject=claims.subject)


class BearerGuard(Guard, SecurityBase):
    """A guard that wants a token: it also declares its scheme in the OpenAPI document
    (`components.securitySchemes`, and `security` on each operation it guards)."""

    def __init__(self, access: Access, *, audience: str, keys: Mapping[str, PublicKey]) -> None:
        super().__init__(access, audience=audience, keys=keys)
        who = ", ".join(sorted(access.callers))
        self.model = HTTPBearerModel(
            bearerFormat="JWT",
            description=f"EdDSA-signed JWT from {who}, audience {audience}",
        )
        # OpenAPI names allow [A-Za-z0-9._-]: e.g. "service.checkout.reconciliation".
        self.scheme_name = ".".join((access.kind, *sorted(access.callers)))


PUBLIC = Guard(Access("public"))
HEALTH = Guard(Access("health"))


class Authority:
    """The guards of one service, built from its settings' keys."""

    def __init__(
        self,
        service: str,
        keys: Mapping[str, PublicKey],
        *,
        customer_issuer: str = CUSTOMER_ISSUER,
        customer_audience: str = CUSTOMER_AUDIENCE,
    ) -> None:
        self.service = service
        self._keys = dict(keys)
        self._customer_issuer = customer_issuer
        self._customer_audience = customer_audience
        self._guards: dict[Access, Guard] = {}

    @classmethod
    def of(cls, settings: ServiceSettings) -> "Authority":
        return cls(
            settings.service_name,
            trusted_keys(settings),
            customer_issuer=settings.customer_issuer,
            customer_audience=settings.customer_audience,
        )

    def _guard(self, kind: Kind, callers: frozenset[str], audience: str) -> Guard:
        # One instance per access: FastAPI then verifies a token once per request even when
        # several dependencies (a rate limit, the route) ask for the caller.
        access = Access(kind, callers)
        if access not in self._guards:
            # Every trusted key verifies, so a genuine caller who is not admitted here gets
            # 403 (it knows it is refused), and a token nobody trusted signed gets 401.
            self._guards[access] = BearerGuard(access, audience=audience, keys=self._keys)
        return self._guards[access]

    def services(self, *callers: str) -> Guard:
        return self._guard("service", frozenset(callers), self.service)

    def operator(self) -> Guard:
        return self._guard("operator", frozenset({OPERATOR}), self.service)

    def customer(self) -> Guard:
        issuer = frozenset({self._customer_issuer})
        return self._guard("customer", issuer, self._customer_audience)


def trusted_keys(settings: ServiceSettings) -> dict[str, PublicKey]:
    """Configured public keys; in `local` also the development key of every other identity."""
    keys = {name: public_key(text) for name, text in settings.trusted_keys.items()}
    if settings.environment == "local":
        for name in (*IDENTITIES, settings.customer_issuer):
            keys.setdefault(name, dev_key(name).public_key())
    return keys


def minter_of(settings: ServiceSettings) -> Minter:
    """Signs this service's outbound calls (`shop_auth.BearerAuth(minter, audience)`)."""
    if settings.signing_key is not None:
        key = private_key(settings.signing_key.get_secret_value())
    else:  # the settings validator allows no signing key only in `local`
        key = dev_key(settings.service_name)
    return Minter(settings.service_name, key)


@dataclass(frozen=True)
class RouteAccess:
    """One route of an app as the router will serve it, with the guards it depends on."""

    path: str
    methods: frozenset[str]
    path_regex: Pattern[str]
    guards: tuple[Guard, ...]


def route_table(app: FastAPI) -> list[RouteAccess]:
    """Every API route of `app` (included routers flattened) and its guards, however deeply
    they are depended on: the authorization matrix test and the test clients read it."""
    table = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue  # the OpenAPI document and its viewers
        found: list[Guard] = []
        pending: list[Dependant] = [context.dependant]
        while pending:
            dependant = pending.pop()
            if isinstance(dependant.call, Guard) and dependant.call not in found:
                found.append(dependant.call)
            pending.extend(dependant.dependencies)
        table.append(
            RouteAccess(
                path=str(context.path),
                methods=frozenset(context.methods or ()),
                path_regex=context.path_regex,
                guards=tuple(found),
            )
        )
    return table
