"""Thin routes: HTTP in, a read in one session, HTTP out; a missing entity is a problem."""

from fastapi import APIRouter
from shop_servicekit import Problem
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fulfillment.adapters import shipments, warehouses
from fulfillment.entrypoints.api.schemas import (
    BackorderList,
    BackorderOut,
    OrderIdQuery,
    ShipmentList,
    ShipmentOut,
    WarehouseList,
    WarehouseOut,
)


def fulfillment_router(sessions: async_sessionmaker[AsyncSession]) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["fulfillment"])

    @router.get("/shipments")
    async def list_shipments(order_id: OrderIdQuery) -> ShipmentList:
        async with sessions() as session:
            found = await shipments.shipments_for_order(session, order_id)
        return ShipmentList(shipments=[ShipmentOut.of(shipment) for shipment in found])

    @router.get("/shipments/{shipment_id}")
    async def get_shipment(shipment_id: str) -> ShipmentOut:
        async with sessions() as session:
            found = await shipments.get_shipment(session, shipment_id)
        if found is None:
            raise Problem(404, "shipment-not-found", "No such shipment", shipment_id=shipment_id)
        return ShipmentOut.of(found)

    @router.get("/backorders")
    async def list_backorders(order_id: OrderIdQuery) -> BackorderList:
        async with sessions() as session:
            found = await shipments.backorders_for_order(session, order_id)
        return BackorderList(backorders=[BackorderOut.of(backorder) for backorder in found])

    @router.get("/backorders/{backorder_id}")
    async def get_backorder(backorder_id: str) -> BackorderOut:
        async with sessions() as session:
            found = await shipments.get_backorder(session, backorder_id)
        if found is None:
            raise Problem(
                404, "backorder-not-found", "No such backorder", backorder_id=backorder_id
            )
        return BackorderOut.of(found)

    @router.get("/warehouses")
    async def list_warehouses() -> WarehouseList:
        async with sessions() as session:
            found = await warehouses.list_warehouses(session)
        return WarehouseList(warehouses=[WarehouseOut.of(warehouse) for warehouse in found])

    return router
