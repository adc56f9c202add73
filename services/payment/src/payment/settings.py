from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class PaymentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENT_")

    port: int = 8003
    worker_port: int = 8103
    database_url: str = embedded_database_url("payment")
    # Below this many milliseconds of caller budget a request is refused before any work.
    min_budget_ms: int = Field(default=5, ge=0)
    # Fraud screen: one authorization above this amount (minor units, any currency) is
    # suspect, and so is a customer making more than `max` attempts within the window.
    fraud_amount_limit: int = Field(default=500_000, ge=1)
    fraud_velocity_max: int = Field(default=5, ge=1)
    fraud_velocity_window_seconds: int = Field(default=600, ge=1)
