from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from inventory.domain.reservations import (
    AlreadyCommitted,
    HoldEnded,
    OutOfStock,
    ReservationConflict,
    ReservationStatus,
    Shortage,
    StockLevel,
    UnknownSkus,
    check_availability,
    commit,
    confirm,
    expire,
    hold,
    merge_lines,
    release,
    same_hold,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
STOCK = {"SKU-A": StockLevel("SKU-A", 10, 4), "SKU-B": StockLevel("SKU-B", 3, 3)}


def a_hold(lines: tuple[tuple[str, int], ...] = (("SKU-A", 2),)):  # type: ignore[no-untyped-def]
    return hold(
        reservation_id="res_1", order_id="ord_1", lines=lines, now=NOW, ttl=timedelta(minutes=15)
    )


def test_lines_for_the_same_sku_are_merged_and_sorted_by_sku() -> None:
    assert merge_lines([("SKU-B", 1), ("SKU-A", 2), ("SKU-B", 3)]) == (("SKU-A", 2), ("SKU-B", 4))


def test_available_stock_is_on_hand_minus_reserved() -> None:
    assert STOCK["SKU-A"].available == 6


def test_every_unknown_sku_is_named() -> None:
    with pytest.raises(UnknownSkus) as raised:
        check_availability((("SKU-A", 1), ("SKU-X", 1), ("SKU-Y", 1)), STOCK)
    assert raised.value.skus == ["SKU-X", "SKU-Y"]


def test_every_short_sku_is_named_with_requested_and_available() -> None:
    with pytest.raises(OutOfStock) as raised:
        check_availability((("SKU-A", 7), ("SKU-B", 1)), STOCK)
    assert raised.value.shortages == [Shortage("SKU-A", 7, 6), Shortage("SKU-B", 1, 0)]


def test_exactly_the_available_quantity_can_be_held() -> None:
    check_availability((("SKU-A", 6),), STOCK)


def test_a_new_hold_expires_after_its_ttl() -> None:
    reservation = a_hold()
    assert reservation.status is ReservationStatus.HELD
    assert reservation.expires_at == NOW + timedelta(minutes=15)


def test_a_repeat_for_other_items_is_a_conflict() -> None:
    assert same_hold(a_hold(), (("SKU-A", 2),)) == a_hold()
    with pytest.raises(ReservationConflict):
        same_hold(a_hold(), (("SKU-A", 3),))


def test_release_ends_a_hold_once_and_is_idempotent() -> None:
    released = release(a_hold(), now=NOW, reason="why")
    assert (released.status, released.released_at, released.release_reason) == (
        ReservationStatus.RELEASED,
        NOW,
        "why",
    )
    assert release(released, now=NOW + timedelta(seconds=1), reason="again") is released


def test_a_committed_hold_cannot_be_released() -> None:
    committed = replace(a_hold(), status=ReservationStatus.COMMITTED)
    with pytest.raises(AlreadyCommitted):
        release(committed, now=NOW, reason="why")


def test_a_hold_expires_only_once_its_deadline_has_passed() -> None:
    reservation = a_hold()
    assert expire(reservation, now=NOW + timedelta(minutes=14)) is reservation
    expired = expire(reservation, now=NOW + timedelta(minutes=15))
    assert (expired.status, expired.release_reason) == (ReservationStatus.EXPIRED, "expired")
    assert expire(
        release(reservation, now=NOW, reason="r"), now=NOW + timedelta(days=1)
    ).status is (ReservationStatus.RELEASED)


def test_a_confirmed_hold_never_expires_but_can_still_be_released() -> None:
    confirmed = confirm(a_hold(), now=NOW)
    assert (confirmed.status, confirmed.confirmed_at) == (ReservationStatus.HELD, NOW)
    assert expire(confirmed, now=NOW + timedelta(days=365)) is confirmed
    assert release(confirmed, now=NOW, reason="order-cancelled").status is (
        ReservationStatus.RELEASED
    )


def test_confirming_again_keeps_the_first_confirmation() -> None:
    confirmed = confirm(a_hold(), now=NOW)
    assert confirm(confirmed, now=NOW + timedelta(hours=1)) is confirmed


def test_commit_turns_a_hold_into_shipped_goods_once() -> None:
    committed = commit(a_hold(), now=NOW)
    assert (committed.status, committed.committed_at) == (ReservationStatus.COMMITTED, NOW)
    assert commit(committed, now=NOW + timedelta(hours=1)) is committed
    assert confirm(committed, now=NOW) is committed  # a late OrderConfirmed is harmless


def test_a_released_or_expired_hold_can_be_neither_confirmed_nor_committed() -> None:
    released = release(a_hold(), now=NOW, reason="why")
    expired = expire(a_hold(), now=NOW + timedelta(hours=1))
    for ended in (released, expired):
        for transition in (confirm, commit):
            with pytest.raises(HoldEnded) as raised:
                transition(ended, now=NOW)
            assert raised.value.status is ended.status
