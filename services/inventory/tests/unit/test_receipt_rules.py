from datetime import UTC, datetime

import pytest
from inventory.domain.receipts import Receipt, ReceiptConflict, same_receipt

RECEIPT = Receipt("rcp_1", "SKU-A", 5, "PO-1", "key-00001", datetime(2026, 11, 21, tzinfo=UTC))


def test_a_retry_for_the_same_goods_is_the_same_receipt() -> None:
    assert same_receipt(RECEIPT, sku="SKU-A", quantity=5, reference="PO-1") is RECEIPT


def test_the_same_key_for_other_goods_is_a_conflict() -> None:
    for other in (
        {"sku": "SKU-B", "quantity": 5, "reference": "PO-1"},
        {"sku": "SKU-A", "quantity": 6, "reference": "PO-1"},
        {"sku": "SKU-A", "quantity": 5, "reference": None},
    ):
        with pytest.raises(ReceiptConflict) as raised:
            same_receipt(RECEIPT, **other)  # type: ignore[arg-type]
        assert raised.value.receipt_id == "rcp_1"
