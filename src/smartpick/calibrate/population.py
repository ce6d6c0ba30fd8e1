"""Per-cohort inputs of the fit: synthetic populations, published targets, match curves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smartpick.frame import FloatArray, ObjArray, ProgramFrame
from smartpick.model.features import PROGRAM_FEATURES, program_design
from smartpick.model.params import Prior
from smartpick.model.ranks import MIN_COHORT, RankSummary, match_curve, rank_pmf
from smartpick.model.targets import (
    Distribution,
    co_distribution,
    co_name,
    co_summary,
    fact_value,
    step2_us_md,
    track_row,
)

from .fit_program import IM_APPLICATIONS_FACT, ProgramFit
from .simulate import Cohort, quantile_nodes

__all__ = ["KMAX", "CohortData", "Population", "Published", "build_population"]

KMAX = 60
NODES = 40  # score nodes per group (matched, not matched)


@dataclass(frozen=True)
class Published:
    """Charting Outcomes 2026 figures of one cohort (non-US IMGs preferring the specialty)."""

    name: str
    rate: float  # matched / (matched + not matched), summary table
    n: int  # applicants in the distributions
    n_all: int  # applicants in the summary table
    step2_matched: float
    step2_unmatched: float
    ranks_matched_mean: float
    ranks_unmatched_mean: float
    ranks_matched_median: float
    ranks_unmatched_median: float
    step2_m: Distribution
    step2_u: Distribution


@dataclass
class CohortData:
    """One cohort: its population and what it is fitted to."""

    key: str
    cohort: Cohort
    table_visa: FloatArray
    table_novisa: FloatArray
    published: Published | None
    rate_target: float | None
    ranked: dict[str, int]
    type_targets: dict[str, tuple[float, int]] = field(default_factory=dict)
    type_shift: dict[str, float] = field(default_factory=dict)
    weight: float = 1.0
    score_matched: float = float("nan")
    curve_source: str = ""


@dataclass
class Population:
    """All cohorts plus the pooled pieces."""

    cohorts: dict[str, CohortData]
    ranks: dict[str, dict[str, Any]]
    ranks_pooled: dict[str, Any]
    pooled_center: float
    type_shift_rule: dict[str, float]
    rate_ratio: float  # odds ratio: pooled CO rate vs 2025 track rate (non-US IMGs)


def _published(name: str) -> Published | None:
    s_m = co_distribution(name, "step2ck", "matched")
    s_u = co_distribution(name, "step2ck", "not_matched")
    r_m = co_distribution(name, "contiguous_ranks", "matched")
    r_u = co_distribution(name, "contiguous_ranks", "not_matched")
    summ = co_summary(name)
    if None in (s_m, s_u, r_m, r_u, summ):
        return None
    assert s_m and s_u and r_m and r_u and summ
    if min(s_m.n, s_u.n) < MIN_COHORT:
        return None
    return Published(
        name=name,
        rate=summ[0] / (summ[0] + summ[1]),
        n=s_m.n + s_u.n,
        n_all=summ[0] + summ[1],
        step2_matched=s_m.mean,
        step2_unmatched=s_u.mean,
        ranks_matched_mean=r_m.mean,
        ranks_unmatched_mean=r_u.mean,
        ranks_matched_median=r_m.median,
        ranks_unmatched_median=r_u.median,
        step2_m=s_m,
        step2_u=s_u,
    )


def _rank_entry(name: str) -> dict[str, Any] | None:
    r_m = co_distribution(name, "contiguous_ranks", "matched")
    r_u = co_distribution(name, "contiguous_ranks", "not_matched")
    summ = co_summary(name)
    if r_m is None or r_u is None or summ is None or min(r_m.n, r_u.n) < MIN_COHORT:
        return None
    return {
        "pi": summ[0] / (summ[0] + summ[1]),
        "matched": RankSummary(r_m.mean, r_m.sd, r_m.n).to_list(),
        "unmatched": RankSummary(r_u.mean, r_u.sd, r_u.n).to_list(),
        "n_matched": summ[0],
        "n_unmatched": summ[1],
        "source": f"Charting Outcomes 2026, {name} (non-US IMGs)",
    }


def _pool(entries: list[dict[str, Any]]) -> dict[str, Any]:
    def pooled(kind: str) -> list[float]:
        ns = np.array([e[kind][2] for e in entries])
        ms = np.array([e[kind][0] for e in entries])
        sds = np.array([e[kind][1] for e in entries])
        mean = float(np.sum(ns * ms) / ns.sum())
        var = float(np.sum(ns * (sds**2 + ms**2)) / ns.sum() - mean**2)
        return [mean, float(np.sqrt(var)), float(ns.sum())]

    nm = sum(int(e["n_matched"]) for e in entries)
    nu = sum(int(e["n_unmatched"]) for e in entries)
    return {
        "pi": nm / (nm + nu),
        "matched": pooled("matched"),
        "unmatched": pooled("unmatched"),
        "n_matched": nm,
        "n_unmatched": nu,
        "source": "pooled curve: all Charting Outcomes 2026 specialties (non-US IMGs)",
    }


def _curve(entry: dict[str, Any]) -> FloatArray:
    fm = rank_pmf(RankSummary.from_list(entry["matched"]), KMAX)
    fu = rank_pmf(RankSummary.from_list(entry["unmatched"]), KMAX)
    return match_curve(fm, fu, float(entry["pi"]))


def build_population(
    frame: ProgramFrame,
    keys: ObjArray,
    share_logit: FloatArray,
    prog: ProgramFit,
    priors: dict[str, Prior],
    say: Callable[[str], None],
) -> Population:
    """Everything the fit needs per cohort of ``frame``."""
    say("fit: populations")
    b = np.array([prog.coef[f] for f in PROGRAM_FEATURES])
    offsets_all = program_design(frame, share_logit) @ b
    known, unknown = priors["visa_sponsor_known"].value, priors["visa_sponsor_unknown"].value
    visa_all = np.where(frame.visa_j1 == 1, known, unknown)
    blocked_all = frame.visa_j1 == 0
    apps_fact = fact_value(IM_APPLICATIONS_FACT)
    pubs = {k: _published(n) for k in set(keys.tolist()) if (n := co_name(k))}
    entries = {k: e for k in set(keys.tolist()) if (n := co_name(k)) and (e := _rank_entry(n))}
    all_entries = [e for n in _all_co_names() if (e := _rank_entry(n))]
    pooled_entry = _pool(all_entries)
    # pooled population: every published cohort's nodes
    nodes, wts = [], []
    for _key, pub in sorted(pubs.items()):
        if pub is None:
            continue
        sc, w = _nodes(pub)
        nodes.append(sc)
        wts.append(w * pub.n_all)
    pooled_scores = np.concatenate(nodes)
    pooled_w = np.concatenate(wts) / np.sum(np.concatenate(wts))
    pooled_center = float(pooled_w @ pooled_scores)
    us_img_shift = fact_value("im_step2_mean_matched_us_img") - fact_value(
        "im_step2_mean_matched_non_us_img"
    )
    md_shifts = {
        k: md[1] - pub.step2_m.median
        for k, pub in pubs.items()
        if pub is not None and (md := step2_us_md(pub.name)) is not None
    }
    md_pooled = float(np.mean(list(md_shifts.values())))
    # pooled ratio of CO rate to 2025 track rate, non-US IMGs
    co_m = co_t = tr_m = tr_r = 0.0
    for k, pub in pubs.items():
        row = track_row(k)
        if pub is None or row is None or row.ranked["non_us_img"] == 0:
            continue
        co_m += pub.rate * pub.n_all
        co_t += pub.n_all
        tr_m += row.matched["non_us_img"]
        tr_r += row.ranked["non_us_img"]
    ratio = _odds(co_m / co_t) / _odds(tr_m / tr_r)
    out: dict[str, CohortData] = {}
    for key in sorted(set(keys.tolist())):
        rows = keys == key
        pub = pubs.get(key)
        row = track_row(key)
        entry = entries.get(key, pooled_entry)
        if pub is not None:
            scores, w = _nodes(pub)
            center = float(w @ scores)
            matched = pub.step2_matched
        else:
            scores, w, center = pooled_scores, pooled_w, pooled_center
            matched = pooled_center
        rate_target = None
        ranked: dict[str, int] = {}
        if row is not None:
            ranked = dict(row.ranked)
            if row.ranked["non_us_img"] >= MIN_COHORT and row.matched["non_us_img"] > 0:
                rate_target = _odds_scale(row.rate("non_us_img"), ratio)
        n_prog = int(rows.sum())
        cohort = Cohort(
            key=key,
            offsets=offsets_all[rows],
            visa_terms=visa_all[rows],
            visa_blocked=blocked_all[rows],
            applications=float(min(apps_fact, n_prog)),
            curve=_curve(entry),
            scores=scores,
            weights=w,
            center=center,
        )
        data = CohortData(
            key=key,
            cohort=cohort,
            table_visa=cohort.table(True),
            table_novisa=cohort.table(False),
            published=pub,
            rate_target=rate_target,
            ranked=ranked,
            weight=float(frame.positions[rows].sum()) or 1.0,
            score_matched=matched,
            curve_source=str(entry["source"]),
        )
        base = pub.rate if pub is not None else rate_target
        if row is not None and base is not None:
            nonus = row.rate("non_us_img")
            for t in ("us_img", "us_md", "us_do"):
                if row.ranked[t] >= 20 and row.ranked["non_us_img"] >= 20 and nonus > 0:
                    tgt = _odds_scale(base, _odds(row.rate(t)) / _odds(nonus))
                    data.type_targets[t] = (tgt, row.ranked[t])
        data.type_shift = {
            "non_us_img": 0.0,
            "us_img": us_img_shift,
            "us_md": md_shifts.get(key, md_pooled),
            "us_do": md_shifts.get(key, md_pooled),
        }
        out[key] = data
    return Population(
        cohorts=out,
        ranks=dict(sorted(entries.items())),
        ranks_pooled=pooled_entry,
        pooled_center=pooled_center,
        type_shift_rule={
            "non_us_img": 0.0,
            "us_img": us_img_shift,
            "us_md": md_pooled,
            "us_do": md_pooled,
        },
        rate_ratio=ratio,
    )


def _odds(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return p / (1.0 - p)


def _odds_scale(p: float, ratio: float) -> float:
    """p with its odds multiplied by ratio."""
    o = _odds(p) * ratio
    return o / (1.0 + o)


def _nodes(pub: Published) -> tuple[FloatArray, FloatArray]:
    sm = quantile_nodes(pub.step2_m, NODES)
    su = quantile_nodes(pub.step2_u, NODES)
    w = np.concatenate([np.full(NODES, pub.rate / NODES), np.full(NODES, (1 - pub.rate) / NODES)])
    return np.concatenate([sm, su]), w


def _all_co_names() -> list[str]:
    from smartpick.model.targets import co_specialties

    return co_specialties()
