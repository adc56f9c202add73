"""Why a run could not go ahead: raised by the sources and the run lock, seen by the job.

Exception
 +-- SourceUnavailable   a source of truth could not be read completely (the run judges nothing)
 +-- RunInProgress       another repairing run holds the lock (two never repair at once)
"""


class SourceUnavailable(Exception):
    """A source of truth could not be read completely; the run judges nothing."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class RunInProgress(Exception):
    """Another run that repairs is under way; two never repair at once."""

    def __init__(self) -> None:
        super().__init__("another reconciliation run is repairing right now")
