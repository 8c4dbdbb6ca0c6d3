"""Near-duplicate paragraphs and documents across a dump: MinHash LSH.

Shingles are character 5-grams (:data:`NGRAM`) of the text with whitespace
removed: Chinese has no spaces between words, so splitting on ``\\W`` would
make one shingle of a whole sentence; character n-grams also survive OCR
reflow. Each paragraph (a non-empty line) gets a MinHash of
:data:`NUM_PERM` = :data:`BANDS` x :data:`ROWS` values (multiply-add hashing
mod 2^32 of a rolling 5-gram hash, vectorised with numpy, deterministic across
processes); a document's signature is the element-wise minimum of its
paragraphs' (MinHash of a union). Items whose signatures agree on all rows of
any one band land in the same bucket (banding: P(candidate) = 1-(1-J^4)^16,
about 0.64 at Jaccard 0.5, 0.97 at 0.7), so the cost is linear in the dump:
each item is looked up in 16 hash buckets, never compared with every other.
Every candidate pair is verified with rapidfuzz (normalised Indel similarity
>= :data:`MIN_SIMILARITY`) before it joins a cluster.

Documents shorter than :data:`MIN_DOC_CHARS` and paragraphs shorter than
:data:`MIN_PARA_CHARS` (non-space characters) are not indexed. Paragraph
pairs inside one document are left to the DUP rules, and paragraph pairs of
two documents that are already near-duplicates of each other are not
reported again. The index holds 16 integers per indexed item: it is the one
structure of a batch run that grows with the dump (reported separately).

The survivor of a cluster is its earliest member in the run's order (input
paths sorted, then position in the file): ``--dedup`` keeps it and removes
the later copies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

NGRAM = 5
BANDS = 16
ROWS = 4
NUM_PERM = BANDS * ROWS
MIN_SIMILARITY = 0.85
MIN_PARA_CHARS = 40
MIN_DOC_CHARS = 80

_rng = np.random.default_rng(20240607)  # fixed: signatures must agree across processes and runs
_A = (_rng.integers(1, 2**32, NUM_PERM, dtype=np.uint64) | np.uint64(1)).astype(np.uint32).reshape(NUM_PERM, 1)
_B = _rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32).reshape(NUM_PERM, 1)
_POW = np.array([pow(0x100000001B3, k, 2**64) for k in range(NGRAM)], dtype=np.uint64)
_BAND_MIX = np.array([pow(0x9E3779B97F4A7C15, k + 1, 2**64) for k in range(ROWS)], dtype=np.uint64)
_WS = np.array([ord(c) for c in " \t\r\n\f\v\u3000\u00a0"], dtype=np.uint32)


def _bands(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band (band index mixed in)."""
    m = sig.astype(np.uint64).reshape(BANDS, ROWS) * _BAND_MIX
    keys = (m.sum(axis=1) + np.arange(BANDS, dtype=np.uint64)) >> np.uint64(1)
    return [int(k) for k in keys]


def signatures(text: str) -> dict | None:
    """Band keys of a document and of each long enough paragraph.

    Returns ``{"bands": [...] | None, "paras": [[start, end, bands], ...]}``
    (spans are code-point offsets of the paragraph line in ``text``) or None
    when nothing is long enough to index. One vectorised pass over the whole
    text: shingles that cross a line end are dropped, and the per-line minima
    come from one ``np.minimum.reduceat``.
    """
    if len(text) < NGRAM:
        return None
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    line_no = np.cumsum(cps == 10)  # paragraph number of every character
    keep = ~np.isin(cps, _WS)
    c = cps[keep].astype(np.uint64)
    ln = line_no[keep]
    n = len(c) - NGRAM + 1
    if n <= 0:
        return None
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(NGRAM):
            h += c[k : k + n] * _POW[k]
    h ^= h >> np.uint64(32)
    inside = ln[:n] == ln[NGRAM - 1 :]
    h, hl = h[inside].astype(np.uint32), ln[:n][inside]
    if len(h) == 0:
        return None
    v = np.multiply(_A, h)  # NUM_PERM x shingles; x -> a*x+b mod 2^32, a odd: a bijection
    v += _B
    starts = np.flatnonzero(np.r_[True, hl[1:] != hl[:-1]])
    per_line = np.minimum.reduceat(v, starts, axis=1)  # NUM_PERM x lines with shingles
    lines_with = hl[starts]
    chars_per_line = np.bincount(ln, minlength=int(line_no[-1]) + 1)
    doc_chars = int(len(c))
    paras: list[list] = []
    long_lines = [i for i, l in enumerate(lines_with.tolist()) if chars_per_line[l] >= MIN_PARA_CHARS]
    if long_lines:
        offsets = _line_offsets(text)
        for i in long_lines:
            l = int(lines_with[i])
            s, e = offsets[l], offsets[l + 1] - 1
            paras.append([s, e, _bands(per_line[:, i])])
    if doc_chars < MIN_DOC_CHARS and not paras:
        return None
    return {"bands": _bands(per_line.min(axis=1)) if doc_chars >= MIN_DOC_CHARS else None, "paras": paras}


def _line_offsets(text: str) -> list[int]:
    """Start offset of every line, plus len(text)+1 at the end."""
    out = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        out.append(i + 1)
        i = find("\n", i + 1)
    out.append(len(text) + 1)
    return out


# --------------------------------------------------------------------------- clustering

Ref = tuple[int, int, int]  # (unit number in run order, document number in unit, paragraph number or -1)


@dataclass
class Item:
    ref: Ref
    path: str  # the document's name in outputs
    start: int
    end: int  # span in the cleaned document (the whole document for -1)
    bands: list[int]


@dataclass
class Clusters:
    """Verified near-duplicate groups; the first member of each is the survivor."""

    documents: list[list[tuple[Item, float]]] = field(default_factory=list)
    paragraphs: list[list[tuple[Item, float]]] = field(default_factory=list)
    index_items: int = 0
    candidates: int = 0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Ref, Ref] = {}

    def find(self, x: Ref) -> Ref:
        p = self.parent.get(x, x)
        if p == x:
            return x
        root = self.find(p)
        self.parent[x] = root
        return root

    def union(self, a: Ref, b: Ref) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the earlier ref stays the root: it is the survivor
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo


def similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))


def find_clusters(items: Iterable[Item], text_of: Callable[[Item], str],
                  min_similarity: float = MIN_SIMILARITY) -> Clusters:
    """Cluster ``items`` (given in run order; each document before its paragraphs).

    Each item is compared with the first item of each bucket it falls in
    (at most :data:`BANDS` verifications per item, so linear cost); verified
    pairs are joined with union-find, so chains of reprints form one cluster.
    """
    buckets: dict[int, Item] = {}
    uf = _UnionFind()
    members: dict[Ref, Item] = {}
    sims: dict[Ref, float] = {}
    out = Clusters()
    for it in items:
        out.index_items += 1
        tried: set[Ref] = set()
        for key in it.bands:
            other = buckets.get(key)
            if other is None:
                buckets[key] = it
                continue
            if other.ref in tried or not _comparable(it, other, uf):
                continue
            tried.add(other.ref)
            out.candidates += 1
            s = similarity(text_of(it), text_of(other))
            if s >= min_similarity:
                uf.union(it.ref, other.ref)
                members[it.ref], members[other.ref] = it, other
                sims[it.ref] = max(sims.get(it.ref, 0.0), s)
                break
    groups: dict[Ref, list[Ref]] = {}
    for ref in members:
        groups.setdefault(uf.find(ref), []).append(ref)
    for root in sorted(groups):
        refs = sorted(groups[root])
        cluster = [(members[r], 1.0 if i == 0 else round(sims.get(r, 1.0), 4)) for i, r in enumerate(refs)]
        (out.paragraphs if root[2] >= 0 else out.documents).append(cluster)
    return out


def _comparable(a: Item, b: Item, uf: _UnionFind) -> bool:
    if (a.ref[2] < 0) != (b.ref[2] < 0):
        return False  # documents with documents, paragraphs with paragraphs
    if a.ref[2] < 0:
        return True
    da, db = (a.ref[0], a.ref[1], -1), (b.ref[0], b.ref[1], -1)
    if da == db:
        return False  # within one document: the DUP rules' business
    return uf.find(da) != uf.find(db)  # already near-duplicate documents


def iter_items(unit_no: int, docs: list[dict]) -> Iterator[Item]:
    """Index items of one unit's documents (``{"path", "sig", "length"}``)."""
    for d_no, d in enumerate(docs):
        sig = d.get("sig")
        if not sig:
            continue
        if sig["bands"]:
            yield Item((unit_no, d_no, -1), d["path"], 0, d["length"], sig["bands"])
        for p_no, (s, e, bands) in enumerate(sig["paras"]):
            yield Item((unit_no, d_no, p_no), d["path"], s, e, bands)
