"""The settings every service shares; each service subclasses it with its own env prefix.

    class PricingSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="PRICING_")
        port: int = 8001
        worker_port: int = 8101
        database_url: str = embedded_database_url("pricing")

Every default runs against the embedded stack (docs/architecture.md, "The embedded stack"),
so a service starts with no environment at all; production-like environments must set real
secrets.
"""

from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_ADMIN_TOKEN = "dev-admin-token"
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
    admin_token: SecretStr = SecretStr(DEV_ADMIN_TOKEN)
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    otlp_endpoint: str | None = None
    # Fault injection at start (docs/architecture.md, "Public contract"); PUT /admin/faults
    # changes them live.
    fault_latency_ms: int = Field(default=0, ge=0)
    fault_error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    fault_refuse: bool = False

    @property
    def kafka_consumer_options(self) -> dict[str, int]:
        return {
            "session_timeout_ms": self.kafka_session_timeout_ms,
            "heartbeat_interval_ms": self.kafka_heartbeat_interval_ms,
        }

    @model_validator(mode="after")
    def _refuse_dev_secrets_outside_local(self) -> Self:
        if self.environment != "local" and self.admin_token.get_secret_value() == DEV_ADMIN_TOKEN:
            raise ValueError("admin_token must be set to a real secret outside local development")
        return self
