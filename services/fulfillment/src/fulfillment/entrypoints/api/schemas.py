"""Fulfillment's HTTP response models (they belong to this service alone); they end in
`View`, and the use cases never see them."""

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel

from fulfillment.domain.allocation import Line, Warehouse
from fulfillment.domain.shipments import Backorder, Shipment

# Order ids are other services' ids: bounded, but not parsed beyond that.
OrderIdQuery = Annotated[str, Query(min_length=1, max_length=64)]


class LineView(BaseModel):
    sku: str
    quantity: int

    @classmethod
    def of(cls, line: Line) -> "LineView":
        return cls(sku=line.sku, quantity=line.quantity)


class ShipmentView(BaseModel):
    shipment_id: str
    order_id: str
    warehouse_id: str
    status: str
    carrier: str | None
    tracking: str | None
    lines: list[LineView]
    created_at: datetime
    dispatched_at: datetime | None

    @classmethod
    def of(cls, shipment: Shipment) -> "ShipmentView":
        return cls(
            shipment_id=shipment.id,
            order_id=shipment.order_id,
            warehouse_id=shipment.warehouse_id,
            status=shipment.status.value,
            carrier=shipment.carrier,
            tracking=shipment.tracking,
            lines=[LineView.of(line) for line in shipment.lines],
            created_at=shipment.created_at,
            dispatched_at=shipment.dispatched_at,
        )


class ShipmentListView(BaseModel):
    shipments: list[ShipmentView]


class BackorderView(BaseModel):
    backorder_id: str
    order_id: str
    status: str
    skus_short: list[str]
    lines: list[LineView]
    created_at: datetime
    released_at: datetime | None
    cancelled_at: datetime | None

    @classmethod
    def of(cls, backorder: Backorder) -> "BackorderView":
        return cls(
            backorder_id=backorder.id,
            order_id=backorder.order_id,
            status=backorder.status.value,
            skus_short=list(backorder.skus_short),
            lines=[LineView.of(line) for line in backorder.lines],
            created_at=backorder.created_at,
            released_at=backorder.released_at,
            cancelled_at=backorder.cancelled_at,
        )


class BackorderListView(BaseModel):
    backorders: list[BackorderView]


class BinStockView(BaseModel):
    sku: str
    on_hand: int


class WarehouseView(BaseModel):
    warehouse_id: str
    name: str
    country: str
    priority: int
    stock: list[BinStockView]

    @classmethod
    def of(cls, warehouse: Warehouse) -> "WarehouseView":
        return cls(
            warehouse_id=warehouse.id,
            name=warehouse.name,
            country=warehouse.country,
            priority=warehouse.priority,
            stock=[
                BinStockView(sku=sku, on_hand=on_hand)
                for sku, on_hand in sorted(warehouse.on_hand.items())
            ],
        )


class WarehouseListView(BaseModel):
    warehouses: list[WarehouseView]
