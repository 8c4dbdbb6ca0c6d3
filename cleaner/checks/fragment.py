"""Orphan fragments: paragraphs that start or end mid-sentence with no partner.

When a page break cut a sentence and the other half is on a page that is not
in the file (or was placed elsewhere), PB001 has nothing to join. These rules
report such paragraphs, with the reason, and never change them: the missing
half cannot be invented, and deleting the piece would lose text.

A paragraph *starts* mid-sentence (FR001) when its first characters read as
the tail of a cut word or phrase:

* it opens with punctuation that continues a sentence (``，``, ``、``, ``”``);
* it opens with a particle that never starts a sentence (``的``, ``了``);
* its first character is not a word with the next one, the next characters are
  a word, and the first character is far more often the last character of a
  word than a word of its own (``取|上级`` — ``争取``, ``采取``);
* its first clause is the tail of an enumeration (``需求和方向等，…``).

A paragraph *ends* mid-sentence (FR002) when it is running text holding at
least one finished sentence but stops without terminal punctuation or a closing
byline, and the next line does not continue it (PB001 would not join them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import RuleContext
from ..memo import store
from ..lexicon import Lexicon
from ..model import Finding
from ..ruleset import Rule
from ..structure import (
    CLAUSE_PUNCT,
    byline_tail,
    first_clause,
    is_title_like,
    last_clause,
)
from ..text import CJK, TERMINAL, ends_sentence, is_cjk
from .pagebreak import LinePattern, body_like_memo, judge_break, line_at, line_before, nonblank_lines

# Particles that cannot open a sentence.
_BOUND_START = "的了着们"
_CONTINUING_PUNCT = "，,、；;：:。”’）)】》"
_ENUM_TAIL = re.compile(r"^[^，,。；;：:]{2,12}(?:等等|等)[，,]")

_tail_cache: dict[int, dict[str, tuple[int, str]]] = {}


def word_tails(lex: Lexicon) -> dict[str, tuple[int, str]]:
    """For each character, the most frequent 2–3-character word ending with it
    (built once per lexicon, on first need)."""
    key = id(lex)
    if key not in _tail_cache:
        tails: dict[str, tuple[int, str]] = {}
        for w, f in lex.freqs.items():
            if 2 <= len(w) <= 3:
                c = w[-1]
                if f > tails.get(c, (0, ""))[0]:
                    tails[c] = (f, w)
        _tail_cache.clear()
        _tail_cache[key] = tails
    return _tail_cache[key]


def _word_at(s: str, i: int, lex: Lexicon, min_freq: int = 1) -> str:
    """Longest lexicon word of 2–4 characters starting at ``s[i]``."""
    get = lex.freqs.get
    for n in (4, 3, 2):
        w = s[i : i + n]
        if len(w) == n and get(w, 0) >= min_freq:
            return w
    return ""


def start_reason(para: str, lex: Lexicon, params: dict | None = None) -> str:
    """Why ``para`` reads as starting in the middle of a sentence, or ``""``."""
    p = params or {}
    s = para.strip()
    if len(s) < 2:
        return ""
    c = s[0]
    if c in _CONTINUING_PUNCT:
        return f"opens with {c!r}, which continues a sentence"
    if s.find("等", 2, 13) >= 0 and _ENUM_TAIL.match(s):  # the enumeration's 等 stands at 2..12
        return f"opens with the tail of an enumeration ({first_clause(s)!r})"
    if not is_cjk(c) or not is_cjk(s[1]):
        return ""
    bound = c in _BOUND_START
    # the test of the first character alone settles most paragraphs before the
    # slower look-ups of the words at the start
    cut, tail_w = (False, "") if bound else _cut_word_end(c, lex, p)
    if not bound and not cut:
        return ""
    if _word_at(s, 0, lex):
        return ""
    if bound:
        return f"opens with the particle {c!r}, which never starts a sentence"
    nxt = _word_at(s, 1, lex, int(p.get("min_next_freq", 50)))
    if not nxt:
        return ""
    return f"{c!r} reads as the end of a cut word (as in {tail_w!r}) before {nxt!r}"


_CUT_ENDS: dict[tuple, tuple[bool, str]] = {}


def _cut_word_end(c: str, lex: Lexicon, p: dict) -> tuple[bool, str]:
    """Whether the character ``c`` is far more often the end of a word than a
    word of its own, and the most frequent word it ends (``取`` → ``争取``). Depends
    on ``c``, the lexicon and three parameters only: memoised on them."""
    get = p.get
    key = (c, lex, get("max_char_freq", 20000), get("min_tail_freq", 500), get("tail_ratio", 0.3))
    r = _CUT_ENDS.get(key)
    if r is None:
        r = store(_CUT_ENDS, key, _judge_cut_end(c, lex, int(key[2]), int(key[3]), float(key[4])))
    return r


def _judge_cut_end(c: str, lex: Lexicon, max_char: int, min_tail: int, ratio: float) -> tuple[bool, str]:
    own = lex.freq(c)
    tail_f, tail_w = word_tails(lex).get(c, (0, ""))
    # a common one-character word (在, 为, 要, 对) is a normal opener
    ok = own < max_char and tail_f >= min_tail and tail_f >= ratio * max(own, 1)
    return ok, tail_w


_REASONS: dict[str, str] = {}
_reasons_for: tuple[Lexicon, dict] | None = None


def _start_reason(para: str, lex: Lexicon, params: dict) -> str:
    """:func:`start_reason`, memoised by paragraph for one lexicon and one
    parameter dict: every engine pass asks again about the untouched lines."""
    global _reasons_for
    owner = _reasons_for
    if owner is None or owner[0] is not lex or owner[1] is not params:
        _REASONS.clear()
        _reasons_for = (lex, params)
    r = _REASONS.get(para)
    if r is None:
        r = store(_REASONS, para, start_reason(para, lex, params))
    return r


def _span_first_clause(text: str, s: int, e: int) -> tuple[int, int]:
    line = text[s:e]
    n = len(first_clause(line)) or 1
    if line[0] in _CONTINUING_PUNCT:
        n = min(len(line), 1 + len(first_clause(line[1:])))
    return s, s + n


# ``body_like``, memoised (shared with the page-break rules): every engine
# pass asks again about the paragraphs its fixes did not touch.
_body_like = body_like_memo


_openers: tuple[tuple, LinePattern] | None = None


def _openers_for(lex: Lexicon, p: dict) -> LinePattern:
    """The lines :func:`start_reason` may find something in, as one pattern:
    long enough, and opening with a continuing mark, whitespace that ``strip``
    removes, an ``等`` within the first 13 characters, or a particle or
    cut-word-end character before another CJK character. Every other line
    gets ``""`` from it. Group ``cut`` holds the first four characters when
    only the last test holds and none of them is whitespace: ``start_reason``
    then gives ``""`` exactly when they begin with a word, as most do. Built
    once per lexicon and parameters (like :func:`word_tails`, from the lexicon
    alone)."""
    global _openers
    get = p.get
    key = (lex, get("min_length", 15), get("max_char_freq", 20000), get("min_tail_freq", 500), get("tail_ratio", 0.3))
    if _openers is not None and _openers[0] == key:
        return _openers[1]
    max_char, min_tail, ratio = int(key[2]), int(key[3]), float(key[4])
    if min_tail > 0 or ratio > 0:  # a cut-word end is then the end of some word
        cut = {c for c in word_tails(lex) if is_cjk(c) and _judge_cut_end(c, lex, max_char, min_tail, ratio)[0]}
        first = "".join(sorted(cut | set(_BOUND_START)))
    else:
        first = CJK
    pattern = LinePattern(
        rf"(?=[^\n]{{{max(0, int(key[1]))}}})"
        rf"(?=[{re.escape(_CONTINUING_PUNCT)}]|[^\S\n]|[^\n]{{2,12}}等|(?P<cut>[{first}][{CJK}](?:\S\S)?))"
    )
    _openers = (key, pattern)
    return pattern


def orphan_start(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """FR001: a paragraph that starts mid-sentence and has no partner before it."""
    if "\n" not in text.strip():
        return
    lex = ctx.lexicon
    freq = lex.freqs.get
    min_length = int(rule.params.get("min_length", 15))
    for m in _openers_for(lex, rule.params).finditer(text):
        head = m.group("cut")
        if head is not None and len(head) == 4 and (
            freq(head[:2], 0) >= 1 or freq(head[:3], 0) >= 1 or freq(head, 0) >= 1
        ):
            continue  # opens with a word: _word_at(para, 0, lex) (see _openers_for)
        s, e = line_at(text, m.end())
        para = text[s:e]
        if len(para) < min_length:
            continue
        reason = _start_reason(para, lex, rule.params)  # dictionary look-ups only: the fast test
        if not reason or not _body_like(para):
            continue
        prev = line_before(text, s)
        if prev is not None and judge_break(text[prev[0] : prev[1]], para, lex) is not None:
            continue  # PB001 joins it to the line before
        a, b = _span_first_clause(text, s, e)
        yield rule.finding(
            a, b, f"paragraph starts mid-sentence: {reason}; no line before it continues into it", data={"reason": reason}
        )


def _holds_sentence(text: str, spans: list[tuple[int, int]], k: int, ctx: RuleContext, max_back: int = 5) -> bool:
    """Line ``k``, together with the lines before it that PB001 joins into it,
    holds at least one finished sentence (so it is running text, not a title)."""
    s, e = spans[k]
    if any(c in text[s : e - 1] for c in "。！？!?"):
        return True
    for _ in range(max_back):
        if k == 0:
            return False
        ps, pe = spans[k - 1]
        if judge_break(text[ps:pe], text[s:e], ctx.lexicon) is None:
            return False
        if any(c in text[ps:pe] for c in "。！？!?"):
            return True
        k, s, e = k - 1, ps, pe
    return False


# A paragraph ending with one of these is skipped: a closing mark, or (the fast
# path for most paragraphs) a terminal mark, which is no character nor comma.
_ENDED = "”’）)》】" + TERMINAL


def orphan_end(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """FR002: a paragraph that ends mid-sentence and has no partner after it."""
    if "\n" not in text.strip() and ends_sentence(text):
        return
    spans = nonblank_lines(text)
    lex: Lexicon | None = None
    for k, (s, e) in enumerate(spans):
        last = text[e - 1]
        if last in _ENDED or not (is_cjk(last) or last.isalnum() or last in "，,、"):
            continue
        para = text[s:e]
        if ends_sentence(para) or byline_tail(para) is not None:
            continue
        if not _body_like(para) or is_title_like(para):
            continue
        if not _holds_sentence(text, spans, k, ctx):
            continue
        if k + 1 < len(spans):
            if lex is None:
                lex = ctx.lexicon
            ns, ne = spans[k + 1]
            if judge_break(para, text[ns:ne], lex) is not None:
                continue  # PB001 joins it to the next line
            why = "the next line starts a new block"
        else:
            why = "it is the last line of the file"
        tail = last_clause(para) or para[-1]
        a = e - len(tail)
        yield rule.finding(
            a,
            e,
            f"paragraph ends mid-sentence ({tail!r} has no terminal punctuation) and {why}",
            data={"reason": why},
        )


__all__ = ["orphan_start", "orphan_end", "start_reason", "word_tails", "CLAUSE_PUNCT"]
