"""Signal counts per specialty and season: published, carried forward with a label, or unknown."""

from __future__ import annotations

from smartpick.plan.signal_counts import signal_counts


def test_internal_medicine_has_gold_and_silver_for_its_published_seasons() -> None:
    c = signal_counts("140", 2026)
    assert c is not None and c.counts == {"gold": 3, "silver": 12} and c.total == 15
    assert c.known_season == 2026 and "not in our data" not in c.citation
    assert "AAIM" in c.citation and c.describe() == "3 gold + 12 silver"


def test_a_later_season_uses_the_last_known_count_and_says_so() -> None:
    c = signal_counts("120", 2027)
    assert c is not None and c.counts == {"signal": 5} and c.known_season == 2025
    assert "ERAS 2027 count is not in our data" in c.citation


def test_a_specialty_without_a_published_count_gets_none() -> None:
    assert signal_counts("220", 2026) is None  # Obstetrics-Gynecology: not in our data
