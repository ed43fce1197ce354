"""Who is calling: the verified API key, its organisation and scopes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    key_id: str
    org_id: str
    scopes: frozenset[str]
    name: str

    @property
    def actor(self) -> str:
        return f"key:{self.key_id}"
