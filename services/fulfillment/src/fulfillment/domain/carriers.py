"""Which carrier takes a shipment, and its tracking number. Standard library only.

A stand-in for a carrier integration: each warehouse's country has its usual carrier, and
the tracking number follows from the shipment id, so dispatching twice (a retry) can only
ever produce the same label.
"""

CARRIERS = {"DE": "DHL", "NL": "PostNL"}
DEFAULT_CARRIER = "UPS"


def carrier_for(country: str) -> str:
    return CARRIERS.get(country, DEFAULT_CARRIER)


def tracking_number(carrier: str, shipment_id: str) -> str:
    """`DHL-01JD3Q...`: the carrier's prefix and the body of the shipment id."""
    return f"{carrier.upper()}-{shipment_id.removeprefix('shp_')}"
