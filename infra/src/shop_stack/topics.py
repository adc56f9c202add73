"""The Kafka topic definitions (infra/topics.toml) and their creation on a broker.

    await create_topics("127.0.0.1:9092")                      # every topic, 3 partitions
    await create_topics(bootstrap, dead_letter_groups=["payment-work"])  # + payment-work.dlq

Creation is idempotent: a topic that already exists is left as it is.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicCatalog:
    topics: tuple[TopicSpec, ...]
    dead_letter_suffix: str

    def dead_letter_topic(self, group: str) -> str:
        """The DLQ topic of a consumer group: `<group>.dlq`."""
        return f"{group}{self.dead_letter_suffix}"


def _topics_text() -> str:
    # Editable installs see infra/topics.toml next to src/; wheels carry a copy inside.
    path = os.environ.get("STACK_TOPICS_FILE")
    if path:
        return Path(path).read_text()
    beside_src = Path(__file__).resolve().parents[2] / "topics.toml"
    if beside_src.exists():
        return beside_src.read_text()
    return resources.files("shop_stack").joinpath("topics.toml").read_text()


def load_catalog(text: str | None = None, env: Mapping[str, str] = os.environ) -> TopicCatalog:
    """Parse topics.toml; env STACK_TOPIC_PARTITIONS overrides the default partition count."""
    data: dict[str, Any] = tomllib.loads(text if text is not None else _topics_text())
    defaults = data.get("defaults", {})
    partitions = int(env.get("STACK_TOPIC_PARTITIONS", defaults.get("partitions", 3)))
    replication = int(defaults.get("replication_factor", 1))
    topics = tuple(
        TopicSpec(
            name=t["name"],
            partitions=int(t.get("partitions", partitions)),
            replication_factor=int(t.get("replication_factor", replication)),
            events=tuple(t.get("events", ())),
        )
        for t in data.get("topics", [])
    )
    return TopicCatalog(topics, str(data.get("dead_letters", {}).get("suffix", ".dlq")))


async def create_topics(
    bootstrap: str,
    catalog: TopicCatalog | None = None,
    *,
    dead_letter_groups: Iterable[str] = (),
) -> list[str]:
    """Create every catalog topic (and DLQs of the given groups) missing on `bootstrap`.

    Returns the names that were newly created.
    """
    catalog = catalog or load_catalog()
    wanted = list(catalog.topics)
    default = wanted[0] if wanted else TopicSpec("", 1, 1)
    wanted += [
        TopicSpec(catalog.dead_letter_topic(g), default.partitions, default.replication_factor)
        for g in dead_letter_groups
    ]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    created: list[str] = []
    try:
        existing = set(await admin.list_topics())
        for topic in wanted:
            if topic.name in existing:
                continue
            response = await admin.create_topics(
                [NewTopic(topic.name, topic.partitions, topic.replication_factor)]
            )
            # Errors come back in the response, not as exceptions; a concurrent creator
            # winning the race (TopicAlreadyExists) is fine.
            for _, code, message in response.topic_errors:
                if code not in (0, TopicAlreadyExistsError.errno):
                    raise RuntimeError(f"creating topic {topic.name} failed: {code} {message}")
            created.append(topic.name)
    finally:
        await admin.close()
    return created
