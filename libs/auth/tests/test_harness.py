"""ShopAuth, the tools' credentials: the right identity and audience per call, and an order's
reads signed as the customer who placed it."""

import httpx
import jwt
from shop_auth import ShopAuth

URLS = {"checkout": "http://127.0.0.1:9000", "communications": "http://127.0.0.1:9005"}


def claims_of(request: httpx.Request) -> dict[str, str]:
    token = request.headers["authorization"].removeprefix("Bearer ")
    decoded: dict[str, str] = jwt.decode(token, options={"verify_signature": False})
    return decoded


def test_an_orders_reads_go_out_as_the_customer_who_placed_it() -> None:
    seen: list[dict[str, str]] = []
    explicit: list[str] = []

    def shop(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer x":
            explicit.append(request.url.path)
            return httpx.Response(200, json={})
        seen.append(claims_of(request))
        if request.url.path == "/v1/checkouts":
            return httpx.Response(201, json={"order_id": "ord_1"})
        return httpx.Response(200, json={})

    with httpx.Client(transport=httpx.MockTransport(shop), auth=ShopAuth(URLS)) as client:
        client.post(f"{URLS['checkout']}/v1/checkouts", json={"customer": {"id": "cus_ada"}})
        client.get(f"{URLS['checkout']}/v1/orders/ord_1")
        client.get(f"{URLS['communications']}/v1/notifications", params={"order_id": "ord_1"})
        client.get(f"{URLS['checkout']}/internal/v1/orders", params={"since": "x"})
        client.get(f"{URLS['checkout']}/v1/orders/ord_1", headers={"Authorization": "Bearer x"})

    subjects = [(c["iss"], c["sub"], c["aud"]) for c in seen[:4]]
    assert subjects == [
        ("shop-identity", "cus_ada", "shop"),
        ("shop-identity", "cus_ada", "shop"),
        ("shop-identity", "cus_ada", "shop"),
        ("reconciliation", "reconciliation", "checkout"),
    ]
    assert explicit == ["/v1/orders/ord_1"]  # an explicit header is sent as it is
