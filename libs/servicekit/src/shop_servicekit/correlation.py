"""The correlation id at the HTTP edge: asgi-correlation-id's middleware, configured once.

    app.add_middleware(CorrelationIdMiddleware, **CORRELATION_MIDDLEWARE_OPTIONS)

A correlation id names one business flow: the checkout request, every call it makes
downstream (shop_http forwards the header), every event it causes (Outbox.add stamps it)
and every consumer handling those events (the runner sets it from the event). The
middleware takes the caller's `X-Correlation-Id` when it looks like an id, mints a 32-hex one
otherwise, stores it in asgi-correlation-id's ContextVar (the only one) and echoes it on the
response. A value that does not look like an id is replaced, so a caller cannot write
arbitrary text into every log line and event.
"""

import re
from typing import Any

from shop_telemetry import CORRELATION_HEADER

_PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def plausible_id(value: str) -> bool:
    """Letters, digits and `._:-`, at most 128 characters: a UUID, a trace id, `req_42`."""
    return _PLAUSIBLE_ID.fullmatch(value) is not None


CORRELATION_MIDDLEWARE_OPTIONS: dict[str, Any] = {
    "header_name": CORRELATION_HEADER,
    "validator": plausible_id,
    # The id the route sees is the one the logs and events carry, minted or not.
    "update_request_header": True,
}
