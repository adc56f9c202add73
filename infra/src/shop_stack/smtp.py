"""The SMTP sink: stores every message in a Maildir and serves a Mailpit-like HTTP API.

    python -m shop_stack.smtp --port 1025 --http-port 8025 --maildir var/mail

The HTTP API is the subset of Mailpit's that our tests use, so they run unchanged
against Mailpit in docker compose:

    GET    /api/v1/messages          {"total": n, "messages": [summary, ...]} newest first
    GET    /api/v1/message/{ID}      summary plus "Text" and "HTML"
    GET    /api/v1/search?query=...  like /messages; "to:addr" or free text in subject/body
    DELETE /api/v1/messages          all, or {"IDs": [...]} only those

It never relays mail anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import mailbox
import socket
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import uvicorn
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class MaildirSink:
    """aiosmtpd handler: each accepted message becomes one Maildir file."""

    def __init__(self, maildir: Path) -> None:
        self.box = open_maildir(maildir)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode()
        recipients = ", ".join(envelope.rcpt_tos)
        # The envelope goes into headers so Bcc recipients stay visible to tests.
        head = f"Return-Path: <{envelope.mail_from}>\r\nX-Envelope-To: {recipients}\r\n"
        self.box.add(head.encode() + content)
        return "250 Message accepted for delivery"


def open_maildir(path: Path) -> mailbox.Maildir:
    """The Maildir at `path`, creating cur/new/tmp even if `path` already exists."""
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(path, create=False)


def _addresses(msg: EmailMessage, header: str) -> list[dict[str, str]]:
    values = [str(v) for v in msg.get_all(header, [])]
    return [{"Name": n, "Address": a} for n, a in getaddresses(values) if a]


def summary(key: str, raw: mailbox.MaildirMessage) -> dict[str, Any]:
    """The Mailpit message-summary fields for one stored message."""
    msg = message_from_bytes(raw.as_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    to = _addresses(msg, "To") or [
        {"Name": "", "Address": a.strip()} for a in str(msg.get("X-Envelope-To", "")).split(",")
    ]
    sender = _addresses(msg, "From") or [
        {"Name": "", "Address": str(msg.get("Return-Path", "")).strip("<>")}
    ]
    text = _body(msg, "plain")
    return {
        "ID": key,
        "MessageID": str(msg.get("Message-ID", "")).strip("<>"),
        "From": sender[0],
        "To": to,
        "Cc": _addresses(msg, "Cc"),
        "Subject": str(msg.get("Subject", "")),
        "Created": datetime.fromtimestamp(raw.get_date(), UTC).isoformat(),
        "Size": len(raw.as_bytes()),
        "Snippet": " ".join(text.split())[:250],
    }


def _body(msg: EmailMessage, subtype: str) -> str:
    part = msg.get_body(preferencelist=(subtype,))
    return str(part.get_content()) if part is not None else ""


def build_app(maildir: Path) -> Starlette:
    """The Mailpit-compatible read API over `maildir`."""
    box = open_maildir(maildir)

    def all_summaries() -> list[dict[str, Any]]:
        items = [summary(key, box[key]) for key in box.keys()]  # noqa: SIM118  (a Maildir, not a dict)
        return sorted(items, key=lambda m: m["Created"], reverse=True)

    def listing(items: list[dict[str, Any]]) -> JSONResponse:
        body = {"total": len(items), "count": len(items), "unread": 0, "messages": items}
        return JSONResponse({**body, "messages_count": len(items)})

    async def messages(request: Request) -> Response:
        if request.method == "DELETE":
            ids = (await request.json() or {}).get("IDs") if await request.body() else None
            for key in ids or list(box.keys()):
                box.discard(key)
            return Response("ok")
        return listing(all_summaries())

    async def search(request: Request) -> Response:
        query = request.query_params.get("query", "").strip().lower()

        def matches(m: dict[str, Any]) -> bool:
            if query.startswith("to:"):
                return any(query[3:].strip('"') in t["Address"].lower() for t in m["To"])
            return query in m["Subject"].lower() or query in m["Snippet"].lower()

        return listing([m for m in all_summaries() if matches(m)])

    async def message(request: Request) -> Response:
        key = request.path_params["id"]
        if key not in box:
            return JSONResponse({"error": "not found"}, status_code=404)
        raw = box[key]
        msg = message_from_bytes(raw.as_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        detail = {**summary(key, raw), "Text": _body(msg, "plain"), "HTML": _body(msg, "html")}
        return JSONResponse(detail)

    async def ready(request: Request) -> Response:
        # Mailpit's readiness route: cheap, unlike listing a mailbox of thousands.
        return Response("ok")

    return Starlette(
        routes=[
            Route("/readyz", ready),
            Route("/api/v1/messages", messages, methods=["GET", "DELETE"]),
            Route("/api/v1/search", search),
            Route("/api/v1/message/{id}", message),
        ]
    )


async def serve(port: int, http_port: int, maildir: Path, host: str = "127.0.0.1") -> None:
    """Run SMTP and HTTP until SIGINT/SIGTERM (uvicorn owns the signal handling)."""
    loop = asyncio.get_running_loop()
    sink = MaildirSink(maildir)
    smtp_server = await loop.create_server(
        lambda: SMTP(sink, hostname="shop-smtp"), host=host, port=port, family=socket.AF_INET
    )
    config = uvicorn.Config(
        build_app(maildir), host=host, port=http_port, log_level="warning", lifespan="off"
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        smtp_server.close()
        await smtp_server.wait_closed()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shop_stack.smtp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--maildir", type=Path, default=Path("var/mail"))
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port, args.http_port, args.maildir, args.host))


if __name__ == "__main__":
    main()
