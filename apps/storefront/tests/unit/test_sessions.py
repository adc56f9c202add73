"""Demo sign-in: a fresh customer per session, a customer token the public API accepts."""

from shop_auth import CUSTOMER_ISSUER, dev_customer_issuer, dev_key, verify
from storefront.sessions import Sessions


def test_each_demo_sign_in_is_a_new_customer_with_a_token_for_the_public_api() -> None:
    sessions = Sessions(dev_customer_issuer({}), hours=1)
    first, second = sessions.sign_in_demo_customer(), sessions.sign_in_demo_customer()
    assert first.customer_id != second.customer_id
    assert sessions.get(first.id) is first
    claims = verify(
        sessions.token(first),
        audience="shop",
        keys={CUSTOMER_ISSUER: dev_key(CUSTOMER_ISSUER).public_key()},
        issuers={CUSTOMER_ISSUER},
    )
    assert claims.subject == first.customer_id


def test_a_signed_out_or_unknown_session_is_no_session() -> None:
    sessions = Sessions(dev_customer_issuer({}), hours=1)
    session = sessions.sign_in_demo_customer()
    sessions.sign_out(session.id)
    assert sessions.get(session.id) is None
    assert sessions.get("made-up") is None
    assert sessions.get(None) is None


def test_the_cart_caps_a_line_at_a_hundred() -> None:
    session = Sessions(dev_customer_issuer({}), hours=1).sign_in_demo_customer()
    session.add("SKU-MUG-01", 60)
    session.add("SKU-MUG-01", 60)
    assert session.cart == {"SKU-MUG-01": 100}
    session.remove("SKU-MUG-01")
    assert session.cart == {}
