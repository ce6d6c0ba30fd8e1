"""HTML pages with the framework's test client and the fake service."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from smartpick.profile import Profile
from smartpick.web.forms import FIELDS

from . import fakes
from .conftest import csrf, post_profile


def _hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


def _profile_json(html: str) -> str:
    import html as h

    return h.unescape(_hidden(html, "profile_json")[0])


def test_form_has_every_profile_field_with_label_and_help(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert {w.name for w in FIELDS} == set(Profile.model_fields)
    for w in FIELDS:
        assert f'name="{w.name}"' in page.text, w.name
        assert f'id="{w.name}-help"' in page.text, w.name
    assert 'min="1" max="300"' in page.text  # step2_score bounds, as on the server
    assert "smartpick_visitor" in page.headers["set-cookie"]
    assert "SameSite=strict" in page.headers["set-cookie"]


def test_results_page_shows_the_table_chart_and_facts(client: TestClient) -> None:
    page = post_profile(client)
    assert page.status_code == 200
    text = page.text
    for part in ('id="programs"', 'data-chart="', "Strategy plan", "Timeline", "Portfolio"):
        assert part in text, part
    rows = re.findall(r'<tr data-code="([0-9A-Z]+)"', text)
    assert len(rows) == 12 and len(set(rows)) == 12
    tiers = re.findall(r'class="t-(\w+)" data-sort="\d">(\w+)</td>', text)
    assert {t for t, _ in tiers} == {"reach", "target", "safety"}
    assert all(a == b for a, b in tiers)
    assert "Screened out (3)" in text
    assert " est.</td>" in text  # an estimated IMG share is marked in its cell
    assert 'data-posted="1"' in text  # the script keeps it in the tab and moves to /results


def test_details_cards_show_reasons_uncertainty_and_sources(client: TestClient) -> None:
    first = post_profile(client)
    codes = re.findall(r'<tr data-code="([0-9A-Z]+)"', first.text)[:2]
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    cards = client.post("/plan/cards", data={**data, "show": codes})
    assert cards.status_code == 200 and "<html" not in cards.text
    assert re.findall(r'<li class="program" data-code="([0-9A-Z]+)"', cards.text) == codes
    assert "± 12%" in cards.text  # estimated IMG share with its uncertainty
    assert "nrmp_programs_2026.csv, 2026" in cards.text
    page = client.post("/plan", data={**data, "sel": codes, "act": "compare"})
    assert 'id="compare-h"' in page.text and "cards-2" in page.text
    five = re.findall(r'<tr data-code="([0-9A-Z]+)"', first.text)[:5]
    bad = client.post("/plan", data={**data, "sel": five, "act": "compare"})
    assert bad.status_code == 400 and "sel" in bad.text


def test_star_keeps_a_program_and_hide_removes_it(client: TestClient) -> None:
    first = post_profile(client)
    codes = re.findall(r'<tr data-code="([0-9A-Z]+)"', first.text)
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    starred = client.post("/plan", data={**data, "sel": codes[:2], "act": "star"})
    assert _hidden(starred.text, "include_codes") == codes[:2]
    assert starred.text.count('class="starred"') == 2
    unstarred = client.post("/plan", data={**data, "include_codes": codes[:2], "unstar": codes[0]})
    assert _hidden(unstarred.text, "include_codes") == codes[1:2]
    hidden = client.post(
        "/plan", data={**data, "include_codes": codes[:2], "sel": codes[:3], "act": "hide"}
    )
    assert _hidden(hidden.text, "exclude_codes") == codes[:3]
    assert _hidden(hidden.text, "include_codes") == []
    assert not set(codes[:3]) & set(re.findall(r'<tr data-code="([0-9A-Z]+)"', hidden.text))
    known = [str(r["program_code"]) for r in fakes._rows()]
    extra = next(c for c in known if c not in codes)  # found by the page's name search
    by_name = client.post("/plan", data={**data, "star": extra})
    assert _hidden(by_name.text, "include_codes") == [extra]
    assert f'<tr data-code="{extra}" class="starred">' in by_name.text


def test_results_address_restores_from_the_tab_only(client: TestClient) -> None:
    page = client.get("/results")
    assert page.status_code == 200
    assert 'data-restore="1"' in page.text and 'href="/"' in page.text
    assert "profile_json" not in page.text  # the server keeps nothing to restore from


def test_program_names_and_inputs_are_escaped(client: TestClient) -> None:
    page = post_profile(client)
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "<b>Evil</b>" not in page.text
    bad = post_profile(client, specialty="<script>alert(1)</script>")
    assert bad.status_code == 422
    assert "<script>alert(1)" not in bad.text
    assert "&lt;script&gt;alert(1)" in bad.text


def test_bad_input_rerenders_form_naming_the_field(client: TestClient) -> None:
    page = post_profile(client, step2_score="999")
    assert page.status_code == 422
    assert "Please check USMLE Step 2 CK score" in page.text
    assert 'href="#field-step2_score"' in page.text
    assert 'id="step2_score" name="step2_score" value="999"' in page.text  # value kept
    assert 'aria-invalid="true"' in page.text
    page = post_profile(client, us_letters="two")
    assert page.status_code == 422 and "us_letters" in page.text


def test_form_post_without_csrf_token_is_refused(client: TestClient) -> None:
    csrf(client)
    page = client.post("/plan", data={"specialty": "Internal Medicine"})
    assert page.status_code == 403
    assert "csrf_token" in page.text
    page = client.post("/plan", data={"specialty": "IM", "csrf_token": "x" * 43})
    assert page.status_code == 403


def test_remove_program_lowers_odds_and_put_back_restores(client: TestClient) -> None:
    first = post_profile(client)
    code = re.findall(r'<tr data-code="([0-9A-Z]+)"', first.text)[0]
    p0 = re.search(r'id="p-match" class="big">([0-9]+)%', first.text)
    assert p0
    data = {
        "csrf_token": csrf(client),
        "profile_json": _profile_json(first.text),
        "target_match_probability": "0.8",
        "budget_usd": "",
        "remove": code,
    }
    second = client.post("/plan", data=data, headers={"X-SmartPick-Fragment": "1"})
    assert second.status_code == 200
    assert "<html" not in second.text  # a fragment for the page's script
    p1 = re.search(r'id="p-match" class="big">([0-9]+)%', second.text)
    assert p1 and int(p1.group(1)) < int(p0.group(1))
    assert _hidden(second.text, "exclude_codes") == [code]
    assert f'<tr data-code="{code}"' not in second.text
    third = client.post(
        "/plan", data={**data, "remove": [], "exclude_codes": code, "restore": code}
    )
    assert _hidden(third.text, "exclude_codes") == []
    assert f'<tr data-code="{code}"' in third.text


def test_change_target_and_budget(client: TestClient) -> None:
    first = post_profile(client)
    data = {
        "csrf_token": csrf(client),
        "profile_json": _profile_json(first.text),
        "target_match_probability": "0.6",
        "budget_usd": "500",
    }
    page = client.post("/plan", data=data)
    assert page.status_code == 200
    count0 = re.search(r'id="rec-count" class="big">(\d+)', first.text)
    count1 = re.search(r'id="rec-count" class="big">(\d+)', page.text)
    assert count0 and count1 and int(count1.group(1)) < int(count0.group(1))
    assert "&#34;budget&#34;:500" in page.text  # the chart's budget line
    bad = client.post("/plan", data={**data, "target_match_probability": "150"})
    assert bad.status_code == 422 and "percentage below 100" in bad.text
    for percent in ("60", "60%"):  # a percentage is read as one: the same plan as 0.6
        again = client.post("/plan", data={**data, "target_match_probability": percent})
        assert again.status_code == 200
        count2 = re.search(r'id="rec-count" class="big">(\d+)', again.text)
        assert count2 and count2.group(1) == count1.group(1)


def test_export_csv_and_json(client: TestClient) -> None:
    first = post_profile(client)
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    csv_resp = client.post("/export.csv", data=data)
    assert csv_resp.status_code == 200
    assert csv_resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_resp.headers["content-disposition"]
    lines = csv_resp.text.strip().splitlines()
    assert lines[0].startswith("\ufeffrank,list,tier,signal,program_code")
    assert len(lines) == 1 + 12 + 3  # header, listed programs, screened out
    json_resp = client.post("/export.json", data=data)
    assert json_resp.json()["recommended_count"] == 12


def test_save_reopen_and_delete(client: TestClient) -> None:
    first = post_profile(client)
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    saved = client.post("/save", data=data)
    assert saved.status_code == 201
    link = re.search(r'class="saved-link">([^<]+)<', saved.text)
    token = re.search(r'class="delete-token">([^<]+)<', saved.text)
    assert link and token
    plan_id = link.group(1).rsplit("/", 1)[1]
    assert len(plan_id) >= 22
    again = client.get(f"/saved/{plan_id}")
    assert again.status_code == 200
    assert "Saved plan" in again.text and token.group(1) not in again.text
    assert client.get(f"/saved/{plan_id}/plan.csv").text.startswith("\ufeffrank,list,tier")
    wrong = client.post(
        f"/saved/{plan_id}/delete", data={"csrf_token": csrf(client), "delete_token": "nope"}
    )
    assert wrong.status_code == 403
    gone = client.post(
        f"/saved/{plan_id}/delete",
        data={"csrf_token": csrf(client), "delete_token": token.group(1)},
    )
    assert gone.status_code == 200 and "deleted" in gone.text
    assert client.get(f"/saved/{plan_id}").status_code == 404


def test_nothing_is_stored_unless_saved(client: TestClient) -> None:
    post_profile(client)
    store = client.app.state.store  # type: ignore[attr-defined]
    assert store.plan_count() == 0


def test_programs_page_search_and_program_page(client: TestClient) -> None:
    page = client.get("/programs")
    assert page.status_code == 200 and 'name="min_img_share"' in page.text
    found = client.get("/programs", params={"specialty": "140", "text": "script"})
    assert found.status_code == 200 and "1 program<" in found.text
    assert f'href="/programs/{fakes.EVIL_CODE}"' in found.text
    one = client.get(f"/programs/{fakes.EVIL_CODE}")
    assert one.status_code == 200
    assert "&lt;script&gt;" in one.text and "<script>alert" not in one.text
    assert client.get("/programs/1234567X0").status_code == 404
    bad = client.get("/programs", params={"min_img_share": "lots"})
    assert bad.status_code == 400 and "min_img_share" in bad.text


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/nope")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
