"""Which partitions the group gave this consumer, and when that changed."""

from __future__ import annotations

from aiokafka import ConsumerRebalanceListener, TopicPartition


class Membership(ConsumerRebalanceListener):  # type: ignore[misc]
    """Counts rebalances, so the runner can tell that records it fetched (and offsets it
    is about to commit) belong to an assignment it no longer holds.

        membership = Membership()
        consumer.subscribe(topics, listener=membership)
        epoch = membership.epoch      # before handling a fetched batch
        ...
        if membership.epoch != epoch: drop the rest of the batch, commit nothing
    """

    def __init__(self) -> None:
        self.epoch = 0
        self._assigned: set[TopicPartition] = set()

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self.epoch += 1

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.epoch += 1
        self._assigned |= set(assigned)

    def take_assigned(self) -> set[TopicPartition]:
        """The partitions assigned since the last call (each reported once)."""
        assigned, self._assigned = self._assigned, set()
        return assigned
