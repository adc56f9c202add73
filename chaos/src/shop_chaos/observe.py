"""Read every service's source of truth through its internal and public reads.

    ledger = await stock_ledger(shop, workload.demand())   # before the first checkout
    truth = await read_truth(shop, since)        # once the run has settled

The internal reads are reconciliation's (docs/reconciliation.md); stock comes from
inventory's public stock read and the mailbox from the mail sink's API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from shop_e2e.shop import Shop

from shop_chaos.history import Ledger, Stock, Truth
from shop_chaos.workload import SCARCE, SKUS


async def stock_levels(shop: Shop) -> dict[str, Stock]:
    levels = {}
    for sku in SKUS:
        stock = await shop.stock(sku)
        levels[sku] = Stock(on_hand=int(stock["on_hand"]), reserved=int(stock["reserved"]))
    return levels


async def stock_ledger(shop: Shop, demand: Mapping[str, int]) -> Ledger:
    """What inventory holds before the run, and what the run adds so that every SKU but the
    scarce ones covers the run's whole demand (a long run would otherwise test little but
    out-of-stock answers): the starting side of the stock balance. Goods received reach
    fulfillment's shelves too (StockReplenished), so the orders can ship."""
    levels = await stock_levels(shop)
    replenished: dict[str, int] = {}
    for sku, level in sorted(levels.items()):
        short = demand.get(sku, 0) - (level.on_hand - level.reserved)
        if sku not in SCARCE and short > 0:
            await shop.replenish(sku, short)
            replenished[sku] = short
    return Ledger(
        initial_on_hand={sku: level.on_hand for sku, level in levels.items()},
        replenished=replenished,
    )


def count_mails(messages: Sequence[Mapping[str, Any]]) -> tuple[dict[str, int], int]:
    """Distinct messages (Message-IDs) per recipient, and how many copies repeated one."""
    copies: Counter[tuple[str, str]] = Counter()
    for message in messages:
        for to in message["To"]:
            copies[str(to["Address"]).lower(), str(message["MessageID"])] += 1
    per_recipient = Counter(address for address, _ in copies)
    return dict(per_recipient), sum(copies.values()) - len(copies)


async def read_truth(shop: Shop, since: datetime) -> Truth:
    async def rows(service: str, what: str) -> list[dict[str, Any]]:
        found = await shop.internal_read(service, what, since)
        assert found is not None, f"{service} does not serve /internal/v1/{what}"
        return found

    mails, resent_copies = count_mails(await shop.mails())
    return Truth(
        orders=await rows("checkout", "orders"),
        reservations=await rows("inventory", "reservations"),
        authorizations=await rows("payment", "authorizations"),
        shipments=await rows("fulfillment", "shipments"),
        backorders=await rows("fulfillment", "backorders"),
        notifications=await rows("communications", "notifications"),
        mails=mails,
        resent_copies=resent_copies,
        stock=await stock_levels(shop),
    )
