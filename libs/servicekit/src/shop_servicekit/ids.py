"""Prefixed, time-ordered identifiers: `new_id("ord")` -> "ord_01JD3Q...".

The prefix tells a reader what an id names (docs/architecture.md, "Public contract"); the
time-ordered body keeps index inserts local and sorts ids by creation.
"""

import os
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def _base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A ULID-shaped id (48-bit millisecond time + 80 random bits) behind `prefix_`."""
    millis = time.time_ns() // 1_000_000
    randomness = int.from_bytes(os.urandom(10), "big")
    return f"{prefix}_{_base32(millis, 10)}{_base32(randomness, 16)}"
