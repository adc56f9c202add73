"""The repository's own habits that no linter checks: hooks that download nothing, actions
pinned with a readable version, an owner for every service, a changelog entry per version.

actionlint and zizmor (`make ci-lint-workflows`) judge the workflows themselves; these
tests guard what a fork's first edits most often break.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED_USES = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def _lines(path: Path, key: str) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip().startswith(key)]


def test_every_pre_commit_hook_is_local_and_runs_a_tool_from_the_venv() -> None:
    config = ROOT / ".pre-commit-config.yaml"

    repos = [line.split(":", 1)[1].strip() for line in _lines(config, "- repo:")]
    languages = {line.split(":", 1)[1].strip() for line in _lines(config, "language:")}
    entries = [line.split(":", 1)[1].strip() for line in _lines(config, "entry:")]
    assert repos == ["local"]
    assert languages == {"system"}
    tools = {entry.split()[0] for entry in entries if entry.startswith(".venv/bin/")}
    assert {Path(tool).name for tool in tools} >= {"ruff", "mypy", "lint-imports"}
    for tool in tools:
        assert (ROOT / tool).is_file(), f"{tool} is not installed by `make install`"


def test_every_action_is_pinned_by_commit_with_its_version_beside_it() -> None:
    assert WORKFLOWS, "no workflow found"
    for workflow in WORKFLOWS:
        for line in re.findall(r"^.*\buses:.*$", workflow.read_text(), re.M):
            assert PINNED_USES.match(line), f"{workflow.name}: {line.strip()}"


def test_every_service_folder_has_an_owner() -> None:
    owners = (ROOT / ".github" / "CODEOWNERS").read_text()

    for service in sorted(p.name for p in (ROOT / "services").iterdir() if p.is_dir()):
        assert re.search(rf"^/services/{service}/\s+@\S+", owners, re.M), service


def test_the_changelog_has_a_section_for_the_current_version() -> None:
    version = (ROOT / "VERSION").read_text().strip()

    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## {re.escape(version)} - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert "## Unreleased" in changelog
