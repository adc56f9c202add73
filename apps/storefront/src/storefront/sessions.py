"""Signed-in customers and their carts, kept in this process behind an httponly cookie.

    store = Sessions(issuer, hours=8)
    session = store.sign_in_demo_customer()   # a fresh customer, signed in by the dev issuer
    store.get(cookie_value)                   # None when unknown or expired

The cookie holds only a random session id; the customer token (minted by the customer
issuer, `shop_auth.CustomerIssuer`) stays on the server, so page scripts never see it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from shop_auth import CustomerIssuer

COOKIE = "storefront_session"


@dataclass
class Session:
    id: str
    customer_id: str
    email: str
    expires_at: float
    cart: dict[str, int] = field(default_factory=dict)  # sku -> quantity
    orders: list[str] = field(default_factory=list)  # newest first

    def add(self, sku: str, quantity: int) -> None:
        self.cart[sku] = min(self.cart.get(sku, 0) + quantity, 100)

    def remove(self, sku: str) -> None:
        self.cart.pop(sku, None)


class Sessions:
    def __init__(self, issuer: CustomerIssuer, *, hours: int) -> None:
        self._issuer = issuer
        self._lifetime = hours * 3600
        self._by_id: dict[str, Session] = {}

    def sign_in_demo_customer(self) -> Session:
        """A new demo customer each time: their orders and emails are theirs alone."""
        suffix = secrets.token_hex(4)
        session = Session(
            id=secrets.token_urlsafe(32),
            customer_id=f"cus_demo_{suffix}",
            email=f"demo-{suffix}@example.com",
            expires_at=time.time() + self._lifetime,
        )
        self._by_id[session.id] = session
        self._forget_expired()
        return session

    def get(self, session_id: str | None) -> Session | None:
        session = self._by_id.get(session_id or "")
        if session is None or session.expires_at < time.time():
            return None
        return session

    def sign_out(self, session_id: str | None) -> None:
        self._by_id.pop(session_id or "", None)

    def token(self, session: Session) -> str:
        """The customer's bearer token for the public API (short-lived, re-signed as needed)."""
        return self._issuer.token(session.customer_id)

    def _forget_expired(self) -> None:
        now = time.time()
        for sid in [sid for sid, s in self._by_id.items() if s.expires_at < now]:
            del self._by_id[sid]
