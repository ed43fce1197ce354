"""Issue 17, item 4: logging out (or revoking the key) ends a console session on the server.

Before: logout only cleared the browser's cookie; a copy of it kept working, CSRF token included, for the
rest of its eight hours.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.store.tables import ConsoleSessionRow
from service.ui.session import COOKIE, read
from tests.conftest import add_key
from tests.ui.conftest import csrf_of, login


def _copy(client: TestClient) -> TestClient:
    """A second browser holding a copy of `client`'s cookie (what an attacker who stole it has)."""
    other = TestClient(client.app, base_url="http://testserver")
    other.cookies.set(COOKIE, client.cookies[COOKIE], path="/ui")
    return other


def _logged_out(client: TestClient) -> bool:
    response = client.get("/ui/lists", follow_redirects=False)
    return response.status_code == 303 and response.headers["location"].startswith("/ui/login")


def test_replayed_cookie_and_csrf_token_are_dead_after_logout(app_client: TestClient) -> None:
    csrf = login(app_client)
    stolen = _copy(app_client)
    assert stolen.get("/ui/lists").status_code == 200

    assert app_client.post("/ui/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303

    assert _logged_out(stolen)
    replay = stolen.post("/ui/logout", data={"csrf": csrf}, follow_redirects=False)
    assert replay.status_code == 303
    assert "session+ended" in replay.headers["location"]
    upload = stolen.post("/ui/upload", data={"csrf": csrf}, files={"file": ("s.csv", b"Vendor Name\nAcme\n")},
                         follow_redirects=False)
    assert upload.status_code == 303
    assert upload.headers["location"].startswith("/ui/login")


def test_logout_ends_only_that_session(app_client: TestClient) -> None:
    key = add_key(app_client, name="shared")
    other = TestClient(app_client.app, base_url="http://testserver")
    for browser in (app_client, other):
        assert browser.post("/ui/login", data={"api_key": key}, follow_redirects=False).status_code == 303
    csrf = csrf_of(app_client.get("/ui/lists").text)

    app_client.post("/ui/logout", data={"csrf": csrf})

    assert other.get("/ui/lists").status_code == 200


def test_revoking_the_key_through_the_api_revokes_its_sessions(app_client: TestClient) -> None:
    login(app_client, name="leaving")
    stolen = _copy(app_client)
    key_id = read(app_client.app.state.secret, app_client.cookies[COOKIE])["k"]  # type: ignore[index]
    admin = add_key(app_client, scopes=("admin",))

    assert app_client.delete(f"/v1/keys/{key_id}", headers={"X-API-Key": admin}).status_code == 200

    assert _logged_out(stolen)
    with Session(app_client.app.state.engine) as session:
        rows = session.exec(select(ConsoleSessionRow).where(ConsoleSessionRow.key_id == key_id)).all()
    assert len(rows) == 1
    assert rows[0].revoked_at is not None


def test_the_cookie_names_the_session_by_a_nonce_stored_only_hashed(app_client: TestClient) -> None:
    login(app_client)
    nonce = read(app_client.app.state.secret, app_client.cookies[COOKIE])["n"]  # type: ignore[index]

    with Session(app_client.app.state.engine) as session:
        ids = session.exec(select(ConsoleSessionRow.id)).all()

    assert len(ids) == 1
    assert nonce not in ids[0]
    assert len(ids[0]) == 64
