"""The Kafka topics of the shop as infra creates them: contracts' names, infra's sizes.

    catalog = load_catalog()                                    # names from shop_contracts
    await create_topics("127.0.0.1:9092")                       # every topic, 3 partitions
    await create_topics(bootstrap, dead_letter_groups=["payment"])  # + payment.dlq

The list of topics is shop_contracts.topics.ALL, the one list; infra/topics.toml holds only
what is infra's (default partitions and replication, the dead-letter suffix, per-topic
overrides). Creation is idempotent: a topic that already exists is left as it is.
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
from shop_contracts import topics as contract_topics


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int
    retention_ms: int | None = None


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
    """Every contracts topic, sized by topics.toml; env STACK_TOPIC_PARTITIONS overrides the
    default partition count. An override naming a topic contracts do not know is an error."""
    data: dict[str, Any] = tomllib.loads(text if text is not None else _topics_text())
    defaults = data.get("defaults", {})
    partitions = int(env.get("STACK_TOPIC_PARTITIONS", defaults.get("partitions", 3)))
    replication = int(defaults.get("replication_factor", 1))
    overrides: dict[str, dict[str, Any]] = data.get("overrides", {})
    unknown = sorted(set(overrides) - set(contract_topics.ALL))
    if unknown:
        raise ValueError(f"topics.toml overrides topics contracts do not define: {unknown}")
    specs = []
    for name in contract_topics.ALL:
        own = overrides.get(name, {})
        retention = own.get("retention_ms")
        specs.append(
            TopicSpec(
                name=name,
                partitions=int(own.get("partitions", partitions)),
                replication_factor=int(own.get("replication_factor", replication)),
                retention_ms=None if retention is None else int(retention),
            )
        )
    suffix = str(data.get("dead_letters", {}).get("suffix", ".dlq"))
    return TopicCatalog(tuple(specs), suffix)


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
            response = await admin.create_topics([_new_topic(topic)])
            # Errors come back in the response, not as exceptions; a concurrent creator
            # winning the race (TopicAlreadyExists) is fine.
            for _, code, message in response.topic_errors:
                if code not in (0, TopicAlreadyExistsError.errno):
                    raise RuntimeError(f"creating topic {topic.name} failed: {code} {message}")
            created.append(topic.name)
    finally:
        await admin.close()
    return created


def _new_topic(spec: TopicSpec) -> NewTopic:
    configs = {} if spec.retention_ms is None else {"retention.ms": str(spec.retention_ms)}
    return NewTopic(spec.name, spec.partitions, spec.replication_factor, topic_configs=configs)
