"""Pricing's HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pricing.domain.products import Product
from pricing.domain.quotes import Quote

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteItemBody(Strict):
    sku: Sku
    quantity: int = Field(ge=1, le=100)


class QuoteBody(Strict):
    items: list[QuoteItemBody] = Field(min_length=1, max_length=50)
    currency: Currency
    country: Country


class MoneyView(BaseModel):
    amount: int
    currency: str


class QuoteLineView(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: MoneyView
    line_total: MoneyView


class QuoteView(BaseModel):
    quote_id: str
    currency: str
    country: str
    lines: list[QuoteLineView]
    subtotal: MoneyView
    shipping: MoneyView
    tax: MoneyView
    total: MoneyView
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, quote: Quote) -> "QuoteView":
        def money(amount: int) -> MoneyView:
            return MoneyView(amount=amount, currency=quote.currency)

        return cls(
            quote_id=quote.id,
            currency=quote.currency,
            country=quote.country,
            lines=[
                QuoteLineView(
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


class ProductView(BaseModel):
    sku: str
    name: str
    description: str
    prices: list[MoneyView]

    @classmethod
    def of(cls, product: Product) -> "ProductView":
        return cls(
            sku=product.sku,
            name=product.name,
            description=product.description,
            prices=[MoneyView(amount=p.amount, currency=p.currency) for p in product.prices],
        )


class ProductListView(BaseModel):
    products: list[ProductView]
