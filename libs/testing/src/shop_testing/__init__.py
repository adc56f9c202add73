"""Test-only fixtures: embedded PostgreSQL and broker, per-test databases, eventually()."""
