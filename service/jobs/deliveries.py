"""The webhook delivery loop: a thread in every API and worker process sends the deliveries that are due.

Each tick claims what is due in one transaction, sends outside any transaction (on a small thread pool), and
records each attempt's outcome in a transaction of its own; see `service.monitoring.webhooks`.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy.engine import Engine

from service.auth.encryption import SecretBox
from service.monitoring.egress import EgressPolicy
from service.monitoring.webhooks import Claimed, RetryPolicy, claim_due, record_attempt, send
from service.store.db import transaction

log = logging.getLogger(__name__)


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
        with transaction(self._engine) as session:
            claimed = claim_due(session, self._box, self.policy, self._batch)
        list(self._pool.map(self._deliver, claimed))
        return len(claimed)

    def _deliver(self, item: Claimed) -> None:
        code, error = send(self._http, self._egress, item)
        with transaction(self._engine) as session:
            record_attempt(session, self.policy, item, code, error)
