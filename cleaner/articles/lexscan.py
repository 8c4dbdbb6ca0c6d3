"""Content terms of many texts at once, with the lexicon lookups in numpy.

:func:`cleaner.articles.segment._words_fast` looks every substring of 2–4
characters of a draft up in the word table, one Python object and one dict
lookup each: that was most of the time of the article stage. Here the texts
of an issue are scanned together: the characters that occur in the words of
2–4 characters are numbered 1..K (every other character is 0, so a window
holding one is no word), each window of 2, 3 or 4 characters becomes one
integer, and all the windows are looked up at once in a hash table of the
words' integers. The name-like trigrams and the names of bodies follow from
the same arrays. The result is the one of ``_words_slow`` + ``_org_terms``
(the reference), text by text.

The table is built once per process and word list (about 0.2 s and 15 MB for
jieba's dictionary); nothing else is kept between calls.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from ..text import CJK

_BMP = 0x10000


def _class_table(chars: str) -> np.ndarray:
    """Boolean table over the BMP of a regex character class body (``a-z...``)."""
    table = np.zeros(_BMP, dtype=bool)
    i = 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            lo, hi = ord(chars[i]), ord(chars[i + 2])
            i += 3
        else:
            lo = hi = ord(chars[i])
            i += 1
        if hi >= _BMP:  # the tables below assume classes of the BMP
            raise ValueError("character class outside the BMP")
        table[lo:hi + 1] = True
    return table


_IS_CJK = _class_table(CJK)
_IS_CJK[_BMP - 1] = False  # code points past the BMP are clipped onto U+FFFF


_FEW = 64  # queries left for which the remaining probes are done at once


class _HashIndex:
    """Open-addressing hash table (linear probing) from nonzero int64 keys to
    their position, looked up for a whole array of queries at a time: a few
    gathers instead of the cache misses of ``np.searchsorted``'s binary search."""

    _MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key * 2^64/phi

    def __init__(self, keys: np.ndarray) -> None:
        size_bits = max(4, (3 * len(keys)).bit_length())  # load factor 1/6 to 1/3
        self.shift = np.uint64(64 - size_bits)
        self.mask = (1 << size_bits) - 1
        self.slot_key = np.zeros(1 << size_bits, dtype=np.uint64)  # 0: empty (no key is 0)
        self.slot_val = np.full(1 << size_bits, -1, dtype=np.int32)
        ukeys = keys.astype(np.uint64)
        home = self._home(ukeys)
        pending = np.arange(len(keys))
        self.max_probe = 0
        probe = 0
        while len(pending):
            slot = (home[pending] + probe) & self.mask
            free = self.slot_key[slot] == 0
            cand, who = slot[free], pending[free]
            self.slot_key[cand] = ukeys[who]  # keys on the same free slot: one of them gets it
            won = self.slot_key[cand] == ukeys[who]
            self.slot_val[cand[won]] = who[won]
            self.max_probe = probe
            placed = np.zeros(len(pending), dtype=bool)
            placed[np.flatnonzero(free)[won]] = True
            pending = pending[~placed]
            probe += 1

    def _home(self, ukeys: np.ndarray) -> np.ndarray:
        return ((ukeys * self._MULT) >> self.shift).astype(np.int64)

    def find(self, q: np.ndarray) -> np.ndarray:
        """Position of each query among the keys, -1 when it is none of them."""
        uq = q.view(np.uint64)
        slot = self._home(uq)
        at = self.slot_key[slot]
        match = at == uq
        out = np.full(len(q), -1, dtype=np.int64)
        hit = np.flatnonzero(match)
        out[hit] = self.slot_val[slot[hit]]
        # the others walk on from their home slot until an empty one: slot by
        # slot while many are left, then the few left over all their slots at once
        pending = np.flatnonzero((at != 0) & ~match)
        pslot = slot[pending]
        for probe in range(1, self.max_probe + 1):
            if len(pending) <= _FEW:
                if len(pending):
                    self._rest(uq, out, pending, pslot, probe)
                break
            pslot = (pslot + 1) & self.mask
            at = self.slot_key[pslot]
            match = at == uq[pending]
            out[pending[match]] = self.slot_val[pslot[match]]
            keep = (at != 0) & ~match
            pending, pslot = pending[keep], pslot[keep]
        return out

    def _rest(self, uq: np.ndarray, out: np.ndarray, pending: np.ndarray, pslot: np.ndarray, probe: int) -> None:
        """The probes ``probe``..max_probe of a few queries, as one 2-d gather (a key
        sits at most ``max_probe`` slots past its home)."""
        steps = np.arange(1, self.max_probe - probe + 2)
        slots = (pslot[:, None] + steps) & self.mask
        # keys are unique and a key's walk has no empty slot: any equal key is the one
        rows, cols = np.nonzero(self.slot_key[slots] == uq[pending, None])
        out[pending[rows]] = self.slot_val[slots[rows, cols]]


@dataclass(frozen=True)
class WordTable:
    """The words of 2, 3 and 4 characters of one word → frequency table, as
    integers (``bits`` per character, characters numbered by ``code``)."""

    bits: int
    code: np.ndarray  # code point → character number; the last entry (0) for every code point past the table
    index: tuple[_HashIndex, _HashIndex, _HashIndex]  # per length 2, 3, 4: window integer → word number
    rare: tuple[np.ndarray, np.ndarray, np.ndarray]  # per word number: 0 < frequency < 3000 (False at -1)
    words: tuple[np.ndarray, np.ndarray, np.ndarray]  # per word number: the word (object arrays)


def _utf32(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def build_table(freqs: dict[str, int]) -> WordTable | None:
    """The table of ``freqs``, or None when its characters do not fit 4 to an int64."""
    all_words = list(freqs)
    lens = np.fromiter(map(len, all_words), dtype=np.int64, count=len(all_words))
    fvals = np.fromiter(freqs.values(), dtype=np.float64, count=len(all_words))
    all_rare = (fvals > 0) & (fvals < 3000)
    objs = np.empty(len(all_words), dtype=object)
    objs[:] = all_words
    starts = np.cumsum(lens) - lens  # of each word in the words joined
    all_cps = _utf32("".join(all_words))
    sel = {n: np.flatnonzero(lens == n) for n in (2, 3, 4)}
    words = {n: objs[sel[n]] for n in sel}
    cps = {n: all_cps[starts[sel[n], None] + np.arange(n)] for n in sel}  # (words, n) code points
    seen = np.zeros(0x110000, dtype=bool)
    for c in cps.values():
        seen[c.ravel()] = True
    alphabet = np.flatnonzero(seen)
    bits = max(1, int(len(alphabet)).bit_length())
    if 4 * bits > 63:
        return None
    size = max(_BMP, int(alphabet[-1]) + 1 if len(alphabet) else 0) + 1
    code = np.zeros(size, dtype=np.int64)
    code[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.int64)
    index, rare, found = [], [], []
    for n in (2, 3, 4):
        c = code[cps[n]]
        k = np.zeros(len(c), dtype=np.int64)
        for j in range(n):
            k = (k << bits) | c[:, j]
        index.append(_HashIndex(k))
        # one more entry, at -1 (a window that is no word): not rare, no word
        rare.append(np.append(all_rare[sel[n]], False))
        found.append(np.append(words[n], np.array([""], dtype=object)))
    return WordTable(bits, code, tuple(index), tuple(rare), tuple(found))  # type: ignore[arg-type]


_TABLES: list[tuple[dict, int, int, WordTable | None]] = []


def word_table(freqs: dict[str, int], total: int) -> WordTable | None:
    """:func:`build_table` once per word table (rebuilt when words are added:
    ``total`` is the lexicon's sum of frequencies); at most two are kept."""
    for table, size, tot, wt in _TABLES:
        if table is freqs and size == len(freqs) and tot == total:
            return wt
    wt = build_table(freqs)
    del _TABLES[:-1]
    _TABLES.append((freqs, len(freqs), total, wt))
    return wt


def _shift(a: np.ndarray, d: int, n: int) -> np.ndarray:
    """``b[x] = a[x + d]`` for x in range(n), False outside ``a``."""
    out = np.zeros(n, dtype=bool)
    lo, hi = max(0, -d), min(n, len(a) - d)
    if hi > lo:
        out[lo:hi] = a[lo + d:hi + d]
    return out


def scan(texts: list[str], table: WordTable, function_chars: str, org_suffix: re.Pattern[str]) -> list[frozenset[str]]:
    """Per text: its lexicon words of 2–4 CJK characters with 0 < frequency < 3000;
    its name-like trigrams (3 CJK characters, not starting or ending with a
    function character, overlapped by no word of 2–4 characters); and its names
    of bodies: every run of 5–14 CJK characters ending where a match of
    ``org_suffix`` ends."""
    out: list[list[list[str]]] = [[] for _ in texts]  # per text: runs of its terms, with repeats
    joined = "\n".join(texts)  # a separator is in no window of CJK characters nor in any word (see below)
    n = len(joined)
    if n < 2:
        return [frozenset() for _ in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    cp = _utf32(joined)
    c = table.code[np.minimum(cp, len(table.code) - 1)]
    c[starts[1:] - 1] = 0  # the separators are in no word, whatever the lexicon holds
    bmp = np.minimum(cp, _BMP - 1)
    cjk = _IS_CJK[bmp]
    b = table.bits
    # windows starting at p: k<L>[p] stands for joined[p:p + L] (0 for a character in no word)
    k2 = (c[:-1] << b) | c[1:]
    k3 = (k2[:-1] << b) | c[2:]
    k4 = (k3[:-1] << b) | c[3:]
    cjk2 = cjk[:-1] & cjk[1:]
    cjk3 = cjk2[:-1] & cjk[2:]
    found = []
    for size, q, all_cjk in ((2, k2, cjk2), (3, k3, cjk3), (4, k4, cjk3[:-1] & cjk[3:])):
        idx = table.index[size - 2].find(q)
        found.append(idx >= 0)
        take = np.flatnonzero(all_cjk & table.rare[size - 2][idx])
        _add_by_text(out, starts, take, table.words[size - 2][idx[take]].tolist())
    # name-like trigrams at a: no word of 2-4 characters starting in a-3..a+2
    # and reaching past a (any word starting in a-1..a+2, one of 3-4 at a-2, of 4 at a-3)
    w2, w3, w4 = found
    m = len(k3)
    if m:
        any_word = _shift(w2, 0, n) | _shift(w3, 0, n) | _shift(w4, 0, n)
        long_word = _shift(w3, 0, n) | _shift(w4, 0, n)
        blocked = (_shift(any_word, -1, m) | any_word[:m] | _shift(any_word, 1, m) | _shift(any_word, 2, m)
                   | _shift(long_word, -2, m) | _shift(w4, -3, m))
        func = np.zeros(_BMP, dtype=bool)
        func[[ord(ch) for ch in function_chars]] = True
        fb = func[bmp]
        take = np.flatnonzero(cjk3 & ~blocked & ~fb[:m] & ~fb[2:2 + m])
        if len(take):
            # one slice per distinct trigram of a text (CJK code points are below 2^16)
            u = bmp.astype(np.int64)
            key = (u[take] << 32) | (u[take + 1] << 16) | u[take + 2]
            text = np.searchsorted(starts, take, side="right") - 1
            order = np.lexsort((key, text))
            new = np.ones(len(order), dtype=bool)
            new[1:] = (key[order[1:]] != key[order[:-1]]) | (text[order[1:]] != text[order[:-1]])
            take = take[np.sort(order[new])]
            _add_by_text(out, starts, take, [joined[a:a + 3] for a in take.tolist()])
    # names of bodies: s[i:j] for the CJK characters s[i:j - 5] (at most 14 back) before a suffix ending at j
    ends = [mt.end() for mt in org_suffix.finditer(joined)]
    if ends:
        j = np.array(ends, dtype=np.int64)
        pos = np.arange(n, dtype=np.int64)
        run_start = np.maximum.accumulate(np.where(cjk, 0, pos + 1))  # start of the CJK run holding p
        lo = np.maximum(run_start[j - 1], j - 14)
        count = np.maximum(j - 4 - lo, 0)
        jj = np.repeat(j, count)
        ii = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(len(jj))
        _add_by_text(out, starts, jj - 1, [joined[a:z] for a, z in zip(ii.tolist(), jj.tolist())])
    return [frozenset(itertools.chain.from_iterable(runs)) for runs in out]


def _add_by_text(out: list[list[list[str]]], starts: np.ndarray, pos: np.ndarray, items: list[str]) -> None:
    """Give each text the run of ``items`` found in it (``items[k]`` is at ``pos[k]``
    of the joined texts, ascending)."""
    if not len(pos):
        return
    bounds = np.searchsorted(pos, starts).tolist() + [len(pos)]
    for t in range(len(out)):
        if bounds[t] < bounds[t + 1]:
            out[t].append(items[bounds[t]:bounds[t + 1]])
