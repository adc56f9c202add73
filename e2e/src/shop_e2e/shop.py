"""A client of the whole shop, as customers and operators see it: HTTP APIs and mail.

    async with Shop(deployment) as shop:
        customer = shop.new_customer()
        placed = await shop.place_order(customer, [("SKU-MUG-01", 2)])
        order = await shop.wait_for(placed["order_id"], status("COMPLETED"))

One object for the tests, made of parts split by who would make each call: a customer
(customer.py, waiting.py, returns.py), an operator (operations.py), the services' reads
(reads.py) and the mail sink (mail.py).
"""

from shop_e2e.client import Json
from shop_e2e.customer import ADDRESS
from shop_e2e.mail import Mailbox
from shop_e2e.operations import OperatorApi
from shop_e2e.reads import ServiceReads
from shop_e2e.returns import ReturnsApi, returned_status
from shop_e2e.waiting import OrderCheck, OrderWaits, status


class Shop(OrderWaits, ReturnsApi, OperatorApi, ServiceReads, Mailbox):
    """Every call a test makes to the shop; see the parts for what each does."""


__all__ = ["ADDRESS", "Json", "OrderCheck", "Shop", "returned_status", "status"]
