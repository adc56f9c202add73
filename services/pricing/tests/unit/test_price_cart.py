from datetime import UTC, datetime, timedelta

import pytest
from pricing.domain.quotes import (
    CatalogPrice,
    UnknownSkus,
    UnsupportedCountry,
    UnsupportedCurrency,
    price_cart,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
PRICES = {
    "SKU-A": CatalogPrice("SKU-A", "A", 1200),
    "SKU-B": CatalogPrice("SKU-B", "B", 4500),
}


def quote(items: list[tuple[str, int]], currency: str = "EUR", country: str = "DE"):  # type: ignore[no-untyped-def]
    return price_cart(
        quote_id="qt_1",
        items=items,
        prices=PRICES,
        currency=currency,
        country=country,
        now=NOW,
        ttl=timedelta(minutes=15),
    )


def test_small_cart_pays_flat_shipping_and_tax_on_goods_and_shipping() -> None:
    q = quote([("SKU-A", 2)])
    assert (q.subtotal, q.shipping) == (2400, 499)
    assert q.tax == round((2400 + 499) * 0.19)
    assert q.total == q.subtotal + q.shipping + q.tax


def test_cart_at_the_threshold_ships_free() -> None:
    q = quote([("SKU-B", 1), ("SKU-A", 1)])
    assert q.subtotal == 5700
    assert q.shipping == 0


def test_tax_rounds_half_up_once_per_quote() -> None:
    # 2900 * 0.21 = 609.0; 1200 + 499 = 1699 * 0.21 = 356.79 -> 357
    q = quote([("SKU-A", 1)], country="NL")
    assert q.tax == 357


def test_quote_expires_after_its_ttl() -> None:
    assert quote([("SKU-A", 1)]).expires_at == NOW + timedelta(minutes=15)


def test_every_unknown_sku_is_named() -> None:
    with pytest.raises(UnknownSkus) as raised:
        quote([("SKU-Z", 1), ("SKU-A", 1), ("SKU-Y", 2)])
    assert raised.value.skus == ["SKU-Y", "SKU-Z"]


def test_unsupported_currency_and_country_are_refused() -> None:
    with pytest.raises(UnsupportedCurrency):
        quote([("SKU-A", 1)], currency="JPY")
    with pytest.raises(UnsupportedCountry):
        quote([("SKU-A", 1)], country="ZZ")
