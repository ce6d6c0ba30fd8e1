"""Renderers of a plan: terminal report, CSV export (JSON is the contract's own dump)."""

from __future__ import annotations

from .export import plan_csv, programs_csv
from .terminal import render_plan

__all__ = ["plan_csv", "programs_csv", "render_plan"]
