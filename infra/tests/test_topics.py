"""Infra creates exactly the topics the published language names, sized by topics.toml."""

import pytest
from shop_contracts import TOPIC_EVENT_TYPES, topics
from shop_stack.topics import create_topics, load_catalog


def test_the_catalog_is_every_contracts_topic_with_infra_defaults() -> None:
    catalog = load_catalog(env={})

    assert [t.name for t in catalog.topics] == list(topics.ALL)
    assert set(TOPIC_EVENT_TYPES) == {t.name for t in catalog.topics}
    assert {(t.partitions, t.replication_factor) for t in catalog.topics} == {(3, 1)}


def test_the_dead_letter_suffix_agrees_with_contracts() -> None:
    catalog = load_catalog(env={})

    for group in ("fulfillment", "communications", "payment-work"):
        assert catalog.dead_letter_topic(group) == topics.dlq(group)


def test_partitions_come_from_the_environment_then_a_per_topic_override() -> None:
    text = """
[defaults]
partitions = 3
[overrides."checkout.orders"]
partitions = 6
retention_ms = 60000
"""
    catalog = load_catalog(text, env={"STACK_TOPIC_PARTITIONS": "2"})

    sizes = {t.name: (t.partitions, t.retention_ms) for t in catalog.topics}
    assert sizes[topics.ORDERS] == (6, 60000)
    assert sizes[topics.SHIPMENTS] == (2, None)


def test_an_override_of_a_topic_contracts_do_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match=r"checkout\.ordres"):
        load_catalog('[overrides."checkout.ordres"]\npartitions = 6\n', env={})


async def test_every_catalog_topic_and_a_dead_letter_topic_exist_on_the_broker(
    kafka_bootstrap_servers: str,
) -> None:
    await create_topics(kafka_bootstrap_servers, dead_letter_groups=["topics-test"])
    again = await create_topics(kafka_bootstrap_servers, dead_letter_groups=["topics-test"])

    assert again == []  # everything exists now: creation is idempotent
