"""`server`: a real `flrisk serve` on SQLite (module-scoped), shared with the `flrisk check` tests."""

from tests.check.test_check_cli import server  # noqa: F401 - re-exported as a fixture
