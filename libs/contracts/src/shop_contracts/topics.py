"""Kafka topic names: one topic per producing bounded context.

    from shop_contracts import topics
    consumer.subscribe([topics.ORDERS, topics.SHIPMENTS])

Which event types travel on which topic is recorded on each event class
(`OrderConfirmed.topic`) and summarised by `shop_contracts.TOPIC_EVENT_TYPES`.
"""

from typing import Final

ORDERS: Final = "checkout.orders"
# Personal data (the customer's email): only communications subscribes (ADR 0010).
CONTACTS: Final = "checkout.contacts"
SHIPMENTS: Final = "fulfillment.shipments"
STOCK: Final = "inventory.stock"
PAYMENTS: Final = "payment.payments"
NOTIFICATIONS: Final = "communications.notifications"
RETURNS: Final = "returns.returns"

ALL: Final = (ORDERS, CONTACTS, SHIPMENTS, STOCK, PAYMENTS, NOTIFICATIONS, RETURNS)


def dlq(consumer_group: str) -> str:
    """The dead-letter topic of a consumer group.

    topics.dlq("fulfillment")  # -> "fulfillment.dlq"
    """
    return f"{consumer_group}.dlq"
