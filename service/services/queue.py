"""The job backend as the services see it: the inline runner (SQLite) or procrastinate (PostgreSQL), both in
`service.jobs`. Jobs are deferred with the transaction that stores the rows they work on."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from sqlmodel import Session


class JobQueue(Protocol):
    def enqueue(self, batch_id: str, seqs: Sequence[int], *, session: Session | None = None) -> None:
        """One job per chunk; with `session`, part of its transaction (procrastinate: on its connection;
        inline: run once it commits), so a batch is stored with its jobs or not at all."""

    def queue_positions(self, session: Session, batch_ids: Collection[str]) -> dict[str, int]:
        """batch id -> 1 + the chunks served before its next waiting one, for those still waiting."""

    def requeue_stranded(self, session: Session, batch_id: str | None = None) -> int:
        """Queue again the pending chunks (of `batch_id`) that no job will run; how many."""

    def defer_rescreen(self, session: Session, round_id: str, seqs: Sequence[int]) -> None:
        """One re-screen job per chunk of a monitoring round, with the transaction that stores the round."""

    def shutdown(self) -> None: ...
