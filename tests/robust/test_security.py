"""Issue 9, security: trusted hosts, links on the public URL, CSRF tokens bound to the visitor
and signed with the server secret (a test per form route), and the secret's lookup."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smartpick.errors import InputError
from smartpick.secret import SECRET_ENV, server_secret
from smartpick.web.security import VISITOR_COOKIE, sign_visitor
from smartpick.web.settings import ALLOWED_HOSTS_ENV, PUBLIC_URL_ENV, WebSettings

from .conftest import page_token, real_app

FORM_ROUTES = ["/plan", "/edit", "/export.csv", "/export.json", "/save", "/saved/{id}/delete"]
PROFILE = {
    "specialty": "Family Medicine",
    "exam_failures": "0",
    "usce_months": "0",
    "us_letters": "0",
    "specialty_letters": "0",
    "research_items": "0",
    "target_match_probability": "0.8",
    "step2_score": "230",
}


@pytest.fixture(scope="module")
def saved_id(real_client: TestClient) -> str:
    resp = real_client.post("/save", data={**PROFILE, "csrf_token": page_token(real_client)})
    assert resp.status_code == 201
    return resp.text.split("/saved/")[1].split('"')[0].split("<")[0]


def _post(client: TestClient, route: str, saved_id: str, token: str | None) -> int:
    data = {**PROFILE, "profile_json": '{"specialty": "FM"}', "delete_token": "nope"}
    if token is not None:
        data["csrf_token"] = token
    return client.post(route.format(id=saved_id), data=data).status_code


@pytest.mark.parametrize("route", FORM_ROUTES)
def test_form_route_accepts_the_visitors_own_signed_token(
    real_client: TestClient, saved_id: str, route: str
) -> None:
    data = {**PROFILE, "profile_json": '{"specialty": "FM"}', "delete_token": "nope"}
    resp = real_client.post(
        route.format(id=saved_id), data={**data, "csrf_token": page_token(real_client)}
    )
    if route.endswith("delete"):  # past the CSRF check: the wrong delete token is refused
        assert resp.status_code == 403 and "does not match" in resp.text
    else:
        assert resp.status_code in (200, 201), resp.text[:300]


@pytest.mark.parametrize("route", FORM_ROUTES)
def test_form_route_refuses_a_planted_cookie_and_field_pair(
    real_app_db: Path, saved_id: str, route: str
) -> None:
    with TestClient(real_app(real_app_db), raise_server_exceptions=False) as attacker:
        planted = "a" * 43
        attacker.cookies.set(VISITOR_COOKIE, planted)
        for token in (planted, sign_visitor(b"not-the-server-secret" * 2, planted), "", None):
            assert _post(attacker, route, saved_id, token) == 403, token


@pytest.mark.parametrize("route", FORM_ROUTES)
def test_form_route_refuses_another_visitors_token(
    real_app_db: Path, saved_id: str, route: str
) -> None:
    app = real_app(real_app_db)
    with (
        TestClient(app, raise_server_exceptions=False) as victim,
        TestClient(app, raise_server_exceptions=False) as attacker,
    ):
        theirs = page_token(victim)
        page_token(attacker)  # the attacker has a visitor cookie of their own
        assert victim.cookies[VISITOR_COOKIE] != attacker.cookies[VISITOR_COOKIE]
        assert _post(attacker, route, saved_id, theirs) == 403
        resp = attacker.post(route.format(id=saved_id), data={"csrf_token": theirs})
        assert resp.status_code == 403 and "security token" in resp.text


def test_tokens_are_signed_with_the_configured_secret(real_app_db: Path) -> None:
    one = real_app(real_app_db, settings=WebSettings(("testserver",), secret=b"1" * 40))
    two = real_app(real_app_db, settings=WebSettings(("testserver",), secret=b"2" * 40))
    with TestClient(one) as a, TestClient(two) as b:
        token = page_token(a)
        b.cookies.set(VISITOR_COOKIE, a.cookies[VISITOR_COOKIE])
        assert b.post("/edit", data={"csrf_token": token}).status_code == 403
        assert a.post("/edit", data={"csrf_token": token}).status_code == 200


def test_untrusted_host_is_refused(real_app_db: Path) -> None:
    app = real_app(real_app_db, settings=WebSettings(("127.0.0.1", "localhost")))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
        evil = client.get("/api/specialties", headers={"host": "evil.example"})
        assert evil.status_code == 400
        assert client.post("/save", headers={"host": "evil.example"}).status_code == 400


def test_allowed_hosts_and_public_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ALLOWED_HOSTS_ENV, " Plan.Example.org ,*.example.net")
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://plan.example.org/sp/")
    settings = WebSettings.from_env()
    assert settings.allowed_hosts == ("plan.example.org", "*.example.net")
    assert settings.public_url == "https://plan.example.org/sp"
    monkeypatch.setenv(PUBLIC_URL_ENV, "javascript:alert(1)")
    with pytest.raises(InputError, match=PUBLIC_URL_ENV):
        WebSettings.from_env()
    monkeypatch.delenv(ALLOWED_HOSTS_ENV)
    monkeypatch.delenv(PUBLIC_URL_ENV)
    assert WebSettings.from_env() == WebSettings(("127.0.0.1", "localhost"), None)


def test_saved_plan_link_uses_the_public_url_not_the_host_header(real_app_db: Path) -> None:
    settings = WebSettings(("testserver", "other.example"), "https://plans.example.org")
    with TestClient(real_app(real_app_db, settings=settings)) as client:
        data = {**PROFILE, "csrf_token": page_token(client)}
        resp = client.post("/save", data=data, headers={"host": "other.example"})
        assert resp.status_code == 201
        assert "https://plans.example.org/saved/" in resp.text
        assert "other.example/saved" not in resp.text
        plan_id = resp.text.split("https://plans.example.org/saved/")[1][:22]
        page = client.get(f"/saved/{plan_id}", headers={"host": "other.example"})
        assert f"https://plans.example.org/saved/{plan_id}" in page.text


def test_server_secret_from_env_or_a_private_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SECRET_ENV, "s" * 32)
    assert server_secret(tmp_path / "unused") == b"s" * 32
    assert not (tmp_path / "unused").exists()
    monkeypatch.setenv(SECRET_ENV, "short")
    with pytest.raises(InputError, match=SECRET_ENV):
        server_secret(tmp_path / "unused")
    monkeypatch.delenv(SECRET_ENV)
    path = tmp_path / "data" / "server-secret"
    first = server_secret(path)
    assert len(first) >= 32 and server_secret(path) == first  # generated once, then kept
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.iterdir()) == [path]  # no temporary file left
    os.chmod(path, 0o644)
    assert server_secret(path) == first and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_serve_passes_hosts_and_public_url_to_the_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from smartpick.cli import main

    seen: dict[str, object] = {}

    def fake_run(app: object, **kwargs: object) -> None:
        seen.update(kwargs, settings=getattr(getattr(app, "state", None), "web_settings", None))

    monkeypatch.setattr(uvicorn, "run", fake_run)
    for name in (ALLOWED_HOSTS_ENV, PUBLIC_URL_ENV):  # registered, so restored afterwards
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    assert main(["serve", "--port", "8123"]) == 0
    settings = seen["settings"]
    assert isinstance(settings, WebSettings)
    assert settings.allowed_hosts == ("127.0.0.1", "localhost")
    assert settings.public_url == "http://127.0.0.1:8123"
    argv = ["serve", "--host", "0.0.0.0", "--allowed-host", "a.example,b.example"]
    assert main([*argv, "--public-url", "https://a.example"]) == 0
    settings = seen["settings"]
    assert isinstance(settings, WebSettings)
    assert settings.allowed_hosts == ("a.example", "b.example")
    assert settings.public_url == "https://a.example"
    assert main(["serve", "--public-url", "ftp://x"]) == 2
