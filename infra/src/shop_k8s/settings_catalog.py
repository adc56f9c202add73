"""Every service's settings class, read as the environment variables a pod is given.

    for setting in settings_of("checkout", {"host": "0.0.0.0"}):
        print(setting.env, setting.value, setting.secret)   # CHECKOUT_PORT 8000 False

The table below is the one place this package imports services (the import contract allows
exactly these modules): a service added to the stack topology without a row here makes
`settings_class` raise, so the manifests cannot silently miss its configuration.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from checkout.settings import CheckoutSettings
from communications.settings import CommunicationsSettings
from fulfillment.settings import FulfillmentSettings
from inventory.settings import InventorySettings
from payment.settings import PaymentSettings
from pricing.settings import PricingSettings
from pydantic import SecretStr
from reconciliation.settings import ReconciliationSettings
from returns.settings import ReturnsSettings
from shop_servicekit import ServiceSettings

SERVICE_SETTINGS: Mapping[str, type[ServiceSettings]] = {
    "checkout": CheckoutSettings,
    "pricing": PricingSettings,
    "inventory": InventorySettings,
    "payment": PaymentSettings,
    "fulfillment": FulfillmentSettings,
    "communications": CommunicationsSettings,
    "reconciliation": ReconciliationSettings,
    "returns": ReturnsSettings,
}
# Typed `str`, but a managed PostgreSQL's URL carries its password: a Secret, not a ConfigMap.
# The signing key is the service's identity; the trusted keys are public, but each
# deployment has its own, so they are filled in with the secrets, never defaulted.
# The console's operator key is the operator's identity: a Secret too.
SECRET_BY_CONTENT = frozenset(
    {"database_url", "signing_key", "trusted_keys", "console_operator_key"}
)


@dataclass(frozen=True)
class Setting:
    """One environment variable of a service: its name, the value a cluster gives it, and
    whether it belongs in the service's Secret (then `value` is empty: never committed)."""

    env: str
    value: str
    secret: bool


def settings_class(service: str) -> type[ServiceSettings]:
    try:
        return SERVICE_SETTINGS[service]
    except KeyError:
        raise KeyError(
            f"service {service!r} has no settings class in shop_k8s.settings_catalog"
        ) from None


def env_prefix(service: str) -> str:
    return str(settings_class(service).model_config.get("env_prefix", ""))


def calls(service: str, services: Collection[str]) -> list[str]:
    """The services this one calls over HTTP: those it has a `<service>_url` setting for."""
    fields = settings_class(service).model_fields
    return [other for other in services if f"{other}_url" in fields]


def settings_of(service: str, overrides: Mapping[str, str]) -> list[Setting]:
    """Every field of the service's settings class, in declaration order.

    `overrides` maps field names to the value a cluster needs (a Service's URL instead of
    loopback); every other field keeps its default, written out so the ConfigMap shows it.
    """
    cls = settings_class(service)
    prefix = env_prefix(service)
    unknown = set(overrides) - set(cls.model_fields)
    if unknown:
        raise ValueError(f"{service}: overrides of unknown settings {sorted(unknown)}")
    settings = []
    for name, field in cls.model_fields.items():
        if field.is_required():
            raise ValueError(f"{service}: setting {name} has no default to write down")
        env = f"{prefix}{name}".upper()
        if field.annotation is SecretStr or name in SECRET_BY_CONTENT:
            settings.append(Setting(env, "", secret=True))
        elif name in overrides:
            settings.append(Setting(env, overrides[name], secret=False))
        else:
            settings.append(Setting(env, env_value(field.default), secret=False))
    return settings


def env_value(value: object) -> str:
    """A default as pydantic-settings reads it back from the environment."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
