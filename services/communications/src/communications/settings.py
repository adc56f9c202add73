from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url


class CommunicationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="COMMUNICATIONS_")

    port: int = 8005
    worker_port: int = 8105
    database_url: str = embedded_database_url("communications")
    # The embedded stack's aiosmtpd (Mailpit under docker compose).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_from: str = Field(default="Shop <orders@shop.example>", pattern=r"@[^@\s>]+>?$")
    # An event that cannot be handled yet is retried, its partition paused between
    # attempts, with backoff doubling from `retry_backoff_seconds` up to the max: for as
    # long as it takes while the mail server is down; `retry_max_attempts` times for any
    # other cause (an order event ahead of its OrderContactShared), then dead-lettered and
    # redriven later. Nine attempts wait at least 16 s in all: longer than the contact can
    # sit paused behind a database outage (the max backoff), which five (1.5 s) were not.
    retry_max_attempts: int = Field(default=9, ge=1)
    retry_backoff_seconds: float = Field(default=0.2, gt=0)
    retry_backoff_max_seconds: float = Field(default=10.0, gt=0)
