"""Pricing's HTTP request and response models (they belong to this service alone)."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pricing.domain.quotes import Quote

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteItem(Strict):
    sku: Sku
    quantity: int = Field(ge=1, le=100)


class QuoteRequest(Strict):
    items: list[QuoteItem] = Field(min_length=1, max_length=50)
    currency: Currency
    country: Country


class Money(BaseModel):
    amount: int
    currency: str


class QuoteLineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: Money
    line_total: Money


class QuoteOut(BaseModel):
    quote_id: str
    currency: str
    country: str
    lines: list[QuoteLineOut]
    subtotal: Money
    shipping: Money
    tax: Money
    total: Money
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, quote: Quote) -> "QuoteOut":
        def money(amount: int) -> Money:
            return Money(amount=amount, currency=quote.currency)

        return cls(
            quote_id=quote.id,
            currency=quote.currency,
            country=quote.country,
            lines=[
                QuoteLineOut(
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=money(line.unit_price),
                    line_total=money(line.line_total),
                )
                for line in quote.lines
            ],
            subtotal=money(quote.subtotal),
            shipping=money(quote.shipping),
            tax=money(quote.tax),
            total=money(quote.total),
            created_at=quote.created_at,
            expires_at=quote.expires_at,
        )


class ProductPrice(BaseModel):
    amount: int
    currency: str


class ProductOut(BaseModel):
    sku: str
    name: str
    description: str
    prices: list[ProductPrice]


class ProductList(BaseModel):
    products: list[ProductOut]
