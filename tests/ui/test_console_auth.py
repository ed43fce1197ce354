"""Console authentication: the API-key login, the session cookie, scopes, CSRF and logout."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from service.services.keys import revoke_key
from service.ui.session import COOKIE, issue, read
from tests.conftest import add_key
from tests.ui.conftest import csrf_of, finish, login, supplier_csv, upload


def test_pages_redirect_to_login_without_a_session(app_client: TestClient) -> None:
    for path in ("/ui/", "/ui/upload", "/ui/batches", "/ui/lists", "/ui/batches/x/review"):
        response = app_client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/ui/login?next=")
    page = app_client.get("/ui/upload")
    assert page.url.path == "/ui/login"
    assert '<label for="api_key">API key</label>' in page.text


def test_login_sets_a_signed_httponly_cookie_without_the_key(app_client: TestClient) -> None:
    key = add_key(app_client, scopes=("read",))
    response = app_client.post("/ui/login", data={"api_key": key, "next": "/ui/batches"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/batches"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/ui" in cookie
    assert "Secure" not in cookie  # plain http here; https requests get Secure (below)
    value = response.cookies[COOKIE]
    secret_part = key.split("_", 2)[2]
    assert secret_part not in value
    assert key not in value
    assert read(app_client.app.state.secret, value) is not None
    assert app_client.get("/ui/batches").status_code == 200


def test_cookie_is_secure_over_https(app_client: TestClient) -> None:
    key = add_key(app_client)
    response = app_client.post("https://testserver/ui/login", data={"api_key": key}, follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_key_and_empty_key_are_refused_in_words(app_client: TestClient) -> None:
    response = app_client.post("/ui/login", data={"api_key": "flr_abcdefghij_not-a-real-key"})
    assert response.status_code == 401
    assert "That key was refused: unknown API key." in response.text
    assert COOKIE not in response.cookies
    assert app_client.post("/ui/login", data={"api_key": "  "}).status_code == 400


def test_tampered_or_expired_cookie_means_login(app_client: TestClient) -> None:
    login(app_client)
    value = app_client.cookies[COOKIE]
    app_client.cookies.set(COOKIE, value[:-4] + "0000", path="/ui")
    assert app_client.get("/ui/lists", follow_redirects=False).status_code == 303
    key_id = read(app_client.app.state.secret, value)["k"]  # type: ignore[index]
    app_client.cookies.set(COOKIE, issue(app_client.app.state.secret, key_id, now=0), path="/ui")
    response = app_client.get("/ui/lists", follow_redirects=False)
    assert response.status_code == 303
    assert "expired" in response.headers["location"]


def test_revoked_key_ends_the_session_at_once(app_client: TestClient) -> None:
    login(app_client)
    key_id = read(app_client.app.state.secret, app_client.cookies[COOKIE])["k"]  # type: ignore[index]
    with Session(app_client.app.state.engine) as session:
        revoke_key(session, key_id, org_id=None, actor="test")
        session.commit()
    response = app_client.get("/ui/lists", follow_redirects=False)
    assert response.status_code == 303
    assert "revoked" in response.headers["location"]
    page = app_client.get(response.headers["location"])
    assert "this API key was revoked" in page.text


def test_logout_needs_the_csrf_token_and_clears_the_cookie(app_client: TestClient) -> None:
    csrf = login(app_client)
    assert app_client.post("/ui/logout", data={"csrf": "forged"}).status_code == 403
    response = app_client.post("/ui/logout", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/login?bye=1"
    assert f'{COOKIE}=""' in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    app_client.cookies.clear()
    assert app_client.get("/ui/lists", follow_redirects=False).status_code == 303


def test_next_is_never_an_open_redirect(app_client: TestClient) -> None:
    key = add_key(app_client)
    for target in ("//evil.example/ui/", "https://evil.example/", "/v1/lists", "/ui\\..\\x"):
        response = app_client.post("/ui/login", data={"api_key": key, "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/ui/", target


def test_read_only_key_sees_no_upload_and_cannot_decide(app_client: TestClient) -> None:
    owner = login(app_client)
    batch = upload(app_client, owner, supplier_csv())
    finish(app_client, batch)
    app_client.cookies.clear()
    csrf = login(app_client, scopes=("read",), name="reader")
    assert app_client.get("/ui/upload").status_code == 403
    home = app_client.get("/ui/", follow_redirects=False)
    assert home.headers["location"] == "/ui/batches"
    row = app_client.get(f"{batch}/rows/2")
    assert row.status_code == 200
    assert "Record decision" not in row.text
    assert 'href="/ui/upload"' not in row.text
    response = app_client.post(f"{batch}/rows/2/decisions", data={
        "csrf": csrf, "source": "uflpa_entity_list", "entry_id": "uflpa-003", "decision": "false_positive",
        "reason": "not them", "analyst": "r"})
    assert response.status_code == 403
    assert "does not have the “decide” scope" in response.text
    assert app_client.get("/ui/lists/uflpa_entity_list/versions").status_code == 403
    assert "/versions" not in app_client.get("/ui/lists").text


def test_forms_need_the_token_and_this_origin(console: tuple[TestClient, str]) -> None:
    client, csrf = console
    batch = upload(client, csrf, supplier_csv())
    finish(client, batch)
    form = {"source": "uflpa_entity_list", "entry_id": "uflpa-003", "decision": "false_positive",
            "reason": "not them", "analyst": "a"}
    assert client.post(f"{batch}/rows/2/decisions", data=form).status_code == 403
    assert client.post(f"{batch}/rows/2/decisions", data={**form, "csrf": csrf},
                       headers={"Origin": "https://evil.example"}).status_code == 403
    files = {"file": ("s.csv", supplier_csv())}
    assert client.post("/ui/upload", data={"csrf": "x"}, files=files).status_code == 403
    ok = client.post(f"{batch}/rows/2/decisions", data={**form, "csrf": csrf},
                     headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert ok.status_code == 303


def test_console_is_not_in_the_openapi_schema(app_client: TestClient) -> None:
    paths = app_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/ui")]


def test_static_files_and_security_headers(console: tuple[TestClient, str]) -> None:
    client, _ = console
    assert client.get("/ui/static/console.css").status_code == 200
    assert "setupUpload" in client.get("/ui/static/console.js").text
    page = client.get("/ui/lists")
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert csrf_of(page.text)
