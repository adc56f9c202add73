# One plugin for the whole monorepo: session-wide embedded PostgreSQL and broker fixtures.
pytest_plugins = ["shop_testing.fixtures"]
