"""Signed webhook deliveries: queued in the database with the event, sent by a loop thread in every process.

Signature header: `X-Flrisk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>`, with
`X-Flrisk-Event` and `X-Flrisk-Delivery` (see docs/webhooks.md). A delivery is claimed under a row lock
(`FOR UPDATE SKIP LOCKED` on PostgreSQL) plus a compare-and-set on its attempt count, and leased for the
send timeout, so two processes never send the same attempt; failures are retried with exponential backoff
for a bounded number of attempts and time, and every attempt's outcome is recorded on the row.

Before every attempt the receiver's host is resolved and checked again (`egress`: public addresses only, plus
the operator's allowed networks) and the request goes to the checked address; redirects are never followed.
What a tenant sees of a failure is generic (`FAILURE_*`): whether a port was closed, reset or silent is
logged for the operator only, so the deliveries list cannot serve to scan networks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from service.auth.encryption import SecretBox
from service.monitoring.egress import EgressPolicy, EgressRefusedError
from service.monitoring.webhook_secrets import signing_secret
from service.observability.logging import redact
from service.store import monitor_repo
from service.store.monitor_tables import WebhookDeliveryRow, WebhookRow
from service.store.tables import as_utc, utcnow

log = logging.getLogger(__name__)
EVENTS = ("alert.created",)
SIGNATURE_HEADER = "X-Flrisk-Signature"
FAILURE_NO_RESPONSE = "no HTTP response from the receiver"
FAILURE_REFUSED = "not sent: the receiver's address is not allowed"
FAILURE_SECRET = "not sent: the signing secret cannot be decrypted (operator: see the server log)"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6  # 1 + 5 retries: 1, 2, 4, 8, 16 s apart
    base_seconds: float = 1.0
    cap_seconds: float = 300.0
    max_age_seconds: float = 600.0  # no attempt later than 10 minutes after the event
    timeout_seconds: float = 5.0

    def delay(self, attempts: int) -> float:
        return float(min(self.base_seconds * 2 ** (attempts - 1), self.cap_seconds))


def sign(secret: str, timestamp: int, body: str) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def signature_header(secret: str, body: str, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={sign(secret, t, body)}"


def verify(secret: str, header: str, body: str, *, tolerance_seconds: int = 300, now: float | None = None) -> bool:
    """What a receiver does: recompute the HMAC, compare in constant time, refuse old timestamps (replays)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, t, body), parts.get("v1", ""))


def enqueue_event(session: Session, org_id: str, event: str, data: dict[str, Any]) -> list[WebhookDeliveryRow]:
    """One pending delivery per webhook of the organisation subscribed to the event, in the caller's transaction."""
    rows = []
    for hook in monitor_repo.subscribers(session, org_id, event):
        delivery_id = str(uuid.uuid4())
        body = json.dumps({"id": delivery_id, "event": event, "created_at": utcnow().isoformat(), "data": data},
                          ensure_ascii=False, separators=(",", ":"))
        rows.append(WebhookDeliveryRow(id=delivery_id, webhook_id=hook.id, org_id=org_id, event=event, body=body,
                                       status="pending"))
    session.add_all(rows)
    return rows


@dataclass(frozen=True)
class _Claimed:
    id: str
    attempts: int
    url: str | None  # None: the webhook was deleted
    secret: str | None  # None: stored encrypted under a server secret no longer configured
    event: str
    body: str
    created_at: datetime


class DeliveryLoop:
    """Sends due deliveries every `poll_seconds`; start one per API or worker process."""

    def __init__(self, engine: Engine, *, box: SecretBox, egress: EgressPolicy, policy: RetryPolicy | None = None,
                 poll_seconds: float = 1.0, batch: int = 20, senders: int = 4) -> None:
        self._engine = engine
        self._box, self._egress = box, egress
        self.policy = policy or RetryPolicy()
        self._poll = poll_seconds
        self._batch = batch
        self._pool = ThreadPoolExecutor(max_workers=senders, thread_name_prefix="webhook")
        self._http = httpx.Client(timeout=self.policy.timeout_seconds, follow_redirects=False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="webhook-deliveries", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.policy.timeout_seconds + 5)
            self._thread = None
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.run_once()
            except Exception:  # a database hiccup must not kill the loop; the next tick retries
                log.exception("webhook delivery tick failed")
                sent = 0
            if not sent:
                self._stop.wait(self._poll)

    def run_once(self) -> int:
        """Claim and send what is due now; the number of attempts made."""
        claimed = self._claim()
        list(self._pool.map(self._deliver, claimed))
        return len(claimed)

    def _claim(self) -> list[_Claimed]:
        now = utcnow()
        lease = now + timedelta(seconds=self.policy.timeout_seconds + 30)  # a crashed sender's attempt is retried
        out = []
        with Session(self._engine, expire_on_commit=False) as session:
            for row in monitor_repo.due_deliveries(session, now, self._batch):
                attempt = row.attempts + 1
                won = session.execute(update(WebhookDeliveryRow).where(
                    col(WebhookDeliveryRow.id) == row.id, col(WebhookDeliveryRow.attempts) == row.attempts,
                    col(WebhookDeliveryRow.status) == "pending",
                ).values(attempts=attempt, last_attempt_at=now, next_attempt_at=lease),
                    execution_options={"synchronize_session": False})
                if won.rowcount != 1:  # type: ignore[attr-defined]
                    continue
                hook = session.get(WebhookRow, row.webhook_id)
                live = hook is not None and hook.deleted_at is None
                out.append(_Claimed(row.id, attempt, hook.url if live and hook else None,
                                    signing_secret(hook, self._box) if live and hook else "", row.event, row.body,
                                    as_utc(row.created_at)))
            session.commit()
        return out

    def _deliver(self, item: _Claimed) -> None:
        code, error = None, None
        if item.url is None:
            error = "webhook deleted"
        elif item.secret is None:
            error = FAILURE_SECRET
        else:
            code, error = self._send(item, item.url, item.secret)
        self._record(item, code, error)

    def _send(self, item: _Claimed, url: str, secret: str) -> tuple[int | None, str | None]:
        try:
            target = self._egress.check(url)
        except EgressRefusedError:
            log.warning("webhook delivery %s refused: %s resolves to an address not allowed", item.id, redact(url))
            return None, FAILURE_REFUSED
        headers = {"content-type": "application/json", "user-agent": "flrisk-webhooks", "host": target.host,
                   SIGNATURE_HEADER: signature_header(secret, item.body),
                   "X-Flrisk-Event": item.event, "X-Flrisk-Delivery": item.id}
        extensions = {"sni_hostname": target.sni} if target.sni else {}
        try:
            code = self._http.post(target.url, content=item.body.encode(), headers=headers,
                                   extensions=extensions).status_code
        except httpx.HTTPError as exc:
            log.info("webhook delivery %s to %s: %s", item.id, redact(url), type(exc).__name__)
            return None, FAILURE_NO_RESPONSE
        if 300 <= code < 400:
            return code, f"HTTP {code} (redirects are not followed)"
        return code, None if 200 <= code < 300 else f"HTTP {code}"

    def _record(self, item: _Claimed, code: int | None, error: str | None) -> None:
        now = utcnow()
        values: dict[str, Any] = {"last_status_code": code, "last_error": error}
        delay = self.policy.delay(item.attempts)
        too_late = (now + timedelta(seconds=delay) - item.created_at).total_seconds() > self.policy.max_age_seconds
        if error is None:
            values.update(status="succeeded", finished_at=now)
        elif item.url is None or item.attempts >= self.policy.max_attempts or too_late:
            values.update(status="failed", finished_at=now)
        else:
            values.update(next_attempt_at=now + timedelta(seconds=delay))
        with Session(self._engine) as session:
            session.execute(update(WebhookDeliveryRow).where(col(WebhookDeliveryRow.id) == item.id).values(**values))
            session.commit()
        if error:
            log.info("webhook delivery %s attempt %d: %s", item.id, item.attempts, error)


