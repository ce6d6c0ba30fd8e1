"""The list as a file on the web: XLSX / PDF downloads and the edited file brought back."""

from __future__ import annotations

import html
import io
import re

from openpyxl import load_workbook
from starlette.testclient import TestClient

from .conftest import csrf, post_profile


def _profile_json(page: str) -> str:
    found = re.search(r'name="profile_json" value="([^"]*)"', page)
    assert found
    return html.unescape(found.group(1))


def _listed(page: str) -> list[str]:
    """The codes of the results table's rows (one ``<tr data-code=...>`` per listed program)."""
    return re.findall(r'<tr data-code="([0-9A-Z]+)"', page)


def test_xlsx_export_edit_and_import_re_plans(client: TestClient) -> None:
    first = post_profile(client)
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    resp = client.post("/export.xlsx", data=data)
    assert resp.status_code == 200 and resp.content.startswith(b"PK")
    assert "spreadsheetml" in resp.headers["content-type"]
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb["Programs"]
    codes = [ws.cell(r, 5).value for r in range(2, ws.max_row + 1)]
    ws.delete_rows(2)
    wb["Tracking"]["C3"] = "applied"
    buf = io.BytesIO()
    wb.save(buf)
    files = {"list_file": ("mine.xlsx", buf.getvalue(), "application/octet-stream")}
    page = client.post("/import-list", data=data, files=files)
    assert page.status_code == 200, page.text[:400]
    assert "From mine.xlsx: 1 removed, 0 added by you" in page.text
    assert codes[0] not in _listed(page.text) and codes[1] in _listed(page.text)
    assert f'name="exclude_codes" value="{codes[0]}"' in page.text  # later adjustments keep it


def test_a_bad_list_file_shows_every_problem(client: TestClient) -> None:
    first = post_profile(client)
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    bad = b"program_code,list,status\r\nXYZ,listed,aplied\r\n"
    page = client.post("/import-list", data=data, files={"list_file": ("mine.csv", bad)})
    assert page.status_code == 422
    assert "2 problems in mine.csv: nothing was applied" in page.text
    assert "mine.csv, row 2, column &#39;status&#39;: &#39;aplied&#39; is not a status" in page.text
    missing = client.post("/import-list", data=data)
    assert missing.status_code == 400 and "list_file" in missing.text


def test_pdf_export(client: TestClient) -> None:
    first = post_profile(client)
    data = {"csrf_token": csrf(client), "profile_json": _profile_json(first.text)}
    resp = client.post("/export.pdf", data=data)
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF-")
