"""`python -m shop_k8s`: write infra/k8s, or with --check say whether it is current.

python -m shop_k8s --check    # CI-style: exit 1 and list the stale files
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shop_stack.topics import load_catalog

from shop_k8s.layout import ManifestsInput, differences, render_tree, write_tree
from shop_k8s.plan import cluster_plan

# Editable installs (the only kind that generates) sit in infra/src/shop_k8s.
INFRA = Path(__file__).resolve().parents[2]
DEFAULT_OUT = INFRA / "k8s"
VERSION_FILE = INFRA.parent / "VERSION"


def manifests_input() -> ManifestsInput:
    """What the manifests are made from: the topology, the topic list and the version."""
    return ManifestsInput(
        plan=cluster_plan(),
        catalog=load_catalog(env={}),
        version=VERSION_FILE.read_text().strip(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_k8s", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: infra/k8s")
    args = parser.parse_args(argv)
    files = render_tree(manifests_input())
    if args.check:
        stale = differences(files, args.out)
        for path in stale:
            print(f"stale: {args.out / path}")
        if stale:
            print("regenerate with: .venv/bin/python -m shop_k8s")
        return 1 if stale else 0
    write_tree(files, args.out)
    print(f"wrote {len(files)} files under {args.out}")
    return 0
