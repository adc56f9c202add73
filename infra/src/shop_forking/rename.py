"""Rename the project: `make rename NAME=acme` turns every `shop` name into `acme`.

Two kinds of names, renamed by separate rules so a reader (and `--keep-wire-names`) can tell
them apart:

- Code and deployment names, always renamed: the Python packages (`shop_stack` ->
  `acme_stack`, folders included), distributions (`shop-contracts`), environment variables
  (`SHOP_VERSION`), images (`shop/checkout`), the compose project, the Kubernetes namespace
  and labels.
- Wire names, stored or seen by other systems: event types (`shop.checkout.OrderConfirmed.v1`),
  the problem type base URL (`https://shop.example/problems/`), database names
  (`shop_checkout`), metric names (`shop_outbox_...`) and the outbox's NOTIFY channel. A fork
  that has already run in production keeps them (`--keep-wire-names`): renaming them needs a
  data migration (stored outbox rows and events), new dashboards and clients that accept
  both problem types; see docs/forking.md.

Only files git tracks are touched; binary files are left alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

OLD = "shop"
PACKAGES = "contracts|servicekit|http|messaging|telemetry|testing|stack|e2e|k8s|bench|chaos|forking"
Rule = tuple[re.Pattern[str], str]


def code_rules(new: str) -> list[Rule]:
    return [
        (re.compile(rf"\b{OLD}_(?=(?:{PACKAGES})\b)"), f"{new}_"),
        (re.compile(rf"\b{OLD}-(?=[a-z{{])"), f"{new}-"),
        (re.compile(rf"\b{OLD.upper()}_(?=[A-Z])"), f"{new.upper()}_"),
        (re.compile(rf"\b{OLD}/(?=[a-z$<{{])"), f"{new}/"),
        # Bare literals: the compose project, the namespace, the part-of label, the image prefix.
        (re.compile(rf"(?<=[\"']){OLD}(?=[\"'])"), new),
        (re.compile(rf"(?m)(?<=: ){OLD}$"), new),
    ]


def wire_rules(new: str) -> list[Rule]:
    return [
        # shop.<service>.<Name>.v1, in code and in docs (`shop.<service>.<Name>.v1`).
        (re.compile(rf"\b{OLD}\.(?=<?[a-z]+>?\.<?[A-Z])"), f"{new}."),
        (re.compile(rf"\b{OLD}\.example\b"), f"{new}.example"),
        # ... and the pattern that checks them (r"^shop\.(?P<producer>...").
        (re.compile(rf"\b{OLD}(?=\\\.)"), new),
        # What is left of shop_*: databases, metrics, the NOTIFY channel.
        (re.compile(rf"\b{OLD}_(?=[a-z<{{])"), f"{new}_"),
    ]


def check_name(new: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9]{1,19}", new) or new == OLD:
        raise ValueError("a new name is 2 to 20 lowercase letters and digits, not 'shop'")


def rename_text(text: str, new: str, *, keep_wire_names: bool = False) -> str:
    rules = code_rules(new) + ([] if keep_wire_names else wire_rules(new))
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


def renamed_path(path: str, new: str, *, keep_wire_names: bool = False) -> str:
    """Package folders always; files named after an event type (`shop.checkout.X.v1.json`,
    the committed schemas) unless wire names are kept."""
    event_file = re.compile(rf"{OLD}\.(?=[a-z]+\.[A-Z])")

    def part_of(part: str) -> str:
        if part.startswith(f"{OLD}_"):
            return f"{new}_{part[len(OLD) + 1 :]}"
        if not keep_wire_names and event_file.match(part):
            return event_file.sub(f"{new}.", part, count=1)
        return part

    return "/".join(part_of(part) for part in path.split("/"))


def rename(root: Path, new: str, *, keep_wire_names: bool = False) -> list[str]:
    """Rename every tracked file's contents, then the package folders. Returns what changed."""
    check_name(new)
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    changed = []
    for path in filter(None, tracked):
        file = root / path
        if not file.is_file():
            continue
        try:
            text = file.read_text()
        except UnicodeDecodeError:
            continue
        renamed = rename_text(text, new, keep_wire_names=keep_wire_names)
        if renamed != text:
            file.write_text(renamed)
            changed.append(path)
    for path in filter(None, tracked):
        target = renamed_path(path, new, keep_wire_names=keep_wire_names)
        if target != path and (root / path).exists():
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            (root / path).rename(root / target)
            changed.append(f"{path} -> {target}")
    for path in filter(None, tracked):
        _drop_emptied_folders((root / path).parent, root)
    _tidy(root)
    return changed


def _tidy(root: Path) -> None:
    """Names changed length and sort order: imports are re-sorted, lines re-wrapped."""
    ruff = str(Path(sys.executable).parent / "ruff")
    subprocess.run([ruff, "check", "--select", "I", "--fix", "--quiet", "."], cwd=root, check=True)
    subprocess.run([ruff, "format", "--quiet", "."], cwd=root, check=True)


def _drop_emptied_folders(folder: Path, root: Path) -> None:
    """A package folder whose files all moved keeps only caches: it goes too."""
    while folder != root and folder.is_dir() and folder.name.startswith(f"{OLD}_"):
        leftovers = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        if leftovers:
            return
        shutil.rmtree(folder)
        folder = folder.parent
