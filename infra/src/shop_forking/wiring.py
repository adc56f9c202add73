"""Register a generated service everywhere the repository lists services.

Each function takes a file's text and returns it with the service added, and refuses to add
it twice. `wire` applies them all to a checkout; the new service's own files come from the
template (copier), not from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The service every list of services contains: new entries go next to it, and its compose
# block is the new one's pattern. A fork that deleted pricing names another (`like`), best
# one that calls no other service.
ANCHOR = "pricing"
INFRA_PORTS = frozenset({15432, 9092, 1025, 8025})
WORKER_PORT_OFFSET = 100  # shop_stack.topology.WORKER_PORT_OFFSET


@dataclass(frozen=True)
class NewService:
    name: str
    port: int
    summary: str
    like: str = ANCHOR

    def __post_init__(self) -> None:
        # The template's own rule (copier.yml): a package, an env prefix and DNS names.
        if not re.fullmatch(r"[a-z][a-z0-9]{1,29}", self.name):
            raise ValueError(f"{self.name!r}: lowercase letters and digits, 2 to 30")

    @property
    def prefix(self) -> str:
        return self.name.upper()

    @property
    def settings_class(self) -> str:
        return f"{self.name.capitalize()}Settings"


class AlreadyWired(ValueError):
    pass


def _once(text: str, marker: str, what: str) -> None:
    if marker in text:
        raise AlreadyWired(f"{what} already lists {marker!r}")


def topology(text: str, service: NewService) -> str:
    """infra/src/shop_stack/topology.py: one (name, port) row at the end of SERVICES."""
    _once(text, f'("{service.name}", ', "the stack topology")
    block = re.search(r"^SERVICES: .*? = \(\n(.*?)^\)\n", text, re.M | re.S)
    if block is None:
        raise ValueError("shop_stack.topology: no SERVICES table found")
    used = {int(p) for p in re.findall(r'\("\w+", (\d+)\)', block.group(1))}
    taken = used | {p + WORKER_PORT_OFFSET for p in used} | INFRA_PORTS
    if {service.port, service.port + WORKER_PORT_OFFSET} & taken:
        raise ValueError(f"port {service.port} (or {service.port + 100}) is already in use")
    row = f'    ("{service.name}", {service.port}),\n'
    return text[: block.end(1)] + row + text[block.end(1) :]


def postgres_init(text: str, service: NewService) -> str:
    """infra/compose/postgres-init.sql: the service's own database."""
    line = f"CREATE DATABASE shop_{service.name};"
    _once(text, line, "postgres-init.sql")
    return text.rstrip("\n") + "\n" + line + "\n"


def compose(text: str, service: NewService) -> str:
    """docker-compose.yml: migrate, serve and work, as the anchor service has them.

    The anchor's block is the pattern (its settings, keys and health checks follow whatever
    the compose file does today), with its name, env prefix and port replaced.
    """
    _once(text, f"  {service.name}-migrate:", "docker-compose.yml")
    found = re.search(rf"^  # --- {service.like} ---\n.*?(?=^  # --- |\Z)", text, re.M | re.S)
    if found is None:
        raise ValueError(f"docker-compose.yml: no '# --- {service.like} ---' block found")
    anchor_port = re.search(r'ports: \["127\.0\.0\.1:(\d+):\d+"\]', found.group(0))
    if anchor_port is None:
        raise ValueError(f"docker-compose.yml: the {service.like} block publishes no port")
    block = (
        found.group(0)
        .rstrip("\n")
        .replace(service.like, service.name)
        .replace(service.like.upper(), service.prefix)
        .replace(f":{anchor_port.group(1)}", f":{service.port}")
    )
    return _console_worker(text, service).rstrip("\n") + "\n\n" + block + "\n"


def _console_worker(text: str, service: NewService) -> str:
    """The operator console scrapes every worker's /metrics: add the new one to its map."""
    found = re.search(r"RECONCILIATION_CONSOLE_WORKER_URLS: >-\n(?:        .*\n)+", text)
    if found is None:
        return text  # a fork without the console
    end = found.group(0).rstrip("\n").rindex("}") + found.start()
    url = f"http://{service.name}-work:{service.port + WORKER_PORT_OFFSET}"
    return text[:end] + f',\n        "{service.name}": "{url}"' + text[end:]


def substitutes(text: str, service: NewService) -> str:
    """infra/docker/substitutes/compose.yml: the broker stand-in's settings, as the anchor's."""
    _once(text, f"  {service.name}-migrate:", "substitutes/compose.yml")
    found = re.search(
        rf"^  {service.like}-migrate:\n.*?^  {service.like}-work: [^\n]*\n", text, re.M | re.S
    )
    if found is None:
        raise ValueError(f"substitutes/compose.yml: no {service.like}-migrate block found")
    block = (
        found.group(0)
        .replace(service.like, service.name)
        .replace(service.like.upper(), service.prefix)
    )
    return text.rstrip("\n") + "\n\n" + block


def prometheus(text: str, service: NewService) -> str:
    """infra/observability/prometheus.yml: the service's serve and work /metrics targets."""
    _once(text, f'"{service.name}-serve:', "prometheus.yml")
    found = list(re.finditer(r"^        labels: \{service: [\w-]+, role: work\}\n", text, re.M))
    if not found:
        raise ValueError("prometheus.yml: no shop target found")
    last = found[-1]
    targets = "".join(
        f'      - targets: ["{service.name}-{role}:{port}"]\n'
        f"        labels: {{service: {service.name}, role: {role}}}\n"
        for role, port in (("serve", service.port), ("work", service.port + WORKER_PORT_OFFSET))
    )
    return text[: last.end()] + targets + text[last.end() :]


def pyproject(text: str, service: NewService) -> str:
    """Root pyproject.toml: mypy's path and every import-linter list of services.

    A list of services is a TOML array holding the anchor service and at least one other;
    the new service joins it with the same suffixes the anchor has there (`.domain`, ...).
    """
    _once(text, f'"services/{service.name}/src"', "pyproject.toml")
    token = re.compile(rf'"(services/)?{service.like}((?:\.\w+)*)(/src)?"')

    def extend(array: re.Match[str]) -> str:
        body = array.group(0)
        others = set(re.findall(r'"(?:services/)?(\w+)', body)) - {service.like}
        if not token.search(body) or not others:
            return body

        def add(found: re.Match[str]) -> str:
            head, suffix, tail = found.group(1) or "", found.group(2), found.group(3) or ""
            return f'{found.group(0)}, "{head}{service.name}{suffix}{tail}"'

        def renamed(found: re.Match[str]) -> str:
            return found.group(0).replace(service.like, service.name, 1)

        lines = []
        for line in body.splitlines(keepends=True):
            if token.search(line) and not token.sub("", line).strip(" ,\n"):
                # A line of the anchor's entries alone gets a twin line for the new service.
                lines += [line, token.sub(renamed, line)]
            else:
                lines.append(token.sub(add, line))
        return "".join(lines)

    return re.sub(r"\[[^\[\]]*\]", extend, text)


def settings_catalog(text: str, service: NewService) -> str:
    """shop_k8s.settings_catalog: the settings class the manifests are written from."""
    _once(text, f'"{service.name}": ', "shop_k8s.settings_catalog")
    anchor_import = f"from {service.like}.settings import {service.like.capitalize()}Settings\n"
    anchor_row = f'    "{service.like}": {service.like.capitalize()}Settings,\n'
    if anchor_import not in text or anchor_row not in text:
        raise ValueError("shop_k8s.settings_catalog: the anchor service's rows are missing")
    # In the anchor's import block, where ruff's isort puts it (by module name).
    new_import = f"from {service.name}.settings import {service.settings_class}\n"
    block_start = text.rindex("\n\n", 0, text.index(anchor_import)) + 2
    block_end = text.index("\n\n", block_start) + 1
    lines = text[block_start:block_end].splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.split()[1] > service.name), len(lines))
    lines.insert(at, new_import)
    text = text[:block_start] + "".join(lines) + text[block_end:]
    table_end = text.index("}\n", text.index(anchor_row))
    row = f'    "{service.name}": {service.settings_class},\n'
    return text[:table_end] + row + text[table_end:]


def compose_script(text: str, service: NewService) -> str:
    """infra/docker/compose.sh: the images it builds."""
    found = re.search(r'^SERVICES="([^"]*)"$', text, re.M)
    if found is None:
        raise ValueError("compose.sh: no SERVICES line found")
    _once(f" {found.group(1)} ", f" {service.name} ", "compose.sh")
    return text[: found.end(1)] + f" {service.name}" + text[found.end(1) :]


def codeowners(text: str, service: NewService) -> str:
    """.github/CODEOWNERS: a team for the service's folder, after the other services."""
    _once(text, f"/services/{service.name}/ ", "CODEOWNERS")
    rows = list(re.finditer(r"^/services/\w+/ .*\n", text, re.M))
    if not rows:
        raise ValueError("CODEOWNERS: no /services/ rows found")
    row = f"/services/{service.name}/".ljust(32) + f"@your-org/{service.name}\n"
    return text[: rows[-1].end()] + row + text[rows[-1].end() :]


def readme(text: str, service: NewService) -> str:
    """README.md: the service's processes in "What runs where"."""
    _once(text, f"| {service.name}-serve / -work ", "README.md")
    rows = list(re.finditer(r"^\| \w+-serve / -work \| .*\n", text, re.M))
    if not rows:
        raise ValueError("README.md: no '-serve / -work' rows found")
    port = service.port
    row = f"| {service.name}-serve / -work | {port} / {port + 100} | {service.summary} |\n"
    return text[: rows[-1].end()] + row + text[rows[-1].end() :]


def identities(text: str, service: NewService) -> str:
    """shop_auth.identities: the service signs as its own name (its key, `shop_auth keys`)."""
    _once(text, f'    "{service.name}",\n', "shop_auth.identities")
    anchor_row = f'    "{service.like}",\n'
    if anchor_row not in text:
        raise ValueError(f"shop_auth.identities: no {service.like!r} row in SERVICES")
    return text.replace(anchor_row, anchor_row + f'    "{service.name}",\n', 1)


# The template's routes and their guard (infra/templates/service, entrypoints/api/routes.py).
TEMPLATE_ROUTES = ("POST /v1/items", "GET /v1/items/{item_id}")


def route_matrix(text: str, service: NewService) -> str:
    """infra/tests/test_route_authorization.py: the decision for each of the template's routes."""
    _once(text, f'    ("{service.name}", ', "the route authorization matrix")
    start = text.index("MATRIX: ")
    end = text.index("\n}\n", start) + 1
    rows = "".join(f'    ("{service.name}", "{route}"): OPERATOR,\n' for route in TEMPLATE_ROUTES)
    return text[:end] + rows + text[end:]


EDITS: dict[str, Callable[[str, NewService], str]] = {
    "infra/src/shop_stack/topology.py": topology,
    "infra/compose/postgres-init.sql": postgres_init,
    "docker-compose.yml": compose,
    "infra/docker/substitutes/compose.yml": substitutes,
    "infra/observability/prometheus.yml": prometheus,
    "pyproject.toml": pyproject,
    "infra/src/shop_k8s/settings_catalog.py": settings_catalog,
    "infra/docker/compose.sh": compose_script,
    ".github/CODEOWNERS": codeowners,
    "README.md": readme,
    "libs/auth/src/shop_auth/identities.py": identities,
    "infra/tests/test_route_authorization.py": route_matrix,
}


def wire(root: Path, service: NewService, *, check_only: bool = False) -> list[str]:
    """Apply every edit to the checkout at `root`; all or nothing. Returns the files changed.

    `check_only` computes the edits and writes nothing: `make new-service` runs it before
    copier, so a name or port in use stops it before any file exists.
    """
    generated = (root / "services" / service.name / ".copier-answers.yml").is_file()
    if check_only and (root / "services" / service.name).exists():
        raise AlreadyWired(f"services/{service.name} already exists")
    if not check_only and not generated:
        raise FileNotFoundError(f"services/{service.name} was not generated from the template")
    changed = {path: edit((root / path).read_text(), service) for path, edit in EDITS.items()}
    if check_only:
        return []
    for path, text in changed.items():
        (root / path).write_text(text)
    return list(changed)
