"""The shop's Kafka topics as Strimzi `KafkaTopic` resources, from the one topic list.

    documents = kafka_topics(load_catalog(env={}))

The list is `shop_stack.topics` (the same the embedded stack creates); the environment's
partition override is not read, so the manifests do not depend on who generated them.
Dead-letter topics (`<group>.dlq`) are created by each consumer group's runner itself.
"""

from __future__ import annotations

from typing import Any

from shop_stack.topics import TopicCatalog

from shop_k8s import cluster

Manifest = dict[str, Any]


def resource_name(topic: str) -> str:
    # Resource names are DNS subdomains: dots are fine, underscores are not.
    return topic.replace("_", "-")


def kafka_topics(catalog: TopicCatalog) -> list[Manifest]:
    return [
        {
            "apiVersion": "kafka.strimzi.io/v1beta2",
            "kind": "KafkaTopic",
            "metadata": {
                "name": resource_name(topic.name),
                "labels": {
                    "strimzi.io/cluster": cluster.KAFKA_CLUSTER,
                    "app.kubernetes.io/part-of": cluster.PART_OF,
                },
            },
            "spec": {
                "topicName": topic.name,
                "partitions": topic.partitions,
                "replicas": topic.replication_factor,
            },
        }
        for topic in catalog.topics
    ]


def max_partitions(catalog: TopicCatalog) -> int:
    """The most members a consumer group can keep busy: one per partition of its topics."""
    return max((topic.partitions for topic in catalog.topics), default=1)
