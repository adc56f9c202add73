"""Returns's HTTP request and response models (they belong to this service alone).

Request bodies end in `Body`, responses in `View`; the use cases never see either.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from returns.domain.items import NAME_MAX, Item


class ItemBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=NAME_MAX)


class ItemView(BaseModel):
    item_id: str
    name: str
    created_at: datetime

    @classmethod
    def of(cls, item: Item) -> "ItemView":
        return cls(item_id=item.id, name=item.name, created_at=item.created_at)
