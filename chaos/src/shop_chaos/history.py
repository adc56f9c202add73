"""What the checker reads: the client's history and every service's source of truth.

    attempt = Attempt("cus_1", "a@example.com", "SKU-TEE-01", 2, "tok_visa", 201, "ord_1", 1)
    truth = Truth(orders=[...], reservations=[...], ..., stock={"SKU-TEE-01": Stock(398, 0)})

Plain data, so the checker's invariants are tested on synthetic histories. Rows are the
internal reads' JSON items as docs/reconciliation.md lists them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Attempt:
    """One checkout as the client saw it: its last answer after any retries."""

    customer_id: str
    email: str
    sku: str
    quantity: int
    token: str
    status: int | None  # None: no answer at all (timeout, connection refused)
    order_id: str | None  # from a 201
    tries: int = 1
    problem: str | None = None  # the last segment of a refusal's problem type ("out-of-stock")


@dataclass(frozen=True)
class Stock:
    on_hand: int
    reserved: int


@dataclass(frozen=True)
class Truth:
    """Every service's source of truth, read once the run has settled."""

    orders: Sequence[Row] = ()
    reservations: Sequence[Row] = ()
    authorizations: Sequence[Row] = ()
    shipments: Sequence[Row] = ()
    backorders: Sequence[Row] = ()
    notifications: Sequence[Row] = ()
    # recipient -> distinct messages (Message-IDs). A copy under a Message-ID already seen
    # is the documented resend after a crash between the send and its SENT record
    # (docs/messaging-failures.md): counted apart, in `resent_copies`, not as a new email.
    mails: Mapping[str, int] = field(default_factory=dict)
    resent_copies: int = 0
    stock: Mapping[str, Stock] = field(default_factory=dict)


@dataclass(frozen=True)
class Ledger:
    """Stock the run started with and added; the other side of the stock balance."""

    initial_on_hand: Mapping[str, int]
    replenished: Mapping[str, int] = field(default_factory=dict)
