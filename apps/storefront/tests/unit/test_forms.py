"""The storefront's forms refuse what they do not offer (pure)."""

import pytest
from storefront.forms import BadForm, checkout_form, quantity_of, sku_of

ADDRESS = {"name": "A", "line1": "1 Road", "city": "X", "postal_code": "1", "country": "de"}


def test_a_checkout_form_takes_a_test_card_a_key_and_a_full_address() -> None:
    form = checkout_form({"card": "tok_fraud", "idempotency_key": "k" * 24, **ADDRESS})
    assert form.card == "tok_fraud"
    assert form.address["country"] == "DE"


@pytest.mark.parametrize(
    "change",
    [{"card": "4111111111111111"}, {"idempotency_key": "short"}, {"city": ""}],
)
def test_a_checkout_form_with_an_unknown_card_a_bad_key_or_a_missing_field_is_refused(
    change: dict[str, str],
) -> None:
    fields = {"card": "tok_visa", "idempotency_key": "k" * 24, **ADDRESS, **change}
    with pytest.raises(BadForm):
        checkout_form(fields)


@pytest.mark.parametrize("quantity", ["0", "101", "two"])
def test_a_quantity_outside_one_to_a_hundred_is_refused(quantity: str) -> None:
    with pytest.raises(BadForm):
        quantity_of({"quantity": quantity})


def test_a_sku_must_look_like_one() -> None:
    assert sku_of({"sku": "SKU-MUG-01"}) == "SKU-MUG-01"
    with pytest.raises(BadForm):
        sku_of({"sku": "<script>"})
