"""Name normalisation for matching program and institution names (pure, no I/O).

NRMP labels are abbreviated ("Mobile Infirmary Med Ctr", "U South Alabama", "LSUHSC-Shreveport");
FREIDA names are spelled out ("Mobile Infirmary Medical Center Program"). :func:`normalize`
maps both to the same lower-case vocabulary so a fuzzy ratio compares like with like.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

__all__ = [
    "STATE_ORDER",
    "TokenWeights",
    "acronym",
    "coverage_matrix",
    "next_state",
    "normalize",
    "previous_state",
    "similarity",
]

#: Expansions of abbreviations seen in NRMP and FREIDA names (whole words, lower case).
_ABBREVIATIONS: dict[str, str] = {
    "med": "medical",
    "ctr": "center",
    "cntr": "center",
    "ctrs": "centers",
    "centre": "center",
    "hosp": "hospital",
    "hosps": "hospitals",
    "hlth": "health",
    "univ": "university",
    "u": "university",
    "st": "saint",
    "sts": "saints",
    "mt": "mount",
    "ft": "fort",
    "mem": "memorial",
    "reg": "regional",
    "gen": "general",
    "sys": "system",
    "som": "school medicine",
    "sch": "school",
    "coll": "college",
    "inst": "institute",
    "comm": "community",
    "bch": "beach",
    "intl": "international",
    "natl": "national",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "assoc": "associates",
    "fdn": "foundation",
    "fndtn": "foundation",
    "edu": "education",
    "educ": "education",
    "ed": "education",
    "svcs": "services",
    "va": "veterans affairs",
    "vamc": "veterans affairs medical center",
    "int": "internal",
    "hcs": "health care system",
    "hsc": "health sciences center",
    "hs": "health system",
    "mc": "medical center",
    "rmc": "regional medical center",
    "grad": "graduate",
    "ny": "new york",
    "nyc": "new york city",
    "lij": "long island jewish",
    "lsu": "louisiana state university",
    "lsuhsc": "louisiana state university health sciences center",
    "usa": "university south alabama",
    "uab": "university alabama birmingham",
    "ucla": "university california los angeles",
    "ucsf": "university california san francisco",
    "uc": "university california",
    "upmc": "university pittsburgh medical center",
    "unc": "university north carolina",
    "mgb": "mass general brigham",
    "hmh": "hackensack meridian health",
    "nymc": "new york medical college",
    "ismms": "icahn school medicine mount sinai",
    "nyp": "new york presbyterian",
    "rfums": "rosalind franklin university medicine science",
    "ahs": "atlantic health system",
    "siu": "southern illinois university",
    "fau": "florida atlantic university",
    "uga": "university georgia",
    "nmh": "northwestern memorial hospital",
    "cmsru": "cooper medical school rowan university",
    "uhs": "united health services",
    "ns": "north shore",
    "evms": "eastern virginia medical school",
    "mlk": "martin luther king",
    "sf": "san francisco",
    "sw": "southwest",
    "cinn": "cincinnati",
    "co": "county",
    "com": "college medicine",
    "osteo": "osteopathic",
    "affil": "affiliated",
    "teach": "teaching",
    "corp": "corporation",
    "uams": "university arkansas medical sciences",
    "hes": "health education services",
}
#: Words that carry no identity.
_STOPWORDS = frozenset(
    {"program", "programs", "the", "of", "and", "at", "in", "for", "inc", "llc", "a", "an", "de"}
)
_NON_WORD = re.compile(r"[^a-z0-9]+")

#: Two-letter codes in the order NRMP lists states (alphabetical by full state name).
STATE_ORDER: tuple[str, ...] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
    "UT", "VT", "VA", "VI", "WA", "WV", "WI", "WY",
)  # fmt: skip
_STATE_INDEX = {s: i for i, s in enumerate(STATE_ORDER)}


def next_state(state: str | None) -> str | None:
    """The state NRMP lists right after ``state`` (None at the end or if unknown)."""
    i = _STATE_INDEX.get((state or "").upper())
    if i is None or i + 1 >= len(STATE_ORDER):
        return None
    return STATE_ORDER[i + 1]


def previous_state(state: str | None) -> str | None:
    """The state NRMP lists right before ``state`` (None at the start or if unknown)."""
    i = _STATE_INDEX.get((state or "").upper())
    if i is None or i == 0:
        return None
    return STATE_ORDER[i - 1]


def normalize(text: str | None) -> str:
    """Lower-case words with abbreviations expanded, accents, punctuation and stopwords dropped.

    >>> normalize("St Bernards Med Ctr")
    'saint bernards medical center'
    >>> normalize("Loma LInda University Health Education Consortium Program")
    'loma linda university health education consortium'
    """
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    # "St. Joseph's" → "st josephs": drop apostrophes inside words before splitting.
    ascii_text = ascii_text.lower().replace("'", "").replace("’", "")
    words: list[str] = []
    for word in _NON_WORD.split(ascii_text):
        if not word or word in _STOPWORDS:
            continue
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(words)


def similarity(a: str, b: str) -> float:
    """Fuzzy similarity 0-1 of two normalised names (token-set ratio, robust to word order)."""
    from rapidfuzz import fuzz

    if not a or not b:
        return 0.0
    return float(fuzz.token_set_ratio(a, b)) / 100.0


def acronym(text: str) -> str:
    """Initials of a normalised name's words ("sutter roseville medical center" → "srmc")."""
    return "".join(w[0] for w in text.split() if w)


class TokenWeights:
    """Inverse document frequency of name words, so "medical" counts less than "roseville"."""

    def __init__(self, documents: list[str]) -> None:
        df: dict[str, int] = {}
        for doc in documents:
            for tok in set(doc.split()):
                df[tok] = df.get(tok, 0) + 1
        self._n = max(len(documents), 1)
        self._idf = {t: _idf(self._n, c) for t, c in df.items()}

    def weight(self, token: str) -> float:
        """IDF of a word (rare or unseen words weigh most)."""
        return self._idf.get(token, _idf(self._n, 1))

    def coverage(self, needle: str, haystack: str) -> float:
        """Weighted share (0-1) of ``needle``'s words found in ``haystack``.

        A word matches exactly or as a prefix of at least four letters ("joseph"/"josephs").
        """
        words = needle.split()
        if not words:
            return 0.0
        hay = set(haystack.split())
        total = found = 0.0
        for w in words:
            weight = self.weight(w)
            total += weight
            if w in hay or (
                len(w) >= 4
                and any(len(h) >= 4 and (h.startswith(w) or w.startswith(h)) for h in hay)
            ):
                found += weight
        return found / total


def _idf(n: int, count: int) -> float:
    import math

    return math.log((n + 1) / (count + 0.5))


#: Words are compared on their first letters only, so "josephs" meets "joseph" and
#: "healthcare" meets "health" (a cheap, vectorisable stand-in for prefix matching).
STEM_LENGTH = 5


def _stems(text: str) -> set[str]:
    """Word stems of a normalised name; single letters (initials: "B I Deaconess") are dropped."""
    return {w[:STEM_LENGTH] for w in text.split() if len(w) > 1}


def coverage_matrix(needles: Sequence[str], haystacks: Sequence[str]) -> np.ndarray:
    """IDF-weighted share (0-1) of each needle's word stems found in each haystack.

    Returns an array of shape ``(len(needles), len(haystacks))``; the IDF is computed over
    needles and haystacks together, so a word common to many names ("medical") weighs little.
    One sparse matrix product: no Python loop over pairs.
    """
    from scipy import sparse

    n_docs = [_stems(t) for t in needles]
    # a short needle word ("penn", "mercy") also meets a longer haystack word it begins
    # ("pennsylvania", "mercyone"): haystacks carry their words' 4-letter prefixes too
    h_docs = [_stems(t) | {w[:4] for w in t.split() if len(w) > 4} for t in haystacks]
    vocab: dict[str, int] = {}
    df: list[int] = []
    for doc in (*n_docs, *h_docs):
        for stem in doc:
            k = vocab.setdefault(stem, len(vocab))
            if k == len(df):
                df.append(0)
            df[k] += 1
    n = max(len(n_docs) + len(h_docs), 1)
    idf = np.log((n + 1) / (np.asarray(df, dtype=float) + 0.5)) if df else np.zeros(0)

    def incidence(docs: list[set[str]], values: np.ndarray | None) -> sparse.csr_matrix:
        rows = [i for i, d in enumerate(docs) for _ in d]
        cols = [vocab[s] for d in docs for s in d]
        data = values[cols] if values is not None else np.ones(len(cols))
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(docs), len(vocab)))

    weighted = incidence(n_docs, idf)
    present = incidence(h_docs, None)
    found = np.asarray((weighted @ present.T).todense(), dtype=float)
    total = np.asarray(weighted.sum(axis=1), dtype=float).reshape(-1, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, found / np.where(total > 0, total, 1.0), 0.0)
    return out
