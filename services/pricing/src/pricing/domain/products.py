"""The catalog as the shop lists it: a product and the prices it is sold at."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    amount: int
    currency: str


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    description: str
    prices: tuple[Price, ...]
