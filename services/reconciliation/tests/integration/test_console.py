"""The operator console's access and pages on a real database (other services: stubs)."""

from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from reconciliation.bootstrap import build_app
from reconciliation.settings import ReconciliationSettings
from shop_testing.credentials import bearer

from .stub_rows import Row, ago, completed_order
from .stubs import ShopStubs

HTML = {"Accept": "text/html"}


@pytest.fixture
async def browser(job_settings: ReconciliationSettings) -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies, as a browser does, and sends no token of its own."""
    app = build_app(job_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://reconciliation", headers=HTML, timeout=30
        ) as client:
            yield client


async def test_a_browser_without_a_session_is_sent_to_the_login_form(
    browser: httpx.AsyncClient,
) -> None:
    response = await browser.get("/console")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login"
    form = await browser.get("/console/login")
    assert form.status_code == 200
    assert 'name="token"' in form.text
    assert "dev-sign-in" in form.text  # ENVIRONMENT=local


async def test_an_api_client_without_a_token_gets_the_usual_problem(
    browser: httpx.AsyncClient,
) -> None:
    response = await browser.get("/console", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_operator_token_opens_an_httponly_strict_session(
    browser: httpx.AsyncClient,
) -> None:
    token = bearer("operator", "reconciliation")["Authorization"].removeprefix("Bearer ")
    login = await browser.post("/console/login", content=f"token={token}")
    assert login.status_code == 303, login.text
    cookie = login.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    overview = await browser.get("/console")
    assert overview.status_code == 200
    assert "Stuck orders (0)" in overview.text
    assert "No run yet." in overview.text


async def test_a_token_that_is_not_an_operators_opens_nothing(
    browser: httpx.AsyncClient,
) -> None:
    for token in ("not-a-token", bearer("checkout", "reconciliation")["Authorization"][7:]):
        login = await browser.post("/console/login", content=f"token={token}")
        assert login.status_code == 401
        assert "set-cookie" not in login.headers
    assert (await browser.get("/console")).status_code == 303


async def test_a_forged_session_cookie_is_refused(browser: httpx.AsyncClient) -> None:
    browser.cookies.set("console_session", "forged.session.cookie", path="/console")
    assert (await browser.get("/console")).status_code == 303


async def test_a_dry_run_from_the_console_is_recorded_and_shown(
    browser: httpx.AsyncClient,
) -> None:
    assert (await browser.post("/console/login", content="dev=1")).status_code == 303
    started = await browser.post("/console/runs", content="since=1h&mode=dry-run")
    assert started.status_code == 303, started.text
    assert started.headers["location"].startswith("/console/runs/run_")
    run = await browser.get(started.headers["location"])
    assert run.status_code == 200
    assert "dry run" in run.text
    assert "No drift found." in run.text


async def test_the_journey_of_an_order_never_seen_says_so(browser: httpx.AsyncClient) -> None:
    assert (await browser.post("/console/login", content="dev=1")).status_code == 303
    page = await browser.get("/console/orders/ord_never_seen")
    assert page.status_code == 200
    assert "Reconciliation has seen no event about this order." in page.text


def return_rows(return_id: str, order_id: str, *, at: datetime) -> dict[str, list[Row]]:
    """A refunded, restocked return, as returns, payment and inventory read it."""
    return {
        "returns": [
            {
                "return_id": return_id,
                "order_id": order_id,
                "status": "REFUNDED",
                "refund": {"amount": 1100, "currency": "EUR"},
                "lines": [{"sku": "SKU-MUG-01", "quantity": 1}],
                "created_at": at,
                "received_at": at,
            }
        ],
        "refunds": [
            {
                "refund_id": f"ref_{return_id}",
                "order_id": order_id,
                "return_id": return_id,
                "amount": {"amount": 1100, "currency": "EUR"},
                "created_at": at,
            }
        ],
        "restocks": [{"return_id": return_id, "order_id": order_id, "created_at": at}],
    }


async def test_the_journey_of_an_order_shows_its_returns_and_no_other_orders(
    browser: httpx.AsyncClient, stubs: ShopStubs
) -> None:
    stubs.add(completed_order("ord_returned", at=ago(900)))
    stubs.add(return_rows("ret_mine", "ord_returned", at=ago(300)))
    stubs.add(return_rows("ret_other", "ord_other", at=ago(300)))
    assert (await browser.post("/console/login", content="dev=1")).status_code == 303

    page = await browser.get("/console/orders/ord_returned")

    assert page.status_code == 200
    assert 'data-service="returns"' in page.text
    for record in ("<td>returns</td>", "<td>refunds</td>", "<td>restocks</td>"):
        assert record in page.text
    assert "return_id=ret_mine" in page.text
    assert "lines=1 x SKU-MUG-01 " in page.text  # not the tuple it is held in
    assert "refund_id=ref_ret_mine" in page.text
    assert "ret_other" not in page.text


async def test_the_services_page_shows_each_service_even_when_it_does_not_answer(
    browser: httpx.AsyncClient,
) -> None:
    assert (await browser.post("/console/login", content="dev=1")).status_code == 303
    page = await browser.get("/console/services")
    assert page.status_code == 200
    for service in ("checkout", "pricing", "payment", "reconciliation"):
        assert f'data-service="{service}"' in page.text
    unknown = await browser.post("/console/services/nosuch/faults", content="action=clear")
    assert unknown.status_code == 404
