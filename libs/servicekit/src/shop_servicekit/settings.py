"""The settings every service shares; each service subclasses it with its own env prefix.

    class PricingSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="PRICING_")
        port: int = 8001
        worker_port: int = 8101
        database_url: str = embedded_database_url("pricing")

Every default runs against the embedded stack (docs/architecture.md, "The embedded stack"),
so a service starts with no environment at all; outside `environment=local` the keys must be
set (no development key is ever used there).
"""

from typing import Any, Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDED_POSTGRES_PORT = 15432


def embedded_database_url(service: str) -> str:
    """The service's database on the embedded PostgreSQL of the stack runner."""
    return f"postgresql+asyncpg://postgres@127.0.0.1:{EMBEDDED_POSTGRES_PORT}/shop_{service}"


def service_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    environment: Literal["local", "production"] = "local"
    host: str = "127.0.0.1"
    port: int
    worker_port: int
    database_url: str
    database_pool_size: int = Field(default=10, ge=1)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Off for the embedded Tansu broker (its InitProducerId fails), on for real Kafka.
    kafka_enable_idempotence: bool = False
    # Kafka's broker minimum is 6 s. Tansu admits a member after about half the session
    # timeout, so the embedded stack lowers it to join in about a second.
    kafka_session_timeout_ms: int = Field(default=6000, ge=500)
    kafka_heartbeat_interval_ms: int = Field(default=1000, ge=100)
    # How long a fetch waits on the broker for records. Apache Kafka answers as soon as a
    # record arrives, so there a long wait (2000) only quiets an idle consumer. Tansu, the
    # embedded and stand-in broker, answers only once about half the wait has passed,
    # whatever arrives: the wait bounds every event hop's latency (measured: 2000 -> about
    # 1 s per hop, 200 -> under 100 ms), at a few more idle fetches per second.
    kafka_fetch_max_wait_ms: int = Field(default=200, ge=10)
    # How long the outbox keeps a published event (the republish repair needs it) and the
    # inbox a handled one (the dedup of a redelivery): keep the inbox's longer than the
    # broker keeps its log. `work` purges what is older every hour (shop_messaging.Retention).
    outbox_retention_days: float = Field(default=7.0, gt=0)
    inbox_retention_days: float = Field(default=14.0, gt=0)
    # Identity (the ADR on service identity and customer tokens): this service's Ed25519
    # key (base64 of 32 bytes) signs its outbound calls; `trusted_keys` maps each identity
    # it accepts (callers, `operator`, the customer issuer) to that identity's public key.
    # Only `local` may leave them unset: it falls back to well-known development keys.
    signing_key: SecretStr | None = None
    trusted_keys: dict[str, str] = Field(default_factory=dict)
    customer_issuer: str = "shop-identity"
    customer_audience: str = "shop"
    # Larger request bodies get 413 before any route reads them.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    # Fault injection at start (docs/architecture.md, "Public contract"); PUT /admin/faults
    # changes them live.
    fault_latency_ms: int = Field(default=0, ge=0)
    fault_error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    fault_refuse: bool = False

    @property
    def kafka_consumer_options(self) -> dict[str, Any]:
        return {
            "session_timeout_ms": self.kafka_session_timeout_ms,
            "heartbeat_interval_ms": self.kafka_heartbeat_interval_ms,
            "fetch_max_wait_ms": self.kafka_fetch_max_wait_ms,
        }

    @property
    def service_name(self) -> str:
        """The service's identity: its env prefix, e.g. CHECKOUT_ -> checkout."""
        return str(self.model_config.get("env_prefix", "")).rstrip("_").lower()

    @model_validator(mode="after")
    def _refuse_dev_secrets_outside_local(self) -> Self:
        if self.environment != "local" and self.signing_key is None:
            raise ValueError("signing_key must be set outside local development")
        return self
