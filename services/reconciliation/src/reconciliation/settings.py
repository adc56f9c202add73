from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict
from shop_contracts.saga_steps import (
    ALLOCATE_ORDER,
    CAPTURE_PAYMENT,
    COMMIT_RESERVATION,
    NOTIFY_CUSTOMER,
    REFUND_RETURN,
)
from shop_contracts.sagas import SagaStep
from shop_servicekit import ServiceSettings, embedded_database_url, service_url


def _seconds(step: SagaStep) -> int:
    return int(step.deadline.total_seconds())


class ReconciliationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RECONCILIATION_")

    port: int = 8006
    worker_port: int = 8106
    database_url: str = embedded_database_url("reconciliation")
    # How long each step of completing an order may take before it counts as late, from
    # the moment it could start (`domain/coordination.py`). The reconciliation job uses the
    # same deadlines: a step that is merely late is not drift until its deadline passed.
    # The defaults are the saga catalogue's (shop_contracts.saga_steps, docs/sagas.md).
    allocation_deadline_seconds: int = Field(default=_seconds(ALLOCATE_ORDER), ge=1)
    reservation_commit_deadline_seconds: int = Field(default=_seconds(COMMIT_RESERVATION), ge=1)
    payment_capture_deadline_seconds: int = Field(default=_seconds(CAPTURE_PAYMENT), ge=1)
    customer_notification_deadline_seconds: int = Field(default=_seconds(NOTIFY_CUSTOMER), ge=1)
    # How long a received return may wait for its refund and its restock (RETURN_ORDER).
    return_deadline_seconds: int = Field(default=_seconds(REFUND_RETURN), ge=1)

    # A hold or authorization with no confirmed order is an orphan only once it is this
    # old: a checkout in flight has reserved and authorized before it confirms.
    orphan_grace_seconds: int = Field(default=300, ge=0)
    # How long checkout may take to reflect a fact another service holds (its consumer's lag).
    status_settle_seconds: int = Field(default=60, ge=0)

    # The worker runs the job every interval over the last window (0 disables the schedule).
    schedule_interval_seconds: float = Field(default=300, ge=0)
    schedule_window_seconds: int = Field(default=86400, ge=60)

    # The sources of truth and the owners of the repairs (docs/reconciliation.md).
    checkout_url: str = service_url(8000)
    inventory_url: str = service_url(8002)
    payment_url: str = service_url(8003)
    fulfillment_url: str = service_url(8004)
    communications_url: str = service_url(8005)
    returns_url: str = service_url(8007)
    # Reads are idempotent GETs: generous per page (retries included), retried.
    read_timeout_seconds: float = Field(default=30.0, gt=0)
    read_page_size: int = Field(default=1000, ge=1, le=1000)
    read_retries: int = Field(default=3, ge=0, le=10)
    repair_timeout_seconds: float = Field(default=10.0, gt=0)
    breaker_fail_max: int = Field(default=5, ge=1)
    breaker_reset_timeout_s: float = Field(default=10.0, gt=0)

    # The operator console (/console): the services it shows (pricing only there), the
    # operator key it toggles their faults with (`local`: the development key; unset
    # elsewhere: faults are shown as unreadable), where each service's worker serves its
    # /metrics (empty: the serve URL's port + 100, as on the embedded stack), and the trace
    # search a journey links to ("{order_id}" is replaced).
    pricing_url: str = service_url(8001)
    console_operator_key: SecretStr | None = None
    console_worker_urls: dict[str, str] = {}
    console_trace_url: str = "http://127.0.0.1:16686/search?service=checkout&tags=%7B%22order.id%22%3A%22{order_id}%22%7D"

    @field_validator("console_operator_key", mode="before")
    @classmethod
    def _empty_key_is_none(cls, value: object) -> object:
        # An empty entry in a Secret or .env file means "not given", not an empty key.
        return None if value == "" else value
