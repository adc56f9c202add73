"""Where the stack keeps its state: var/log, var/run, var/pgdata, var/mail.

The root is `STACK_VAR_DIR` if set, else `./var` (the Makefile runs from the repo root).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VarDirs:
    """The state directories under one root; `ensure()` creates them."""

    root: Path

    @property
    def log(self) -> Path:
        return self.root / "log"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def mail(self) -> Path:
        return self.root / "mail"

    def ensure(self) -> VarDirs:
        for path in (self.log, self.run):
            path.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> VarDirs:
        return cls(Path(env.get("STACK_VAR_DIR", "var")).resolve())
