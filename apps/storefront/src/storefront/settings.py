"""The storefront's one settings class: where the public API is, and who signs customers in."""

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StorefrontSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STOREFRONT_")

    environment: str = "local"
    host: str = "127.0.0.1"
    port: int = 8080
    # The public API: the same URLs a customer's own client would use.
    checkout_url: str = "http://127.0.0.1:8000"
    pricing_url: str = "http://127.0.0.1:8001"
    inventory_url: str = "http://127.0.0.1:8002"
    communications_url: str = "http://127.0.0.1:8005"
    # The customer issuer's key (the dev stand-in for an identity provider). Unset in
    # `local`: the well-known development key, so a demo customer can sign in.
    identity_key: SecretStr | None = None
    currency: str = "EUR"
    request_timeout_seconds: float = 10.0
    # Sessions live in this process: a restart signs everyone out and empties the carts.
    session_hours: int = 8

    @model_validator(mode="after")
    def _key_outside_local(self) -> "StorefrontSettings":
        if self.environment != "local" and self.identity_key is None:
            raise ValueError("STOREFRONT_IDENTITY_KEY is required outside ENVIRONMENT=local")
        return self
