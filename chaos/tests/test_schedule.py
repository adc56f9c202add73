"""The schedule is a function of the seed: a printed seed replays the same faults."""

from shop_chaos.schedule import KINDS, RECONCILE_EVERY, plan


def test_the_same_seed_gives_the_same_schedule_and_another_seed_another() -> None:
    assert plan(42, 300) == plan(42, 300)
    assert plan(42, 300) != plan(43, 300)


def test_a_long_run_meets_every_kind_of_fault_and_reconciles_on_its_schedule() -> None:
    faults = plan(7, 1200)

    assert {f.kind for f in faults} == {*KINDS, "reconcile"}
    runs = [f.at for f in faults if f.kind == "reconcile"]
    assert runs == [RECONCILE_EVERY * (n + 1) for n in range(len(runs))]
    assert all(0 < f.at < 1200 for f in faults)
    assert [f.at for f in faults] == sorted(f.at for f in faults)


def test_smtp_stays_down_longer_than_the_consumers_retry_budget() -> None:
    downs = [f for f in plan(3, 3000) if f.kind == "smtp-down"]

    assert downs
    assert all(f.seconds > 5 for f in downs)
