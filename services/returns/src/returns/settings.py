from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class ReturnsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RETURNS_")

    port: int = 8007
    worker_port: int = 8107
    database_url: str = embedded_database_url("returns")
