"""Moments as people type them: an ISO 8601 time, or a span back from now.

moment("24h", now)                         # now - 24 hours
moment("90s", now); moment("15m", now); moment("7d", now)
moment("2026-11-21T12:00:00+01:00", now)   # as given (an offset is required)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_SPAN = re.compile(r"^(?P<n>\d+)(?P<unit>[smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class InvalidMoment(ValueError):
    pass


def moment(text: str, now: datetime) -> datetime:
    text = text.strip()
    span = _SPAN.match(text)
    if span is not None:
        return now - timedelta(seconds=int(span["n"]) * _UNIT_SECONDS[span["unit"]])
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidMoment(
            f"{text!r} is neither a span back from now (90s, 15m, 24h, 7d) nor an ISO 8601 time"
        ) from None
    if parsed.tzinfo is None:
        raise InvalidMoment(f"{text!r} has no UTC offset (add Z or +hh:mm)")
    return parsed
