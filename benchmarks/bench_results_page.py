"""The results page of the example plan (``examples/us_img_im_217.toml``): its HTML size and
the time to the first result, in-process with the real planner (issue 11, page size).

Time to first result: the CPU time (``time.process_time``) of the form post that answers with
the results page (plan + what-ifs + render), cold (a new planner: nothing cached but what the
catalog build left) and again (the planner's plan cache warm: what Back, reload and re-plans of
the same list cost). Run: ``python -m benchmarks.bench_results_page [--db PATH]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
import tomllib
import warnings
from pathlib import Path
from typing import Any

from starlette.exceptions import StarletteDeprecationWarning

from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "us_img_im_217.toml"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def results_page(db: str | Path | None = None, repeats: int = 3) -> dict[str, Any]:
    """Post the example profile to ``/plan``; the page's size and the CPU time of the post."""
    profile = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    app = create_app(Planner(db, SQLiteStore(":memory:")))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        found = _TOKEN.search(client.get("/").text)
        assert found, "the form page has no CSRF token"
        form = {"profile_json": json.dumps(profile), "csrf_token": found.group(1)}
        times: list[float] = []
        for _ in range(1 + repeats):
            start = time.process_time()
            page = client.post("/plan", data=form)
            times.append(time.process_time() - start)
            page.raise_for_status()
    body = page.content
    return {
        "html_bytes": len(body),
        "html_gzip_bytes": len(gzip.compress(body)),
        "programs": page.text.count("<tr data-code="),
        "cpu_first_s": times[0],
        "cpu_again_s": min(times[1:]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the catalog (default: $SMARTPICK_DB or per-user)")
    args = parser.parse_args()
    r = results_page(args.db)
    print(
        f"results page: {r['html_bytes'] / 1024:.1f} KiB HTML "
        f"({r['html_gzip_bytes'] / 1024:.1f} KiB gzipped), {r['programs']} programs; "
        f"time to first result {r['cpu_first_s'] * 1000:.0f} ms CPU cold, "
        f"{r['cpu_again_s'] * 1000:.0f} ms again (plan cached)"
    )


if __name__ == "__main__":
    main()
