"""The run's results: the printed table and bench/results.json (with a schema check).

print(table(figures))
write_results(path, results_document(figures, machine, versions, distributions, mode="quick"))
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shop_bench.figures import Figure

SCHEMA = "shop-bench/1"
FIGURE_KEYS = ("key", "title", "unit", "value", "baseline", "baseline_name", "ratio", "goal",
               "met", "note", "extra")  # fmt: skip
MACHINE_KEYS = ("cores", "cpu_model", "load_average_at_start")


def _num(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "n/a"}[met]


def table(figures: Sequence[Figure]) -> str:
    """One line per figure: value, baseline, ratio, goal, verdict."""
    rows = [("fig", "what", "value", "baseline", "ratio", "goal", "verdict")]
    for f in figures:
        unit = f" {f.unit}" if f.unit else ""
        rows.append(
            (
                f.key,
                f.title,
                _num(f.value) + unit,
                (_num(f.baseline) + unit) if f.baseline is not None else "n/a",
                _num(f.ratio),
                "; ".join(g.describe() for g in f.goals),
                _verdict(f.met),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]  # fmt: skip
    lines.insert(1, "  ".join("-" * w for w in widths))
    baselines = [f"  {f.key} baseline: {f.baseline_name}" for f in figures if f.baseline_name]
    notes = [f"  {f.key}: {f.note}" for f in figures if f.note]
    return "\n".join([*lines, "", "baselines:", *baselines, "notes:", *notes])


def results_document(
    figures: Sequence[Figure],
    machine: Mapping[str, Any],
    versions: Mapping[str, str],
    distributions: Mapping[str, Sequence[float]],
    *,
    mode: str,
    target: str = "",
    load_average_at_end: Sequence[float] = (),
) -> dict[str, Any]:
    """Everything results.json holds; latencies in `distributions` are milliseconds."""
    return {
        "schema": SCHEMA,
        "written_at": datetime.now(UTC).isoformat(),
        "mode": mode,
        "target": target,
        "machine": {**machine, "load_average_at_end": list(load_average_at_end)},
        "versions": dict(versions),
        "figures": [f.as_json() for f in figures],
        "distributions_ms": {
            name: [round(v, 3) for v in values] for name, values in distributions.items()
        },
    }


def check_document(doc: Mapping[str, Any]) -> None:
    """Raise ValueError when `doc` is not a results.json of this schema."""
    if doc.get("schema") != SCHEMA:
        raise ValueError(f"schema is {doc.get('schema')!r}, expected {SCHEMA!r}")
    missing = [k for k in MACHINE_KEYS if k not in doc.get("machine", {})]
    if missing:
        raise ValueError(f"machine lacks {missing}")
    if "python" not in doc.get("versions", {}):
        raise ValueError("versions lack python")
    for figure in doc.get("figures", []):
        absent = [k for k in FIGURE_KEYS if k not in figure]
        if absent:
            raise ValueError(f"figure {figure.get('key')} lacks {absent}")
        if figure["met"] not in (True, False, None):
            raise ValueError(f"figure {figure['key']}: met must be true, false or null")
    for name, values in doc.get("distributions_ms", {}).items():
        if not all(isinstance(v, int | float) for v in values):
            raise ValueError(f"distribution {name} holds a non-number")


def write_results(path: Path, doc: Mapping[str, Any]) -> None:
    check_document(doc)
    path.write_text(json.dumps(doc, indent=2) + "\n")
