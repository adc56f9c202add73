"""Refuse control characters in any path, query parameter or JSON string: 422 problem+json.

    app.add_middleware(RejectControlCharacters)      # create_app does it for every service

No field of the shop's APIs carries one, and they harm downstream: PostgreSQL refuses NUL in
text (a 500, or a 503 a retrying client loops on), and a newline in a name ends up in a mail
header. One check at the edge beats a validator on every field of every model. C0 controls
(U+0000-U+001F), DEL (U+007F) and lone surrogates (U+D800-U+DFFF) are refused; a raw
control byte in a JSON string is already invalid JSON (FastAPI's 422), so only escapes
(`\\u0000`, `\\n`, `\\ud800`) need the walk below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shop_servicekit.problems import Problem, problem_response

# Lone surrogates too: JSON can spell them (\ud800), UTF-8 cannot encode them (a 500).
CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _where_in_json(node: Any, location: list[str | int]) -> Iterator[list[str | int]]:
    if isinstance(node, str):
        if CONTROL.search(node):
            yield location
    elif isinstance(node, dict):
        for key, value in node.items():
            if CONTROL.search(key):
                yield [*location, key]
            yield from _where_in_json(value, [*location, key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _where_in_json(item, [*location, index])


def _where_in_url(scope: Scope) -> list[str | int] | None:
    if CONTROL.search(scope["path"]):
        return ["path"]
    raw = scope.get("query_string", b"")
    if raw:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
        for name, value in pairs:
            if CONTROL.search(name) or CONTROL.search(value):
                return ["query", name]
    return None


def _where_in_body(body: bytes) -> list[str | int] | None:
    if b"\\" not in body:
        return None  # no escape (\\u0000, \\n, ...) could spell a control character
    try:
        decoded = json.loads(body)
    except ValueError:
        return None  # not JSON: the route's own validation answers
    return next(_where_in_json(decoded, ["body"]), None)


def _refusal(location: list[str | int]) -> Problem:
    where = ".".join(map(str, location))
    message = "control characters and lone surrogates are not allowed"
    return Problem(
        422,
        "validation-error",
        "The request is not valid",
        detail=f"{where}: {message}",
        errors=[{"location": location, "message": message, "code": "control_character"}],
    )


class RejectControlCharacters:
    """Pure ASGI middleware: a JSON body is read once and replayed to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        location = _where_in_url(scope)
        if location is None and scope["method"] in _WRITES:
            messages, body = await _read(receive)
            location = _where_in_body(body)
            receive = _replay(messages, receive)
        if location is not None:
            await problem_response(_refusal(location), scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _read(receive: Receive) -> tuple[list[Message], bytes]:
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
