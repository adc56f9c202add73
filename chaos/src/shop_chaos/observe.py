"""Read every service's source of truth through its internal and public reads.

    ledger = await stock_ledger(shop)            # before the first checkout
    truth = await read_truth(shop, since)        # once the run has settled

The internal reads are reconciliation's (docs/reconciliation.md); stock comes from
inventory's public stock read and the mailbox from the mail sink's API.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from shop_e2e.shop import Shop

from shop_chaos.history import Ledger, Stock, Truth
from shop_chaos.workload import SKUS


async def stock_levels(shop: Shop) -> dict[str, Stock]:
    levels = {}
    for sku in SKUS:
        stock = await shop.stock(sku)
        levels[sku] = Stock(on_hand=int(stock["on_hand"]), reserved=int(stock["reserved"]))
    return levels


async def stock_ledger(shop: Shop) -> Ledger:
    """What inventory holds before the run: the starting side of the stock balance."""
    levels = await stock_levels(shop)
    return Ledger(initial_on_hand={sku: level.on_hand for sku, level in levels.items()})


async def read_truth(shop: Shop, since: datetime) -> Truth:
    async def rows(service: str, what: str) -> list[dict[str, Any]]:
        found = await shop.internal_read(service, what, since)
        assert found is not None, f"{service} does not serve /internal/v1/{what}"
        return found

    mails: Counter[str] = Counter()
    for message in await shop.mails():
        for to in message["To"]:
            mails[str(to["Address"]).lower()] += 1
    return Truth(
        orders=await rows("checkout", "orders"),
        reservations=await rows("inventory", "reservations"),
        authorizations=await rows("payment", "authorizations"),
        shipments=await rows("fulfillment", "shipments"),
        backorders=await rows("fulfillment", "backorders"),
        notifications=await rows("communications", "notifications"),
        mails=dict(mails),
        stock=await stock_levels(shop),
    )
