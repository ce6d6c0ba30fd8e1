"""The shipped model parameters were fitted on the shipped catalog: a change to the data, the
defect fixes or the crosswalk that changes the programs' facts must be followed by
`make calibrate` (which rewrites params.json and docs/calibration.*)."""

from __future__ import annotations

from pathlib import Path

from smartpick.catalog.store import Catalog
from smartpick.cli.calibrate import calibration_frames
from smartpick.frame import ProgramFrame
from smartpick.model.params import frames_digest, load_params


def test_params_were_fitted_on_the_shipped_catalog(shipped_db: Path) -> None:
    with Catalog.open(shipped_db, build_if_missing=False) as cat:
        frames = calibration_frames(cat)
    assert load_params().fitted_on == frames_digest(frames), (
        "model/params.json is stale: the catalog's program facts changed since the last fit; "
        "run `make calibrate` and commit params.json and docs/calibration.*"
    )


def test_the_digest_sees_a_changed_fact(shipped_db: Path) -> None:
    with Catalog.open(shipped_db, build_if_missing=False) as cat:
        frames = calibration_frames(cat)
    im = frames["140"]
    share = im.img_share.copy()
    share[0] = 0.5 if share[0] != 0.5 else 0.4
    changed: dict[str, ProgramFrame] = {
        **frames,
        "140": ProgramFrame(**{**im.__dict__, "img_share": share}),
    }
    assert frames_digest(changed) != frames_digest(frames)
    assert frames_digest(dict(reversed(list(frames.items())))) == frames_digest(frames)


def test_rate_model_was_fitted_on_the_shipped_catalog(shipped_db: Path) -> None:
    from smartpick.model.rates import load_rate_model

    with Catalog.open(shipped_db, build_if_missing=False) as cat:
        frames = calibration_frames(cat)
    assert load_rate_model().fitted_on == frames_digest(frames), (
        "model/rates.json is stale: run `make calibrate` (or `smartpick calibrate --rates-only`)"
    )
