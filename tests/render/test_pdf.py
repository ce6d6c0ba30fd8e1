"""The PDF report: a real PDF, longer for a longer list (every program is printed)."""

from __future__ import annotations

import re

from smartpick.render.pdf import plan_pdf

from .factory import make_result


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_pdf_holds_every_program() -> None:
    short, long = plan_pdf(make_result(3)), plan_pdf(make_result(150))
    assert short.startswith(b"%PDF-") and long.startswith(b"%PDF-")
    assert _pages(long) > _pages(short) >= 1
