"""`flrisk check FILE`: screen a supplier or shipment file in a CI pipeline and exit by what was found.

Exit codes: 0 nothing at or above `--fail-on`, 1 hits found, 2 usage or input error (bad file, mapping,
encoding; a key or request the server refused), 3 server unreachable (connection error, timeout, or 5xx
after retries), 4 internal error. Only the report goes to stdout.
"""

from __future__ import annotations

EXIT_OK, EXIT_HITS, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_INTERNAL = 0, 1, 2, 3, 4


class CheckError(Exception):
    """A failure the command reports in one line and maps to an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(CheckError):
    """The file, mapping or encoding cannot be screened (exit 2)."""


class ServerRefused(CheckError):
    """The server answered 4xx: bad key, wrong URL, request refused (exit 2)."""


class ServerUnreachable(CheckError):
    """No answer, a timeout, or 5xx after retries (exit 3): retry the pipeline, it is not a finding."""

    exit_code = EXIT_UNREACHABLE
