"""Renderers of a plan: terminal report, CSV and JSON exports, Markdown."""

from __future__ import annotations

from .export import plan_csv, plan_json, records_csv
from .terminal import render_plan

__all__ = ["plan_csv", "plan_json", "records_csv", "render_plan"]
