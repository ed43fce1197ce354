"""The documents an importer needs to rebut the UFLPA presumption or pass an applicability review.

Items come from `fixtures/sectors/rebuttal_checklist.json`, a structured copy of
`rebuttal_checklist.md` that keeps each line's [Sxx] source keys (SOURCES.md). An item applies to
"all" goods or to listed sector ids, and may be tied to triggers: it is then included only when one
of its triggers is present (e.g. the exception route only when there is an Entity List or Xinjiang
nexus; the applicability-review route only when there is none).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

# What the verdict engine can report; "none" stands for "no UFLPA nexus found".
KNOWN_TRIGGERS = frozenset({"entity_list", "xinjiang_location", "wro", "china_origin", "detention", "none"})


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    category: str
    applies_to: Literal["all"] | tuple[str, ...]
    source_keys: tuple[str, ...]
    triggers: tuple[str, ...] = ()  # empty: always applies

    def applies(self, sector_ids: Collection[str], triggers: Collection[str]) -> bool:
        in_scope = self.applies_to == "all" or bool(set(self.applies_to) & set(sector_ids))
        return in_scope and (not self.triggers or bool(set(self.triggers) & set(triggers)))


class Checklist:
    def __init__(self, items: Iterable[ChecklistItem]) -> None:
        self.items = tuple(items)

    def rebuttal_checklist(self, sector_ids: Collection[str], *, triggers: Collection[str] = ()) -> list[
            ChecklistItem]:
        """General items, then sector items for `sector_ids`, filtered by `triggers` (see KNOWN_TRIGGERS).

        With no UFLPA trigger ("entity_list", "xinjiang_location") the applicability-review route is
        given; with one, the exception route. Unknown triggers raise ValueError so a typo is not silent.
        """
        unknown = set(triggers) - KNOWN_TRIGGERS
        if unknown:
            raise ValueError(f"unknown checklist triggers: {sorted(unknown)}; known: {sorted(KNOWN_TRIGGERS)}")
        effective = set(triggers)
        if not effective & {"entity_list", "xinjiang_location"}:
            effective.add("none")
        chosen = [item for item in self.items if item.applies(sector_ids, effective)]
        return sorted(chosen, key=lambda item: item.applies_to != "all")
