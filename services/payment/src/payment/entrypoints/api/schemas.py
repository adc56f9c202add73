"""Payment's HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from payment.domain.authorizations import Authorization
from payment.domain.refunds import Refund

OrderId = Annotated[str, Field(pattern=r"^ord_[A-Za-z0-9_-]{1,60}$")]
CustomerId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuthorizationBody(Strict):
    order_id: OrderId
    customer_id: CustomerId
    # Minor units. The bound only keeps numbers sane; the fraud screen's limit is lower.
    amount: int = Field(ge=1, le=100_000_000)
    currency: Currency
    token: str = Field(min_length=1, max_length=64)


class MoneyView(BaseModel):
    amount: int
    currency: str


class AuthorizationView(BaseModel):
    authorization_id: str
    order_id: str
    customer_id: str
    status: str
    amount: MoneyView
    created_at: datetime
    voided_at: datetime | None
    captured_at: datetime | None

    @classmethod
    def of(cls, authorization: Authorization) -> "AuthorizationView":
        return cls(
            authorization_id=authorization.id,
            order_id=authorization.order_id,
            customer_id=authorization.customer_id,
            status=authorization.status.value,
            amount=MoneyView(amount=authorization.amount, currency=authorization.currency),
            created_at=authorization.created_at,
            voided_at=authorization.voided_at,
            captured_at=authorization.captured_at,
        )


class RefundBody(Strict):
    """Reconciliation's repair: refund a received return (at most what is left captured)."""

    order_id: OrderId
    return_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    amount: int = Field(gt=0, le=100_000_000)


class RefundView(BaseModel):
    refund_id: str
    authorization_id: str
    order_id: str
    return_id: str
    amount: MoneyView
    created_at: datetime

    @classmethod
    def of(cls, refund: Refund) -> "RefundView":
        return cls(
            refund_id=refund.id,
            authorization_id=refund.authorization_id,
            order_id=refund.order_id,
            return_id=refund.return_id,
            amount=MoneyView(amount=refund.amount, currency=refund.currency),
            created_at=refund.created_at,
        )
