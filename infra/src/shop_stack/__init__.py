"""The embedded local stack runner (docs/architecture.md, "The embedded stack")."""
