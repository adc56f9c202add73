"""Idempotency keys keep the checkout's outcome, not its HTTP response.

The application now returns outcomes and the HTTP layer renders them, fresh and replayed
alike (application/outcomes.py, entrypoints/api/answers.py). Keys completed before this
revision are converted, so they replay the same status and body as before: a 201 body
becomes a "confirmed" record, a kept problem (4xx) a "refused" one. Downgrading renders
the records back into responses. The renderings below are frozen copies, as a migration's
code must be.

Revision ID: 0004
Revises: 0003
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PROBLEMS = "https://shop.example/problems/"
INSTANCE = "/v1/checkouts"
# reason -> (status, title, says its detail, lists its skus); anything else is a 422.
REFUSALS = {
    "unknown-sku": (404, "Unknown SKU", True, True),
    "out-of-stock": (409, "Not enough stock", True, True),
    "payment-declined": (402, "Payment declined", True, False),
    "fraud-suspected": (402, "Payment stopped by the fraud screen", False, False),
}

keys = sa.table(
    "idempotency_keys",
    sa.column("key", sa.String),
    sa.column("status", sa.String),
    sa.column("response_status", sa.Integer),
    sa.column("response_body", sa.JSON),
    sa.column("outcome", sa.JSON),
)


def upgrade() -> None:
    op.add_column("idempotency_keys", sa.Column("outcome", sa.JSON))
    bind = op.get_bind()
    completed = bind.execute(
        sa.select(keys.c.key, keys.c.response_status, keys.c.response_body).where(
            keys.c.status == "COMPLETED"
        )
    )
    for key, status, body in completed.all():
        outcome = _confirmed(body) if status == 201 else _refused(body)
        bind.execute(keys.update().where(keys.c.key == key).values(outcome=outcome))
    op.drop_column("idempotency_keys", "response_body")
    op.drop_column("idempotency_keys", "response_status")


def downgrade() -> None:
    op.add_column("idempotency_keys", sa.Column("response_status", sa.Integer))
    op.add_column("idempotency_keys", sa.Column("response_body", sa.JSON))
    bind = op.get_bind()
    completed = bind.execute(
        sa.select(keys.c.key, keys.c.outcome).where(keys.c.status == "COMPLETED")
    )
    for key, outcome in completed.all():
        status, body = _response(outcome)
        bind.execute(
            keys.update()
            .where(keys.c.key == key)
            .values(response_status=status, response_body=body)
        )
    op.drop_column("idempotency_keys", "outcome")


def _confirmed(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": "confirmed",
        "order_id": body["order_id"],
        "status": body["status"],
        "currency": body["total"]["currency"],
        "total": body["total"]["amount"],
        "lines": [
            {
                "sku": line["sku"],
                "name": line["name"],
                "quantity": line["quantity"],
                "unit_price": line["unit_price"]["amount"],
            }
            for line in body["lines"]
        ],
        "fulfillment_status": body["fulfillment_status"],
        "created_at": body["created_at"],
    }


def _refused(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": "refused",
        "order_id": body["order_id"],
        "reason": str(body["type"]).removeprefix(PROBLEMS),
        "detail": body.get("detail", ""),
        "skus": body.get("skus", []),
    }


def _response(outcome: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if outcome["outcome"] == "confirmed":
        currency = outcome["currency"]
        return 201, {
            "order_id": outcome["order_id"],
            "status": outcome["status"],
            "total": {"amount": outcome["total"], "currency": currency},
            "lines": [
                {
                    "sku": line["sku"],
                    "name": line["name"],
                    "quantity": line["quantity"],
                    "unit_price": {"amount": line["unit_price"], "currency": currency},
                    "line_total": {
                        "amount": line["unit_price"] * line["quantity"],
                        "currency": currency,
                    },
                }
                for line in outcome["lines"]
            ],
            "fulfillment_status": outcome["fulfillment_status"],
            "created_at": outcome["created_at"].replace("+00:00", "Z"),
        }
    reason = outcome["reason"]
    status, title, with_detail, with_skus = REFUSALS.get(
        reason, (422, "The checkout was refused", True, False)
    )
    body: dict[str, Any] = {"type": PROBLEMS + reason, "title": title, "status": status}
    if with_detail and outcome["detail"]:
        body["detail"] = outcome["detail"]
    body["instance"] = INSTANCE
    if with_skus:
        body["skus"] = outcome["skus"]
    body["order_id"] = outcome["order_id"]
    return status, body
