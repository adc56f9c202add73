"""In a real browser (Debian's chromium, driven by Playwright): an order placed through the
storefront, followed live to COMPLETED and then in the operator console; a stuck order and a
dead letter replayed with a click in the console.

Chromium comes from the system (`make browser` installs it), never downloaded at run time.
With E2E_SCREENSHOTS=<dir> the pages are saved there (docs/images holds the README's).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from shop_auth import OPERATOR, client_minter
from shop_e2e import Deployment, ProcessControl, Shop
from shop_e2e.broker import produce_raw
from shop_e2e.report import Scenario
from shop_testing.eventually import eventually

# Debian's chromium first; Chrome where a CI image ships it instead (infra/browser.sh).
BROWSERS = ("/usr/bin/chromium", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable")
WAIT_MS = 60_000  # the longest any page waits for the shop (bounded, never a sleep)
ITEM = "SKU-TOTE-01"


def chromium() -> str:
    wanted = os.environ.get("E2E_CHROMIUM")
    for candidate in (wanted,) if wanted else BROWSERS:
        if Path(candidate).exists():
            return candidate
    pytest.fail(f"no browser at {wanted or BROWSERS}: run `make browser` (installs chromium)")


def screenshot_path(name: str) -> str | None:
    folder = os.environ.get("E2E_SCREENSHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return str(Path(folder) / f"{name}.png")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
def storefront(deployment: Deployment) -> str:
    if not deployment.storefront_url:
        pytest.skip(reason="no storefront in this deployment (E2E_STOREFRONT_URL)")
    return deployment.storefront_url


async def snap(page: Page, name: str) -> None:
    path = screenshot_path(name)
    if path is not None:
        await page.screenshot(path=path, full_page=True)


async def console_page(browser: Browser, deployment: Deployment, path: str) -> Page:
    """A console page, signed in through the login form: one click on a local stack, an
    operator token (SHOP_OPERATOR_KEY, as the suite signs) anywhere else."""
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(f"{deployment.url('reconciliation')}{path}")
    await expect(page).to_have_url(re.compile(r"/console/login$"))
    if await page.locator("#dev-sign-in").count():
        await page.click("#dev-sign-in")
    else:
        await page.fill("#token", client_minter(OPERATOR).token("reconciliation"))
        await page.click("#sign-in")
    await expect(page).to_have_url(re.compile(r"/console$"))
    if path != "/console":
        await page.goto(f"{deployment.url('reconciliation')}{path}")
    return page


async def test_an_order_placed_in_the_storefront_is_followed_live_to_completed_and_in_the_console(
    browser: Browser,
    deployment: Deployment,
    storefront: str,
    control: ProcessControl,
    report: Scenario,
) -> None:
    page = await (await browser.new_context(viewport={"width": 1180, "height": 900})).new_page()
    await page.goto(storefront)
    await page.click("#signin")
    await expect(page.locator("#customer")).to_contain_text("@example.com")
    await page.locator(f'.product[data-sku="{ITEM}"] button').click()
    await expect(page).to_have_url(re.compile(r"/cart$"))
    # Fulfillment's worker is away: the order is accepted and waits, as a state of its own.
    control.stop("fulfillment-work")
    report.injected("fulfillment-work stopped while the order is placed")
    try:
        await page.check('input[value="tok_visa"]')
        await page.click("#place-order")
        await expect(page).to_have_url(re.compile(r"/orders/ord_"), timeout=WAIT_MS)
        await expect(page.locator("#phase")).to_have_text("Order accepted, fulfillment pending")
        order_id = (await page.locator("#order-id").inner_text()).strip()
        await snap(page, "storefront-order-pending")
    finally:
        await control.start("fulfillment-work")
    # No reload: the page follows the order by itself.
    await expect(page.locator("#phase")).to_have_attribute(
        "data-status", "COMPLETED", timeout=WAIT_MS
    )
    await expect(page.locator("#emails li").first).to_be_visible(timeout=WAIT_MS)
    await snap(page, "storefront-order")

    console = await console_page(browser, deployment, "/console")
    await console.fill('input[name="order_id"]', order_id)
    await console.press('input[name="order_id"]', "Enter")
    await expect(console).to_have_url(re.compile(f"/console/orders/{order_id}$"))

    async def journey_complete() -> bool:
        await console.reload()
        status = console.locator("#coordination-status")
        assert await status.inner_text() == "COMPLETE", await status.inner_text()
        return True

    await eventually(journey_complete, timeout=WAIT_MS / 1000, interval=1.0)
    events = console.locator("#events tr.event")
    assert "shop.checkout.OrderConfirmed.v2" in await events.first.inner_text()
    services = set(await console.locator("#state tr.service-state").evaluate_all(
        "rows => rows.map(r => r.dataset.service)"
    ))  # fmt: skip
    assert {"checkout", "inventory", "payment", "fulfillment", "communications"} <= services
    await snap(console, "console-journey")
    report.measured("order followed in the browser", order_id)


async def test_the_console_shows_a_stuck_order_and_replays_a_dead_letter_with_a_click(
    browser: Browser,
    deployment: Deployment,
    shop: Shop,
    broker: str,
    control: ProcessControl,
    report: Scenario,
) -> None:
    # Payment's worker is away: the order's capture goes late (3 s on the tuned stack).
    control.stop("payment-work")
    report.injected("payment-work stopped; an undecodable record on checkout.orders")
    key = f"e2e-browser-poison-{uuid.uuid4().hex[:12]}"
    try:
        placed = await shop.place_order(shop.new_customer(), [(ITEM, 1)])
        await produce_raw(broker, "checkout.orders", b"\x00 not a CloudEvent {", key=key.encode())
        console = await console_page(browser, deployment, "/console")

        async def stuck() -> bool:
            await console.reload()
            assert placed["order_id"] in await console.locator("#stuck").inner_text()
            return True

        await eventually(stuck, timeout=WAIT_MS / 1000, interval=1.0)
        row = console.locator("tr.stuck-order", has_text=placed["order_id"])
        await expect(row).to_contain_text("payment_capture")
        await snap(console, "console-stuck")
    finally:
        await control.start("payment-work")

    await console.goto(f"{deployment.url('reconciliation')}/console/dead-letters")
    shelf = console.locator('section.dlq[data-group="fulfillment"]')

    async def dead_lettered() -> bool:
        await console.reload()
        assert key in await shelf.inner_text()
        return True

    await eventually(dead_lettered, timeout=WAIT_MS / 1000, interval=1.0)
    await console.click("#replay-fulfillment")
    await expect(console.locator("#notice")).to_contain_text(
        re.compile(r"Replayed [1-9]\d* dead letter\(s\) of fulfillment")
    )

    async def came_back() -> bool:
        # Still undecodable, the replayed record is dead-lettered again, counted once more.
        await console.reload()
        letter = shelf.locator("tr.letter", has_text=key).first
        assert "replayed 1x" in await letter.inner_text()
        return True

    await eventually(came_back, timeout=WAIT_MS / 1000, interval=1.0)
    await snap(console, "console-dead-letters")
    report.measured("dead letter replayed from the console", key)
