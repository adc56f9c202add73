"""Fulfillment's HTTP response models (they belong to this service alone)."""

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

from fulfillment.domain.allocation import Line, Warehouse
from fulfillment.domain.shipments import Backorder, Shipment

# Order ids are other services' ids: bounded, but not parsed beyond that.
OrderIdQuery = Annotated[str, Query(min_length=1, max_length=64)]


class LineOut(BaseModel):
    sku: str
    quantity: int

    @classmethod
    def of(cls, line: Line) -> "LineOut":
        return cls(sku=line.sku, quantity=line.quantity)


class ShipmentOut(BaseModel):
    shipment_id: str
    order_id: str
    warehouse_id: str
    status: str
    carrier: str | None
    tracking: str | None
    lines: list[LineOut]
    created_at: datetime
    dispatched_at: datetime | None

    @classmethod
    def of(cls, shipment: Shipment) -> "ShipmentOut":
        return cls(
            shipment_id=shipment.id,
            order_id=shipment.order_id,
            warehouse_id=shipment.warehouse_id,
            status=shipment.status.value,
            carrier=shipment.carrier,
            tracking=shipment.tracking,
            lines=[LineOut.of(line) for line in shipment.lines],
            created_at=shipment.created_at,
            dispatched_at=shipment.dispatched_at,
        )


class ShipmentList(BaseModel):
    shipments: list[ShipmentOut]


class BackorderOut(BaseModel):
    backorder_id: str
    order_id: str
    status: str
    skus_short: list[str]
    lines: list[LineOut]
    created_at: datetime
    released_at: datetime | None
    cancelled_at: datetime | None

    @classmethod
    def of(cls, backorder: Backorder) -> "BackorderOut":
        return cls(
            backorder_id=backorder.id,
            order_id=backorder.order_id,
            status=backorder.status.value,
            skus_short=list(backorder.skus_short),
            lines=[LineOut.of(line) for line in backorder.lines],
            created_at=backorder.created_at,
            released_at=backorder.released_at,
            cancelled_at=backorder.cancelled_at,
        )


class BackorderList(BaseModel):
    backorders: list[BackorderOut]


class BinStockOut(BaseModel):
    sku: str
    on_hand: int


class WarehouseOut(BaseModel):
    warehouse_id: str
    name: str
    country: str
    priority: int
    stock: list[BinStockOut]

    @classmethod
    def of(cls, warehouse: Warehouse) -> "WarehouseOut":
        return cls(
            warehouse_id=warehouse.id,
            name=warehouse.name,
            country=warehouse.country,
            priority=warehouse.priority,
            stock=[
                BinStockOut(sku=sku, on_hand=on_hand)
                for sku, on_hand in sorted(warehouse.on_hand.items())
            ],
        )


class WarehouseList(BaseModel):
    warehouses: list[WarehouseOut]
