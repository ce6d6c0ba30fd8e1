"""SmartPick: an open, free residency-selection tool for US-citizen IMGs."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
