#!/usr/bin/env bash
# Build the observability stand-ins that Debian's packages allow (see compose.yml beside
# this script and docs/observability.md): shop-local/prometheus:2.42 on the Debian base
# that infra/docker/substitutes/build.sh makes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
NAME=shop-local/prometheus:2.42

docker image inspect "$NAME" >/dev/null 2>&1 && exit 0
docker image inspect shop-local/debian:bookworm >/dev/null 2>&1 || "$ROOT/infra/docker/substitutes/build.sh"
CONTEXT=$(mktemp -d)
trap 'rm -rf "$CONTEXT"' EXIT
cp "$HERE/prometheus.Dockerfile" "$CONTEXT/Dockerfile"
echo "== observability substitutes: $NAME"
docker build -t "$NAME" "$CONTEXT" >"$CONTEXT/build.log" 2>&1 || { tail -30 "$CONTEXT/build.log" >&2; exit 1; }
