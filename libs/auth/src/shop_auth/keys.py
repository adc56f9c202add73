"""Ed25519 keys: one private key per identity (each service, the operator, the customer
issuer); whoever verifies holds only public keys, so a service that accepts checkout's
tokens cannot forge them.

Keys travel as base64 of the raw 32 bytes (one short line for an env file).
`dev_key(name)` derives a key from the identity's name: anyone can compute it, which is
why settings use it only in the explicit `local` environment.
"""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

PrivateKey = Ed25519PrivateKey
PublicKey = Ed25519PublicKey


class InvalidKey(ValueError):
    """A key that is not base64 of 32 bytes."""


def dev_key(name: str) -> PrivateKey:
    """The well-known development key of an identity (local mode only)."""
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"shop-dev:{name}".encode()).digest()
    )


def new_key() -> PrivateKey:
    return Ed25519PrivateKey.generate()


def _raw(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except binascii.Error as exc:
        raise InvalidKey("a key is base64 of 32 bytes") from exc
    if len(raw) != 32:
        raise InvalidKey("a key is base64 of 32 bytes")
    return raw


def private_key(text: str) -> PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw(text))


def public_key(text: str) -> PublicKey:
    return Ed25519PublicKey.from_public_bytes(_raw(text))


def private_text(key: PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def public_text(key: PrivateKey | PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
