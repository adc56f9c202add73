"""The workload's carts follow from the seed alone, so the run's demand is known before it."""

from typing import cast

from shop_chaos.workload import SKUS, Workload
from shop_e2e.shop import Shop


def workload(seed: int, count: int) -> Workload:
    return Workload(cast(Shop, None), seed=seed, count=count, rate=1.0)  # carts need no shop


def test_one_seed_gives_the_same_carts_and_another_seed_others() -> None:
    assert list(workload(7, 50).carts()) == list(workload(7, 50).carts())
    assert list(workload(7, 50).carts()) != list(workload(8, 50).carts())


def test_the_demand_is_every_cart_added_up_per_sku() -> None:
    run = workload(7, 1_000)
    demand = run.demand()
    assert sum(demand.values()) == sum(quantity for _, quantity, _ in run.carts())
    assert set(demand) <= set(SKUS)
    # 1,000 checkouts of 1-2 units over 10 SKUs: each SKU is asked for roughly 150.
    assert all(100 < units < 200 for units in demand.values()), demand
