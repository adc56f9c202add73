"""The Mailer over SMTP: the standard library's smtplib, run in a thread off the event loop.

SMTP and socket errors never leave this module; the use case sees MailerUnavailable.
"""

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from communications.domain.errors import MailerUnavailable
from communications.domain.notifications import Email


class SmtpMailer:
    """`await SmtpMailer("127.0.0.1", 1025, mail_from="Shop <orders@shop.example>").send(email)`"""

    def __init__(self, host: str, port: int, *, mail_from: str, timeout: float = 10.0) -> None:
        self.host = host
        self.port = port
        self.mail_from = mail_from
        self.timeout = timeout

    async def send(self, email: Email) -> str:
        message = self._message(email)
        try:
            await asyncio.to_thread(self._deliver, message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailerUnavailable(f"{self.host}:{self.port}: {exc}") from exc
        return email.message_id

    def _message(self, email: Email) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.mail_from
        message["To"] = email.recipient
        message["Subject"] = email.subject
        message["Date"] = formatdate(usegmt=True)
        # Derived from the event id: a resend carries the same id, so it is recognisable.
        message["Message-ID"] = email.message_id
        message.set_content(email.body)
        return message

    def _deliver(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)
