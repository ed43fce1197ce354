"""What a relations source yields: organisations and relations, with counts for the coverage note."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.screening.relations import Org, Relation

GLEIF = "gleif"
OPENSANCTIONS = "opensanctions"
SOURCES = (GLEIF, OPENSANCTIONS)
IDENTIFIED_BY = "flrisk_match"  # the source of a same_as relation found by name matching


@dataclass(frozen=True)
class Loaded:
    source: str
    orgs: list[Org]
    relations: list[Relation]
    counts: dict[str, int] = field(default_factory=dict)  # records read, listed organisations found, ...
    snapshot_date: str | None = None

    def note(self, hops: int) -> str:
        counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in self.counts.items())
        return (f"{len(self.relations):,} relations among {len(self.orgs):,} organisations within {hops} hops of "
                f"listed entities ({counts}).")
