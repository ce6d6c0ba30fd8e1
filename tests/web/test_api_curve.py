"""``POST /api/plan`` thins the curve unless ``?curve=full`` (issue 10)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from smartpick.contract import PlanResult
from smartpick.planner import Planner
from smartpick.store import SQLiteStore
from smartpick.thin import thin_curve
from smartpick.web import create_app


def test_the_api_thins_the_curve_by_default(shipped_db: Path) -> None:
    body = {"specialty": "IM", "step2_score": 230}
    with TestClient(create_app(Planner(shipped_db, SQLiteStore(":memory:")))) as c:
        thin = PlanResult.model_validate(c.post("/api/plan?advice=false", json=body).json())
        full = PlanResult.model_validate(
            c.post("/api/plan?advice=false&curve=full", json=body).json()
        )
        bad = c.post("/api/plan?advice=false&curve=some", json=body)
    assert len(full.curve) > len(thin.curve)
    assert thin.curve == thin_curve(full.curve, [full.recommended_count])
    assert full.recommended_count in {p.applications for p in thin.curve}
    assert thin.model_copy(update={"curve": full.curve}) == full  # only the curve differs
    assert bad.status_code == 422 and bad.json()["field"] == "curve"
