"""The SMTP sink stores real mail in a Maildir and serves it like Mailpit does."""

from __future__ import annotations

import mailbox
import smtplib
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from shop_stack.health import http_ready, wait_until
from shop_stack.paths import VarDirs
from shop_stack.spec import ProcessSpec
from shop_stack.supervisor import Supervisor
from shop_testing.ports import free_ports


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, str, Path]]:
    (smtp_port, http_port), maildir = free_ports(2), tmp_path / "mail"
    argv = (sys.executable, "-m", "shop_stack.smtp", "--port", str(smtp_port),
            "--http-port", str(http_port), "--maildir", str(maildir))  # fmt: skip
    sup = Supervisor(VarDirs(tmp_path / "var"))
    sup.start(ProcessSpec("smtp", argv))
    yield smtp_port, f"http://127.0.0.1:{http_port}", maildir
    sup.stop("smtp")


async def test_sent_email_is_readable_through_the_api_and_the_maildir(
    sink: tuple[int, str, Path],
) -> None:
    smtp_port, api, maildir = sink
    assert await wait_until(http_ready(f"{api}/readyz"), 10)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "shop@example.com", "ada@example.com", "Order 42"
    msg.set_content("Your order 42 is confirmed.")
    with smtplib.SMTP("127.0.0.1", smtp_port) as client:
        client.send_message(msg)

    async with httpx.AsyncClient(base_url=api) as http:
        listing = (await http.get("/api/v1/messages")).json()
        assert listing["total"] == 1
        summary = listing["messages"][0]
        assert summary["From"]["Address"] == "shop@example.com"
        assert [t["Address"] for t in summary["To"]] == ["ada@example.com"]
        assert summary["Subject"] == "Order 42"
        detail = (await http.get(f"/api/v1/message/{summary['ID']}")).json()
        assert "order 42 is confirmed" in detail["Text"]
        assert (await http.get("/api/v1/search", params={"query": "to:ada@"})).json()["total"] == 1

        assert len(mailbox.Maildir(maildir, create=False)) == 1

        assert (await http.delete("/api/v1/messages")).status_code == 200
        assert (await http.get("/api/v1/messages")).json()["total"] == 0
