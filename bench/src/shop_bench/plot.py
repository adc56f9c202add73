"""bench/results.png: latency distributions (left) and value/baseline ratios (right).

draw(Path("bench/results.png"), figures, {"checkout at 50/s": [12.0, 15.1, ...]})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never a display

import matplotlib.pyplot as plt

from shop_bench.figures import Figure


def draw(
    path: Path,
    figures: Sequence[Figure],
    distributions: Mapping[str, Sequence[float]],
    title: str = "",
) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 6))
    for name, values in distributions.items():
        if not values:
            continue
        ordered = sorted(values)
        share = [(i + 1) / len(ordered) for i in range(len(ordered))]
        left.step(ordered, share, where="post", label=f"{name} (n={len(ordered)})")
    left.set_xscale("log")
    left.set_xlabel("latency, ms (log)")
    left.set_ylabel("share of requests at or below")
    left.set_title("latency distributions")
    left.grid(True, which="both", alpha=0.3)
    if distributions:
        left.legend(fontsize=7, loc="lower right")

    with_ratio = [f for f in figures if f.ratio is not None]
    labels = [f"{f.key}" for f in with_ratio]
    ratios = [f.ratio or 0.0 for f in with_ratio]
    colours = [{True: "tab:green", False: "tab:red", None: "tab:gray"}[f.met] for f in with_ratio]
    right.barh(labels, ratios, color=colours)
    right.set_xscale("log")
    right.axvline(1.0, color="black", linewidth=0.8)
    right.set_xlabel("value / baseline (log); green: goal met, red: not met")
    right.set_title("each figure against its baseline")
    right.invert_yaxis()
    for y, ratio in enumerate(ratios):
        right.text(ratio, y, f" {ratio:.3g}", va="center", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
