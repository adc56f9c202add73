"""The gate against a base (`compat --against REF`): the published schemas are read from git
at REF, so a change that edits or deletes a committed schema along with the model still
fails. Each test builds a repository of its own in tmp_path; the real one is never read or
written (its schemas, index and history stay as they are)."""

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from shop_contracts.__main__ import main
from shop_contracts.tools import compat, schemas

CONFIRMED = "shop.checkout.OrderConfirmed.v1"


def git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.name=gate", "-c", "user.email=gate@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository whose schema directory is the one the gate reads."""
    # No GIT_* of the caller (a hook's GIT_INDEX_FILE would be the real index), no user
    # config, and no looking above tmp_path for a repository.
    for name in [name for name in os.environ if name.startswith("GIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    directory = tmp_path / "libs" / "contracts" / "schemas" / "events"
    directory.mkdir(parents=True)
    monkeypatch.setattr(schemas, "SCHEMA_DIR", directory)
    return tmp_path


def put(repo: Path, published: dict[str, Any]) -> None:
    """The working tree's schema directory holds exactly `published`."""
    for path in schemas.SCHEMA_DIR.glob("*.json"):
        path.unlink()
    schemas.write(published, schemas.SCHEMA_DIR)


def publish(repo: Path, published: dict[str, Any], branch: str = "base") -> None:
    """Commit `published` as the schema directory and name that commit `branch`."""
    git(repo, "init", "--quiet")
    put(repo, published)
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "--no-gpg-sign", "-m", "published")
    git(repo, "branch", branch)


def gate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["compat", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_field_removed_since_the_base_fails_though_the_file_was_edited_to_match(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The base published a field the model no longer has...
    published = schemas.generate()
    published[CONFIRMED]["properties"]["gift_note"] = {"type": "string"}
    publish(repo, published)
    # ...and the change rewrote the committed file to match the model: the plain gate passes.
    put(repo, schemas.generate())
    assert gate(capsys)[0] == 0

    code, _, err = gate(capsys, "--against", "base")
    who = ", ".join(compat.consumers(CONFIRMED))
    assert code == 1
    assert who
    assert f"BREAKING {CONFIRMED}: field 'gift_note' removed (consumed by {who})" in err


def test_a_schema_deleted_with_its_model_is_a_removed_version(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = "shop.checkout.OrderGifted.v1"
    publish(repo, {**schemas.generate(), gone: {"type": "object", "properties": {}}})
    put(repo, schemas.generate())  # the file went in the same change as the model
    assert gate(capsys)[0] == 0

    code, _, err = gate(capsys, "--against", "base")
    assert code == 1
    assert f"BREAKING {gone}: field '*' version removed" in err


def test_an_added_optional_field_and_a_new_version_pass(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = schemas.generate()
    # The base lacked one optional field of the models and their newest event version.
    event_type, field = next(
        (event_type, name)
        for event_type, schema in current.items()
        for name in sorted(set(schema["properties"]) - set(schema.get("required", ())))
    )
    newest = max(k for k in current if k != event_type)
    published = {k: v for k, v in schemas.generate().items() if k != newest}
    published[event_type]["properties"].pop(field)
    publish(repo, published)
    put(repo, current)

    code, out, err = gate(capsys, "--against", "base")
    assert (code, err) == (0, "")
    assert f"compatible: {len(current)} published event versions, and with base" in out


def test_a_stale_working_tree_schema_fails_against_a_base(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(repo, schemas.generate())
    (schemas.SCHEMA_DIR / f"{CONFIRMED}.json").unlink()  # the model stays

    code, _, err = gate(capsys, "--against", "base")
    assert code == 1
    assert f"STALE {CONFIRMED}" in err


def test_an_unknown_revision_or_no_repository_is_exit_2_in_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = gate(capsys, "--against", "no-such-branch")  # no repository yet
    assert code == 2
    assert err.startswith("compat: ")
    assert err.count("\n") == 1

    publish(repo, schemas.generate())
    code, _, err = gate(capsys, "--against", "no-such-branch")
    assert code == 2
    assert err == (
        "compat: unknown git revision 'no-such-branch' (in a shallow clone, fetch it first)\n"
    )
