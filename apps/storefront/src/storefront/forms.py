"""The storefront's HTML forms, parsed and checked (no multipart dependency: urlencoded only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import Request

CARDS = {
    "tok_visa": "Visa, approved",
    "tok_declined": "Card declined",
    "tok_fraud": "Flagged by the fraud screen",
}
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")
MAX_FORM_BYTES = 16_384


class BadForm(ValueError):
    """A field is missing or not what the form offers."""


async def read_form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise BadForm("form too large")
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0].strip() for name, values in fields.items()}


def sku_of(form: dict[str, str]) -> str:
    sku = form.get("sku", "")
    if not SKU.match(sku):
        raise BadForm("unknown product")
    return sku


def quantity_of(form: dict[str, str]) -> int:
    try:
        quantity = int(form.get("quantity", "1"))
    except ValueError:
        raise BadForm("quantity must be a whole number") from None
    if not 1 <= quantity <= 100:
        raise BadForm("quantity must be between 1 and 100")
    return quantity


@dataclass(frozen=True)
class CheckoutForm:
    card: str
    idempotency_key: str
    address: dict[str, str]


def checkout_form(form: dict[str, str]) -> CheckoutForm:
    card = form.get("card", "")
    if card not in CARDS:
        raise BadForm("choose one of the test cards")
    key = form.get("idempotency_key", "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", key):
        raise BadForm("reload the cart and try again")
    address = {
        name: form.get(name, "") for name in ("name", "line1", "city", "postal_code", "country")
    }
    if not all(address.values()):
        raise BadForm("the shipping address needs every field")
    address["country"] = address["country"].upper()
    return CheckoutForm(card, key, address)
