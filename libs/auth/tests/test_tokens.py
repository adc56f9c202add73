"""Keys and tokens: who signed, for whom, until when; and what the tools sign as."""

import time

import jwt
import pytest
from shop_auth import (
    InvalidToken,
    Minter,
    dev_key,
    new_key,
    private_key,
    private_text,
    public_key,
    public_text,
    verify,
)
from shop_auth.harness import identity_for
from shop_auth.keys import InvalidKey

CHECKOUT = dev_key("checkout")
KEYS = {"checkout": CHECKOUT.public_key()}


def test_a_token_verifies_for_its_audience_from_its_issuer() -> None:
    token = Minter("checkout", CHECKOUT).token("inventory")
    claims = verify(token, audience="inventory", keys=KEYS, issuers={"checkout"})
    assert (claims.issuer, claims.subject, claims.audience) == ("checkout", "checkout", "inventory")


@pytest.mark.parametrize(
    ("why", "token", "audience", "issuers"),
    [
        (
            "another audience",
            Minter("checkout", CHECKOUT).token("payment"),
            "inventory",
            {"checkout"},
        ),
        (
            "an issuer not allowed",
            Minter("checkout", CHECKOUT).token("inventory"),
            "inventory",
            set(),
        ),
        (
            "a forged key",
            Minter("checkout", new_key()).token("inventory"),
            "inventory",
            {"checkout"},
        ),
        (
            "an unknown issuer",
            Minter("mallory", new_key()).token("inventory"),
            "inventory",
            {"mallory"},
        ),
        ("not a token", "not-a-token", "inventory", {"checkout"}),
    ],
)
def test_a_token_is_refused(why: str, token: str, audience: str, issuers: set[str]) -> None:
    with pytest.raises(InvalidToken):
        verify(token, audience=audience, keys=KEYS, issuers=issuers)


def test_an_expired_token_is_refused_and_an_unsigned_one_too() -> None:
    now = int(time.time())
    old = {"iss": "checkout", "sub": "checkout", "aud": "inventory", "iat": now - 600}
    expired = jwt.encode({**old, "exp": now - 120}, CHECKOUT, algorithm="EdDSA")
    unsigned = jwt.encode({**old, "exp": now + 60}, None, algorithm="none")
    for token in (expired, unsigned):
        with pytest.raises(InvalidToken):
            verify(token, audience="inventory", keys=KEYS, issuers={"checkout"})


def test_a_minter_reuses_a_fresh_token_and_signs_per_audience_and_subject() -> None:
    minter = Minter("shop-identity", dev_key("shop-identity"))
    assert minter.token("shop", "cus_1") == minter.token("shop", "cus_1")
    assert minter.token("shop", "cus_1") != minter.token("shop", "cus_2")


def test_keys_round_trip_as_one_base64_line_and_bad_ones_are_refused() -> None:
    key = new_key()
    assert public_text(private_key(private_text(key))) == public_text(key)
    assert public_key(public_text(key)) is not None
    assert dev_key("operator") != dev_key("checkout")
    for bad in ("", "not base64!", "AAAA"):
        with pytest.raises(InvalidKey):
            private_key(bad)


@pytest.mark.parametrize(
    ("service", "method", "path", "identity"),
    [
        ("checkout", "POST", "/v1/checkouts", "shop-identity"),
        ("communications", "GET", "/v1/notifications", "shop-identity"),
        ("inventory", "POST", "/v1/reservations", "checkout"),
        ("payment", "POST", "/v1/authorizations/by-order/ord_1/void", "reconciliation"),
        ("payment", "GET", "/internal/v1/authorizations", "reconciliation"),
        ("payment", "PUT", "/admin/faults", "operator"),
        ("inventory", "DELETE", "/v1/reservations/res_1", "reconciliation"),
        ("inventory", "DELETE", "/admin/faults", "operator"),
        ("reconciliation", "POST", "/v1/reconciliation/runs", "operator"),
    ],
)
def test_the_tools_sign_as_the_caller_each_route_admits(
    service: str, method: str, path: str, identity: str
) -> None:
    assert identity_for(service, method, path) == identity
