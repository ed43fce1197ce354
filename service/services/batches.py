"""Batch uploads: validate the whole file before queueing, store it, split it into chunks, queue them."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from service.batches.errors import UploadError
from service.batches.mapping import Mapping, auto_mapping, parse_mapping, upload_rows, validate
from service.batches.problems import UploadProblems
from service.batches.reading import Table, read_table
from service.batches.writing import ListsNote, ResultRow, csv_stream, json_stream, xlsx_bytes_stream
from service.errors import FieldProblem, UnprocessableError
from service.screening.verdict import CLEAR_SUMMARY
from service.services.batch_rows import screening_id, view
from service.services.queue import JobQueue
from service.store import auth_repo, batches_repo, screenings_repo
from service.store.tables import BatchChunkRow, BatchRow, IdempotencyRow

ENDPOINT = "batches"
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str | None
    mapping_json: str | None
    encoding: str | None
    idempotency_key: str | None
    org_id: str = "default"
    actor: str = "cli"


@dataclass(frozen=True)
class Created:
    batch: BatchRow
    replayed: bool


def upload_problem(exc: UploadError) -> UnprocessableError:
    """The problem+json of a refused upload: for bad rows, one `errors` item per problem (up to
    `problems.MAX_LISTED`) with its spreadsheet row, column header and value."""
    if isinstance(exc, UploadProblems):
        listed = f" (the first {len(exc.problems):,} are listed)" if exc.total > len(exc.problems) else ""
        detail = f"{exc.total:,} problem{'s' if exc.total > 1 else ''} in the file's rows{listed}: " + "; ".join(
            f"row {p.row}, column {p.column!r}: {p.message}" for p in exc.problems[:3]) + \
            ("; ..." if exc.total > 3 else "")
        return UnprocessableError(detail, errors=[
            FieldProblem(source="file", pointer=f"/{p.row}/{p.column}", detail=p.message, row=p.row,
                         column=p.column, value=p.value) for p in exc.problems])
    where = []
    if exc.row is not None and f"row {exc.row}" not in exc.message:
        where.append(f"row {exc.row}")
    if exc.column is not None and exc.column not in exc.message:
        where.append(f"column {exc.column!r}")
    detail = f"{exc.message} ({', '.join(where)})" if where else exc.message
    pointer = "/" + "/".join(str(p) for p in (exc.row, exc.column) if p is not None)
    return UnprocessableError(detail, errors=[FieldProblem(source=exc.field, pointer=pointer, detail=exc.message)])


def create_batch(session: Session, upload: Upload, queue: JobQueue, *, chunk_rows: int) -> Created:
    """Refuse bad files with row and column before anything is stored; then store the batch and queue its
    chunks in the caller's transaction: a batch is stored with its jobs or not at all (a failure is a 500
    with nothing stored, and a retry with the same Idempotency-Key starts afresh)."""
    request_hash = _hash(upload)
    endpoint = f"{upload.org_id}:{ENDPOINT}"  # keys are per organisation
    if upload.idempotency_key:
        replay = _replay(session, upload, endpoint, request_hash, queue)
        if replay is not None:
            return Created(replay, replayed=True)
    try:
        table = read_table(upload.data, filename=upload.filename, encoding=upload.encoding)
        mapping = parse_mapping(upload.mapping_json, table.headers) if upload.mapping_json else \
            auto_mapping(table.headers)
        validate(table, mapping)
    except UploadError as exc:
        raise upload_problem(exc) from exc
    batch, chunks = _build(upload, table, mapping, chunk_rows)
    if upload.idempotency_key and not screenings_repo.claim_key(session, IdempotencyRow(
            key=upload.idempotency_key, endpoint=endpoint, request_hash=request_hash, resource_ids=[batch.id])):
        # A concurrent upload with the same key won the race: answer with its batch.
        replay = _replay(session, upload, endpoint, request_hash, queue)
        assert replay is not None
        return Created(replay, replayed=True)
    batches_repo.add(session, batch, upload.data, chunks)
    auth_repo.add_event(session, org_id=upload.org_id, actor=upload.actor, type="batch.created", subject=batch.id,
                        request_hash=request_hash, details={"filename": upload.filename, "rows": batch.rows_total,
                                                            "mapping": batch.mapping})
    queue.enqueue(batch.id, [c.seq for c in chunks], session=session)
    return Created(batch, replayed=False)


def _build(upload: Upload, table: Table, mapping: Mapping, chunk_rows: int) -> tuple[BatchRow, list[BatchChunkRow]]:
    rows = upload_rows(table, mapping)
    batch_id = str(uuid.uuid4())
    chunks = [
        BatchChunkRow(batch_id=batch_id, seq=seq, status="pending",
                      rows=[{"i": r.index, "n": r.row_number, "v": r.values} for r in rows[start:start + chunk_rows]])
        for seq, start in enumerate(range(0, len(rows), chunk_rows))
    ]
    batch = BatchRow(
        id=batch_id, org_id=upload.org_id, status="queued", filename=upload.filename, format=table.format,
        encoding=table.encoding, mapping=mapping.columns, mapping_source=mapping.source, headers=table.headers,
        rows_total=len(rows), chunks_total=len(chunks), file_sha256=hashlib.sha256(upload.data).hexdigest(),
        file_size=len(upload.data),
    )
    return batch, chunks


def _replay(session: Session, upload: Upload, endpoint: str, request_hash: str, queue: JobQueue) -> BatchRow | None:
    """The batch stored under the upload's key; any of its pending chunks without a job (stored by an earlier
    version, or whose job was lost) is queued again, so a replay never answers with a batch that cannot finish."""
    key = upload.idempotency_key
    assert key is not None
    seen = screenings_repo.find_key(session, key, endpoint)
    if seen is None:
        return None
    if seen.request_hash != request_hash:
        raise UnprocessableError(f"Idempotency-Key {key!r} was already used with a different upload")
    batch = batches_repo.get(session, upload.org_id, seen.resource_ids[0])
    assert batch is not None
    if batch.status in ("queued", "running"):
        queue.requeue_stranded(session, batch.id)
    return batch


def _hash(upload: Upload) -> str:
    digest = hashlib.sha256(upload.data)
    digest.update(f"\x00{upload.mapping_json or ''}\x00{upload.encoding or ''}".encode())
    return digest.hexdigest()


def queue_positions(jobs: JobQueue, session: Session, batches: Sequence[BatchRow]) -> dict[str, int]:
    """Queue positions of the unfinished ones among `batches`, from the process's job queue."""
    waiting = [b.id for b in batches if b.status in ("queued", "running")]
    return jobs.queue_positions(session, waiting) if waiting else {}


def results_file(session: Session, batch: BatchRow, format: str, verdicts: set[str] | None) -> Iterator[bytes]:
    """The results download: the original columns and headers plus the result columns, chunk by chunk."""
    writer = {"csv": csv_stream, "json": json_stream, "xlsx": xlsx_bytes_stream}[format]
    yield from writer(batch.headers, result_rows(session, batch.id, verdicts), ListsNote.of(batch.lists_used))


def results_filename(batch: BatchRow, format: str) -> str:
    stem = (batch.filename or "batch").rsplit(".", 1)[0]
    return f"{_ascii(stem)}-flrisk.{format}"


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in text) or "batch"


def result_rows(session: Session, batch_id: str, verdicts: set[str] | None) -> Iterator[ResultRow]:
    """Every input row with its result, in file order, chunk by chunk; a row with analyst decisions in force
    shows its verdict after them (the chunk keeps the one as screened)."""
    decided = {f.row_index: view(f) for f in batches_repo.decided_findings(session, batch_id)}
    for chunk in batches_repo.iter_chunks(session, batch_id):
        results = {r["i"]: r for r in chunk.results or []}
        for row in chunk.rows:
            r = results.get(row["i"])
            now = decided.get(row["i"])
            verdict = now.verdict if now else r["verdict"] if r else None
            if r is None or (verdicts and verdict not in verdicts):
                continue
            yield ResultRow(values=row["v"], verdict=now.verdict if now else r["verdict"],
                            risk_score=now.risk_score if now else r["risk_score"],
                            top_match_source=r["top_match_source"], top_match_entry=r["top_match_entry"],
                            top_match_name=r["top_match_name"], top_match_score=r["top_match_score"],
                            xinjiang_place=r["xinjiang_place"], sector=r["sector"],
                            screening_id=screening_id(batch_id, row["n"]), warnings=tuple(r.get("warnings") or ()),
                            row=row["n"], reason=now.reason if now else r.get("reason") or CLEAR_SUMMARY,
                            original_verdict=r["verdict"], original_risk_score=r["risk_score"],
                            decision_ids=tuple(now.decision_ids) if now else ())
