"""The forking tools (docs/forking.md): a generated service that is wired, linted and tested,
and a renamed project that still lints and passes its unit tests.

The two end-to-end tests work on a throwaway copy of this checkout (its tracked and
not-ignored files, committed in a fresh git repository, as a fork's clone would be) and use
this venv's tools; the copy's own source folders come first on PYTHONPATH, so what runs is
the copy's code. Each takes a minute or two: they run in `make test` on purpose.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
import yaml
from shop_auth import client_minter
from shop_forking.rename import rename_text, renamed_path
from shop_forking.wiring import (
    AlreadyWired,
    NewService,
    codeowners,
    compose,
    pyproject,
    settings_catalog,
    substitutes,
    topology,
)
from shop_testing.databases import DatabaseFactory, unique_name
from shop_testing.migrated import asyncpg_url
from shop_testing.service_process import ServiceProcess

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GIT = ["git", "-c", "user.name=fork", "-c", "user.email=fork@example.invalid"]


def _text(name: str) -> str:
    return (ROOT / name).read_text()


def _unused_service() -> NewService:
    """The service these tests generate: gifts on 8010 (docs/forking.md's example), unless
    this checkout has made it already (a fork that followed the example), then the next
    name and port it lacks."""
    table = _text("infra/src/shop_stack/topology.py")
    for name in ("gifts", "vouchers", "wishlists", "loyalty", "giftcards"):
        for port in range(8010, 8100):
            candidate = NewService(name, port, "gift cards")
            try:
                topology(table, candidate)
            except AlreadyWired:
                break  # the name is taken: the next one
            except ValueError:
                continue  # the port is taken: the next one
            if not (ROOT / "services" / name).exists():
                return candidate
    raise AssertionError("no unused service name left for the forking tests")


NEW = _unused_service()
NAME, PORT = NEW.name, NEW.port


def _run(argv: Sequence[str], cwd: Path, path: Sequence[Path] = (), timeout: int = 300) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in path)}
    done = subprocess.run(
        list(argv), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{' '.join(argv)}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _copy_of_checkout(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    _run(["git", "init", "--quiet"], target)
    _commit(target, "the fork")
    return target


def _commit(repo: Path, message: str) -> None:
    _run(["git", "add", "--all"], repo)
    _run([*GIT, "commit", "--quiet", "--no-verify", "--message", message], repo)


# --- wiring, file by file ------------------------------------------------------------------


def test_the_topology_gets_one_row_and_refuses_a_port_in_use() -> None:
    wired = topology(_text("infra/src/shop_stack/topology.py"), NEW)

    assert f'    ("{NAME}", {PORT}),\n)\n' in wired
    with pytest.raises(AlreadyWired):
        topology(wired, NEW)
    for port in (8001, 8101, 7901, 9092):
        with pytest.raises(ValueError, match="in use"):
            topology(_text("infra/src/shop_stack/topology.py"), NewService("xy", port, ""))


def test_a_name_the_template_would_refuse_is_refused_before_anything_is_written() -> None:
    for name in ("x", "Gifts", "gift_cards", "gift-cards", "9lives"):
        with pytest.raises(ValueError, match="lowercase"):
            NewService(name, PORT, "")


def test_every_import_linter_list_of_services_gets_the_new_one_with_its_suffixes() -> None:
    import tomllib

    wired = tomllib.loads(pyproject(_text("pyproject.toml"), NEW))

    contracts = wired["tool"]["importlinter"]["contracts"]
    assert NAME in wired["tool"]["importlinter"]["root_packages"]
    assert f"services/{NAME}/src" in wired["tool"]["mypy"]["mypy_path"]
    for contract in contracts:
        for key in ("modules", "containers", "source_modules", "forbidden_modules"):
            names = contract.get(key, [])
            for anchor in [n for n in names if re.fullmatch(r"pricing(\.\w+)*", n)]:
                assert anchor.replace("pricing", NAME, 1) in names, (contract["name"], key)


def test_compose_settings_catalog_and_owners_name_the_service() -> None:
    composed = compose(_text("docker-compose.yml"), NEW)
    catalog = settings_catalog(_text("infra/src/shop_k8s/settings_catalog.py"), NEW)
    owners = codeowners(_text(".github/CODEOWNERS"), NEW)

    database = f"{NEW.prefix}_DATABASE_URL: postgresql+asyncpg://postgres@postgres:5432/shop_{NAME}"
    assert database in composed
    assert f'ports: ["127.0.0.1:{PORT}:{PORT}"]' in composed
    console = yaml.safe_load(composed)["services"]["reconciliation-serve"]["environment"]
    workers = json.loads(console["RECONCILIATION_CONSOLE_WORKER_URLS"])
    assert workers[NAME] == f"http://{NAME}-work:{PORT + 100}"
    stand_in = substitutes(_text("infra/docker/substitutes/compose.yml"), NEW)
    assert f'      {NEW.prefix}_KAFKA_ENABLE_IDEMPOTENCE: "false"\n' in stand_in
    assert f"  {NAME}-work: {{environment: *{NAME}-tansu}}\n" in stand_in
    _assert_imported_in_order(catalog)
    assert f'    "{NAME}": {NEW.settings_class},\n}}' in catalog
    assert re.search(rf"^/services/{NAME}/\s+@your-org/{NAME}$", owners, re.M)


def test_a_fork_without_pricing_wires_like_another_service() -> None:
    like_inventory = NewService(NAME, PORT, "gift cards", like="inventory")
    without_pricing = _text("infra/src/shop_k8s/settings_catalog.py").replace("pricing", "gone")

    catalog = settings_catalog(without_pricing, like_inventory)
    composed = compose(_text("docker-compose.yml"), like_inventory)

    assert f"from {NAME}.settings import {NEW.settings_class}\n" in catalog
    assert f"shop_{NAME}" in composed.split(f"# --- {NAME} ---")[1]
    assert "inventory" not in composed.split(f"# --- {NAME} ---")[1]


def _assert_imported_in_order(catalog: str) -> None:
    """The new settings import sits in the services' import block where isort puts it."""
    line = f"from {NAME}.settings import {NEW.settings_class}"
    [block] = [b for b in catalog.split("\n\n") if line in b.splitlines()]
    modules = [row.split()[1] for row in block.splitlines() if row.startswith("from ")]
    assert modules == sorted(modules), modules


# --- rename, rule by rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "renamed", "kept_wire_names"),
    [
        ("from shop_stack.topology import x", "from acme_stack.topology import x", None),
        ('name = "shop-contracts"', 'name = "acme-contracts"', None),
        ("SHOP_VERSION ?= 1", "ACME_VERSION ?= 1", None),
        ("image: shop/{n}:dev", "image: acme/{n}:dev", None),
        ('NAMESPACE = "shop"', 'NAMESPACE = "acme"', None),
        ('"shop.checkout.OrderConfirmed.v1"', '"acme.checkout.OrderConfirmed.v1"', "same"),
        ("https://shop.example/problems/", "https://acme.example/problems/", "same"),
        (r'r"^shop\.(?P<producer>[a-z]+)"', r'r"^acme\.(?P<producer>[a-z]+)"', "same"),
        ('f"shop_{service}"', 'f"acme_{service}"', "same"),
        ("shop_outbox_relay_lag_seconds", "acme_outbox_relay_lag_seconds", "same"),
        ("await shop.wait_for(order)", "await shop.wait_for(order)", None),
        ("the whole shop. Then", "the whole shop. Then", None),
    ],
)
def test_rename_rules(text: str, renamed: str, kept_wire_names: str | None) -> None:
    assert rename_text(text, "acme") == renamed
    expected = text if kept_wire_names == "same" else renamed
    assert rename_text(text, "acme", keep_wire_names=True) == expected


def test_package_folders_are_renamed_and_other_paths_are_not() -> None:
    assert renamed_path("libs/http/src/shop_http/_client.py", "acme") == (
        "libs/http/src/acme_http/_client.py"
    )
    assert renamed_path("infra/tests/fakeshop_pkg/x.py", "acme") == "infra/tests/fakeshop_pkg/x.py"
    schema = "libs/contracts/schemas/events/shop.checkout.OrderConfirmed.v1.json"
    assert renamed_path(schema, "acme").endswith("/acme.checkout.OrderConfirmed.v1.json")
    assert renamed_path(schema, "acme", keep_wire_names=True) == schema


# --- end to end, on a copy -----------------------------------------------------------------


def _tidy(fork: Path, name: str) -> None:
    """`make tidy-service`: the service's own imports where isort puts its name."""
    ruff = str(BIN / "ruff")
    _run([ruff, "check", "--quiet", "--fix", "--select", "I", f"services/{name}"], fork)
    _run([ruff, "format", "--quiet", f"services/{name}"], fork)


def test_any_name_the_template_takes_gives_lint_clean_code(tmp_path: Path) -> None:
    # A name that sorts after the shared shop_* packages (the template lists its imports as
    # for one before them), and the longest name the template takes (docstrings name it).
    fork = _copy_of_checkout(tmp_path / "fork")
    for name in ("vouchers", "customersubscriptionsandgifts"):
        answers = ["-d", f"name={name}", "-d", "port=8090"]
        copy = ["copy", "--quiet", "--defaults", "--vcs-ref", "HEAD", *answers]
        _run([str(BIN / "copier"), *copy, ".", f"services/{name}"], fork)
        _tidy(fork, name)
        _run([str(BIN / "ruff"), "check", f"services/{name}"], fork)
        _run([str(BIN / "ruff"), "format", "--check", f"services/{name}"], fork)


def test_a_generated_service_is_wired_linted_tested_run_and_updatable(
    tmp_path: Path, database_factory: DatabaseFactory
) -> None:
    fork = _copy_of_checkout(tmp_path / "fork")
    path = [fork / "infra/src", fork / "libs/auth/src", fork / f"services/{NAME}/src"]
    copier = str(BIN / "copier")
    options = ["--quiet", "--defaults", "--vcs-ref", "HEAD"]

    # What `make new-service NAME=gifts PORT=8010` runs, less the venv install.
    answers = ["-d", f"name={NAME}", "-d", f"port={PORT}"]
    _run([copier, "copy", *options, *answers, ".", f"services/{NAME}"], fork)
    _tidy(fork, NAME)
    wire = ["wire", "--name", NAME, "--port", str(PORT)]
    _run([sys.executable, "-m", "shop_forking", *wire], fork, path)
    _run([sys.executable, "-m", "shop_k8s"], fork, path)

    remembered = (fork / f"services/{NAME}/.copier-answers.yml").read_text()
    assert "_src_path: ." in remembered
    assert f"name: {NAME}" in remembered
    assert (fork / f"infra/k8s/base/{NAME}.yaml").is_file()
    init = (fork / "infra/compose/postgres-init.sql").read_text()
    assert f"CREATE DATABASE shop_{NAME};" in init

    # `make lint`, with mypy on what changed (the rest of the tree is this checkout's).
    _run([str(BIN / "ruff"), "format", "--check", "."], fork)
    _run([str(BIN / "ruff"), "check", "."], fork)
    _run([str(BIN / "mypy"), f"services/{NAME}/src", "infra/src"], fork, path)
    assert "0 broken" in _run([str(BIN / "lint-imports")], fork, path)
    # The service's own tests, and the infra tests that hold every service to the repo's lists.
    # (The pre-commit hooks' test looks for tools in the copy's own .venv, which it has not.)
    infra = ["topology", "k8s_manifests", "compose_settings", "repository_habits"]
    infra += ["route_authorization"]
    tests = [f"services/{NAME}", *(f"infra/tests/test_{name}.py" for name in infra)]
    report = _run([str(BIN / "pytest"), "-q", "-k", "not pre_commit", *tests], fork, path)
    assert re.search(r"\b\d+ passed\b", report)

    # In the stack's table, and running as the stack runs it: migrate, then serve.
    table = "from shop_stack.topology import SERVICES; print(SERVICES)"
    assert f"('{NAME}', {PORT})" in _run([sys.executable, "-c", table], fork, path)
    database = asyncpg_url(database_factory.create(unique_name(NAME)))
    env = {"PYTHONPATH": os.pathsep.join(str(p) for p in path)}
    with ServiceProcess.running(NAME, database_url=database, env=env) as gifts:
        operator = client_minter("operator").headers(NAME)
        key = {"Idempotency-Key": "gift-card-0001", **operator}
        created = httpx.post(f"{gifts.url}/v1/items", json={"name": "a gift"}, headers=key)
        assert created.status_code == 201
        item = created.json()["item_id"]
        assert httpx.get(f"{gifts.url}/v1/items/{item}").status_code == 401
        found = httpx.get(f"{gifts.url}/v1/items/{item}", headers=operator)
        assert found.json()["name"] == "a gift"

    # A later template change reaches the generated service through `copier update`.
    _commit(fork, NAME)
    template_readme = fork / "infra/templates/service/README.md.jinja"
    template_readme.write_text(template_readme.read_text() + "\nA later template line.\n")
    _commit(fork, "a template change")
    _run([copier, "update", *options, f"services/{NAME}"], fork)
    assert "A later template line." in (fork / f"services/{NAME}/README.md").read_text()


def test_a_renamed_copy_lints_and_passes_its_unit_tests(tmp_path: Path) -> None:
    fork = _copy_of_checkout(tmp_path / "fork")

    rename = [sys.executable, "-m", "shop_forking", "rename", "--name", "acme"]
    _run(rename, fork, [ROOT / "infra" / "src"])

    grep = ["git", "grep", "-l", "-E", r"\bshop_(stack|contracts|servicekit)\b"]
    leftovers = subprocess.run(grep, cwd=fork, capture_output=True, text=True).stdout
    assert leftovers == "", f"not renamed:\n{leftovers}"
    assert (fork / "libs/contracts/src/acme_contracts/__init__.py").is_file()
    assert not (fork / "libs/contracts/src/shop_contracts").exists()

    path = sorted(fork.glob("*/*/src")) + sorted(fork.glob("*/src"))
    _run([str(BIN / "ruff"), "format", "--check", "."], fork)
    _run([str(BIN / "ruff"), "check", "."], fork)
    _run([str(BIN / "mypy")], fork, path)
    assert "0 broken" in _run([str(BIN / "lint-imports")], fork, path)
    units = sorted(str(p.relative_to(fork)) for p in fork.glob("services/*/tests/unit"))
    # The venv's plugin is this checkout's shop_testing; the copy's is acme_testing. (The
    # AsyncAPI document, once contracts have one, names the installed distribution's version,
    # and the copy is not installed.)
    no_plugin = ["-p", "no:shop_testing.fixtures", "-k", "not asyncapi"]
    report = _run(
        [str(BIN / "pytest"), "-q", *no_plugin, *units, "libs/contracts/tests"], fork, path
    )
    assert re.search(r"\b\d+ passed\b", report)
