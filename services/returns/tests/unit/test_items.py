from datetime import UTC, datetime

import pytest
from returns.domain.items import NAME_MAX, BlankName, new_item

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_a_new_item_keeps_its_name_with_whitespace_collapsed() -> None:
    item = new_item(item_id="ret_1", name="  a   first\titem ", now=NOW)
    assert (item.id, item.name, item.created_at) == ("ret_1", "a first item", NOW)


def test_a_blank_name_is_refused() -> None:
    with pytest.raises(BlankName):
        new_item(item_id="ret_1", name=" \t\n ", now=NOW)


def test_a_long_name_is_cut_to_what_the_table_holds() -> None:
    assert len(new_item(item_id="ret_1", name="x" * 500, now=NOW).name) == NAME_MAX
