"""Runtime settings, read from FLRISK_* environment variables."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DEFAULT_DB = Path.home() / ".local" / "share" / "flrisk" / "flrisk.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLRISK_", extra="ignore")

    # SQLite file under the user's data dir, so `flrisk serve` works from any directory with no setup.
    database_url: str = Field(default=f"sqlite:///{_DEFAULT_DB}")
    # HMAC key for API-key hashes. Required on PostgreSQL (shared by all replicas); the embedded SQLite
    # default generates one in a 0600 file beside the database.
    secret_key: str | None = None
    # Earlier FLRISK_SECRET_KEY values, comma-separated: stored webhook secrets encrypted under them stay
    # readable until `flrisk secrets rotate` re-encrypts them under the current key.
    old_secret_keys: str = ""
    # INFO shows startup, list loads and version switches without per-request noise.
    log_level: str = "INFO"
    # `flrisk serve --workers N` builds the list index once and forks the workers, which share it copy-on-write
    # (service/prefork.py); off: uvicorn's own workers, each a fresh interpreter with its own index.
    prefork: bool = True
    # Load the shipped snapshot when a source has no active version, so a fresh install screens at once.
    load_snapshot_on_start: bool = True
    # A source not checked against its upstream for a week is stale (OFAC publishes several times a month,
    # DHS adds UFLPA entities in rounds); a sources file can set another age per source (max_age_days).
    stale_after_days: int = Field(default=7, gt=0)
    # The sources file for `flrisk lists sync` (TOML, service/lists/sources.py): mirrors and air-gapped installs.
    # Unset: the built-in official publication URLs.
    sources_file: Path | None = None
    # When workers sync every configured source (cron, UTC; procrastinate periodic task): daily at an odd minute so
    # installs do not all hit the publishers at once. "off" disables it.
    sync_cron: str = "17 4 * * *"
    # How often each process checks for a newly activated list version; a cheap single-row query.
    list_poll_seconds: float = Field(default=2.0, gt=0)
    # An update shrinking a source by more than this is refused without --allow-shrink: a truncated
    # upstream download must not silently drop thousands of entries.
    max_shrink_ratio: float = Field(default=0.20, ge=0, le=1)
    # Where batch chunks run: "auto" = procrastinate workers on PostgreSQL, in-process threads on SQLite.
    jobs_backend: Literal["auto", "inline", "procrastinate"] = "auto"
    # Vendor masters of 500,000 rows stay well under this; larger uploads are refused before reading.
    max_upload_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    # Rows screened per transaction: small enough to lose little when a worker dies, large enough to amortise.
    batch_chunk_rows: int = Field(default=500, ge=1, le=50_000)
    # One JSON object per line for log shippers; false gives readable plain text for local work.
    log_json: bool = True
    # JSON bodies: a 1,000-record screenings:batch is about 2 MB; uploads have their own limit (max_upload_bytes).
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    # Off in the embedded default: a single-user install needs no limit.
    rate_limit_enabled: bool = False
    # Generous: stops a runaway client loop, never normal ERP traffic. Applies per process.
    rate_limit_per_second: float = Field(default=1000.0, gt=0)
    # Lets a client send a burst of parallel calls after being idle.
    rate_limit_burst: int = Field(default=2000, ge=1)
    # Requests with a missing or wrong key, per client address: a misconfigured client gets a clear 401 a few
    # dozen times, then 429s; a key guesser gets one try a second. Never charged to the key it claims.
    rate_limit_failed_auth_per_second: float = Field(default=1.0, gt=0)
    rate_limit_failed_auth_burst: int = Field(default=30, ge=1)
    # Bearer token of the operator's Prometheus scraper. Metrics add up every organisation's traffic, so no
    # tenant's API key opens them; unset, /metrics answers 403.
    metrics_token: str | None = None
    # Webhook receivers in these networks (CIDRs, comma-separated, e.g. "10.20.0.0/16") are allowed although not
    # public: on-premises receivers. Empty: only public addresses, checked at registration and at every send.
    webhook_allowed_networks: str = ""
    # Webhooks per organisation: each one is a delivery per event, sent by this service.
    max_webhooks_per_org: int = Field(default=10, ge=1)
    # Relations kept around each listed entity (GLEIF, OpenSanctions) and walked when screening: 2 reaches a
    # subsidiary's subsidiary, a parent, and a sister company; each further hop multiplies what is kept.
    relations_max_hops: int = Field(default=2, ge=1, le=5)
    # Matching thresholds; None means the matcher's evaluated defaults.
    match_strong: float | None = Field(default=None, ge=0, le=1)
    match_review: float | None = Field(default=None, ge=0, le=1)


    @field_validator("sync_cron")
    @classmethod
    def _cron_or_off(cls, value: str) -> str:
        # Checked here so a typo stops `flrisk worker` at start-up instead of failing inside procrastinate.
        from croniter import croniter  # procrastinate's own cron parser

        if value.strip().lower() != "off" and not croniter.is_valid(value):
            raise ValueError(f"not a cron expression (five fields, UTC) or 'off': {value!r}")
        return value


@cache
def get_settings() -> Settings:
    return Settings()
