import httpx

PROBLEMS = "https://shop.example/problems/"


async def test_catalog_lists_the_seeded_products_with_prices(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/products")
    assert response.status_code == 200
    products = response.json()["products"]
    assert len(products) >= 8
    mug = next(p for p in products if p["sku"] == "SKU-MUG-01")
    assert {"amount": 1200, "currency": "EUR"} in mug["prices"]


async def test_quote_is_priced_stored_and_readable(client: httpx.AsyncClient) -> None:
    body = {"items": [{"sku": "SKU-MUG-01", "quantity": 2}], "currency": "EUR", "country": "DE"}
    created = await client.post("/v1/quotes", json=body)
    assert created.status_code == 201
    quote = created.json()
    assert quote["quote_id"].startswith("qt_")
    assert quote["subtotal"] == {"amount": 2400, "currency": "EUR"}
    assert quote["total"]["amount"] == 2400 + 499 + 551

    fetched = await client.get(f"/v1/quotes/{quote['quote_id']}")
    assert fetched.status_code == 200
    assert fetched.json() == quote


async def test_unknown_sku_is_a_404_problem_naming_it(client: httpx.AsyncClient) -> None:
    body = {"items": [{"sku": "SKU-NOPE-01", "quantity": 1}], "currency": "EUR", "country": "DE"}
    response = await client.post("/v1/quotes", json=body)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEMS + "unknown-sku"
    assert response.json()["skus"] == ["SKU-NOPE-01"]


async def test_invalid_quote_requests_are_specific_problems(client: httpx.AsyncClient) -> None:
    cases = [
        ({"items": [], "currency": "EUR", "country": "DE"}, "validation-error"),
        (
            {"items": [{"sku": "SKU-MUG-01", "quantity": 0}], "currency": "EUR", "country": "DE"},
            "validation-error",
        ),
        (
            {"items": [{"sku": "SKU-MUG-01", "quantity": 1}], "currency": "eur", "country": "DE"},
            "validation-error",
        ),
        (
            {"items": [{"sku": "SKU-MUG-01", "quantity": 1}], "currency": "JPY", "country": "DE"},
            "unsupported-currency",
        ),
        (
            {"items": [{"sku": "SKU-MUG-01", "quantity": 1}], "currency": "EUR", "country": "ZZ"},
            "unsupported-country",
        ),
    ]
    for body, problem_type in cases:
        response = await client.post("/v1/quotes", json=body)
        assert response.status_code in (404, 422), body
        assert response.json()["type"] == PROBLEMS + problem_type, body


async def test_unknown_quote_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/quotes/qt_missing")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "quote-not-found"
