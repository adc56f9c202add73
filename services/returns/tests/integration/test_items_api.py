import httpx
from shop_servicekit import PROBLEM_BASE

PROBLEMS = PROBLEM_BASE
KEY = {"Idempotency-Key": "key-0001-first"}


async def test_an_item_is_created_stored_and_readable(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/items", json={"name": "First item"}, headers=KEY)
    assert created.status_code == 201
    item = created.json()
    assert item["item_id"].startswith("ret_")
    assert item["name"] == "First item"

    fetched = await client.get(f"/v1/items/{item['item_id']}")
    assert fetched.status_code == 200
    assert fetched.json() == item


async def test_the_same_key_and_body_replays_the_same_item(client: httpx.AsyncClient) -> None:
    first = await client.post("/v1/items", json={"name": "Once"}, headers=KEY)
    again = await client.post("/v1/items", json={"name": "Once"}, headers=KEY)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


async def test_the_same_key_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    await client.post("/v1/items", json={"name": "Once"}, headers=KEY)
    reused = await client.post("/v1/items", json={"name": "Twice"}, headers=KEY)
    assert reused.status_code == 422
    assert reused.json()["type"] == PROBLEMS + "idempotency-key-reused"


async def test_bad_requests_are_specific_problems(client: httpx.AsyncClient) -> None:
    cases = [
        ({"name": "x"}, {}, "idempotency-key-missing"),
        ({"name": "x"}, {"Idempotency-Key": "short"}, "idempotency-key-invalid"),
        ({"name": "   "}, KEY, "blank-name"),
        ({"name": ""}, KEY, "validation-error"),
        ({"name": "x", "extra": 1}, KEY, "validation-error"),
    ]
    for body, headers, problem_type in cases:
        response = await client.post("/v1/items", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == PROBLEMS + problem_type, body


async def test_an_unknown_item_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/items/ret_missing")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEMS + "item-not-found"


async def test_without_the_operator_token_the_items_are_closed(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/v1/items/ret_missing", auth=None)
    assert anonymous.status_code == 401
    assert anonymous.json()["type"] == PROBLEMS + "unauthorized"
