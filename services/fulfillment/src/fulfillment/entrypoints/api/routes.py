"""Thin routes: HTTP in, a query called, HTTP out; a missing entity is a problem. Routes
never open a session: the application's queries do."""

from fastapi import APIRouter, Depends
from shop_servicekit import OPERATOR, PUBLIC, Authority, Problem, problem_responses
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fulfillment.application.queries import (
    all_warehouses,
    backorders_of_order,
    find_backorder,
    find_shipment,
    shipments_of_order,
)
from fulfillment.entrypoints.api.schemas import (
    BackorderListView,
    BackorderView,
    OrderIdQuery,
    ShipmentListView,
    ShipmentView,
    WarehouseListView,
    WarehouseView,
)


def fulfillment_router(sessions: async_sessionmaker[AsyncSession], *, auth: Authority) -> APIRouter:
    # Shipments carry the ship-to address: reconciliation and operators only.
    reads = auth.services("reconciliation", OPERATOR)
    router = APIRouter(prefix="/v1", tags=["fulfillment"])

    @router.get("/shipments", dependencies=[Depends(reads)])
    async def get_shipments(order_id: OrderIdQuery) -> ShipmentListView:
        found = await shipments_of_order(sessions, order_id)
        return ShipmentListView(shipments=[ShipmentView.of(shipment) for shipment in found])

    @router.get(
        "/shipments/{shipment_id}",
        responses=problem_responses(404),
        dependencies=[Depends(reads)],
    )
    async def get_shipment(shipment_id: str) -> ShipmentView:
        found = await find_shipment(sessions, shipment_id)
        if found is None:
            raise Problem(404, "shipment-not-found", "No such shipment", shipment_id=shipment_id)
        return ShipmentView.of(found)

    @router.get("/backorders", dependencies=[Depends(reads)])
    async def get_backorders(order_id: OrderIdQuery) -> BackorderListView:
        found = await backorders_of_order(sessions, order_id)
        return BackorderListView(backorders=[BackorderView.of(backorder) for backorder in found])

    @router.get(
        "/backorders/{backorder_id}",
        responses=problem_responses(404),
        dependencies=[Depends(reads)],
    )
    async def get_backorder(backorder_id: str) -> BackorderView:
        found = await find_backorder(sessions, backorder_id)
        if found is None:
            raise Problem(
                404, "backorder-not-found", "No such backorder", backorder_id=backorder_id
            )
        return BackorderView.of(found)

    @router.get("/warehouses", dependencies=[Depends(PUBLIC)])
    async def get_warehouses() -> WarehouseListView:
        found = await all_warehouses(sessions)
        return WarehouseListView(warehouses=[WarehouseView.of(warehouse) for warehouse in found])

    return router
