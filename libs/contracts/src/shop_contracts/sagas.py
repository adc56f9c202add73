"""The shop's workflows as code: every saga, its steps, who performs each, on what trigger.

    from shop_contracts.sagas import COMPLETE_ORDER_STEPS, performs, route_tag

    # a worker's subscription table: each entry says which step it performs
    OrderConfirmedV2: performs(ALLOCATE_ORDER, partial(allocate_order, outbox=outbox)),

    # a coordinated route: the step lands in the OpenAPI document as `x-saga-steps`
    @router.post("/checkouts", openapi_extra=route_tag(PLACE_ORDER))

The catalogue is shared because a step's deadline is read by the service that performs it
and by reconciliation, which judges whether it is late; a service never imports another.
`python -m shop_contracts sagas` prints the catalogue; docs/sagas.md is its output and a
test fails when either drifts from the code (infra/tests/test_saga_participation.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar, cast

from ._base import Event

H = TypeVar("H", bound=Callable[..., Any])

# The attribute `performs` sets on a handler, and the OpenAPI extension `route_tag` fills.
STEP_ATTRIBUTE = "saga_step"
OPENAPI_EXTENSION = "x-saga-steps"


class Saga(StrEnum):
    """A named workflow; the value is how it is written in docs, logs and OpenAPI."""

    CHECKOUT_MOMENT = "CHECKOUT_MOMENT"
    COMPLETE_ORDER = "COMPLETE_ORDER"
    RELEASE_BACKORDER = "RELEASE_BACKORDER"
    CANCEL_ORDER = "CANCEL_ORDER"
    REPAIR_DRIFT = "REPAIR_DRIFT"
    RETURN_ORDER = "RETURN_ORDER"


SAGA_PURPOSE: dict[Saga, str] = {
    Saga.CHECKOUT_MOMENT: "checkout orchestrates price, hold and authorization in one request, "
    "and compensates when any of them fails",
    Saga.COMPLETE_ORDER: "choreography from OrderConfirmed to a shipped, paid, notified order",
    Saga.RELEASE_BACKORDER: "stock arriving releases the orders waiting for it",
    Saga.CANCEL_ORDER: "a customer cancels; every service undoes its part",
    Saga.REPAIR_DRIFT: "reconciliation observes every fact and repairs what events missed",
    Saga.RETURN_ORDER: "a customer sends shipped units back; once received, every service "
    "gives back its part: the stock, the money, the word",
}


@dataclass(frozen=True)
class Route:
    """An HTTP trigger: `Route("POST", "/v1/checkouts")`."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Schedule:
    """A periodic trigger inside a service's `work` process."""

    what: str

    def __str__(self) -> str:
        return f"schedule: {self.what}"


Trigger = type[Event] | Route | Schedule


@dataclass(frozen=True)
class SagaStep:
    """One service's part in one saga.

    `deadline` is how long the step may take from its trigger before it counts as late:
    a request's budget for synchronous steps, reconciliation's judgement for the rest.
    """

    saga: Saga
    name: str
    service: str
    triggers: tuple[Trigger, ...]
    emits: tuple[type[Event], ...]
    deadline: timedelta
    summary: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return f"{self.saga.value}.{self.name}"

    def trigger_names(self) -> list[str]:
        return [t.__name__ if isinstance(t, type) else str(t) for t in self.triggers]


def performs(step: SagaStep, handler: H) -> H:
    """The handler, tagged with the step it performs (a fresh partial: a shared handler can
    perform several steps, one per subscription entry)."""
    tagged = partial(handler)
    setattr(tagged, STEP_ATTRIBUTE, step)
    return cast(H, tagged)


def step_of(handler: object) -> SagaStep | None:
    """The step a subscription handler was tagged with by `performs`, if any."""
    step = getattr(handler, STEP_ATTRIBUTE, None)
    return step if isinstance(step, SagaStep) else None


def route_tag(*steps: SagaStep) -> dict[str, Any]:
    """`openapi_extra` for a coordinated route: the steps it performs, by key."""
    return {OPENAPI_EXTENSION: [step.key for step in steps]}


def participants(steps: Iterable[SagaStep], saga: Saga) -> list[str]:
    """The services taking part in a saga, in order of first appearance."""
    return list(dict.fromkeys(step.service for step in steps if step.saga is saga))
