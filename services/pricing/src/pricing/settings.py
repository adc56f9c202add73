from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class PricingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PRICING_")

    port: int = 8001
    worker_port: int = 8101
    database_url: str = embedded_database_url("pricing")
    quote_ttl_seconds: int = 900
