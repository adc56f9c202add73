"""Exceptions raised while decoding events; the hierarchy is drawn in the package docstring."""

from __future__ import annotations


class ContractError(Exception):
    """Base of every error this package raises."""


class PoisonEvent(ContractError):
    """A record that can never be decoded, however often it is retried: dead-letter it."""


class MissingHeader(PoisonEvent):
    """A required CloudEvents header is absent or not UTF-8."""


class MalformedEvent(PoisonEvent):
    """The value is not JSON, or an attribute (specversion, time, content type) is invalid."""


class InvalidEventData(PoisonEvent):
    """The JSON `data` does not match the schema of its event type."""


class UnknownEventType(ContractError):
    """A well-formed envelope whose `type` this version does not know.

    Not poison: a newer producer may publish types older consumers skip (forward
    compatibility).
    """

    def __init__(self, event_type: str, event_id: str) -> None:
        super().__init__(f"unknown event type {event_type!r} (event {event_id})")
        self.event_type = event_type
        self.event_id = event_id
