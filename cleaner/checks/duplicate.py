"""Duplicated paragraphs and sentences within one file.

Dumps repeat text: a paragraph printed twice, a sentence pasted again a few
lines later, a web summary block (核心提示：…) that repeats the opening of the
body. The later copy goes; the finding names the earlier copy (``related``
and the message give its line and column).

Cost stays near-linear in the size of the text:

* exact duplicates are found by bucketing paragraphs and sentences on a
  normalised key (punctuation width folded, spaces dropped);
* near-duplicate candidates must share a long character n-gram
  (``ngram`` characters) with an earlier sentence; n-grams shared by more
  than ``max_bucket`` sentences are ignored as formulaic. Only candidate pairs
  of similar length are scored with ``rapidfuzz.fuzz.ratio``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import RuleContext
from ..model import Edit, Finding
from ..ruleset import Rule
from ..text import CLOSERS, TERMINAL
from .boilerplate import page, remove_line_edit

# Width folding: full-width ASCII variants to ASCII, ideographic space to space.
_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: None, 0x20: None, 0xA0: None, 0x09: None})
_SENT_END = re.compile(f"[{re.escape(TERMINAL)}]+[{re.escape(CLOSERS)}]*")
_CONTENT = re.compile(r"[\w]")


def norm(s: str) -> str:
    """Comparison key: punctuation width folded (，→ ,), spaces removed."""
    return s.translate(_FOLD)


def _weight(s: str) -> int:
    """Number of letters, digits and CJK characters (punctuation not counted)."""
    return len(_CONTENT.findall(s))


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    para: int  # index of the paragraph line in page(text).lines
    key: str
    whole: bool  # the sentence is its paragraph's whole content


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, col {col}"


def _quote(s: str, n: int = 24) -> str:
    s = s.strip()
    return s if len(s) <= n else s[:n] + "…"


def sentences(text: str) -> list[Sentence]:
    """Sentences that end with terminal punctuation, with their paragraphs."""
    pg = page(text)
    out: list[Sentence] = []
    for pi, ln in enumerate(pg.lines):
        if not ln.text:
            continue
        seg = text[ln.start : ln.end]
        lead = len(seg) - len(seg.lstrip())
        pos = ln.start + lead
        for m in _SENT_END.finditer(text, pos, ln.end):
            s, e = pos, m.end()
            body = text[s:e]
            pos = e
            if not body.strip():
                continue
            whole = not text[e : ln.end].strip() and s == ln.start + lead
            out.append(Sentence(s, e, pi, norm(body), whole))
    return out


# ------------------------------------------------------------------ DUP001 paragraphs


def _dup_paragraphs(text: str, min_chars: int) -> dict[int, int]:
    """Map paragraph line index → line index of its earlier identical copy."""
    pg = page(text)
    first: dict[str, int] = {}
    dups: dict[int, int] = {}
    for i, ln in enumerate(pg.lines):
        s = ln.text
        if not s or len(s) < min_chars:
            continue
        key = norm(s)
        if _weight(key) < min_chars or not any(c in key for c in ",.;!?。、"):
            continue  # titles and labels may legitimately repeat
        if key in first:
            dups[i] = first[key]
        else:
            first[key] = i
    return dups


def exact_paragraph(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A paragraph (line) identical to an earlier one, after width folding."""
    min_chars = int(rule.params.get("min_chars", 20))
    if len(text) < 2 * min_chars:
        return
    pg = page(text)
    for i, j in _dup_paragraphs(text, min_chars).items():
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

    The later copy is removed with its terminal punctuation. Copies further
    apart than ``safe_distance`` characters may sit in two different articles
    of the dump (a stock phrase quoted twice); their fix is unsafe.
    """
    p = rule.params
    min_chars = int(p.get("min_chars", 12))
    safe_distance = int(p.get("safe_distance", 3000))
    if len(text) < 2 * min_chars:
        return
    dup_paras = _dup_paragraphs(text, int(p.get("paragraph_min_chars", 20)))
    pg = page(text)
    first: dict[str, Sentence] = {}
    by_para: dict[int, list[tuple[Sentence, Sentence]]] = {}
    for s in sentences(text):
        if _weight(s.key) < min_chars:
            continue
        if s.key in first:
            if s.para not in dup_paras:
                by_para.setdefault(s.para, []).append((s, first[s.key]))
        else:
            first[s.key] = s
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


# ------------------------------------------------------------------ DUP003 near duplicates


def near_duplicate(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A sentence very similar to an earlier one (``fuzz.ratio`` ≥ ``threshold``).

    Only sentences of at least ``min_chars`` characters are compared, only
    pairs that share an ``ngram``-character substring, and only when their
    lengths are within ``length_ratio`` of each other. Exact copies are left
    to DUP002. The fix (remove the later sentence) is unsafe: the later copy
    may carry a detail the first lacks.
    """
    p = rule.params
    min_chars = int(p.get("min_chars", 20))
    threshold = float(p.get("threshold", 85))
    n = int(p.get("ngram", 8))
    max_bucket = int(p.get("max_bucket", 20))
    length_ratio = float(p.get("length_ratio", 0.75))
    if len(text) < 2 * min_chars:
        return
    from rapidfuzz import fuzz

    sents = [s for s in sentences(text) if _weight(s.key) >= min_chars]
    if len(sents) < 2:
        return
    index: dict[str, list[int]] = {}
    seen_keys: set[str] = set()
    pg = page(text)
    for k, s in enumerate(sents):
        key = s.key
        grams = {key[i : i + n] for i in range(0, max(len(key) - n + 1, 1))}
        cands: set[int] = set()
        if key not in seen_keys:
            for g in grams:
                bucket = index.get(g)
                if bucket is not None and len(bucket) <= max_bucket:
                    cands.update(bucket)
        best: tuple[float, int] | None = None
        for c in cands:
            other = sents[c].key
            lo, hi = sorted((len(other), len(key)))
            if lo < length_ratio * hi or other == key:
                continue
            score = fuzz.ratio(other, key, score_cutoff=threshold)
            if score and (best is None or score > best[0]):
                best = (score, c)
        if best is not None:
            orig = sents[best[1]]
            edit = remove_line_edit(text, pg, s.para) if s.whole else Edit(s.start, s.end, "")
            yield rule.finding(
                s.start, s.end,
                f"sentence is {best[0]:.0f}% similar to the one at {_where(text, orig.start)}: "
                f"“{_quote(text[orig.start:orig.end])}”",
                edits=[edit],
                related=(orig.start, orig.end),
                data={"similarity": round(best[0], 1)},
            )
        seen_keys.add(key)
        for g in grams:
            index.setdefault(g, []).append(k)


# ------------------------------------------------------------------ DUP004 summary blocks

_SUMMARY_LABEL = re.compile(r"^[【\[(（]?(?:核心提示|内容提要|内容摘要|摘要|提要|导读|导语|简介)[】\])）]?\s*[:：]?\s*")


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
    pg = page(text)
    nonblank = [i for i, ln in enumerate(pg.lines) if ln.text]
    for i, j in zip(nonblank, nonblank[1:]):
        a = pg.lines[i].text
        m = _SUMMARY_LABEL.match(a)
        label = bool(m and m.end() > 0 and m.group(0).strip())
        head = norm(a[m.end() :] if label and m else a)
        body = norm(pg.lines[j].text)
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
        b = pg.lines[j]
        yield rule.finding(
            pg.lines[i].start, pg.lines[i].end,
            f"summary block repeats the opening of the paragraph at {_where(text, b.start)}: “{_quote(b.text)}”",
            edits=[remove_line_edit(text, pg, i)],
            related=(b.start, b.end),
            data={"share": round(share, 2)},
        )
