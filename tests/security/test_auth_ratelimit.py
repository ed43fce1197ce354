"""Issue 17, item 6: rate limits are charged to the verified key, failures to the client's address.

Before: the limiter keyed on the Bearer value while authentication preferred `X-API-Key`, so a valid
`X-API-Key` with a random Bearer was never limited; and a key's public prefix was enough to lock it out.
"""

from __future__ import annotations

import secrets

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import TEST_SECRET, add_key

BURST = 3


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, jobs_backend="inline",
                    rate_limit_enabled=True, rate_limit_per_second=0.01, rate_limit_burst=BURST,
                    rate_limit_failed_auth_per_second=0.01, rate_limit_failed_auth_burst=BURST)


def _from(client: TestClient, address: str) -> TestClient:
    """Another client of the same running app, connecting from `address`."""
    return TestClient(client.app, client=(address, 40000))


def _statuses(client: TestClient, count: int, **headers: str) -> list[int]:
    return [client.get("/v1/lists", headers=headers).status_code for _ in range(count)]


class TestVerifiedKeyIsCharged:
    def test_random_bearer_next_to_a_valid_x_api_key_gets_no_free_pass(self, anonymous_client: TestClient) -> None:
        key = add_key(anonymous_client)

        mixed = [anonymous_client.get("/v1/lists", headers={"X-API-Key": key,
                                                             "Authorization": f"Bearer {secrets.token_hex(8)}"})
                 for _ in range(2)]
        statuses = _statuses(anonymous_client, BURST + 1, **{"X-API-Key": key})

        assert [r.status_code for r in mixed] == [401, 401]
        assert mixed[0].json()["detail"].startswith("two different API keys sent")
        assert statuses == [200] * BURST + [429]

    def test_the_same_key_in_either_header_shares_one_allowance(self, anonymous_client: TestClient) -> None:
        key = add_key(anonymous_client)

        statuses = [anonymous_client.get("/v1/lists", headers=h).status_code
                    for h in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"},
                              {"X-API-Key": key, "Authorization": f"Bearer {key}"}, {"Authorization": f"Bearer {key}"})]

        assert statuses == [200] * BURST + [429]


class TestFailuresChargedToTheAddress:
    def test_guessing_with_a_victims_prefix_never_locks_the_victim_out(self, anonymous_client: TestClient) -> None:
        victim_key = add_key(anonymous_client)
        prefix = victim_key.split("_")[1]
        attacker, victim = _from(anonymous_client, "198.51.100.7"), _from(anonymous_client, "203.0.113.9")

        attacks = [attacker.get("/v1/lists", headers={"X-API-Key": f"flr_{prefix}_{secrets.token_urlsafe(32)}"})
                   for _ in range(BURST + 2)]

        assert [r.status_code for r in attacks] == [401] * BURST + [429, 429]
        assert attacks[-1].headers["Retry-After"] == "100"
        assert _statuses(victim, BURST, **{"X-API-Key": victim_key}) == [200] * BURST

    def test_missing_keys_count_as_failures(self, anonymous_client: TestClient) -> None:
        client = _from(anonymous_client, "198.51.100.8")

        assert _statuses(client, BURST + 1) == [401] * BURST + [429]

    def test_an_exhausted_address_gets_no_key_lookups(self, anonymous_client: TestClient) -> None:
        key = add_key(anonymous_client)
        client = _from(anonymous_client, "198.51.100.9")
        _statuses(client, BURST, **{"X-API-Key": "flr_abcdefghij_wrong"})

        assert _statuses(client, 1, **{"X-API-Key": key}) == [429]
        assert _statuses(_from(anonymous_client, "198.51.100.10"), 1, **{"X-API-Key": key}) == [200]

    def test_console_login_failures_are_limited_too(self, anonymous_client: TestClient) -> None:
        client = _from(anonymous_client, "198.51.100.11")

        statuses = [client.post("/ui/login", data={"api_key": "flr_abcdefghij_wrong"}).status_code
                    for _ in range(BURST + 1)]

        assert statuses == [401] * BURST + [429]
