"""Every port a compose file publishes is bound to the loopback address: the services,
database, broker and mail sink are reachable from this machine only (a deployment exposes
what docs/deploying.md says, through its own ingress). To check the check: drop the
`127.0.0.1:` of one port in docker-compose.yml and run this file; that port is named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = (
    ROOT / "docker-compose.yml",
    *sorted((ROOT / "infra/docker").glob("**/compose*.yml")),
)


class _TolerantLoader(yaml.SafeLoader):
    """YAML with compose's own tags (`!reset`, `!override`) read as plain values."""


_TolerantLoader.add_multi_constructor(
    "!",
    lambda loader, _, node: (
        loader.construct_sequence(node)
        if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node)
        if isinstance(node, yaml.MappingNode)
        else loader.construct_scalar(node)
    ),
)


def published(path: Path) -> list[tuple[str, str]]:
    """(compose service, host side of the mapping) of every `ports:` entry of the file."""
    data: dict[str, Any] = yaml.load(path.read_text(), Loader=_TolerantLoader) or {}
    found = []
    for name, spec in (data.get("services") or {}).items():
        for port in (spec or {}).get("ports") or ():
            # Short syntax "IP:HOST:CONTAINER", or the long one {host_ip, published, ...}.
            host = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port}"
            found.append((name, str(host)))
    return found


def test_the_stack_publishes_its_public_ports_to_this_machine() -> None:
    # The check below would pass on a file that publishes nothing.
    assert ("checkout-serve", "127.0.0.1:8000:8000") in published(FILES[0])


def test_every_published_port_is_bound_to_loopback_only() -> None:
    open_to_all = [
        (path.name, service, port)
        for path in FILES
        for service, port in published(path)
        if not port.startswith("127.0.0.1:")
    ]
    assert open_to_all == []
