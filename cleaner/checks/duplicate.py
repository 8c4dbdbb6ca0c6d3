"""Duplicated paragraphs and sentences within one file.

Dumps repeat text: a paragraph printed twice, a sentence pasted again a few
lines later, a web summary block (核心提示：…) that repeats the opening of the
body. The later copy goes; the finding names the earlier copy (``related``
and the message give its line and column).

Cost stays near-linear in the size of the text:

* each line is folded and cut into sentences once: the results are memoised
  by folded line text (see ``_lines``), so a later engine pass over a mostly
  unchanged text only folds, splits and looks its lines up;
* exact duplicates are found by bucketing paragraphs and sentences on a
  normalised key (punctuation width folded, spaces dropped), after a check
  at C speed that any key repeats at all;
* near-duplicate candidates must share a long character n-gram
  (``ngram`` characters) with an earlier sentence; n-grams shared by more
  than ``max_bucket`` sentences are ignored as formulaic. Only candidate pairs
  of similar length are scored with ``rapidfuzz.fuzz.ratio``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate, chain, pairwise
from operator import itemgetter
from typing import NamedTuple

from ..context import RuleContext
from ..memo import store
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


# Summary labels (DUP004), read when a line's info is built.
_SUMMARY_LABEL = re.compile(r"^[【\[(（]?(?:核心提示|内容提要|内容摘要|摘要|提要|导读|导语|简介)[】\])）]?\s*[:：]\s*")
_LABEL_STARTS = ("【", "[", "(", "（", "核心", "内容", "摘要", "提要", "导读", "导语", "简介")
_LABEL_FIRST = frozenset(s[0] for s in _LABEL_STARTS)


class _LineInfo(NamedTuple):
    """What the DUP rules need from one line, memoised by the line's folded text
    (see :func:`_lines`). Shared by callers: do not modify.

    The stripped folded line is ``fold()`` of ``page()``'s ``Line.text``: the
    characters ``page()`` strips are those that fold to the ones stripped here.
    """

    width: int  # length of the stripped line (0: a blank line)
    para: str  # paragraph key (DUP001): the stripped line without spaces
    # the sentences: comparison keys and end offsets from the line start (two
    # flat tuples: no tuple per sentence for the GC to track; see _starts())
    keys: tuple[str, ...]
    ends: tuple[int, ...]
    # DUP004: the stripped line after a summary label (the line itself if it
    # has none), and the first three characters (spaces dropped) of that
    # head (None if empty) and of the whole line
    label: bool
    head: str
    head3: str | None
    open3: str


# Folded line text → _LineInfo. Folding maps one character to one and never
# touches "\n", and a sentence never runs over a line break, so the info of a
# line depends on its folded text alone: a later pass only works on the lines
# an edit changed (an edit that changes width only, ， for ",", changes none).
_LINE_INFOS: dict[str, _LineInfo] = {}


# One piece of a folded text: a sentence (the stretch up to and including an
# end) or the rest of a line with its "\n". Each piece starts where the last
# one ended, so findall() is linear as long as the text ends with "\n". Whole
# pieces from one findall() come about three times cheaper than the ends from
# finditer() (no match objects) or than a regex call per line.
_PIECE = re.compile(f"[^{re.escape(TERMINAL)}\\n]*(?:{_END.pattern}|\\n)")
_new = tuple.__new__  # builds a NamedTuple 4x faster than its own __new__ (a Python function)


def _line_infos(folded: list[str]) -> list[_LineInfo]:
    """The :class:`_LineInfo` of each folded line (no "\\n" in them), computed
    together. A line's sentences are the stretches its ends (``_END``) cut it
    into; text after the last end is no sentence.

    The keys and ends of all lines go to two flat lists first, and each line
    takes a slice: fewer objects for the garbage collector to count."""
    if not folded:
        return []
    keys: list[str] = []
    ends: list[int] = []
    bounds: list[int] = []  # the number of sentences up to the end of each line
    s = 0
    for key in _PIECE.findall("\n".join(folded) + "\n"):
        if key[-1] == "\n":  # the rest of a line
            bounds.append(len(keys))
            s = 0
        else:
            s += len(key)
            ends.append(s)
            keys.append(key.replace(" ", ""))
    all_keys, all_ends = tuple(keys), tuple(ends)
    out: list[_LineInfo] = []
    a = 0
    for fl, b in zip(folded, bounds):
        out.append(_line_info(fl, all_keys[a:b], all_ends[a:b]) if b > a else _line_info(fl))
        a = b
    return out


def _starts(fl: str, ends: tuple[int, ...]) -> list[int]:
    """The start offsets of the sentences of the folded line ``fl`` that end
    at ``ends``: where the previous one ended, after spaces."""
    out = []
    s = 0
    for e in ends:
        out.append(e - len(fl[s:e].lstrip(" ")))
        s = e
    return out



def _line_info(fl: str, keys: tuple[str, ...] = (), ends: tuple[int, ...] = ()) -> _LineInfo:
    """The :class:`_LineInfo` of the folded line ``fl`` with the given sentences."""
    line = fl.strip(" \r\ufeff")
    para = line.replace(" ", "") if " " in line else line
    open3 = line[:6].replace(" ", "")[:3]
    # the summary label pattern and starts accept both widths of each mark,
    # so they match the folded line as they match the line
    if line and line[0] in _LABEL_FIRST and line.startswith(_LABEL_STARTS):
        m = _SUMMARY_LABEL.match(line)
        if m is not None:
            head = line[m.end() :]
            head3 = head[:6].replace(" ", "")[:3] if head else None
            return _new(_LineInfo, (len(line), para, keys, ends, True, head, head3, open3))
    return _new(_LineInfo, (len(line), para, keys, ends, False, line, open3 if line else None, open3))


class _Lines:
    """A text's folded lines, the memoised :class:`_LineInfo` of each, and
    their start offsets (computed on first use: most passes need none)."""

    __slots__ = ("_starts", "folded", "infos")

    def __init__(self, folded: list[str], infos: list[_LineInfo]) -> None:
        self.folded = folded
        self.infos = infos
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        starts = self._starts
        if starts is None:
            starts = list(accumulate([len(fl) + 1 for fl in self.folded], initial=0))
            starts.pop()
            self._starts = starts
        return starts


_cache: tuple[str, _Lines] | None = None


def _lines(text: str) -> _Lines:
    """The lines of ``text`` with their :class:`_LineInfo`; cached for the last
    text (every rule of one engine pass sees the same string)."""
    global _cache
    c = _cache  # one read: another thread may replace the cache meanwhile
    if c is not None and c[0] is text:
        return c[1]
    folded = fold(text).split("\n")
    memo = _LINE_INFOS
    get = memo.get
    infos = [get(fl) for fl in folded]
    if None in infos:
        todo = list(dict.fromkeys([fl for fl, info in zip(folded, infos) if info is None]))
        new = {fl: store(memo, fl, info) for fl, info in zip(todo, _line_infos(todo))}
        infos = [info or new[fl] for fl, info in zip(folded, infos)]  # an info is never empty
    lines = _Lines(folded, infos)
    _cache = (text, lines)
    return lines


def sentences(text: str, min_len: int = 0) -> list[Sentence]:
    """Sentences that end with terminal punctuation (closing quotes included),
    leading spaces excluded, with at least ``min_len`` characters in their key."""
    lines = _lines(text)
    return [
        _new(Sentence, (ls + s, ls + e, key))
        for ls, fl, info in zip(lines.starts, lines.folded, lines.infos)
        if info.keys
        for s, e, key in zip(_starts(fl, info.ends), info.ends, info.keys)
        if len(key) >= min_len
    ]


def _para_of(pg_starts: list[int], pos: int) -> int:
    return bisect.bisect_right(pg_starts, pos) - 1


# ------------------------------------------------------------------ DUP001 paragraphs


_dup_cache: tuple[str, int, dict[int, int]] | None = None


def _dup_paragraphs(text: str, min_chars: int) -> dict[int, int]:
    """Map paragraph line index → line index of its earlier identical copy;
    cached for the last text (DUP001 and DUP002 both ask); do not modify."""
    global _dup_cache
    c = _dup_cache  # one read: another thread may replace the cache meanwhile
    if c is not None and c[0] is text and c[1] == min_chars:
        return c[2]
    dups = _find_dup_paragraphs(text, min_chars)
    _dup_cache = (text, min_chars, dups)
    return dups


def _find_dup_paragraphs(text: str, min_chars: int) -> dict[int, int]:
    infos = _lines(text).infos
    keys = [info.para for info in infos if info.width >= min_chars]
    if len(set(keys)) == len(keys):
        return {}  # no paragraph repeats (the common case, at C speed)
    first: dict[str, int] = {}
    dups: dict[int, int] = {}
    for i, info in enumerate(infos):
        if info.width < min_chars:
            continue
        key = info.para
        j = first.setdefault(key, i)
        # titles and labels may legitimately repeat: prose only (checked on
        # repeats only, which keeps the common path to one dict lookup)
        if j != i and _weight(key) >= min_chars and any(c in key for c in ",.;!?。、"):
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
    ``adjacent_min_chars`` when the copy follows its twin directly. The later copy is removed with its terminal punctuation. Copies further
    apart than ``safe_distance`` characters may sit in two different articles
    of the dump (a stock phrase quoted twice); their fix is unsafe.
    """
    p = rule.params
    min_chars = int(p.get("min_chars", 12))
    safe_distance = int(p.get("safe_distance", 3000))
    if len(text) < 2 * min_chars:
        return
    adjacent_min = int(p.get("adjacent_min_chars", 6))
    repeats = _repeated_sentences(text, min_chars, adjacent_min)
    if not repeats:
        return
    pg = page(text)
    starts = _lines(text).starts
    dup_paras = _dup_paragraphs(text, int(p.get("paragraph_min_chars", 20)))
    by_para: dict[int, list[tuple[Sentence, Sentence]]] = {}
    for s, o in repeats:
        pi = _para_of(starts, s.start)
        if pi not in dup_paras:
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


def _repeated_sentences(text: str, min_chars: int, adjacent_min: int) -> list[tuple[Sentence, Sentence]]:
    """(later copy, first copy) of the sentences that repeat an earlier one:
    with ``min_chars`` letters/digits/CJK characters, or ``adjacent_min``
    when nothing but spaces separates the copy from its twin."""
    lines = _lines(text)
    keys = list(chain.from_iterable([info.keys for info in lines.infos]))
    if len(set(keys)) == len(keys):
        return []  # no sentence repeats (the common case, at C speed)
    shortest = min(min_chars, adjacent_min)
    repeated = {key for key, n in Counter(keys).items() if n > 1 and len(key) >= shortest}
    first: dict[str, Sentence] = {}
    repeats: list[tuple[Sentence, Sentence]] = []
    for ls, fl, info in zip(lines.starts, lines.folded, lines.infos):
        if repeated.isdisjoint(info.keys):
            continue
        for key, s, e in zip(info.keys, _starts(fl, info.ends), info.ends):
            if key not in repeated:
                continue
            o = first.get(key)
            if o is None:
                first[key] = _new(Sentence, (ls + s, ls + e, key))
                continue
            w = _weight(key)
            s = _new(Sentence, (ls + s, ls + e, key))
            # a short sentence counts only when it follows its twin directly
            if w >= min_chars or w >= adjacent_min and not text[o.end : s.start].strip():
                repeats.append((s, o))
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
    # the keys of sentences(text, min_chars); the sentences themselves (with
    # their offsets) are built only for a finding
    all_keys = [key for info in _lines(text).infos for key in info.keys if len(key) >= min_chars]
    if len(all_keys) < 2:
        return
    keys = all_keys
    first = range(len(keys))  # the first copy of each key (an exact repeat is DUP002's)
    if len(set(keys)) < len(keys):
        seen: dict[str, int] = {}
        first = [k for k, key in enumerate(keys) if seen.setdefault(key, k) == k]
        keys = [keys[k] for k in first]
    columns = _anchors(keys, n)
    shared = [_shared(col) for col in columns]
    if not any(shared):
        return  # no two sentences share an anchor (the common case)
    # Only sentences with an anchor that another one has can find or be a
    # candidate: the buckets of the others would hold themselves alone.
    s0, s1, s2, s3 = shared
    todo = [
        (k, anchors)
        for k, anchors in zip(first, zip(*columns))
        if anchors[0] in s0 or anchors[1] in s1 or anchors[2] in s2 or anchors[3] in s3
    ]
    from rapidfuzz import fuzz

    indexes: tuple[dict[str, list[int]], ...] = ({}, {}, {}, {})  # one per kind of anchor
    sents: list[Sentence] | None = None
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
        if sents is None:
            sents = sentences(text, min_chars)
        s, orig = sents[k], sents[best[1]]
        pg = page(text)
        pi = _para_of(_lines(text).starts, s.start)
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
    all_infos = _lines(text).infos
    nonblank = [i for i, info in enumerate(all_infos) if info.width]
    infos = [all_infos[i] for i in nonblank]
    # cheap test first, on the memoised line infos: the block and the next
    # paragraph open alike (a few pairs per text pass it). Everything below
    # works on folded lines: norm() of a line is its folded line's norm().
    pairs = [n for n, (a, b) in enumerate(pairwise(infos)) if a.head3 == b.open3]
    for n in pairs:
        i, j = nonblank[n], nonblank[n + 1]
        label, block = infos[n].label, infos[n].head
        if len(block) < min_chars:
            continue
        head, body = norm(block), infos[n + 1].para
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
