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
_BAND_MIX = np.array([pow(0x9E3779B97F4A7C15, k + 1, 2**64) for k in range(ROWS)], dtype=np.uint64)

# The shingle hash is sum(c[i+k] * P**k for k < NGRAM) mod 2^64, folded to 32 bits (low ^ high).
_P = 0x100000001B3
_P1, _P2 = np.uint64(_P), np.uint64(_P * _P % 2**64)
assert NGRAM == 5, "_shingle_hashes spells out the 5-gram: (c0 + c1 P) + (c2 + c3 P) P^2 + c4 P^4"

# Whitespace removed before shingling: " \t\r\n\f\v", U+3000 and U+00A0. All are <= U+0020 except
# the last two, so one compare finds the candidates (two more when a wide space occurs at all) and
# _WS_LUT tells the whitespace among them, the wide spaces clamped to U+0020.
_WS_LUT = np.zeros(33, dtype=bool)
_WS_LUT[[ord(c) for c in " \t\r\n\f\v"]] = True
# Shingles s-4 .. s-1 run into a line that starts at kept character s; in a mask offset by NGRAM
# (so that no index is negative) they are s+4 .. s+1.
_CROSS = np.arange(NGRAM - 1, 0, -1)

# numpy's ufuncs copy broadcast operands through their buffer (np.getbufsize(), 8192 elements by
# default) when the rows are shorter than a third (multiply) or half (in-place add) of it, and the
# NUM_PERM x shingles arithmetic then runs 3x slower: documents with fewer shingles than half the
# buffer get a small one (the arithmetic needs no casting, so the buffer is never needed).
_SMALL_BUFSIZE = 64

# Band keys are computed on flat arrays (k signatures x NUM_PERM values), with the per-value
# constants tiled once here: a broadcast costs more than the arithmetic on these small arrays.
_FLAT_SIGS = 256
_MIX_FLAT = np.tile(_BAND_MIX, BANDS * _FLAT_SIGS)
_BAND_FLAT = np.tile(np.arange(BANDS, dtype=np.uint64), _FLAT_SIGS)


def _band_keys(sig: np.ndarray) -> list[list[int]]:
    """One 63-bit key per band (band index mixed in) of each row of a k x NUM_PERM uint32 array.

    key = (sum of the band's ROWS values times _BAND_MIX + band index) mod 2^64 >> 1, for all
    rows in one pass: one call per document instead of one per paragraph.
    """
    k = len(sig)
    x = sig.reshape(-1).astype(np.uint64)
    if k <= _FLAT_SIGS:
        x *= _MIX_FLAT[: k * NUM_PERM]
        band = _BAND_FLAT[: k * BANDS]
    else:
        x *= np.tile(_BAND_MIX, BANDS * k)
        band = np.tile(np.arange(BANDS, dtype=np.uint64), k)
    keys = x[0::ROWS] + x[1::ROWS]
    for r in range(2, ROWS):
        keys += x[r::ROWS]
    keys += band
    keys >>= 1
    return keys.reshape(k, BANDS).tolist()


def _shingle_hashes(c: np.ndarray) -> np.ndarray:
    """32-bit hash of every NGRAM-gram of ``c`` (code points as uint64); uint64 arithmetic wraps mod 2^64.

    Grouping the characters in pairs takes 3 array multiplications (Horner's rule takes 4, and
    numpy has no native 64-bit vector multiply on AVX2).
    """
    n = len(c) - NGRAM + 1
    pairs = c[1:] * _P1
    pairs += c[:-1]  # c[i] + c[i+1] P
    h = c[NGRAM - 1 :] * _P2
    h += pairs[2 : 2 + n]
    h *= _P2
    h += pairs[:n]
    halves = h.view(np.uint32)  # low ^ high 32 bits, in either byte order
    return halves[0::2] ^ halves[1::2]


def _line_minima(h: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """NUM_PERM x lines: the MinHash of each line, whose shingle hashes are ``h[starts[i]:starts[i+1]]``."""
    v = np.multiply(_A, h)  # NUM_PERM x shingles; x -> a*x+b mod 2^32, a odd: a bijection
    v += _B
    return np.minimum.reduceat(v, starts, axis=1)


def signatures(text: str) -> dict | None:
    """Band keys of a document and of each long enough paragraph.

    Returns ``{"bands": [...] | None, "paras": [[start, end, bands], ...]}``
    (spans are code-point offsets of the paragraph line in ``text``) or None
    when nothing is long enough to index. One vectorised pass over the whole
    text: shingles that cross a line end are dropped, the per-line minima
    come from one ``np.minimum.reduceat`` and the band keys of all the
    paragraphs and of the document from one :func:`_band_keys`. The line
    structure is computed from the line-end positions alone (a page has a
    few dozen lines and thousands of characters), and the number of numpy
    calls is kept small: their fixed cost is a good part of the total.
    """
    if len(text) < NGRAM:
        return None
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if text.find("\u3000") < 0 and text.find("\xa0") < 0:  # (str.find is faster than a numpy compare)
        cand = (cps <= 32).nonzero()[0]
        cv = cps[cand]
    else:
        cand = ((cps <= 32) | (cps == 0xA0) | (cps == 0x3000)).nonzero()[0]
        cv = np.minimum(cps[cand], 32)
    is_ws = _WS_LUT[cv]
    ws = cand[is_ws]  # positions of the whitespace in text
    is_nl = cv[is_ws] == 10
    nl = ws[is_nl]  # positions of the line ends in text
    keep = np.ones(len(cps), dtype=bool)
    keep[ws] = False
    c = cps[keep].astype(np.uint64)
    doc_chars = len(c)
    n = doc_chars - NGRAM + 1  # shingles, before dropping those across line ends
    if n <= 0:
        return None
    lines = len(nl) + 1
    line_start = np.empty(lines + 1, dtype=np.intp)  # in c; a line's chars are line_start[l]:line_start[l+1]
    line_start[0], line_start[lines] = 0, doc_chars
    np.subtract(nl, is_nl.nonzero()[0], out=line_start[1:lines])  # minus the whitespace before each line end
    chars = line_start[1:] - line_start[:-1]  # non-space characters per line
    shingles = chars - (NGRAM - 1)
    np.maximum(shingles, 0, out=shingles)
    with_shingles = shingles.nonzero()[0]  # the lines that get a MinHash
    if not len(with_shingles):
        return None
    crossing = np.zeros(doc_chars + NGRAM, dtype=bool)  # offset by NGRAM: no negative indices
    crossing[(line_start[1:lines, None] + _CROSS).ravel()] = True
    h = _shingle_hashes(c)[~crossing[NGRAM : NGRAM + n]]  # grouped by line, in line order
    first = shingles.cumsum()
    first -= shingles  # index in h of each line's first shingle
    if 2 * len(h) < np.getbufsize():
        bufsize = np.setbufsize(_SMALL_BUFSIZE)  # (per thread)
        try:
            per_line = _line_minima(h, first[with_shingles])
        finally:
            np.setbufsize(bufsize)
    else:
        per_line = _line_minima(h, first[with_shingles])
    long_ = (chars[with_shingles] >= MIN_PARA_CHARS).nonzero()[0]
    k = len(long_)
    if doc_chars < MIN_DOC_CHARS and not k:
        return None
    per_line = np.ascontiguousarray(per_line.T)  # a row per line: picking rows and reducing over them is cheap
    sig = np.empty((k + 1, NUM_PERM), dtype=np.uint32)  # the paragraphs' MinHashes, then the document's
    per_line.take(long_, axis=0, out=sig[:k])
    np.minimum.reduce(per_line, out=sig[k])
    keys = _band_keys(sig)
    bounds = [-1, *nl.tolist(), len(text)]  # line l spans bounds[l] + 1 .. bounds[l + 1]
    paras = [[bounds[l] + 1, bounds[l + 1], b] for l, b in zip(with_shingles[long_].tolist(), keys)]
    return {"bands": keys[k] if doc_chars >= MIN_DOC_CHARS else None, "paras": paras}


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


# Pairs this long (both texts together) are first tested against an upper bound.
_BOUND_MIN_CHARS = 2000


def similarity_bound(a: str, b: str) -> float:
    """An upper bound of :func:`similarity`, from the characters alone.

    The normalised Indel similarity is 2 LCS / (len a + len b), and the
    longest common subsequence uses each character at most as often as the
    rarer of the two texts has it: the sum over characters of the smaller
    count bounds it. Characters beyond U+FFFF share one count, which only
    raises the bound. Two pages of one paper share paragraphs (so their
    MinHashes meet in a band) but rarely 85% of their characters: on the
    benchmark's reprints this rules out nine in ten document pairs for about a
    twentieth of what the Indel distance of two whole pages costs.
    """
    ca = np.bincount(np.minimum(np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32), 0xFFFF), minlength=0x10000)
    cb = np.bincount(np.minimum(np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32), 0xFFFF), minlength=0x10000)
    common = int(np.minimum(ca, cb, out=ca).sum())
    return 2 * common / (len(a) + len(b))


def verified_similarity(a: str, b: str, min_similarity: float = MIN_SIMILARITY) -> float | None:
    """:func:`similarity` when it is at least ``min_similarity``, else None.

    Long pairs whose :func:`similarity_bound` is already below the threshold
    are refused without the Indel distance (a few ms for two pages)."""
    if len(a) + len(b) >= _BOUND_MIN_CHARS and similarity_bound(a, b) < min_similarity:
        return None
    s = similarity(a, b)
    return s if s >= min_similarity else None


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
            s = verified_similarity(text_of(it), text_of(other), min_similarity)
            if s is not None:
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
