"""The operator console at /console: server-rendered pages over reconciliation's own use
cases and the other services' operator APIs (docs/adr/0014-storefront-and-operator-console.md)."""

from reconciliation.entrypoints.console.access import ConsoleAccess, LoginRequired, to_login
from reconciliation.entrypoints.console.routes import ConsoleParts, console_router

__all__ = ["ConsoleAccess", "ConsoleParts", "LoginRequired", "console_router", "to_login"]
