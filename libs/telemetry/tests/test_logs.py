import json
import logging

from asgi_correlation_id import correlation_id
from shop_telemetry import log_context
from shop_telemetry.logs import JsonFormatter


def formatted(message: str, **extra: object) -> dict[str, object]:
    record = logging.makeLogRecord({"name": "t", "levelname": "INFO", "msg": message, **extra})
    line: dict[str, object] = json.loads(JsonFormatter("checkout").format(record))
    return line


def test_a_line_carries_the_correlation_id_in_force_and_the_log_context() -> None:
    token = correlation_id.set("corr-7")
    try:
        with log_context(order_id="ord_1"):
            line = formatted("reserved", sku="SKU-1")
    finally:
        correlation_id.reset(token)

    assert line["correlation_id"] == "corr-7"
    assert (line["order_id"], line["sku"], line["service"]) == ("ord_1", "SKU-1", "checkout")


def test_a_line_outside_any_request_or_event_has_no_correlation_id() -> None:
    line = formatted("started")

    assert "correlation_id" not in line
    assert line["message"] == "started"
