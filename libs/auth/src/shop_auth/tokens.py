"""Short-lived signed tokens (JWT, EdDSA) and their verification.

    minter = Minter("checkout", key)                      # iss = checkout
    token = minter.token("inventory")                     # aud = inventory, 5 minutes
    claims = verify(token, audience="inventory", keys={"checkout": public}, issuers={"checkout"})

Claims are the OIDC-style registered ones: iss (who signed), sub (whom the token is about:
the caller itself for services and operators, the customer for customer tokens), aud (the
one service, or the public API, it is good for), iat, exp. A token is cached and reused
until a third of its life is left, so a hot path signs about once a minute per audience.
"""

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import jwt

from shop_auth.keys import PrivateKey, PublicKey

ALGORITHM = "EdDSA"
DEFAULT_TTL_SECONDS = 300
# Clock skew tolerated between signer and verifier.
LEEWAY_SECONDS = 30


class InvalidToken(Exception):
    """Missing, malformed, expired, for another audience, or signed by no trusted key."""


@dataclass(frozen=True)
class Claims:
    issuer: str
    subject: str
    audience: str


class Minter:
    """Signs tokens as one identity (`issuer`)."""

    def __init__(self, issuer: str, key: PrivateKey, *, ttl_seconds: int = DEFAULT_TTL_SECONDS):
        self.issuer = issuer
        self._key = key
        self._ttl = ttl_seconds
        self._cache: dict[tuple[str, str], tuple[str, float]] = {}

    def token(self, audience: str, subject: str | None = None) -> str:
        subject = subject or self.issuer
        now = time.time()
        cached = self._cache.get((audience, subject))
        if cached is not None and cached[1] - now > self._ttl / 3:
            return cached[0]
        expires = now + self._ttl
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "aud": audience,
            "iat": int(now),
            "exp": int(expires),
        }
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM)
        self._cache[(audience, subject)] = (token, expires)
        return token

    def headers(self, audience: str, subject: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(audience, subject)}"}


def verify(
    token: str,
    *,
    audience: str,
    keys: Mapping[str, PublicKey],
    issuers: Collection[str],
) -> Claims:
    """The token's claims, if one of `issuers` signed it for `audience` and it is current."""
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError as exc:
        raise InvalidToken("malformed token") from exc
    if not isinstance(issuer, str) or issuer not in issuers:
        raise InvalidToken("issuer not allowed here")
    key = keys.get(issuer)
    if key is None:
        raise InvalidToken("no key known for the issuer")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    return Claims(issuer=issuer, subject=str(claims["sub"]), audience=audience)
