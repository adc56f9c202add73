"""Inventory's HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from inventory.domain.receipts import Receipt
from inventory.domain.reservations import Reservation, StockLevel

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
OrderId = Annotated[str, Field(pattern=r"^ord_[A-Za-z0-9_-]{1,60}$")]
IdempotencyKey = Annotated[str, Field(pattern=r"^[\x21-\x7e]{8,255}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReservationItemBody(Strict):
    sku: Sku
    quantity: int = Field(ge=1, le=1000)


class ReservationBody(Strict):
    order_id: OrderId
    items: list[ReservationItemBody] = Field(min_length=1, max_length=50)
    ttl_seconds: int | None = Field(default=None, ge=1, le=86_400)


class ReservationItemView(BaseModel):
    sku: str
    quantity: int


class ReservationView(BaseModel):
    reservation_id: str
    order_id: str
    status: str
    items: list[ReservationItemView]
    created_at: datetime
    expires_at: datetime
    released_at: datetime | None
    committed_at: datetime | None
    release_reason: str | None
    confirmed_at: datetime | None

    @classmethod
    def of(cls, reservation: Reservation) -> "ReservationView":
        return cls(
            reservation_id=reservation.id,
            order_id=reservation.order_id,
            status=reservation.status.value,
            items=[ReservationItemView(sku=s, quantity=q) for s, q in reservation.lines],
            created_at=reservation.created_at,
            expires_at=reservation.expires_at,
            released_at=reservation.released_at,
            committed_at=reservation.committed_at,
            release_reason=reservation.release_reason,
            confirmed_at=reservation.confirmed_at,
        )


class StockView(BaseModel):
    sku: str
    on_hand: int
    reserved: int
    available: int

    @classmethod
    def of(cls, stock: StockLevel) -> "StockView":
        return cls(
            sku=stock.sku, on_hand=stock.on_hand, reserved=stock.reserved, available=stock.available
        )


class ReplenishBody(Strict):
    quantity: int = Field(ge=1, le=100_000)
    reference: str | None = Field(default=None, min_length=1, max_length=200)


class ReceiptView(BaseModel):
    receipt_id: str
    sku: str
    quantity: int
    reference: str | None
    received_at: datetime
    stock: StockView

    @classmethod
    def of(cls, receipt: Receipt, stock: StockLevel) -> "ReceiptView":
        return cls(
            receipt_id=receipt.id,
            sku=receipt.sku,
            quantity=receipt.quantity,
            reference=receipt.reference,
            received_at=receipt.received_at,
            stock=StockView.of(stock),
        )


class RestockLine(Strict):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=100_000)


class RestockBody(Strict):
    """Reconciliation's repair: a received return's units, put back on hand once."""

    return_id: str = Field(min_length=1, max_length=40)
    order_id: str = Field(min_length=1, max_length=64)
    lines: list[RestockLine] = Field(min_length=1, max_length=100)

    def quantities(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.sku] = totals.get(line.sku, 0) + line.quantity
        return totals


class RestockView(BaseModel):
    return_id: str
    restocked_now: bool
