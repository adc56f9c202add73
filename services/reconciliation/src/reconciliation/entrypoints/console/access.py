"""Who may open the console: an operator, by session cookie or by bearer token.

    access = ConsoleAccess(operator_guard, trusted_keys, session_minter, session_key)
    cookie = access.open_session()          # after the login form took an operator token

The login form takes an operator token (`python -m shop_auth token --as operator --aud
reconciliation`), or a one-click sign-in in `local`, and answers with a session cookie:
httponly, SameSite=Strict (so no other site can make an operator's browser post to the
console), holding a token reconciliation signs for itself (audience `reconciliation-console`).
Every console route also takes the operator's bearer token directly, like the ops API. A
browser without either is sent to the login form; anything else gets the usual 401 problem.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import RedirectResponse
from shop_auth import OPERATOR, InvalidToken, Minter, PublicKey, verify
from shop_servicekit import Caller, Guard

COOKIE = "console_session"
SESSION_AUDIENCE = "reconciliation-console"
LOGIN_PATH = "/console/login"


class LoginRequired(Exception):
    """A browser asked for a console page without a session: show it the login form."""


async def to_login(request: Request, exc: Exception) -> RedirectResponse:
    return RedirectResponse(LOGIN_PATH, status_code=303)


class ConsoleAccess(Guard):
    """The console's one guard: the operator's (same access, so the route matrix reads
    `operator`), admitting the console's session cookie as well as a bearer token."""

    def __init__(
        self,
        operator: Guard,
        operator_keys: Mapping[str, PublicKey],
        sessions: Minter,
        session_key: PublicKey,
    ) -> None:
        super().__init__(operator.access, audience=operator.audience)
        self._operator = operator
        self._operator_keys = dict(operator_keys)
        self._sessions = sessions
        self._session_keys = {sessions.issuer: session_key}

    async def __call__(self, request: Request) -> Caller:
        bearer = request.headers.get("authorization")
        cookie = request.cookies.get(COOKIE)
        if not bearer and cookie and self.session_valid(cookie):
            return Caller(identity=OPERATOR, subject=OPERATOR)
        if not bearer and _wants_html(request):
            raise LoginRequired()
        return await self._operator(request)

    def open_session(self) -> str:
        """A fresh session token (each login its own subject, so no two share a cookie)."""
        return self._sessions.token(SESSION_AUDIENCE, f"{OPERATOR}:{secrets.token_hex(8)}")

    def session_valid(self, token: str) -> bool:
        try:
            claims = verify(
                token,
                audience=SESSION_AUDIENCE,
                keys=self._session_keys,
                issuers=self._session_keys,
            )
        except InvalidToken:
            return False
        return claims.subject.startswith(f"{OPERATOR}:")

    def operator_token_valid(self, token: str) -> bool:
        """The login form's check: an operator token for this service (audience)."""
        try:
            claims = verify(
                token, audience=self.audience, keys=self._operator_keys, issuers={OPERATOR}
            )
        except InvalidToken:
            return False
        return claims.issuer == OPERATOR


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")
