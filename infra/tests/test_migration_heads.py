"""Every service's migrations form one line: two branches that each add revision N merge
into two heads, and `alembic upgrade head` then refuses to run (it happened once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from shop_stack.topology import SERVICES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("service", [name for name, _port in SERVICES])
def test_the_migrations_have_exactly_one_head(service: str) -> None:
    versions = ROOT / "services" / service / "src" / service / "migrations"
    heads = ScriptDirectory(str(versions)).get_heads()
    assert len(heads) == 1, f"{service}: {len(heads)} heads {heads}: re-chain the newest"
