import pytest
from communications.domain.notifications import (
    NotificationKind,
    compose,
    format_money,
    message_id_for,
)

MAIL_FROM = "Shop <orders@shop.example>"


def email(kind: NotificationKind, **facts: str):  # type: ignore[no-untyped-def]
    return compose(
        kind,
        order_id="ord_1",
        recipient="ada@example.com",
        about_event_id="evt_9",
        mail_from=MAIL_FROM,
        facts=facts,
    )


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_has_a_short_plain_text_email_naming_the_order(kind: NotificationKind) -> None:
    composed = email(kind)
    assert "ord_1" in composed.subject
    assert "ord_1" in composed.body
    assert len(composed.body.splitlines()) <= 8
    assert "{" not in composed.subject + composed.body


def test_the_confirmation_states_the_total_when_known() -> None:
    assert "(total 59.00 EUR)" in email(NotificationKind.ORDER_CONFIRMED, total="59.00 EUR").body
    assert "(total" not in email(NotificationKind.ORDER_CONFIRMED).body


def test_the_backorder_email_names_the_items_waiting_for_stock() -> None:
    composed = email(NotificationKind.BACKORDER_DECLARED, skus="SKU-LAMP-01")
    assert composed.subject == "Your order ord_1 is delayed"
    assert "SKU-LAMP-01" in composed.body


def test_the_message_id_is_derived_from_the_event_id_and_the_senders_domain() -> None:
    assert message_id_for("evt_9", MAIL_FROM) == "<evt_9@shop.example>"
    assert message_id_for("evt_9", "orders@mail.shop.example") == "<evt_9@mail.shop.example>"
    assert email(NotificationKind.SHIPMENT_CREATED).message_id == "<evt_9@shop.example>"


def test_money_is_formatted_from_minor_units() -> None:
    assert format_money(5900, "EUR") == "59.00 EUR"
    assert format_money(5, "USD") == "0.05 USD"
