"""The profile form speaks to applicants, not to TOML files."""

from __future__ import annotations

from fastapi.testclient import TestClient

from smartpick.web.forms import FIELDS


def test_form_help_has_no_raw_values_or_list_syntax() -> None:
    for w in FIELDS:
        assert "|" not in w.help, w.name
        assert "['" not in w.help, w.name
        assert "_" not in w.help, w.name  # no us_img, non_us_img, …
    kinds = dict(next(w for w in FIELDS if w.name == "usce_kind").options)
    assert kinds["subinternship"] == "Sub-internship" and kinds[""] == "None yet"


def test_form_page_shows_the_friendly_help(client: TestClient) -> None:
    page = client.get("/").text
    assert "Two-letter codes separated by commas, e.g. CA, NY" in page
    assert "0.8 means 80%" in page
    assert "us_md | us_do" not in page


def test_catalog_rows_and_program_page_name_the_institution_first(client: TestClient) -> None:
    found = client.get("/programs", params={"specialty": "140", "limit": "1"}).text
    assert "Showing the first 1; there may be more" in found
    row = found.split("<tbody>")[1]
    assert row.index("<strong>") < row.index("</strong><br>")
    code = row.split('href="/programs/')[1].split('"')[0]
    page = client.get(f"/programs/{code}").text
    h1 = page.split("<h1>")[1].split("</h1>")[0]
    institution = row.split("<strong>")[1].split("</strong>")[0]
    assert h1.startswith(institution)  # the institution, not the program's name
