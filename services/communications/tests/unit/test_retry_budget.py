"""The retry budget of an event whose recipient is not known yet (RecipientUnknown).

Its OrderContactShared is on another partition, which a database outage may have left
paused for up to the max backoff after the database is back. The unclassified retries
must outlast that pause; otherwise the event is dead-lettered while its contact is one
retry away (a CI run saw a shipment email go to the DLQ that way after an outage).
"""

from communications.settings import CommunicationsSettings
from shop_messaging import Backoff


def test_the_retries_of_an_unknown_recipient_outlast_a_paused_partition() -> None:
    settings = CommunicationsSettings()
    backoff = Backoff(settings.retry_backoff_seconds, settings.retry_backoff_max_seconds)
    # Attempt n waits at least half its ceiling before attempt n + 1.
    shortest = sum(backoff.ceiling(n) / 2 for n in range(1, settings.retry_max_attempts))

    assert shortest > settings.retry_backoff_max_seconds, shortest
