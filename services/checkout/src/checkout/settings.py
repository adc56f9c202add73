from pydantic import Field
from pydantic_settings import SettingsConfigDict
from shop_servicekit import ServiceSettings, embedded_database_url, service_url


class CheckoutSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CHECKOUT_")

    port: int = 8000
    worker_port: int = 8100
    database_url: str = embedded_database_url("checkout")

    pricing_url: str = service_url(8001)
    inventory_url: str = service_url(8002)
    payment_url: str = service_url(8003)

    # One budget for the three coordinated calls (price, reserve, authorize) of a checkout.
    checkout_budget_ms: int = Field(default=2000, ge=50)
    # Compensation gets its own budget: the checkout's is spent by the time it runs.
    compensation_budget_ms: int = Field(default=3000, ge=50)
    breaker_fail_max: int = Field(default=5, ge=1)
    breaker_reset_timeout_s: float = Field(default=10.0, gt=0)
    retry_attempts: int = Field(default=2, ge=0, le=5)
    reservation_ttl_seconds: int = Field(default=900, ge=60)
    # An IN_PROGRESS key older than this belongs to a crashed process and may be taken over.
    idempotency_lock_seconds: int = Field(default=30, ge=1)
    outbox_poll_interval_s: float = Field(default=1.0, gt=0)
    # Admission control of POST /v1/checkouts: beyond max_in_flight running, a checkout waits
    # at most admission_queue_ms behind at most admission_max_waiting others, else it is
    # answered 503 overloaded with Retry-After, before any call goes out.
    admission_max_in_flight: int = Field(default=8, ge=1)
    admission_max_waiting: int = Field(default=8, ge=0)
    admission_queue_ms: int = Field(default=200, ge=0)
    admission_retry_after_s: int = Field(default=1, ge=1)
    # A completed idempotency key answers replays this long, then the worker purges it.
    idempotency_key_ttl_seconds: int = Field(default=86_400, ge=60)
    idempotency_purge_interval_s: float = Field(default=60.0, gt=0)
    # Checkouts per signed-in customer and per client address (token buckets, per process).
    customer_checkouts_per_minute: float = Field(default=30, gt=0)
    customer_checkout_burst: int = Field(default=10, ge=1)
    client_checkouts_per_minute: float = Field(default=1200, gt=0)
    client_checkout_burst: int = Field(default=200, ge=1)
