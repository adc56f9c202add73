"""Request and correlation ids: read from the caller or minted, echoed back, put in logs.

A correlation id names one business flow across services and events (checkout passes its
own downstream and into the outbox); a request id names one HTTP exchange.
"""

import uuid

from shop_telemetry import log_context
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID = "x-request-id"
CORRELATION_ID = "x-correlation-id"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get(REQUEST_ID) or uuid.uuid4().hex
        correlation = headers.get(CORRELATION_ID) or request_id

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers[REQUEST_ID] = request_id
                response_headers[CORRELATION_ID] = correlation
            await send(message)

        with log_context(request_id=request_id, correlation_id=correlation):
            await self.app(scope, receive, send_with_ids)
