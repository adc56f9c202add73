"""The storefront's pages: thin handlers from a form or a URL to the public API and a template.

Unsigned visitors browse the catalog; the cart, checkout and orders need the demo customer's
session (one click: the dev issuer signs a fresh customer in). A refusal of the shop (a
declined card, no stock) is shown in the shop's own words on the cart page.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from storefront.forms import CARDS, BadForm, checkout_form, quantity_of, read_form, sku_of
from storefront.order_phase import STEPS, phase_of
from storefront.public_api import PublicApi, ShopRefused, ShopUnavailable
from storefront.sessions import COOKIE, Session, Sessions

SessionCookie = Annotated[str | None, Cookie(alias=COOKIE)]
DEFAULT_ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "EC1A 1BB",
    "country": "GB",
}


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def pages_router(
    api: PublicApi, sessions: Sessions, templates: Jinja2Templates, *, currency: str, secure: bool
) -> APIRouter:
    router = APIRouter()

    def page(request: Request, name: str, session: Session | None, status: int = 200,
             **context: Any) -> HTMLResponse:  # fmt: skip
        return templates.TemplateResponse(
            request, name, {"session": session, **context}, status_code=status
        )

    async def catalog(*, with_stock: bool = False) -> list[dict[str, Any]]:
        products = await api.products()
        stock = (
            await asyncio.gather(*(api.stock(p["sku"]) for p in products))
            if with_stock
            else [None] * len(products)
        )
        for product, level in zip(products, stock, strict=True):
            prices = [p for p in product["prices"] if p["currency"] == currency]
            product["price"] = prices[0] if prices else None
            product["available"] = None if level is None else level.get("available")
        return products

    @router.get("/", response_class=HTMLResponse)
    async def home(request: Request, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        try:
            products = await catalog(with_stock=True)
        except (ShopUnavailable, ShopRefused) as exc:
            return page(request, "error.html", session, 503, error=str(exc))
        return page(request, "catalog.html", session, products=products)

    @router.post("/signin")
    async def sign_in(sid: SessionCookie = None) -> Response:
        sessions.sign_out(sid)
        session = sessions.sign_in_demo_customer()
        response = _see_other("/")
        response.set_cookie(
            COOKIE, session.id, httponly=True, samesite="lax", secure=secure,
            max_age=int(session.expires_at - time.time()),
        )  # fmt: skip
        return response

    @router.post("/signout")
    async def sign_out(sid: SessionCookie = None) -> Response:
        sessions.sign_out(sid)
        response = _see_other("/")
        response.delete_cookie(COOKIE)
        return response

    @router.post("/cart/items")
    async def add_to_cart(request: Request, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        if session is None:
            return _see_other("/?signin=required")
        try:
            form = await read_form(request)
            session.add(sku_of(form), quantity_of(form))
        except BadForm as exc:
            return page(request, "error.html", session, 422, error=str(exc))
        return _see_other("/cart")

    @router.post("/cart/remove")
    async def remove_from_cart(request: Request, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        if session is None:
            return _see_other("/")
        try:
            session.remove(sku_of(await read_form(request)))
        except BadForm as exc:
            return page(request, "error.html", session, 422, error=str(exc))
        return _see_other("/cart")

    async def cart_page(request: Request, session: Session, status: int = 200,
                        error: str | None = None) -> Response:  # fmt: skip
        try:
            products = {p["sku"]: p for p in await catalog()}
        except (ShopUnavailable, ShopRefused) as exc:
            return page(request, "error.html", session, 503, error=str(exc))
        lines = [
            {"sku": sku, "quantity": qty, "product": products.get(sku)}
            for sku, qty in session.cart.items()
        ]
        return page(
            request, "cart.html", session, status, lines=lines, cards=CARDS, error=error,
            address=DEFAULT_ADDRESS, idempotency_key=secrets.token_urlsafe(24),
        )  # fmt: skip

    @router.get("/cart", response_class=HTMLResponse)
    async def cart(request: Request, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        if session is None:
            return _see_other("/?signin=required")
        return await cart_page(request, session)

    @router.post("/checkout")
    async def place_order(request: Request, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        if session is None:
            return _see_other("/?signin=required")
        if not session.cart:
            return await cart_page(request, session, 422, "The cart is empty")
        try:
            form = checkout_form(await read_form(request))
        except BadForm as exc:
            return await cart_page(request, session, 422, str(exc))
        body = {
            "customer": {"email": session.email},
            "items": [{"sku": sku, "quantity": qty} for sku, qty in session.cart.items()],
            "shipping_address": form.address,
            "payment": {"token": form.card},
            "currency": currency,
        }
        try:
            placed = await api.place_order(sessions.token(session), body, form.idempotency_key)
        except ShopRefused as exc:
            words = f"{exc.title}" + (f": {exc.detail}" if exc.detail else "")
            return await cart_page(request, session, 422, words)
        except ShopUnavailable:
            return await cart_page(request, session, 503, "The shop did not answer; try again")
        order_id = str(placed["order_id"])
        if placed.get("status") == "REJECTED":
            return await cart_page(request, session, 422, "The order was not placed")
        session.orders.insert(0, order_id)
        session.cart.clear()
        return _see_other(f"/orders/{order_id}")

    async def order_view(session: Session, order_id: str) -> dict[str, Any] | None:
        token = sessions.token(session)
        try:
            order = await api.order(token, order_id)
        except ShopRefused:
            return None
        emails = await api.notifications(token, order_id)
        return {"order": order, "phase": phase_of(order), "emails": emails, "steps": STEPS}

    @router.get("/orders", response_class=HTMLResponse)
    async def orders(request: Request, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        if session is None:
            return _see_other("/?signin=required")
        return page(request, "orders.html", session, orders=session.orders)

    @router.get("/orders/{order_id}", response_class=HTMLResponse)
    async def order(request: Request, order_id: str, sid: SessionCookie = None) -> Response:
        session = sessions.get(sid)
        if session is None:
            return _see_other("/?signin=required")
        try:
            view = await order_view(session, order_id)
        except ShopUnavailable as exc:
            return page(request, "error.html", session, 503, error=str(exc))
        if view is None:
            return page(request, "error.html", session, 404, error="No such order")
        return page(request, "order.html", session, **view)

    @router.get("/orders/{order_id}/live", response_class=HTMLResponse)
    async def order_live(request: Request, order_id: str, sid: SessionCookie = None) -> Response:
        """The order's changing part, which the page polls until the order is final."""
        session = sessions.get(sid)
        if session is None:
            return HTMLResponse("", status_code=401)
        try:
            view = await order_view(session, order_id)
        except ShopUnavailable:
            return HTMLResponse("", status_code=503)
        if view is None:
            return HTMLResponse("", status_code=404)
        return page(request, "order_live.html", session, **view)

    return router
