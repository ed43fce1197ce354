"""The service's contract: request and response models, and the caller (`Principal`).

Shared by the HTTP API, the console, the services, the workers and the `flrisk check` CLI, so none of them
imports the HTTP layer to read a request or build a result. Pydantic models only: no I/O, no routes.
"""
