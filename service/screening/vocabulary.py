"""The screening's words, defined once and imported everywhere: verdicts, evidence effects, match bands,
entity types. Storage, API models, the console, reports and the CLI all use these."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, get_args

# The rebuttable-presumption verdict of a screened record, most severe first (DOMAIN.md, issue 4).
Verdict = Literal["presumption", "review", "elevated", "clear"]
VERDICTS: Final[tuple[Verdict, ...]] = get_args(Verdict)
# A verdict that makes a finding: everything but clear.
FindingVerdict = Literal["presumption", "review", "elevated"]
FINDING_VERDICTS: Final[tuple[FindingVerdict, ...]] = get_args(FindingVerdict)
# Least to most severe: how much worse one verdict is than another (monitoring alerts, `--fail-on`); read
# with verdicts as stored and sent (strings).
VERDICT_RANK: Final[Mapping[str, int]] = {"clear": 0, "elevated": 1, "review": 2, "presumption": 3}

# How one evidence item weighs in the verdict, most severe first; informational items never change it.
Effect = Literal["presumption", "review", "elevated", "informational"]
EFFECTS: Final[tuple[Effect, ...]] = get_args(Effect)

# A name match's band: `strong` at or above the strong threshold, `review` at or above the review one.
Band = Literal["strong", "review"]

# What a list entry is; a party in a record or a query is a company or a person (guessed when not given).
EntityType = Literal["company", "person", "organization", "vessel", "unknown"]
PartyType = Literal["company", "person"]
