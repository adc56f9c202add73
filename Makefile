# One entry point for people and CI. Everything runs from the repo's own .venv, which
# `make` creates from constraints.txt on first use: a fresh clone needs only python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STACK  := $(BIN)/python -m shop_stack

PYPROJECTS := $(wildcard libs/*/pyproject.toml services/*/pyproject.toml infra/pyproject.toml e2e/pyproject.toml chaos/pyproject.toml)
EDITABLES  := $(patsubst %/pyproject.toml,-e %,$(PYPROJECTS))
# The machine's own PostgreSQL, used by `make test-external-db` (CI runs it when one answers).
EXTERNAL_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: install demo up down status test e2e chaos test-external-db lint fmt constraints clean

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
	@echo "The stack keeps running. Explore it, then stop it with: make down"

## up / down / status: the embedded stack (var/log/<process>.log, var/run/<process>.pid)
up: install
	$(STACK) up

down:
	@test -x $(BIN)/python && $(STACK) down || true

status: install
	$(STACK) status

## test: every unit, service and integration test, against embedded PostgreSQL and broker
test: install
	$(BIN)/pytest

## e2e: the black-box suite against a stack it starts itself (or E2E_*_URL deployments)
e2e: install
	$(BIN)/pytest e2e

## chaos: a seeded randomized fault run on its own embedded stack (free ports), then the
## checker's report; SEED= replays a run's schedule, CHECKOUTS= sizes it (exit 1: anomalies)
CHECKOUTS ?= 500
chaos: install
	$(BIN)/python -m shop_chaos --checkouts $(CHECKOUTS) $(if $(SEED),--seed $(SEED))

## test-external-db: the database-backed tests again, against an external PostgreSQL
test-external-db: install
	SHOP_TEST_DATABASE_URL=$(EXTERNAL_DATABASE_URL) $(BIN)/pytest libs services

## lint: format check, lint, strict types, and the import contracts between packages
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## constraints: re-pin every third-party version (never records an index URL)
constraints: install
	$(BIN)/uv pip compile requirements-dev.in --python-version 3.11 --no-emit-index-url --no-header -o constraints.txt

clean: down
	rm -rf var $(VENV)
