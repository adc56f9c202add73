"""The checker counts emails by Message-ID: a copy under an id already delivered is the
documented resend after a crash between the send and its SENT record, not a new email."""

from shop_chaos.observe import count_mails


def _message(to: str, message_id: str) -> dict[str, object]:
    return {"To": [{"Address": to}], "MessageID": message_id}


def test_copies_under_one_message_id_count_once_and_are_reported_apart() -> None:
    messages = [
        _message("C1@example.com", "ntf_1@shop.example"),
        _message("c1@example.com", "ntf_1@shop.example"),  # resent after a crash
        _message("c1@example.com", "ntf_2@shop.example"),
        _message("c2@example.com", "ntf_3@shop.example"),
    ]

    assert count_mails(messages) == ({"c1@example.com": 2, "c2@example.com": 1}, 1)


def test_two_message_ids_for_one_recipient_are_two_emails() -> None:
    messages = [_message("c1@example.com", "ntf_1@x"), _message("c1@example.com", "ntf_9@x")]

    assert count_mails(messages) == ({"c1@example.com": 2}, 0)
