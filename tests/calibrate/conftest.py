"""Fixtures of the fitting tests (shared with the model tests)."""

from tests.model.conftest import fm, im, params

__all__ = ["fm", "im", "params"]
