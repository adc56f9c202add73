"""Payment's HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from payment.domain.authorizations import Authorization

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
