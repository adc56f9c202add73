"""The log excerpt a failed e2e scenario's report ends with (shop_e2e.log_excerpt)."""

import json
from datetime import UTC, datetime

from shop_e2e.log_excerpt import warnings_since

STARTED = datetime(2026, 11, 30, 10, 27, tzinfo=UTC)


def _line(time: str, level: str, message: str) -> str:
    return json.dumps({"time": time, "level": level, "service": "x", "message": message})


def test_only_warnings_and_worse_logged_since_the_start_in_time_order() -> None:
    logs = {
        "communications-work": "\n".join(
            [
                _line("2026-11-30T10:26:59.000+00:00", "WARNING", "before the scenario"),
                _line("2026-11-30T10:27:05.000+00:00", "INFO", "handled OrderConfirmed"),
                _line("2026-11-30T10:27:09.250+00:00", "ERROR", "giving up on evt_2"),
            ]
        ),
        "checkout-work": _line("2026-11-30T10:27:01.500+00:00", "WARNING", "handler failed"),
        "postgres": "2026-11-30 10:27:02.000 UTC [6533] LOG:  database system is shut down",
    }

    assert warnings_since(logs, STARTED) == [
        "10:27:01.500 checkout-work WARNING handler failed",
        "10:27:09.250 communications-work ERROR giving up on evt_2",
    ]


def test_long_messages_are_cut_to_one_short_line_and_the_latest_lines_kept() -> None:
    traceback = "Traceback (most recent call last):\n" + "  File x\n" * 100
    logs = {
        "payment-work": "\n".join(
            _line(f"2026-11-30T10:28:{second:02d}.000+00:00", "WARNING", f"{second} {traceback}")
            for second in range(10)
        )
    }

    excerpt = warnings_since(logs, STARTED, limit=3)

    assert [line.split()[3] for line in excerpt] == ["7", "8", "9"]
    assert all("\n" not in line and len(line) < 300 for line in excerpt)
