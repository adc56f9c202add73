# One entry point for people and CI. Everything runs from the repo's own .venv, which
# `make` creates from constraints.txt on first use: a fresh clone needs only python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STACK  := $(BIN)/python -m shop_stack

PYPROJECTS := $(wildcard libs/*/pyproject.toml services/*/pyproject.toml apps/*/pyproject.toml infra/pyproject.toml e2e/pyproject.toml bench/pyproject.toml chaos/pyproject.toml)
EDITABLES  := $(patsubst %/pyproject.toml,-e %,$(PYPROJECTS))
# The machine's own PostgreSQL, used by `make test-external-db` (CI runs it when one answers).
EXTERNAL_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# The project version (VERSION) tags the images: shop/<service>:$(SHOP_VERSION).
SHOP_VERSION ?= $(shell cat VERSION)
export SHOP_VERSION
DOCKER  := infra/docker/ensure-docker.sh start
COMPOSE := infra/docker/compose.sh

.PHONY: install demo up down status test e2e test-external-db lint audit fmt k8s constraints clean fuzz \
        setup-hooks ci-lint-workflows bench bench-quick chaos images compose-up compose-down \
        e2e-compose test-containers new-service update-service tidy-service rename browser \
        contracts-gate

install: $(VENV)/.installed

$(VENV)/.installed: constraints.txt requirements-dev.in $(PYPROJECTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$$(sed -n 's/^uv==//p' constraints.txt)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -r requirements-dev.in $(EDITABLES)
	@touch $@

## demo: start the whole stack in the background, run the demo scenario, leave it running
demo: install
	$(STACK) up
	$(BIN)/python -m shop_stack.demo
	@echo "Storefront:       http://127.0.0.1:$${STACK_STOREFRONT_PORT:-8080}"
	@echo "Operator console: http://127.0.0.1:8006/console (local: one-click sign-in)"
	@echo "The stack keeps running. Explore it, then stop it with: make down"

## up / down / status: the embedded stack (var/log/<process>.log, var/run/<process>.pid)
up: install
	$(STACK) up

down:
	@test -x $(BIN)/python && $(STACK) down || true

status: install
	$(STACK) status

## test: every unit, service and integration test, against embedded PostgreSQL and broker,
## and the browser tests (chromium from the system: `make browser`)
test: install browser
	$(BIN)/pytest

## e2e: the black-box suite against a stack it starts itself (or E2E_*_URL deployments)
e2e: install browser
	$(BIN)/pytest e2e

## browser: the headless browser of the browser tests (apt-get installs chromium if none)
browser:
	@infra/browser.sh

## bench: every figure of issue 11 next to its baseline, on an embedded stack on free ports
## (or the E2E_*_URL deployment); prints a table, writes bench/results.json and .png
bench: install
	$(BIN)/python -m shop_bench $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python -m shop_bench --quick $(BENCH_ARGS)

## chaos: a seeded randomized fault run on its own embedded stack (free ports), then the
## checker's report; SEED= replays a run's schedule, CHECKOUTS= sizes it (exit 1: anomalies)
CHECKOUTS ?= 300
chaos: install
	$(BIN)/python -m shop_chaos --checkouts $(CHECKOUTS) $(if $(SEED),--seed $(SEED))

## fuzz: schemathesis over every service's OpenAPI document (>= 1,000 generated cases each,
## conformance checks, no undocumented 5xx) on its own embedded stack (or the E2E_* env)
fuzz: install
	$(BIN)/python -m shop_e2e.fuzz $(FUZZ_ARGS)

## test-external-db: the database-backed tests again, against an external PostgreSQL
test-external-db: install
	SHOP_TEST_DATABASE_URL=$(EXTERNAL_DATABASE_URL) $(BIN)/pytest libs services

## images: every service image (and shop/stack), plus local stand-ins without a registry
images: install
	$(DOCKER)
	$(COMPOSE) images

## compose-up / compose-down: the whole shop on docker compose (signing keys from .env)
compose-up: install
	$(DOCKER)
	$(COMPOSE) up

compose-down: install
	$(COMPOSE) down

## e2e-compose: images, the compose stack, the whole e2e suite against it, then down
e2e-compose: install browser
	$(DOCKER)
	$(COMPOSE) e2e

## test-containers: messaging's and checkout's tests on testcontainers' PostgreSQL and Kafka
test-containers: install
	$(DOCKER)
	$(COMPOSE) test-containers libs/messaging services/checkout

## lint: format check, lint, strict types, and the import contracts between packages
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## contracts-gate: the event compatibility gate against the schemas published at BASE (a
## branch, tag or commit), so editing a committed schema with its model cannot hide a break.
## CI passes the pull request's base. BASE defaults to HEAD, the one revision every clone
## has (HEAD~1 is missing from a single-commit or shallow clone): it gates the uncommitted
## change; on a branch, pass its base: `make contracts-gate BASE=origin/main`.
BASE ?= HEAD
contracts-gate: install
	$(BIN)/python -m shop_contracts compat --against '$(BASE)'

## audit: bandit over our code and pip-audit of constraints.txt; exit 2 (not audited) when
## the vulnerability service cannot be reached, never a silent pass
audit: install
	BIN=$(BIN) infra/audit.sh

## ci-lint-workflows: the forge workflows (actionlint with shellcheck, zizmor offline) and
## the pre-commit configuration; .ci/run calls it after `make lint`
ci-lint-workflows: install
	$(BIN)/actionlint -shellcheck=$(BIN)/shellcheck -pyflakes=
	$(BIN)/zizmor --offline --no-progress .github
	$(BIN)/pre-commit validate-config .pre-commit-config.yaml

## setup-hooks: run the checks of .pre-commit-config.yaml on every `git commit`
setup-hooks: install
	$(BIN)/pre-commit install

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## k8s: regenerate infra/k8s from the stack topology (a test fails while it is stale)
k8s: install
	$(BIN)/python -m shop_k8s

## new-service: a service from infra/templates/service (copier), registered everywhere the
## repository lists services, then installed and the k8s manifests regenerated
## (NAME=gifts PORT=8010 [SUMMARY="what it does"] [LIKE=pricing]; docs/forking.md)
new-service: install
	@test -n "$(NAME)" && test -n "$(PORT)" || { echo "usage: make new-service NAME=gifts PORT=8010"; exit 2; }
	$(BIN)/python -m shop_forking wire --check --name $(NAME) --port $(PORT) $(if $(LIKE),--like $(LIKE))
	$(BIN)/copier copy --quiet --defaults --vcs-ref HEAD -d name=$(NAME) -d port=$(PORT) \
	  $(if $(SUMMARY),-d "description=$(SUMMARY)") . services/$(NAME)
	$(MAKE) tidy-service NAME=$(NAME)
	$(BIN)/python -m shop_forking wire --name $(NAME) --port $(PORT) $(if $(LIKE),--like $(LIKE)) \
	  $(if $(SUMMARY),--summary "$(SUMMARY)")
	$(MAKE) install k8s

## update-service: replay the template's changes since the service was generated (copier
## update, a three-way merge; commit first) (NAME=gifts)
update-service: install
	@test -n "$(NAME)" || { echo "usage: make update-service NAME=gifts"; exit 2; }
	$(BIN)/copier update --defaults --vcs-ref HEAD services/$(NAME)
	$(MAKE) tidy-service NAME=$(NAME)

## tidy-service: the template lists its imports as for a name that sorts before the shared
## shop_* packages; isort (ruff) moves the service's own imports where its name belongs
tidy-service: install
	$(BIN)/ruff check --quiet --fix --select I services/$(NAME)
	$(BIN)/ruff format --quiet services/$(NAME)

## rename: the project's packages, names and wire names, "shop" -> NAME; KEEP_WIRE_NAMES=1
## keeps event types, problem types, databases and metrics (docs/forking.md). New venv.
rename: install
	@test -n "$(NAME)" || { echo "usage: make rename NAME=acme [KEEP_WIRE_NAMES=1]"; exit 2; }
	$(BIN)/python -m shop_forking rename --name $(NAME) $(if $(KEEP_WIRE_NAMES),--keep-wire-names)
	rm -rf $(VENV)
	$(MAKE) install

## constraints: re-pin every third-party version (never records an index URL)
constraints: install
	$(BIN)/uv pip compile requirements-dev.in --python-version 3.11 --no-emit-index-url --no-header -o constraints.txt

clean: down
	rm -rf var $(VENV)
