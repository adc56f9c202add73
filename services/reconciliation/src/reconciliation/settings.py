from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class ReconciliationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RECONCILIATION_")

    port: int = 8006
    worker_port: int = 8106
    database_url: str = embedded_database_url("reconciliation")
    # How long each step of completing an order may take before it counts as late, from
    # the moment it could start (DESIGN.md section 7).
    allocation_deadline_seconds: int = Field(default=60, ge=1)
    reservation_commit_deadline_seconds: int = Field(default=120, ge=1)
    payment_capture_deadline_seconds: int = Field(default=120, ge=1)
    customer_notification_deadline_seconds: int = Field(default=60, ge=1)
