"""The committed event schemas are the models', and the compatibility gate catches every
kind of breaking change to a published version, naming the field and its consumers."""

import copy
from typing import Any

import pytest
from shop_contracts import EVENT_TYPES
from shop_contracts.__main__ import main
from shop_contracts.tools import compat, schemas

DISPATCHED_V1 = "shop.fulfillment.ShipmentDispatched.v1"
CONFIRMED = "shop.checkout.OrderConfirmed.v1"


def test_every_event_version_has_a_committed_current_schema() -> None:
    assert set(schemas.committed()) == set(EVENT_TYPES)
    assert schemas.stale() == [], "run: python -m shop_contracts schemas --write"


def test_the_gate_passes_on_the_committed_schemas(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compat"]) == 0
    assert "compatible: 19 published event versions" in capsys.readouterr().out


def changed(event_type: str, change: Any) -> list[str]:
    """The gate's findings when the current model of `event_type` is changed by `change`."""
    published = schemas.generate()
    current = copy.deepcopy(published)
    change(current[event_type])
    return [str(found) for found in compat.breaks(published, current)]


def test_a_removed_field_names_the_field_and_the_consumers() -> None:
    found = changed(CONFIRMED, lambda s: s["properties"].pop("customer_email"))
    assert found == [
        f"{CONFIRMED}: field 'customer_email' removed "
        "(consumed by communications, fulfillment, inventory, reconciliation, returns)"
    ]


def test_a_retyped_field_is_breaking() -> None:
    found = changed(CONFIRMED, lambda s: s["properties"]["order_id"].update(type="integer"))
    assert found == [
        f"{CONFIRMED}: field 'order_id' retyped from string to integer "
        "(consumed by communications, fulfillment, inventory, reconciliation, returns)"
    ]


def test_an_optional_field_made_required_is_breaking_and_an_added_optional_one_is_not() -> None:
    def require_carrier(schema: dict[str, Any]) -> None:
        schema["required"].append("carrier")
        schema["properties"]["note"] = {"type": "string"}  # optional: compatible

    # v1's consumers are v2's: the upcaster delivers v1 records to them as v2.
    assert changed(DISPATCHED_V1, require_carrier) == [
        f"{DISPATCHED_V1}: field 'carrier' made required (consumed by checkout)"
    ]


def test_a_nested_value_objects_field_is_compared_too() -> None:
    found = changed(CONFIRMED, lambda s: s["$defs"]["Address"]["properties"].pop("city"))
    assert [f.split(" (")[0] for f in found] == [
        f"{CONFIRMED}: field 'shipping_address.city' removed"
    ]


def test_a_removed_version_is_breaking_but_a_new_version_is_not() -> None:
    published = schemas.generate()
    current = {k: v for k, v in published.items() if k != DISPATCHED_V1}
    assert [b.change for b in compat.breaks(published, current)] == ["version removed"]
    newer = {**published, "shop.fulfillment.ShipmentDispatched.v3": {"type": "object"}}
    assert compat.breaks(published, newer) == []
