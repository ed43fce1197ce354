"""Secrets the service must read back (webhook signing secrets), encrypted at rest with Fernet.

The key is derived from FLRISK_SECRET_KEY with HKDF, so there is nothing more to configure or back up.
After FLRISK_SECRET_KEY changes, list the earlier values in FLRISK_OLD_SECRET_KEYS: stored secrets stay
readable, and `flrisk secrets rotate` re-encrypts them all under the current key (MultiFernet.rotate).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidToken", "SecretBox", "old_secrets"]
_INFO = b"flrisk stored secrets v1"  # domain separation: this key signs nothing else


def _fernet(secret: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


class SecretBox:
    """Encrypts with the current server secret; decrypts with it or any earlier one."""

    def __init__(self, secret: bytes, old: Sequence[bytes] = ()) -> None:
        self._keys = MultiFernet([_fernet(secret), *(_fernet(o) for o in old)])

    def encrypt(self, text: str) -> str:
        return self._keys.encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        """The plain text; InvalidToken when no configured secret opens it."""
        return self._keys.decrypt(token.encode()).decode()

    def rotate(self, token: str) -> str:
        """The same plain text, encrypted under the current secret."""
        return self._keys.rotate(token.encode()).decode()


def old_secrets(setting: str) -> list[bytes]:
    """FLRISK_OLD_SECRET_KEYS: earlier FLRISK_SECRET_KEY values, comma-separated."""
    return [value.strip().encode() for value in setting.split(",") if value.strip()]
