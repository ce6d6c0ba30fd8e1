"""Parameters: packaged, round-trip through JSON, versioned by their hash."""

from __future__ import annotations

import json

import numpy as np

from smartpick.model.params import MODEL_VERSION, ModelParams


def test_round_trip(params: ModelParams) -> None:
    again = ModelParams.from_json(json.loads(json.dumps(params.to_json())))
    assert again.digest == params.digest
    assert np.array_equal(again.draw("beta_score_"), params.draw("beta_score_"))


def test_version_names_the_parameters(params: ModelParams) -> None:
    assert f"2026.1+{params.digest}" == MODEL_VERSION


def test_every_prior_names_its_source(params: ModelParams) -> None:
    for prior in params.priors.values():
        assert prior.source and prior.rule
        assert prior.value < 0 < prior.sd


def test_draws_have_the_stated_count(params: ModelParams) -> None:
    for name, arr in params.draws.items():
        assert arr.shape[0] == params.n_draws, name
