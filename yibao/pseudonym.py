"""Keyed pseudonyms (PIPL): person_key = HMAC-SHA256(secret, canonical ID number), its first
128 bits as 32 hex characters (RFC 4868's HMAC-SHA-256-128).

The secret comes from ``YIBAO_PSEUDONYM_SECRET``. Without it a documented development secret is
used, and every run says so loudly: keys made with it can be recomputed by anyone who has the
source, so they must never leave a development machine.

dbt computes the same HMAC in SQL (macro ``person_key``, RFC 2104 from sha256), because the
canonical ID is only known after linkage. SQL engines have no HMAC, and XOR on a key is awkward
in SQL, so the two padded keys are computed here and handed to dbt as environment variables
(not command-line arguments, which other users of the machine could read).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import warnings

SECRET_ENV = "YIBAO_PSEUDONYM_SECRET"
DEVELOPMENT_SECRET = "yibao-development-secret-not-for-production"
IPAD_ENV = "YIBAO_PSEUDONYM_IPAD_HEX"
OPAD_ENV = "YIBAO_PSEUDONYM_OPAD_HEX"
BLOCK = 64  # SHA-256 block size in bytes
#: hex characters kept of the digest: 128 bits, collision-free at any province's scale, and half
#: the warehouse bytes of the full 256
KEY_HEX_LENGTH = 32


class DevelopmentSecretWarning(UserWarning):
    """The pseudonym secret is the public development default."""


def secret() -> bytes:
    value = os.environ.get(SECRET_ENV)
    if not value:
        warnings.warn(
            f"{SECRET_ENV} is not set: person keys use the public development secret. "
            "Never publish a warehouse built like this.",
            DevelopmentSecretWarning,
            stacklevel=2,
        )
        value = DEVELOPMENT_SECRET
    return value.encode("utf-8")


def development_secret_banner() -> str | None:
    """A loud warning for the operator when the public development secret is in use."""
    if os.environ.get(SECRET_ENV):
        return None
    line = "!" * 78
    return "\n".join([
        line,
        f"!! {SECRET_ENV} is not set: person keys use the PUBLIC development secret.",
        "!! Anyone can recompute them from an ID number. Fine for synthetic data; never",
        "!! run production data or publish a warehouse built like this.",
        line,
    ])  # fmt: skip


def padded_keys(key: bytes) -> tuple[str, str]:
    """RFC 2104's K XOR ipad and K XOR opad, as hex, for a key of any length."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    ipad = bytes(b ^ 0x36 for b in key)
    opad = bytes(b ^ 0x5C for b in key)
    return ipad.hex(), opad.hex()


def export_for_dbt() -> None:
    """Put the padded keys where the dbt macro reads them."""
    ipad, opad = padded_keys(secret())
    os.environ[IPAD_ENV] = ipad
    os.environ[OPAD_ENV] = opad


def person_key(id_number: str, key: bytes | None = None) -> str:
    """The reference implementation, for tests and for looking up one person's key."""
    return hmac.new(
        key if key is not None else secret(), id_number.encode("utf-8"), hashlib.sha256
    ).hexdigest()[:KEY_HEX_LENGTH]
