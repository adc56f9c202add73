"""The coordination state's steps are COMPLETE_ORDER's catalogued steps, and their default
deadlines are the catalogue's (one source: shop_contracts.saga_steps, docs/sagas.md)."""

from datetime import timedelta

from reconciliation.bootstrap import deadlines_of
from reconciliation.domain.coordination import Step
from reconciliation.settings import ReconciliationSettings
from shop_contracts.saga_steps import STEPS
from shop_contracts.sagas import Saga


def test_each_tracked_step_takes_its_deadline_from_the_catalogue() -> None:
    catalogue = {s.name: s.deadline for s in STEPS if s.saga is Saga.COMPLETE_ORDER}
    deadlines = deadlines_of(ReconciliationSettings())
    for step in Step:
        assert deadlines[step] == catalogue[step.value], step
    assert all(d >= timedelta(seconds=1) for d in deadlines.values())
