"""An item and its one rule: a name people can read. Plain Python, no framework.

The item is the template's placeholder aggregate: rename it to what this bounded context
owns, and keep the shape (a dataclass, rules as functions that take `now` as a value).
"""

from dataclasses import dataclass
from datetime import datetime

NAME_MAX = 200


class BlankName(ValueError):
    def __init__(self) -> None:
        super().__init__("an item's name must contain more than whitespace")


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    created_at: datetime


def new_item(*, item_id: str, name: str, now: datetime) -> Item:
    """The item as it is stored: its name with runs of whitespace collapsed."""
    tidy = " ".join(name.split())
    if not tidy:
        raise BlankName()
    return Item(id=item_id, name=tidy[:NAME_MAX], created_at=now)
