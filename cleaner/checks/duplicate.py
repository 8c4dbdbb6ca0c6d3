"""Duplicated paragraphs and sentences within one file.

Dumps repeat text: a paragraph printed twice, a sentence pasted again a few
lines later, a web summary block (核心提示：…) that repeats the opening of the
body. The later copy goes; the finding names the earlier copy (``related``
and the message give its line and column).

In a typical page nothing repeats, so each rule first establishes that with
a few C-speed operations over the whole text, and does Python work only on
the few candidates:

* the text is width-folded once per engine pass (see :class:`_Doc`); the
  paragraph keys come from one ``str.split``, the sentence keys from a few
  ``str.replace`` and one ``str.split`` (see :func:`_pieces`), and "no key
  repeats" is ``len(set(keys)) == len(keys)``;
* only when a key repeats are the offsets of its copies worked out, from the
  line that holds them;
* near-duplicate candidates must share an anchor (an ``ngram``-character
  slice at a fixed offset, taken with ``itemgetter``) with an earlier
  sentence; anchors shared by more than ``max_bucket`` sentences are ignored
  as formulaic. Only candidate pairs of similar length are scored with
  ``rapidfuzz.fuzz.ratio``;
* a summary block must be the start of the next paragraph (or open with a
  label): neighbouring paragraphs are compared with one ``map()``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate, compress, count, repeat
from operator import itemgetter
from typing import NamedTuple

from ..context import RuleContext
from ..model import Edit, Finding
from ..ruleset import Rule
from ..text import CLOSERS, TERMINAL
from .boilerplate import page, remove_line_edit

# Width folding, one character for one so offsets into the folded text are
# offsets into the text: full-width punctuation to ASCII, every kind of space
# to " ". Plain str.replace runs at memchr speed, far faster than translate.
_FOLD_PAIRS = (("，", ","), ("；", ";"), ("：", ":"), ("！", "!"), ("？", "?"), ("（", "("), ("）", ")"),
               ("\u3000", " "), ("\u00a0", " "), ("\t", " "))
_NOT_CONTENT = re.compile(r"\W")


def fold(s: str) -> str:
    """Punctuation width folded (，→ ,) and spaces unified; same length as ``s``."""
    for a, b in _FOLD_PAIRS:
        if a in s:
            s = s.replace(a, b)
    return s


def norm(s: str) -> str:
    """Comparison key: punctuation width folded, spaces removed."""
    return fold(s).replace(" ", "")


def _weight(s: str) -> int:
    """Number of letters, digits and CJK characters (punctuation not counted).

    Counted as the length minus the non-word characters: ``\\W`` is the exact
    complement of ``\\w`` and there are far fewer of them to collect."""
    return len(s) - len(_NOT_CONTENT.findall(s))


class Sentence(NamedTuple):
    """A sentence: ``start``/``end`` offsets into the text and its comparison ``key``.
    Built only where offsets are needed (a repeat, a near-duplicate finding)."""

    start: int
    end: int
    key: str


_new = tuple.__new__  # builds a NamedTuple 4x faster than its own __new__ (a Python function)


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, col {col}"


def _quote(s: str, n: int = 24) -> str:
    s = s.strip()
    return s if len(s) <= n else s[:n] + "…"


# The end of a sentence: a run of terminal marks and the closing quotes after
# it. A sentence is the stretch since the previous end or line break (see
# _PIECE), its leading spaces excluded.
_END = re.compile(f"[{re.escape(TERMINAL)}]+[{re.escape(CLOSERS)}]*")

# One piece of a folded text: a sentence (the stretch up to and including an
# end) or the rest of a line with its "\n". Each piece starts where the last
# one ended, so findall() is linear as long as the text ends with "\n".
_PIECE = re.compile(f"[^{re.escape(TERMINAL)}\\n]*(?:{_END.pattern}|\\n)")


def sentences(text: str, min_len: int = 0) -> list[Sentence]:
    """Sentences that end with terminal punctuation (closing quotes included),
    leading spaces excluded, with at least ``min_len`` characters in their key."""
    out = []
    end = 0
    for piece in _PIECE.findall(fold(text) + "\n"):
        end += len(piece)
        if piece[-1] != "\n":
            key = piece.replace(" ", "")
            if len(key) >= min_len:
                out.append(_new(Sentence, (end - len(piece.lstrip(" ")), end, key)))
    return out


# _PIECE's pieces cut with str methods, faster than its findall() (a regex
# tests every character against its classes; str.replace and split run at
# memchr speed): a mark after every terminal, then each mark moved to where
# its end (_END) ends: dropped before a terminal that follows (the run goes
# on), moved past the closing quotes that follow. One regex that starts with
# the mark, a literal, finds those places quickly. Spaces matter to where an
# end ends only before a terminal or closing quote ("。 ”" ends at "。"): a
# text without such a space is cut with its spaces already dropped.
# tests/test_duplicate_fastpath.py checks the pieces against _PIECE's.
_MARK = "\ue7e7"  # a private-use character; a text that holds one is cut by findall()
_FOLDED_TERMINALS = "".join(dict.fromkeys(fold(TERMINAL)))
_MARK_IN_END = re.compile(f"{_MARK}(?:([{re.escape(CLOSERS)}]+)|(?=[{re.escape(TERMINAL)}]))")
# "  *", not " +": a pattern that opens with a literal is searched for at memchr speed
_SPACE_IN_END = re.compile(f"  *[{re.escape(TERMINAL + CLOSERS)}]")


def _move_mark(m: re.Match[str]) -> str:
    closers = m[1]
    return closers + _MARK if closers else ""


def _pieces(folded: str, bare: str) -> list[str]:
    """The pieces (``_PIECE``) of the folded text (with a "\\n" appended),
    spaces dropped: the comparison keys of its sentences, in order, and the
    rest of each line, which ends with its "\\n" (a sentence holds none).
    ``bare`` is the folded text without its spaces."""
    if _MARK in folded:
        return [p.replace(" ", "") for p in _PIECE.findall(folded + "\n")]
    spaced = _SPACE_IN_END.search(folded) is not None
    s = folded if spaced else bare
    for t in _FOLDED_TERMINALS:
        if t in s:  # far cheaper than replace() on a text without t
            s = s.replace(t, t + _MARK)
    s = _MARK_IN_END.sub(_move_mark, s).replace("\n", "\n" + _MARK)
    pieces = (s.replace(" ", "") if spaced else s).split(_MARK)
    pieces[-1] += "\n"  # the rest of the last line
    return pieces


class _Doc:
    """What the DUP rules need from one text, each part computed on first use
    with a few C-speed operations over the whole text; cached for the last
    text (every rule of one engine pass sees the same string). Shared by the
    rules: do not modify what it returns.

    ``folded`` is :func:`fold` of the text; folding maps one character to one
    and never touches "\\n", so its lines and offsets are those of the text.
    """

    __slots__ = ("text", "folded", "_bare", "_paras", "_pieces", "_repeats", "_rests", "_lines", "_starts",
                 "_line_pieces", "dup_paras")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self._bare: str | None = None
        self._paras: list[str] | None = None
        self._pieces: list[str] | None = None
        self._repeats: set[str] | None = None
        self._rests: list[int] | None = None
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None
        self._line_pieces: dict[int, list[str]] = {}  # line index → _PIECE.findall() of the line
        self.dup_paras: dict[int, dict[int, int]] = {}  # min_chars → _find_dup_paragraphs()

    @property
    def bare(self) -> str:
        """The folded text without spaces."""
        bare = self._bare
        if bare is None:
            bare = self._bare = self.folded.replace(" ", "")
        return bare

    @property
    def paras(self) -> list[str]:
        """The paragraph key of each line: the line stripped of spaces, "\\r"
        and BOM, spaces inside dropped ("" for a blank line). Dropping the
        spaces first and stripping the rest after gives the same key."""
        paras = self._paras
        if paras is None:
            paras = self.bare.split("\n")
            if "\r" in self.text or "\ufeff" in self.text:
                paras = [p.strip("\r\ufeff") for p in paras]
            self._paras = paras
        return paras

    @property
    def pieces(self) -> list[str]:
        """:func:`_pieces` of the text."""
        pieces = self._pieces
        if pieces is None:
            pieces = self._pieces = _pieces(self.folded, self.bare)
        return pieces

    @property
    def repeats(self) -> set[str]:
        """The sentence keys that occur more than once. In the common case no
        piece repeats but the empty rest of a line ("\\n"), which one
        ``set()`` shows."""
        repeats = self._repeats
        if repeats is None:
            pieces = self.pieces
            distinct = set(pieces)
            if len(distinct) - ("\n" in distinct) == len(pieces) - pieces.count("\n"):
                repeats = set()
            else:  # (a title that repeats is the rest of a line, with its "\n")
                repeats = {key for key, n in Counter(pieces).items() if n > 1 and key[-1] != "\n"}
            self._repeats = repeats
        return repeats

    @property
    def rests(self) -> list[int]:
        """The index in :attr:`pieces` of the rest of each line (its last piece)."""
        rests = self._rests
        if rests is None:
            rests = self._rests = list(compress(count(), map(str.endswith, self.pieces, repeat("\n"))))
        return rests

    @property
    def lines(self) -> list[str]:
        """The folded lines."""
        lines = self._lines
        if lines is None:
            lines = self._lines = self.folded.split("\n")
        return lines

    @property
    def starts(self) -> list[int]:
        """The start offset of each line."""
        starts = self._starts
        if starts is None:
            starts = list(accumulate([len(fl) + 1 for fl in self.lines], initial=0))
            starts.pop()
            self._starts = starts
        return starts

    def sentence(self, i: int) -> tuple[Sentence, int]:
        """The sentence of piece ``i`` (not the rest of a line) and the index
        of its line. Its offsets come from its line alone: pieces never run
        over a line break."""
        rests = self.rests
        line = bisect.bisect_left(rests, i)
        pieces = self._line_pieces.get(line)
        if pieces is None:
            pieces = self._line_pieces[line] = _PIECE.findall(self.lines[line] + "\n")
        j = i - (rests[line - 1] + 1 if line else 0)  # its index among the pieces of the line
        end = sum(map(len, pieces[: j + 1]))
        start = end - len(pieces[j].lstrip(" "))
        ls = self.starts[line]
        return _new(Sentence, (ls + start, ls + end, self.pieces[i])), line


_cache: _Doc | None = None


def _doc(text: str) -> _Doc:
    """The :class:`_Doc` of ``text``, cached for the last text."""
    global _cache
    c = _cache  # one read: another thread may replace the cache meanwhile
    if c is None or c.text is not text:
        c = _cache = _Doc(text)
    return c


# ------------------------------------------------------------------ DUP001 paragraphs


def _dup_paragraphs(text: str, min_chars: int) -> dict[int, int]:
    """Map paragraph line index → line index of its earlier identical copy;
    cached for the last text (DUP001 and DUP002 both ask); do not modify."""
    doc = _doc(text)
    dups = doc.dup_paras.get(min_chars)
    if dups is None:
        dups = doc.dup_paras[min_chars] = _find_dup_paragraphs(doc.paras, min_chars)
    return dups


def _find_dup_paragraphs(paras: list[str], min_chars: int) -> dict[int, int]:
    """A paragraph with ``min_chars`` letters has that many characters in its
    key, so shorter keys are never compared; in the common case no longer
    key repeats, which one ``set()`` shows."""
    keys = [key for key in paras if len(key) >= min_chars]
    if len(set(keys)) == len(keys):
        return {}  # no paragraph repeats (the common case, at C speed)
    # titles and labels may legitimately repeat: prose only
    repeated = {key for key, n in Counter(keys).items()
                if n > 1 and _weight(key) >= min_chars and any(c in key for c in ",.;!?。、")}
    first: dict[str, int] = {}
    dups: dict[int, int] = {}
    if repeated:
        for i, key in enumerate(paras):
            if key in repeated:
                j = first.setdefault(key, i)
                if j != i:
                    dups[i] = j
    return dups


def exact_paragraph(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A paragraph (line) identical to an earlier one, after width folding."""
    min_chars = int(rule.params.get("min_chars", 20))
    if len(text) < 2 * min_chars:
        return
    dups = _dup_paragraphs(text, min_chars)
    if not dups:
        return
    pg = page(text)
    for i, j in dups.items():
        a, b = pg.lines[j], pg.lines[i]
        yield rule.finding(
            b.start, b.end,
            f"paragraph repeats the one at {_where(text, a.start)}: “{_quote(a.text)}”",
            edits=[remove_line_edit(text, pg, i)],
            related=(a.start, a.end),
        )


# ------------------------------------------------------------------ DUP002 sentences


def exact_sentence(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A sentence identical to an earlier sentence of the file.

    Sentences need ``min_chars`` letters/digits/CJK characters, or only
    ``adjacent_min_chars`` when the copy follows its twin directly. The later
    copy is removed with its terminal punctuation. Copies further
    apart than ``safe_distance`` characters may sit in two different articles
    of the dump (a stock phrase quoted twice); their fix is unsafe.
    """
    p = rule.params
    min_chars = int(p.get("min_chars", 12))
    safe_distance = int(p.get("safe_distance", 3000))
    if len(text) < 2 * min_chars:
        return
    adjacent_min = int(p.get("adjacent_min_chars", 6))
    doc = _doc(text)
    shortest = min(min_chars, adjacent_min)
    repeated = {key for key in doc.repeats if len(key) >= shortest}
    if not repeated:
        return
    dup_paras = _dup_paragraphs(text, int(p.get("paragraph_min_chars", 20)))
    repeats = _repeated_sentences(doc, repeated, min_chars, adjacent_min, dup_paras)
    if not repeats:
        return
    pg = page(text)
    by_para: dict[int, list[tuple[Sentence, Sentence]]] = {}
    for s, o, pi in repeats:
        by_para.setdefault(pi, []).append((s, o))
    for pi, pairs in by_para.items():
        ln = pg.lines[pi]
        left = text[ln.start : ln.end]
        for s, _ in sorted(pairs, key=lambda x: -x[0].start):
            left = left[: s.start - ln.start] + left[s.end - ln.start :]
        if not left.strip():
            # every sentence of the paragraph is a repeat: the paragraph goes
            pairs = pairs[:1]
        for s, orig in pairs:
            far = s.start - orig.end > safe_distance
            edit = remove_line_edit(text, pg, pi) if not left.strip() else Edit(s.start, s.end, "")
            yield rule.finding(
                s.start, s.end,
                f"sentence repeats the one at {_where(text, orig.start)}: “{_quote(text[orig.start:orig.end])}”",
                edits=[edit],
                fix="unsafe" if far else "safe",
                confidence=0.7 if far else rule.confidence,
                related=(orig.start, orig.end),
                data={"distance": s.start - orig.end},
            )


def _repeated_sentences(doc: _Doc, repeated: set[str], min_chars: int, adjacent_min: int,
                        skip: dict[int, int]) -> list[tuple[Sentence, Sentence, int]]:
    """(later copy, first copy, line of the later copy) of the sentences with
    a key in ``repeated`` that repeat an earlier one, but in the lines of
    ``skip`` (copies of a whole paragraph, DUP001's): with ``min_chars``
    letters/digits/CJK characters, or ``adjacent_min`` when nothing but
    spaces separates the copy from its twin. Offsets are worked out for the
    copies that count only."""
    pieces, rests, text = doc.pieces, doc.rests, doc.text
    first: dict[str, int] = {}
    repeats: list[tuple[Sentence, Sentence, int]] = []
    for i in [i for i, key in enumerate(pieces) if key in repeated]:
        key = pieces[i]
        f = first.setdefault(key, i)
        if f == i:
            continue
        line = bisect.bisect_left(rests, i)
        if line in skip:
            continue
        w = _weight(key)
        if w < min_chars:
            if w < adjacent_min:
                continue
            s, o = doc.sentence(i)[0], doc.sentence(f)[0]
            if text[o.end : s.start].strip():
                continue  # a short sentence counts only when it follows its twin directly
        repeats.append((doc.sentence(i)[0], doc.sentence(f)[0], line))
    return repeats


# ------------------------------------------------------------------ DUP003 near duplicates

def _anchors(keys: list[str], n: int) -> tuple[list[str], ...]:
    """Candidate keys of sentences, one list per kind: four ``n``-character
    slices at fixed offsets, two counted from the start and two from the end
    (terminal mark excluded). Two near-identical sentences share at least one
    of them unless both ends and both inner slices differ; a sentence with a
    changed lead-in still shares the slices counted from the end, and one
    with a changed tail those counted from the start. Plain slices (taken by
    ``itemgetter`` at C speed) keep this at a fraction of a microsecond per
    sentence."""
    spans = (slice(0, n), slice(2 * n, 3 * n), slice(-3 * n - 1, -2 * n - 1), slice(-n - 1, -1))
    return tuple(list(map(itemgetter(span), keys)) for span in spans)


def _shared(column: list[str]) -> set[str]:
    """The anchors of one kind that more than one sentence has."""
    if len(set(column)) == len(column):
        return set()
    return {g for g, c in Counter(column).items() if c > 1}


def near_duplicate(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A sentence very similar to an earlier one (``fuzz.ratio`` ≥ ``threshold``).

    Only sentences of at least ``min_chars`` characters are compared, only
    pairs that share an anchor (see :func:`_anchors`), and only
    when their lengths are within ``length_ratio`` of each other. Anchors
    shared by more than ``max_bucket`` sentences are formulaic and ignored.
    Exact copies are left to DUP002. The fix (remove the later sentence) is
    unsafe: the later copy may carry a detail the first lacks.
    """
    p = rule.params
    min_chars = int(p.get("min_chars", 20))
    threshold = float(p.get("threshold", 85))
    n = int(p.get("ngram", 8))
    max_bucket = int(p.get("max_bucket", 20))
    length_ratio = float(p.get("length_ratio", 0.75))
    if len(text) < 2 * min_chars:
        return
    # the keys of the sentences with min_chars characters, picked at C speed
    # (a rest of a line, with its "\n", is rarely that long); their offsets
    # are worked out for a finding
    doc = _doc(text)
    all_keys = list(compress(doc.pieces, map(min_chars.__le__, map(len, doc.pieces))))
    if any(map(str.endswith, all_keys, repeat("\n"))):
        all_keys = [key for key in all_keys if key[-1] != "\n"]
    if len(all_keys) < 2:
        return
    keys = all_keys
    first = range(len(keys))  # the first copy of each key (an exact repeat is DUP002's)
    if doc.repeats and len(set(keys)) < len(keys):
        seen: dict[str, int] = {}
        first = [k for k, key in enumerate(keys) if seen.setdefault(key, k) == k]
        keys = [keys[k] for k in first]
    columns = _anchors(keys, n)
    shared = [_shared(col) for col in columns]
    if not any(shared):
        return  # no two sentences share an anchor (the common case)
    # Only sentences with an anchor that another one has can find or be a
    # candidate: the buckets of the others would hold themselves alone.
    hits: set[int] = set()
    for column, anchors in zip(columns, shared):
        if anchors:
            hits.update(compress(count(), map(anchors.__contains__, column)))
    c0, c1, c2, c3 = columns
    todo = [(first[k], (c0[k], c1[k], c2[k], c3[k])) for k in sorted(hits)]
    from rapidfuzz import fuzz

    indexes: tuple[dict[str, list[int]], ...] = ({}, {}, {}, {})  # one per kind of anchor
    at: list[int] | None = None  # the index in doc.pieces of each of all_keys
    for k, anchors in todo:
        key = all_keys[k]
        cands: set[int] | None = None
        for index, g in zip(indexes, anchors):
            bucket = index.get(g)
            if bucket is None:
                index[g] = [k]
                continue
            if len(bucket) <= max_bucket:
                if cands is None:
                    cands = set(bucket)
                else:
                    cands.update(bucket)
            bucket.append(k)
        if cands is None:
            continue
        best: tuple[float, int] | None = None
        for c in cands:
            other = all_keys[c]
            lo, hi = sorted((len(other), len(key)))
            if lo < length_ratio * hi:
                continue
            score = fuzz.ratio(other, key, score_cutoff=threshold)
            if score and (best is None or score > best[0]):
                best = (score, c)
        if best is None or _weight(key) < min_chars:
            continue
        if at is None:
            at = [i for i, key in enumerate(doc.pieces) if len(key) >= min_chars and key[-1] != "\n"]
        s, pi = doc.sentence(at[k])
        orig, _ = doc.sentence(at[best[1]])
        pg = page(text)
        ln = pg.lines[pi]
        whole = not text[ln.start : s.start].strip() and not text[s.end : ln.end].strip()
        edit = remove_line_edit(text, pg, pi) if whole else Edit(s.start, s.end, "")
        yield rule.finding(
            s.start, s.end,
            f"sentence is {best[0]:.0f}% similar to the one at {_where(text, orig.start)}: "
            f"“{_quote(text[orig.start:orig.end])}”",
            edits=[edit],
            related=(orig.start, orig.end),
            data={"similarity": round(best[0], 1)},
        )


# ------------------------------------------------------------------ DUP004 summary blocks

# Summary labels (DUP004). The pattern and the starts accept both widths of
# each mark, so they match the folded line as they match the line.
_SUMMARY_LABEL = re.compile(r"^[【\[(（]?(?:核心提示|内容提要|内容摘要|摘要|提要|导读|导语|简介)[】\])）]?\s*[:：]\s*")
_LABEL_STARTS = ("【", "[", "(", "（", "核心", "内容", "摘要", "提要", "导读", "导语", "简介")


class _Opening(NamedTuple):
    """How a folded line opens, for DUP004: after a summary label, if it has one."""

    label: bool
    head: str  # the stripped line after the label (the stripped line if none)
    head3: str | None  # the first three characters of head, spaces dropped (None if empty)
    open3: str  # the first three characters of the stripped line, spaces dropped


def _opening(fl: str) -> _Opening:
    """The :class:`_Opening` of the folded line ``fl``."""
    line = fl.strip(" \r\ufeff")
    open3 = line[:6].replace(" ", "")[:3]
    if line.startswith(_LABEL_STARTS):
        m = _SUMMARY_LABEL.match(line)
        if m is not None:
            head = line[m.end() :]
            return _Opening(True, head, head[:6].replace(" ", "")[:3] if head else None, open3)
    return _Opening(False, line, open3 if line else None, open3)


def _summary_candidates(paras: list[str]) -> list[tuple[int, int]]:
    """The (block, next non-blank paragraph) line pairs that may hold a summary
    block, by their paragraph keys: without a label the next paragraph must
    start with the block; a label ends with ":" among the first seven
    characters of the key. Two ``map()`` calls over the keys of the
    non-blank lines, no object made per line: in the common case no pair
    qualifies."""
    keys = list(compress(paras, paras))
    pairs = set(compress(count(), map(str.startswith, keys[1:], keys)))
    labels = list(map(str.find, keys, repeat(":"), repeat(0), repeat(7)))
    if labels.count(-1) < len(labels):
        match = _SUMMARY_LABEL.match
        pairs.update(n for n, k in enumerate(labels) if k >= 0 and n + 1 < len(keys) and match(keys[n]))
    if not pairs:
        return []
    nonblank = list(compress(count(), paras))
    return [(nonblank[n], nonblank[n + 1]) for n in sorted(pairs)]


def summary_block(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A paragraph that repeats the opening of the next paragraph.

    Web pages print a summary (``核心提示：…``, often cut off mid-sentence)
    above the body that starts with the same words. After an optional summary
    label is dropped, the block is removed when the next non-blank paragraph
    starts with it (width folded), or, with a label, when they share an
    opening of at least ``min_chars`` characters covering ``min_share`` of
    the block.
    """
    p = rule.params
    min_chars = int(p.get("min_chars", 15))
    min_share = float(p.get("min_share", 0.8))
    doc = _doc(text)
    paras = doc.paras
    for i, j in _summary_candidates(paras):
        head, body = paras[i], paras[j]
        if not _SUMMARY_LABEL.match(head) and not (
            len(head) >= min_chars and len(body) > len(head) and body.startswith(head)
            and any(c in head for c in ",;。")
        ):
            continue  # no label: the conditions below, on the paragraph keys alone
        opening = _opening(doc.lines[i])
        if opening.head3 != _opening(doc.lines[j]).open3:
            continue
        label, block = opening.label, opening.head
        if len(block) < min_chars:
            continue
        head, body = norm(block), paras[j]
        if len(head) < min_chars:
            continue
        if not label and (len(body) <= len(head) or not any(c in head for c in ",;。")):
            continue  # without a label only a prose block (not a title) counts
        if body.startswith(head):
            share = 1.0
        elif label:
            k = 0
            for x, y in zip(head, body):
                if x != y:
                    break
                k += 1
            share = k / len(head)
            if k < min_chars or share < min_share:
                continue
        else:
            continue
        pg = page(text)
        b = pg.lines[j]
        yield rule.finding(
            pg.lines[i].start, pg.lines[i].end,
            f"summary block repeats the opening of the paragraph at {_where(text, b.start)}: “{_quote(b.text)}”",
            edits=[remove_line_edit(text, pg, i)],
            related=(b.start, b.end),
            data={"share": round(share, 2)},
        )
