"""One deployment for the whole run: the E2E_* env's, or an embedded stack started once.

Scenarios run one after another against it, each with its own customers, so they never
read each other's orders or mail.
"""

from collections.abc import AsyncIterator, Iterator

import pytest
from shop_e2e import Deployment, ProcessControl, Shop, deployment_from_env


@pytest.fixture(scope="session")
def deployment() -> Iterator[Deployment]:
    with deployment_from_env() as running:
        yield running


@pytest.fixture
async def shop(deployment: Deployment) -> AsyncIterator[Shop]:
    async with Shop(deployment) as client:
        yield client


@pytest.fixture
def control(deployment: Deployment) -> ProcessControl:
    if deployment.control is None:
        pytest.skip("needs control of the stack's processes (embedded, or E2E_STACK_CONTROL=1)")
    return deployment.control
