"""Why a name matched (or did not): the features of a score, as typed values.

Built by the scorer (`party_score`), completed with what cleaning did to the query (`query`) and with the
entity's entries on other lists (`matcher`); shown as JSON (`to_dict()`) in match answers and evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LegalForms:
    status: str = "absent"  # absent, agree or conflict (`legal_forms.compare_forms`)
    query: tuple[str, ...] = ()
    candidate: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "query": list(self.query), "candidate": list(self.candidate)}


@dataclass(frozen=True, slots=True)
class NameFeatures:
    """How the two names were compared: the method, the words they share, their legal forms."""

    method: str  # token_set, han, pinyin, initialism, person_name, ...
    token_overlap: tuple[str, ...] = ()
    legal_form: LegalForms = LegalForms()
    syllable_variant: tuple[str, ...] = ()  # the two pinyin spellings that differ, when that capped the score
    missing_qualifier: tuple[str, ...] = ()  # words of the listed name the query lacks (a parent or sister)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "token_overlap": list(self.token_overlap),
                "legal_form": self.legal_form.to_dict(), "syllable_variant": list(self.syllable_variant),
                "missing_qualifier": list(self.missing_qualifier)}


@dataclass(frozen=True, slots=True)
class QueryCleaning:
    """What cleaning showed of the query and set aside."""

    query_script: str  # han, latin or mixed
    query_name: str  # the name as matched and shown
    ignored: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()
    display_reordered: bool = False  # text under a right-to-left override put in display order

    def to_dict(self) -> dict[str, Any]:
        return {"query_script": self.query_script, "query_name": self.query_name, "ignored": list(self.ignored),
                "other_names": list(self.other_names), "display_reordered": self.display_reordered}


@dataclass(frozen=True, slots=True)
class EntryRef:
    source: str
    entry_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class MatchFeatures:
    name: NameFeatures
    name_similarity: float = 0.0
    matched_alias: str = ""
    country: str = "unknown"  # agree, conflict, unknown (`normalize.country_status`)
    address_overlap: tuple[str, ...] = ()
    xinjiang_place: bool = False
    entity_type_conflict: bool = False
    cleaning: QueryCleaning | None = None
    # A match's entity: the entry whose name matched, and the same entity's entries on other lists.
    matched_entry: EntryRef | None = None
    linked_entries: tuple[EntryRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {**self.name.to_dict(), "name_similarity": self.name_similarity, "matched_alias": self.matched_alias,
               "country": self.country, "address_overlap": list(self.address_overlap),
               "xinjiang_place": self.xinjiang_place, "entity_type_conflict": self.entity_type_conflict}
        if self.cleaning is not None:
            out.update(self.cleaning.to_dict())
        if self.matched_entry is not None:
            out["matched_entry"] = {"source": self.matched_entry.source, "entry_id": self.matched_entry.entry_id}
            out["linked_entries"] = [{"source": e.source, "entry_id": e.entry_id, "name": e.name}
                                     for e in self.linked_entries]
        return out
