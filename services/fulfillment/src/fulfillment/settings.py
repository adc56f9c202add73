from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class FulfillmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FULFILLMENT_")

    port: int = 8004
    worker_port: int = 8104
    database_url: str = embedded_database_url("fulfillment")
    # Where goods announced by StockReplenished are shelved (the one receiving dock).
    receiving_warehouse_id: str = "wh_berlin"
    # How long a CREATED shipment waits before the dispatch loop hands it to a carrier
    # (a stand-in for picking and packing).
    dispatch_delay_seconds: float = Field(default=1.0, ge=0)
    dispatch_interval_seconds: float = Field(default=0.5, gt=0)
    dispatch_batch_size: int = Field(default=100, ge=1)
