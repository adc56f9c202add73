"""Stock receipts: goods added to a SKU's on-hand stock. Standard library only.

A receipt may carry the caller's Idempotency-Key: a retry with the same key and the same
goods is the same receipt (nothing is added twice); the same key for other goods is a
conflict, since the caller has mixed up two receipts.
"""

from dataclasses import dataclass
from datetime import datetime

from inventory.domain.reservations import InventoryError


@dataclass(frozen=True)
class Receipt:
    id: str
    sku: str
    quantity: int
    reference: str | None
    idempotency_key: str | None
    received_at: datetime


class ReceiptConflict(InventoryError):
    def __init__(self, idempotency_key: str, receipt_id: str) -> None:
        super().__init__(f"Idempotency-Key {idempotency_key!r} was used for other goods")
        self.idempotency_key = idempotency_key
        self.receipt_id = receipt_id


def same_receipt(existing: Receipt, *, sku: str, quantity: int, reference: str | None) -> Receipt:
    """The earlier receipt under the same key, if it is for the same goods (a retry)."""
    if (existing.sku, existing.quantity, existing.reference) != (sku, quantity, reference):
        assert existing.idempotency_key is not None
        raise ReceiptConflict(existing.idempotency_key, existing.id)
    return existing
