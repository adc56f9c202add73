from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class InventorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INVENTORY_")

    port: int = 8002
    worker_port: int = 8102
    database_url: str = embedded_database_url("inventory")
    # A hold's lifetime when the caller does not say; checkout normally sends its own.
    default_ttl_seconds: int = Field(default=900, ge=1, le=86_400)
    # Below this many milliseconds of caller budget a request is refused before any work.
    min_budget_ms: int = Field(default=5, ge=0)
    expiry_sweep_interval_seconds: float = Field(default=5.0, gt=0)
    expiry_batch_size: int = Field(default=100, ge=1)
