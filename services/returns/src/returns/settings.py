from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class ReturnsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RETURNS_")

    port: int = 8007
    worker_port: int = 8107
    database_url: str = embedded_database_url("returns")
    # How long after an order first shipped its lines may be asked back (ADR 0015).
    return_window_days: int = Field(default=30, ge=0, le=365)
