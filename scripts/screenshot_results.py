"""Take the README's screenshot of the results page (docs/results.png) with the real Chromium.

Run from the repository: ``.venv/bin/python scripts/screenshot_results.py [OUT.png]``. It
serves the app on 127.0.0.1 (a free port, the catalog of ``$SMARTPICK_DB`` or the default),
fills the form with the guide's worked example (``examples/us_img_im_217.toml``, planned as of
``$SMARTPICK_TODAY`` if set) and captures the headline and the top of the program table at
1280 px.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(out: Path, full: bool = False) -> None:
    port = _port()
    cmd = [str(ROOT / ".venv/bin/smartpick"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(cmd, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/specialties", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.goto(base + "/")
            pg.select_option("#specialty", "Internal Medicine")
            pg.select_option("#backup_specialty", "Family Medicine")
            pg.check("#include_preliminary")
            pg.fill("#step2_score", "217")
            pg.fill("#graduation_year", "2024")
            pg.fill("#usce_months", "3")
            pg.select_option("#usce_kind", "elective")
            pg.fill("#us_letters", "3")
            pg.fill("#specialty_letters", "2")
            for name, value in (
                ("regions", "Midwest"),
                ("regions", "South"),
                ("settings", "community"),
                ("settings", "affiliated"),
            ):
                pg.check(f"input[name={name}][value={value}]")
            pg.fill("#budget_usd", "2500")
            pg.click("button.primary")
            pg.wait_for_selector("#p-match", timeout=60_000)
            pg.set_viewport_size({"width": 1280, "height": 1600})
            pg.screenshot(path=str(out), full_page=full)
            # the program table: the heading above it and its first rows
            box = pg.locator("#programs").bounding_box()
            if box is not None:
                top = max(0.0, box["y"] - 420)
                table = out.with_name(out.stem + "-table" + out.suffix)
                pg.screenshot(
                    path=str(table),
                    full_page=True,
                    clip={"x": 0, "y": top, "width": 1280, "height": 1100},
                )
                print(f"wrote {table}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "results.png")
