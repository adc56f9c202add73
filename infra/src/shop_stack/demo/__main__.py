"""`python -m shop_stack.demo`: the three acts, in order; exit 1 if one fails."""

import argparse
import sys
import uuid

import httpx
from shop_auth import ShopAuth

from shop_stack.demo.checkouts import Urls, three_checkouts
from shop_stack.demo.collaboration import backorder_then_replenish, follow
from shop_stack.demo.drift import break_and_reconcile
from shop_stack.demo.returns import return_one_unit


def run(urls: Urls) -> int:
    # A new customer per run: payment's velocity rule would flag a demo run many times.
    customer = f"cus_demo_{uuid.uuid4().hex[:8]}"
    # Each call signed as whom its route admits (SHOP_<NAME>_KEY, else the development keys).
    auth = ShopAuth(
        {
            "checkout": urls.checkout,
            "inventory": urls.inventory,
            "payment": urls.payment,
            "reconciliation": urls.reconciliation,
            "returns": urls.returns,
        }
    )
    with httpx.Client(timeout=30, auth=auth) as client:
        print("#### 1. Coordination: one business moment, one answer\n")
        confirmed = three_checkouts(client, urls, customer)
        if confirmed is None:
            return 1
        print("\n#### 2. Collaboration: after the checkout, on the services' own clocks\n")
        if follow(client, urls.checkout, confirmed, ("COMPLETED",)) is None:
            return 1
        if not backorder_then_replenish(client, urls, customer):
            return 1
        if not return_one_unit(client, urls, auth.customer_headers(customer), confirmed):
            return 1
        print("\n#### 3. Reconciliation: collaboration drifts; the job finds and repairs it\n")
        return 0 if break_and_reconcile(client, urls, customer) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description="The demo scenario of `make demo`.")
    parser.add_argument("--checkout", default="http://127.0.0.1:8000")
    parser.add_argument("--inventory", default="http://127.0.0.1:8002")
    parser.add_argument("--payment", default="http://127.0.0.1:8003")
    parser.add_argument("--reconciliation", default="http://127.0.0.1:8006")
    parser.add_argument("--returns", default="http://127.0.0.1:8007")
    args = parser.parse_args()
    urls = Urls(
        checkout=args.checkout,
        inventory=args.inventory,
        payment=args.payment,
        reconciliation=args.reconciliation,
        returns=args.returns,
    )
    sys.exit(run(urls))


if __name__ == "__main__":
    main()
