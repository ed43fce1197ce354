"""Tagging entries of global lists (SDN, CSL, OpenSanctions) that are tied to Xinjiang."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from service.screening.model import ListEntry


def tag_xinjiang(entries: Iterable[ListEntry], mentions_xinjiang: Callable[[str], bool]) -> list[ListEntry]:
    """Set `xinjiang_linked` where the program, an address, the city, the remarks or a name mention a
    Xinjiang place; entries already linked stay linked, nothing is ever un-tagged."""
    return [e if e.xinjiang_linked or not _mentions(e, mentions_xinjiang)
            else dataclasses.replace(e, xinjiang_linked=True) for e in entries]


def _mentions(entry: ListEntry, mentions_xinjiang: Callable[[str], bool]) -> bool:
    texts = (entry.program, entry.city, entry.remarks, *entry.addresses, *entry.all_names)
    return any(mentions_xinjiang(t) for t in texts if t)
