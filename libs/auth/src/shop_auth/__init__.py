"""Who is calling (docs/adr: the service identity and customer token ADR).

    from shop_auth import BearerAuth, Minter, verify, dev_key

- `Minter`: signs short-lived EdDSA JWTs as one identity; `verify`: checks one.
- `BearerAuth`: an httpx auth that puts the minter's token for an audience on every request.
- `keys`: Ed25519 keys as one base64 line; `dev_key(name)` for the local mode only.
- `ShopAuth`: the shop's own tools' httpx auth: signs each call as the caller its route admits.
- `identities`: the names (services, `operator`, `shop-identity`) and the dev customer issuer.
"""

from shop_auth.client import BearerAuth
from shop_auth.harness import ShopAuth
from shop_auth.identities import (
    CUSTOMER_AUDIENCE,
    CUSTOMER_ISSUER,
    IDENTITIES,
    OPERATOR,
    SERVICES,
    CustomerIssuer,
    client_minter,
    dev_customer_issuer,
)
from shop_auth.keys import (
    PrivateKey,
    PublicKey,
    dev_key,
    new_key,
    private_key,
    private_text,
    public_key,
    public_text,
)
from shop_auth.tokens import Claims, InvalidToken, Minter, verify

__all__ = [
    "CUSTOMER_AUDIENCE",
    "CUSTOMER_ISSUER",
    "IDENTITIES",
    "OPERATOR",
    "SERVICES",
    "BearerAuth",
    "Claims",
    "CustomerIssuer",
    "InvalidToken",
    "Minter",
    "PrivateKey",
    "PublicKey",
    "ShopAuth",
    "client_minter",
    "dev_customer_issuer",
    "dev_key",
    "new_key",
    "private_key",
    "private_text",
    "public_key",
    "public_text",
    "verify",
]
