"""One deployment for the whole run: the E2E_* env's, or an embedded stack started once.

Scenarios run one after another against it, each with its own customers, so they never
read each other's orders or mail. The run says what it targets first (the report header)
and ends with a summary: scenarios, orders placed, and what each fault scenario injected
and measured.
"""

from collections.abc import AsyncIterator, Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from shop_e2e import Deployment, ProcessControl, Shop, deployment_from_env
from shop_e2e.deployment import describe_target
from shop_e2e.log_excerpt import warnings_since
from shop_e2e.report import REPORT, Scenario


def pytest_report_header(config: pytest.Config) -> list[str]:
    REPORT.target = describe_target()
    return [f"e2e target: {REPORT.target}"]


def say(config: pytest.Config, line: str) -> None:
    """Print past pytest's capture (even with -q): the run says what it targets."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(line, flush=True)


@pytest.fixture(scope="session")
def deployment(pytestconfig: pytest.Config) -> Iterator[Deployment]:
    say(pytestconfig, f"\ne2e target: {describe_target()}")
    with deployment_from_env() as running:
        REPORT.target = running.target
        yield running


@pytest.fixture
async def shop(deployment: Deployment) -> AsyncIterator[Shop]:
    async with Shop(deployment) as client:
        yield client


# Why a scenario cannot run against this target; pytest prints it with the skip.
NEEDS_CONTROL = (
    "needs control of the stack's processes (embedded, E2E_STACK_CONTROL=1 or E2E_COMPOSE)"
)
NEEDS_TUNING = "needs the E2E_SETTINGS (embedded stack, or a deployment with E2E_TUNED=1)"
NEEDS_BROKER = "needs the broker: set E2E_KAFKA_BOOTSTRAP_SERVERS to a listener reachable here"


@pytest.fixture
def control(deployment: Deployment) -> ProcessControl:
    if deployment.control is None:
        pytest.skip(reason=NEEDS_CONTROL)
    return deployment.control


@pytest.fixture
def tuned(deployment: Deployment) -> None:
    if not deployment.tuned:
        pytest.skip(reason=NEEDS_TUNING)


@pytest.fixture
def broker(deployment: Deployment) -> str:
    """The broker's bootstrap address, as this machine reaches it."""
    if not deployment.broker_reachable:
        pytest.skip(reason=NEEDS_BROKER)
    return deployment.kafka_bootstrap_servers


# Every read a reconciliation run pages through (docs/reconciliation.md): one missing and
# the run fails as a source unavailable, so the scenarios that run it skip instead.
INTERNAL_READS = (
    ("checkout", "orders"),
    ("inventory", "reservations"),
    ("payment", "authorizations"),
    ("fulfillment", "shipments"),
    ("fulfillment", "backorders"),
    ("communications", "notifications"),
    ("returns", "returns"),
    ("payment", "refunds"),
    ("inventory", "restocks"),
)


@pytest.fixture
async def internal_apis(shop: Shop) -> None:
    """Skip unless every service serves the internal reads reconciliation needs."""
    since = datetime.now(UTC)
    missing = [
        f"{service} /internal/v1/{what}"
        for service, what in INTERNAL_READS
        if await shop.internal_read(service, what, since) is None
    ]
    if missing:
        pytest.skip(reason=f"internal read API not deployed yet: {', '.join(missing)}")


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Scenario:
    """This scenario's entry in the run's summary: what it injected, what it measured."""
    return REPORT.scenario(request.node.name)


HERE = Path(__file__).resolve().parent


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    stats = terminalreporter.stats

    def ours(report: object) -> bool:
        path = config.rootpath / str(getattr(report, "nodeid", "")).split("::")[0]
        return path.resolve().is_relative_to(HERE) and _is_call(report)

    outcomes = {
        outcome: [str(getattr(r, "nodeid", "")) for r in stats.get(outcome, []) if ours(r)]
        for outcome in ("passed", "failed", "skipped", "error")
    }
    if not any(outcomes.values()):
        return  # no e2e scenario ran (e.g. `make test -k something-else`)
    terminalreporter.section("e2e report")
    for line in REPORT.lines(outcomes):
        terminalreporter.write_line(line)


def _is_call(report: object) -> bool:
    # One entry per test: its call phase, or the setup phase when that skipped or failed.
    when = getattr(report, "when", "call")
    return bool(when == "call" or getattr(report, "outcome", "") in ("skipped", "failed"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed scenario's report ends with what the stack logged as warnings meanwhile
    (shop_e2e.log_excerpt): CI keeps nothing else of a failed run."""
    report: pytest.TestReport = yield
    deployment = getattr(item, "funcargs", {}).get("deployment")
    control = getattr(deployment, "control", None)
    if report.when == "call" and report.failed and control is not None:
        started = datetime.fromtimestamp(call.start, UTC)
        try:
            lines = warnings_since(control.logs(), started)
        except Exception as exc:  # the report must not hide the failure it explains
            lines = [f"(could not read the stack's logs: {exc!r})"]
        report.sections.append(("stack warnings during the scenario", "\n".join(lines)))
    return report
