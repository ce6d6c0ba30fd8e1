"""Signal effects: the program's own published rates where it has them, pooled otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from smartpick.catalog.store import Catalog
from smartpick.cli.calibrate import calibration_frames
from smartpick.frame import ProgramFrame
from smartpick.model.rates import load_rate_model, to_logit
from smartpick.model.signal_effect import (
    CAUSAL_FRACTION,
    KINDS,
    pooled_effects,
    signal_effects,
)

SIG = KINDS.index("signal")
GOLD = KINDS.index("gold")


@pytest.fixture(scope="module")
def frames(shipped_db: Path) -> dict[str, ProgramFrame]:
    """The shipped catalog's frames (linked to the Residency Explorer rows)."""
    with Catalog.open(shipped_db, build_if_missing=False) as cat:
        return calibration_frames(cat)


def test_published_programs_use_their_own_rates_shrunk_toward_the_specialty(
    frames: dict[str, ProgramFrame],
) -> None:
    fm = frames["120"]
    eff = signal_effects(fm)
    has = np.isfinite(fm.ir_signal) & np.isfinite(fm.ir_no_signal)
    assert has.sum() > 100
    assert set(eff.source[has, SIG]) == {"published"}
    assert set(eff.source[~has, SIG]) == {"specialty"}
    d = to_logit(fm.ir_signal[has]) - to_logit(fm.ir_no_signal[has])
    pool = eff.observed[~has, SIG][0]  # the specialty's median, for programs without rates
    w = load_rate_model().groups["us_img"].reliability(fm.specialty_code[has])
    assert np.allclose(eff.observed[has, SIG], np.maximum(pool + w * (d - pool), 0.0))
    assert np.allclose(eff.log_odds, CAUSAL_FRACTION * eff.observed)
    # a program that reported a larger difference keeps a larger effect
    order = np.argsort(d)
    assert np.all(np.diff(eff.observed[has, SIG][order]) >= -1e-12)


def test_internal_medicine_gold_is_estimated_from_the_gold_silver_specialties(
    frames: dict[str, ProgramFrame],
) -> None:
    eff = signal_effects(frames["140"])
    assert set(eff.source[:, GOLD]) == {"estimated"}
    pooled = pooled_effects()["gold"]
    assert np.allclose(eff.observed[:, GOLD], pooled.log_odds)
    assert "Anesthesiology" in pooled.specialties and "Internal Medicine" not in pooled.specialties
    assert pooled.sd > 0 and pooled.log_odds > pooled_effects()["silver"].log_odds > 0


def test_psychiatry_takes_the_one_kind_specialties_pooled_signal(
    frames: dict[str, ProgramFrame],
) -> None:
    eff = signal_effects(frames["400"])
    assert set(eff.source[:, SIG]) == {"estimated"}
    pooled = pooled_effects()["signal"]
    assert {"Family Medicine", "Pediatrics"} <= set(pooled.specialties)
    assert np.allclose(eff.log_odds[:, SIG], CAUSAL_FRACTION * pooled.log_odds)


def test_take_selects_rows(frames: dict[str, ProgramFrame]) -> None:
    eff = signal_effects(frames["120"])
    sub = eff.take([3, 1])
    assert len(sub) == 2 and np.array_equal(sub.observed[0], eff.observed[3])
