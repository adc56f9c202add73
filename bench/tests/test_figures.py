"""The figures, their goals and the measurements they are computed from (synthetic data)."""

import pytest
from shop_bench.cpu import cpu_seconds
from shop_bench.figures import Figure, Goal
from shop_bench.measurements import Measurements, build_figures, distributions
from shop_bench.stats import percentile


def test_a_figure_is_met_only_when_every_goal_holds() -> None:
    goals = (Goal("value", "<=", 1.1), Goal("baseline", ">=", 20))
    assert Figure("P1", "p1", value=1.05, baseline=25.0, unit="x", goals=goals).met is True
    assert Figure("P1", "p1", value=1.05, baseline=3.0, unit="x", goals=goals).met is False
    assert Figure("P1", "p1", value=1.5, baseline=25.0, unit="x", goals=goals).met is False


def test_a_figure_missing_a_side_its_goal_needs_is_neither_met_nor_failed() -> None:
    figure = Figure("P4", "p4", value=20.0, baseline=None, unit="/s",
                    goals=(Goal("ratio", ">=", 0.4),))  # fmt: skip
    assert figure.ratio is None
    assert figure.met is None


def test_the_ratio_goal_compares_value_over_baseline() -> None:
    figure = Figure("P4", "p4", value=20.0, baseline=400.0, unit="/s",
                    goals=(Goal("ratio", ">=", 0.4),))  # fmt: skip
    assert figure.ratio == pytest.approx(0.05)
    assert figure.met is False


def test_percentile_of_a_hundred_samples_is_the_expected_one() -> None:
    samples = [n / 1000 for n in range(1, 101)]
    assert percentile(samples, 50) == pytest.approx(0.0505)
    assert percentile(samples, 99) == pytest.approx(0.09901)
    assert percentile([], 99) is None
    assert percentile([0.2], 99) == 0.2


def test_every_goal_of_the_issue_has_a_figure() -> None:
    keys = [f.key for f in build_figures(Measurements())]
    for key in ("C1", "C2", "C3", "C3o", "C3s", "C3b", "L50", "P1", "P2", "P3", "P4", "P5",
                "P6", "P7", "P7m"):  # fmt: skip
        assert key in keys


def test_figures_from_synthetic_measurements(synthetic: Measurements) -> None:
    figures = {f.key: f for f in build_figures(synthetic)}
    assert figures["C1"].value == pytest.approx(200.0)  # ms
    assert figures["C1"].met is False
    assert figures["C2"].met is False
    assert figures["P1"].value == pytest.approx(1.0)
    assert figures["P1"].baseline == pytest.approx(35.0)
    assert figures["P1"].met is True
    assert figures["P3"].ratio == pytest.approx(1.5)
    assert figures["P4"].ratio == pytest.approx(0.05)
    assert figures["C3s"].value == pytest.approx(0.4)
    assert figures["C3b"].met is False
    assert figures["P7"].met is False
    assert figures["P7m"].met is True


def test_nothing_measured_gives_figures_without_verdicts() -> None:
    assert all(f.met is None for f in build_figures(Measurements()) if f.key != "C3s")


def test_distributions_are_in_milliseconds_and_skip_empty_ones() -> None:
    drawn = distributions(Measurements(at_50=[0.05, 0.1]))
    assert drawn == {"checkout at 50/s": [50.0, 100.0]}


def test_cpu_counts_a_new_or_reused_pid_from_zero() -> None:
    before = {1: (100.0, 5.0), 2: (100.0, 3.0), 3: (100.0, 9.0)}
    after = {1: (100.0, 5.5), 2: (200.0, 0.25), 4: (300.0, 1.0)}
    # pid 1 grew 0.5; pid 2 is a new process on a reused pid; pid 3 exited; pid 4 is new
    assert cpu_seconds(before, after) == pytest.approx(1.75)


def test_the_cpu_figures_say_which_processes_took_the_most() -> None:
    per_order = {"postgres": 0.060, "broker": 0.030, "checkout-serve": 0.025, "smtp": 0.001}
    figures = {
        f.key: f
        for f in build_figures(
            Measurements(
                cpu_per_order_s=sum(per_order.values()),
                cpu_per_order_by_process_s=per_order,
                idle_cpu_pct=2.5,
                idle_cpu_by_process_pct={"broker": 2.0, "postgres": 0.5},
            )
        )
    }
    assert figures["C1"].note == (
        "where: postgres 60 ms, broker 30 ms, checkout-serve 25 ms, smtp 1 ms"
    )
    assert figures["C1"].extra == {
        "by_process_ms": {name: round(s * 1000, 2) for name, s in per_order.items()}
    }
    assert figures["C2"].note == "where: broker 2 %, postgres 0.5 %"
