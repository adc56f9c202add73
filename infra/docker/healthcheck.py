"""The image's HEALTHCHECK: healthy when a port this container listens on answers
GET /health/ready with 200. Serve and work processes listen on different ports; this finds
them (from /proc/net/tcp) instead of needing one more setting.

    python /usr/local/bin/shop-healthcheck      # exit 0 ready, 1 not (yet)
"""

import sys
import urllib.request
from pathlib import Path

LISTEN = "0A"


def listening_ports() -> set[int]:
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def ready(port: int) -> bool:
    url = f"http://127.0.0.1:{port}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(0 if any(ready(port) for port in sorted(listening_ports())) else 1)
