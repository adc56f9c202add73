"""The table, results.json, results.png and the profile summary, from synthetic data."""

import json
from pathlib import Path

import pytest
from shop_bench.measurements import Measurements, build_figures, distributions
from shop_bench.plot import draw
from shop_bench.profile import summarise
from shop_bench.report import check_document, results_document, table, write_results

MACHINE = {"cores": 2, "cpu_model": "Test CPU", "load_average_at_start": [1.0, 2.0, 3.0]}


def document(m: Measurements) -> dict[str, object]:
    return results_document(build_figures(m), MACHINE, {"python": "3.11.7"}, distributions(m),
                            mode="quick", load_average_at_end=[1.5, 2.0, 3.0])  # fmt: skip


def test_the_table_has_a_line_per_figure_with_its_verdict(synthetic: Measurements) -> None:
    printed = table(build_figures(synthetic))
    lines = printed.splitlines()
    assert lines[0].split()[:3] == ["fig", "what", "value"]
    c1 = next(line for line in lines if line.startswith("C1 "))
    assert "200 ms" in c1
    assert "NOT met" in c1
    assert "no-work chain" in printed


def test_results_json_round_trips_and_passes_its_schema(
    tmp_path: Path, synthetic: Measurements
) -> None:
    path = tmp_path / "results.json"
    write_results(path, document(synthetic))
    read = json.loads(path.read_text())
    check_document(read)
    assert read["machine"]["cores"] == 2
    assert read["machine"]["load_average_at_end"] == [1.5, 2.0, 3.0]
    p4 = next(f for f in read["figures"] if f["key"] == "P4")
    assert p4["ratio"] == pytest.approx(0.05)
    assert p4["met"] is False
    assert read["distributions_ms"]["checkout at 50/s"][-1] == pytest.approx(2000.0)


def test_a_document_without_the_machine_load_is_refused(synthetic: Measurements) -> None:
    doc = document(synthetic)
    machine = dict(MACHINE)
    del machine["load_average_at_start"]
    doc["machine"] = machine
    with pytest.raises(ValueError, match="load_average_at_start"):
        check_document(doc)


def test_the_png_is_written(tmp_path: Path, synthetic: Measurements) -> None:
    m = synthetic
    path = tmp_path / "results.png"
    draw(path, build_figures(m), distributions(m), title="synthetic")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


def test_the_profile_summary_gives_each_frame_its_share_of_samples() -> None:
    collapsed = "\n".join(
        [
            "main (app.py:1);handle (sqlalchemy/orm/session.py:9);execute (x.py:3) 60",
            "main (app.py:1);handle (httpx/_client.py:5) 30",
            "main (app.py:1) 10",
            "garbage line",
        ]
    )
    summary = summarise(collapsed, "synthetic profile")
    assert "samples: 100" in summary
    assert "  60.0%  execute (x.py:3)" in summary
    assert " 100.0%  main (app.py:1)" in summary
    assert "  60.0%  sqlalchemy" in summary  # inclusive: execute (x.py) runs under it
    assert "  30.0%  httpx" in summary
