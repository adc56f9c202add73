"""How a cart is priced. Plain rules, standard library only.

Money is integer minor units. Tax applies to goods and shipping at the destination's
rate, rounded half-up once per quote (not per line) so totals never drift by a cent.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# Basis points (1900 = 19 %). A real system would load these per jurisdiction and date.
TAX_RATES_BP: dict[str, int] = {
    "DE": 1900,
    "FR": 2000,
    "NL": 2100,
    "BE": 2100,
    "ES": 2100,
    "IT": 2200,
    "AT": 2000,
    "GB": 2000,
    "US": 0,
}
FLAT_SHIPPING: dict[str, int] = {"EUR": 499, "USD": 599, "GBP": 449}
FREE_SHIPPING_FROM: dict[str, int] = {"EUR": 5000, "USD": 6000, "GBP": 4500}


class PricingError(Exception):
    """Base of the reasons a cart cannot be priced."""


class UnknownSkus(PricingError):
    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"unknown SKUs: {', '.join(skus)}")
        self.skus = skus


class UnsupportedCurrency(PricingError):
    def __init__(self, currency: str) -> None:
        super().__init__(f"no prices in {currency}")
        self.currency = currency


class UnsupportedCountry(PricingError):
    def __init__(self, country: str) -> None:
        super().__init__(f"no shipping or tax rules for {country}")
        self.country = country


@dataclass(frozen=True)
class CatalogPrice:
    sku: str
    name: str
    unit_price: int


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    name: str
    quantity: int
    unit_price: int

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Quote:
    id: str
    currency: str
    country: str
    lines: tuple[QuoteLine, ...]
    subtotal: int
    shipping: int
    tax: int
    total: int
    created_at: datetime
    expires_at: datetime


def shipping_for(currency: str, subtotal: int) -> int:
    return 0 if subtotal >= FREE_SHIPPING_FROM[currency] else FLAT_SHIPPING[currency]


def tax_for(country: str, taxable: int) -> int:
    return (taxable * TAX_RATES_BP[country] + 5_000) // 10_000


def price_cart(
    *,
    quote_id: str,
    items: list[tuple[str, int]],
    prices: dict[str, CatalogPrice],
    currency: str,
    country: str,
    now: datetime,
    ttl: timedelta,
) -> Quote:
    """Price `items` (sku, quantity) with the catalog `prices` found for `currency`."""
    if currency not in FLAT_SHIPPING:
        raise UnsupportedCurrency(currency)
    if country not in TAX_RATES_BP:
        raise UnsupportedCountry(country)
    missing = sorted({sku for sku, _ in items if sku not in prices})
    if missing:
        raise UnknownSkus(missing)
    lines = tuple(
        QuoteLine(sku, prices[sku].name, quantity, prices[sku].unit_price)
        for sku, quantity in items
    )
    subtotal = sum(line.line_total for line in lines)
    shipping = shipping_for(currency, subtotal)
    tax = tax_for(country, subtotal + shipping)
    return Quote(
        id=quote_id,
        currency=currency,
        country=country,
        lines=lines,
        subtotal=subtotal,
        shipping=shipping,
        tax=tax,
        total=subtotal + shipping + tax,
        created_at=now,
        expires_at=now + ttl,
    )
