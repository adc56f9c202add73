from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class FulfillmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FULFILLMENT_")

    port: int = 8004
    worker_port: int = 8104
    database_url: str = embedded_database_url("fulfillment")
