"""The web console for procurement and compliance analysts, served under /ui by the API's own app.

Server-rendered Jinja pages with a little plain JavaScript (no build step). Pages call the same services as
the API (uploads, findings, decisions, lists, reports) and authenticate with the same API keys, held in a
signed HttpOnly session cookie. No console route is part of the OpenAPI schema.
"""
