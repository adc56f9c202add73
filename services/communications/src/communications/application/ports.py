"""What the use cases need from the outside world, and the errors it may answer with."""

from typing import Protocol

from communications.domain.notifications import Email


class MailerUnavailable(Exception):
    """The mail server refused or could not be reached; the email was not accepted."""


class Mailer(Protocol):
    async def send(self, email: Email) -> str:
        """Hand `email` to the mail server; returns its Message-ID. Raises MailerUnavailable."""
        ...
