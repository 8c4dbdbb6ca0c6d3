"""Page and column breaks inside a sentence, and the page furniture inside them.

A scanned page or column that ends mid-sentence leaves the sentence cut in two
paragraphs (``具有战\\n\\n略性``). :func:`judge_break` decides, for two
neighbouring lines, whether the break between them is such a cut:

1. the first piece does not end a sentence (terminal punctuation, or a closing
   byline such as ``。 王波`` / ``。（王文军）``) and reads as running text, not as a
   title, kicker, zone label, subtitle, label or navigation line;
2. the second piece does not open a new block (dateline, numbered point, title,
   byline, heading, page furniture) and starts with something that can
   continue a sentence: a character, a comma, a short bracketed annotation
   (``(一期)``), or a short quoted term inside a sentence (``“制-储-运”产业链``);
3. confidence: a first piece ending with ``，``/``、`` is certainly cut; a word
   of the lexicon spanning the break (战|略性, 贡|献) confirms a cut between
   characters; an opening that often starts a paragraph (``2024年是…``,
   ``近日，``) or a short first piece without a full stop makes the join
   ``unsafe`` (reported, applied only with ``--unsafe-fixes``).

Running headers and page numbers between the halves (``第3版``, ``- 3 -``,
``科学导报 2024年3月13日``) are removed by :func:`page_furniture`; the halves are
then joined on the engine's next pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from ..context import RuleContext
from ..memo import store
from ..lexicon import Lexicon
from ..model import Edit, Finding
from ..ruleset import Rule
from ..structure import (
    CLAUSE_PUNCT,
    body_like,
    bracket_is_annotation,
    byline_tail,
    first_clause,
    has_edition_marker,
    is_byline,
    is_dateline,
    is_heading_marked,
    is_label_line,
    is_numbered_point,
    is_page_marker,
    is_running_header,
    is_subtitle,
    is_title_like,
    is_token_list,
    is_zone_label,
    last_clause,
    quote_is_embedded,
)
from ..text import CJK, TERMINAL, ends_sentence, is_cjk

# Particles that never open a sentence: a piece starting with one continues the line before.
_BOUND_START = "的了着们"
_WS = " \t\u3000\xa0\r"


@dataclass(frozen=True, slots=True)
class Judgement:
    """Whether and how surely a break between two lines cuts a sentence."""

    safety: str  # "safe" or "unsafe"
    confidence: float
    reason: str
    word: str = ""  # the lexicon word spanning the break, when one confirmed it


_lines_cache: tuple[str, list[tuple[int, int]]] | None = None


def nonblank_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines of ``text`` holding visible characters, whitespace trimmed.

    Cached for the last text (PB001, HD001 and FR002 all ask for the same text
    in one engine pass); callers must not modify the list."""
    global _lines_cache
    c = _lines_cache  # one read: another thread may replace the cache meanwhile
    if c is not None and c[0] is text:
        return c[1]
    out = _nonblank_lines(text)
    _lines_cache = (text, out)
    return out


# A line's visible stretch: from its first to its last character that is not
# ``_WS`` (a match never starts on ``_WS`` and never crosses a line break).
_VISIBLE_RE = re.compile(rf"[^\n{_WS}](?:[^\n]*[^\n{_WS}])?")


def _nonblank_lines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _VISIBLE_RE.finditer(text)]


class LinePattern:
    """A pattern tried at the first visible character of every line, at C speed:
    only the lines it matches cost Python work.

    ``finditer`` searches a line break, then skips blank lines and indents,
    then tries the pattern: the literal line break lets the regex engine jump
    from line to line with a fast character search (a ``(?m)^`` pattern is
    tried at every character instead). The first line, which no line break
    precedes, is tried with ``match``. The pattern must need a visible
    character where it starts and must not match a line break (lookaheads may
    see one), so that no line is matched twice."""

    __slots__ = ("_first", "_rest")

    def __init__(self, pattern: str) -> None:
        self._first = re.compile(f"[{_WS}]*+(?:{pattern})")
        self._rest = re.compile(f"\n[\n{_WS}]*+(?:{pattern})")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        m = self._first.match(text)
        rest = self._rest.finditer(text)
        return rest if m is None else chain((m,), rest)


def line_before(text: str, start: int) -> tuple[int, int] | None:
    """The span (as in :func:`nonblank_lines`) of the last line with visible
    characters before the line whose visible stretch starts at ``start``."""
    end = text.rfind("\n", 0, start)
    while end >= 0:
        begin = text.rfind("\n", 0, end) + 1
        m = _VISIBLE_RE.search(text, begin, end)
        if m is not None:
            return m.span()
        end = begin - 1
    return None


def line_at(text: str, start: int) -> tuple[int, int]:
    """The span (as in :func:`nonblank_lines`) of the line whose visible
    stretch starts at ``start``."""
    return _VISIBLE_RE.match(text, start).span()  # type: ignore[union-attr]


def spanning_word(a: str, b: str, lex: Lexicon, min_freq: int = 3) -> str:
    """The most frequent lexicon word made of 1–3 characters before the break and
    1–3 after it (``战`` + ``略性`` → ``战略性``); ``""`` when none."""
    la, lb = _cjk_run(a[-1:-4:-1]), _cjk_run(b[:3])
    best, best_f = "", 0
    freq = lex.freq
    for i in range(1, la + 1):
        left = a[-i:]
        for j in range(1, lb + 1):
            w = left + b[:j]
            f = freq(w)
            if f >= min_freq and f > best_f:
                best, best_f = w, f
    return best


_CJK_RUN = re.compile(f"[{CJK}]*")


def _cjk_run(s: str) -> int:
    """How many characters at the start of ``s`` are CJK."""
    return _CJK_RUN.match(s).end()  # type: ignore[union-attr]


# Openings that often start a paragraph: a year or date, a discourse or time
# adverbial followed by a comma (近日，/ 今年以来，/ 会上，), a name followed by
# a speech verb (张三强调，).
_OPENERS = (
    "近日|日前|近期|近年来|今年以来|去年以来|年初以来|当前|目前|如今|此前|随后|同时|此外|另外|为此|对此|因此|"
    "总之|其中|据悉|据了解|据介绍|据统计|会上|会后|会议|下一步|去年|今年|明年|首先|其次|最后|然而|但是|"
    "与此同时|一方面|另一方面|近些年|多年来|长期以来|截至目前|记者了解到|可见|由此|因而|所以|于是|而且|不过|"
    "例如|比如|近年|当天|当日|次日|今天|昨天|眼下|现在|近来|未来|今后|接下来|对此|事实上|实际上|总体看|具体来看|"
    "上午|下午|晚上|中午|昨日|今日|本周|上周|年初|年底|年末|月初|月底|年内|届时|期间|其间|此后|之后|此时|当时|那时"
)
_AMBIGUOUS_OPEN = re.compile(
    rf"^(?:\d{{4}}\s*年|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|(?:{_OPENERS})[，,：:]"
    r"|[\u4e00-\u9fff]{2,4}(?:强调|指出|表示|要求|介绍|认为|说|称)[，,：:])"
)


_BLOCK_START: dict[str, str] = {}
_BODY_LIKE: dict[str, bool] = {}


def block_start(b: str) -> str:
    """:func:`_hard_block_start`, memoised by line: the line after a break is
    judged again with each new line before it, and every engine pass asks
    again about the lines its fixes did not touch."""
    r = _BLOCK_START.get(b)
    if r is None:
        r = store(_BLOCK_START, b, _hard_block_start(b))
    return r


def body_like_memo(line: str) -> bool:
    """``structure.body_like``, memoised by line (PB001, HD001, FR001 and FR002
    ask about the same lines, and every engine pass asks again)."""
    r = _BODY_LIKE.get(line)
    if r is None:
        r = store(_BODY_LIKE, line, _may_be_body(line) and body_like(line))
    return r


_CLAUSE_MARK = re.compile(f"[{re.escape(CLAUSE_PUNCT)}]")


def _may_be_body(line: str) -> bool:
    """False only where ``structure.body_like`` is False: running text ends with
    a comma, opens with a dateline, holds clause punctuation before its last
    character or is longer than 40 characters. Titles, the lines most often
    asked about, fail these cheap tests, and the seven tests of what a line is
    instead (label, byline, running header...) need not run for them. For a
    line that :func:`block_start` finds nothing in, it is ``body_like``."""
    s = line.strip()
    return bool(s) and (
        s[-1] in "，,、" or len(s) > 40 or _CLAUSE_MARK.search(s, 0, len(s) - 1) is not None or is_dateline(s)
    )


def clear_memos() -> None:
    """Forget every memoised verdict of this module (benchmarks time cold runs)."""
    _JUDGED.clear()
    _BLOCK_START.clear()
    _BODY_LIKE.clear()
    _TITLE_BLOCK.clear()
    _FURNITURE.clear()


def _hard_block_start(b: str) -> str:
    """Why ``b`` must start a new block whatever precedes it, or ``""``."""
    if is_dateline(b):
        return "dateline"
    if is_heading_marked(b) or is_subtitle(b):
        return "heading"
    if is_label_line(b):
        return "label"
    if is_byline(b):
        return "byline"
    if is_token_list(b):
        return "navigation"
    if is_page_marker(b, bare_numbers=True) or is_running_header(b):
        return "page furniture"
    if is_numbered_point(b):
        return "numbered point"
    if is_title_like(b):
        return "title"
    return ""


# Characters that leave a phrase open: a title or sentence does not end with them.
_BOUND_END = "的第和与及对把被将从向之并或其更很最也都还又就才再让使由"


def _short_first_clause(b: str, max_len: int = 3) -> bool:
    """``b`` opens with a clause of at most ``max_len`` characters closed by a full
    stop or comma (``底色。``, ``心,一名…``) that is no paragraph opener (``近日，``):
    the tail of a sentence begun before the break."""
    head = first_clause(b)
    if not head or len(head) > max_len or len(head) >= len(b) or not all(is_cjk(c) for c in head):
        return False
    if b[len(head)] not in "。，,":
        return False
    return not _AMBIGUOUS_OPEN.match(b)


# A line ending in a long number (公网安备44040202001358号, a phone or record
# number) is a label, not half of a sentence.
_NUMBER_END = re.compile(r"\d{6,}号?$")


def _unpunctuated(a: str, b: str, lex: Lexicon | None) -> Judgement | None:
    """A first piece with no punctuation at all may be a title; join it only when a
    lexicon word spans the break and the second piece is running text that ends a
    sentence, and only as an unsafe fix.

    The verdict for a second piece that opens no block (:func:`_judge_break`
    finds no cut after a block start, and asks about it only when this finds one)."""
    if not (is_cjk(a[-1]) and is_cjk(b[0])) or _title_block(a):
        return None
    if b[0] in _BOUND_START and lex is not None and not lex.freq(b[:2]) and not lex.freq(b[:3]):
        return Judgement("safe", 0.85, f"second piece opens with the particle {b[0]!r}, which never starts a sentence")
    close, reopen = b.find("”"), b.find("“")
    if a.count("“") > a.count("”") and close >= 0 and (reopen < 0 or close < reopen):
        return Judgement("safe", 0.85, "a quotation opened in the first piece closes in the second")
    if a[-1] in _BOUND_END or _short_first_clause(b):
        why = f"{a[-1]!r} cannot end a title or sentence" if a[-1] in _BOUND_END else "the second piece opens with a clause too short to stand alone"
        return Judgement("safe", 0.8, why)
    if lex is None or len(a) < 8:
        return None
    # as ``b`` opens no block, none of the tests of what else it is can hold,
    # and body_like(b) comes down to _may_be_body(b)
    if not ("。" in b or "！" in b or "？" in b) or not _may_be_body(b):
        return None
    word = spanning_word(a, b, lex)
    if len(word) >= 2 and lex.freq(word) >= 100:
        return Judgement("unsafe", 0.6, f"the break cuts the word {word!r}; the first piece could be a title", word)
    return None


_TITLE_BLOCK: dict[str, bool] = {}


def _title_block(a: str) -> bool:
    """``a`` is a zone label, byline, heading, subtitle, label, token list or
    dateline, holds a space or ends in a long number: a line without
    punctuation that is no cut sentence whatever follows. Memoised by line: a title is judged again
    with every new line after it."""
    r = _TITLE_BLOCK.get(a)
    if r is None:
        # the cheapest tests first (the order of pure tests joined by ``or`` does
        # not change the verdict): a title of two parts holds a space
        r = store(_TITLE_BLOCK, a, bool(
            " " in a or "\u3000" in a or is_subtitle(a) or is_heading_marked(a) or is_label_line(a)
            or _NUMBER_END.search(a) or is_dateline(a) or is_byline(a) or is_token_list(a) or is_zone_label(a)
        ))
    return r


_JUDGED: dict[tuple[str, str, Lexicon | None], Judgement | None] = {}


def judge_break(a: str, b: str, lex: Lexicon | None = None) -> Judgement | None:
    """Decide whether the break between line ``a`` and the next line ``b`` cuts a
    sentence. ``lex`` is consulted only for a cut between two characters.

    Memoised: PB001, FR001, FR002 and HD001 judge the same pairs of lines, and
    every engine pass judges again the lines a fix did not touch. The verdict
    depends only on the two strings and the lexicon."""
    if not _may_cut(a[-1:], b[:1]):
        return None
    key = (a, b, lex)
    try:
        return _JUDGED[key]
    except KeyError:
        pass
    return store(_JUDGED, key, _judge_break(a, b, lex))


def _may_cut(last: str, first: str) -> bool:
    """False only where :func:`_judge_break` finds no cut whatever the lines
    hold, from the characters at the break alone (a first piece ending with a
    closing quote or bracket, a second piece opening with neither a character
    nor a mark that continues a sentence). Whitespace there is left to the full
    test, which strips it."""
    if last in _WS or first in _WS:  # also true for an empty piece
        return True
    if last in "，,、：:":
        return True
    if not (is_cjk(last) or last.isalnum()):
        return False  # both branches of _judge_break end with None
    return first in "（(“‘「，,、" or is_cjk(first) or first.isalnum()


def _judge_break(a: str, b: str, lex: Lexicon | None) -> Judgement | None:
    a, b = a.strip(_WS), b.strip(_WS)
    if not a or not b:
        return None
    if ends_sentence(a):
        return None
    if not body_like_memo(a):
        # each of these tests alone means no cut (they are pure, so their order
        # does not change the verdict): the cheapest first, then the tests of
        # ``a`` alone (a title is judged again with every new line after it);
        # the costly test of ``b`` only when the rest finds a cut, as few do
        if not (is_cjk(a[-1]) and is_cjk(b[0])) or _title_block(a):
            return None
        j = _unpunctuated(a, b, lex)
        if j is None or byline_tail(a) is not None or block_start(b):
            return None
        return j
    if byline_tail(a) is not None or block_start(b):
        return None
    last, first = a[-1], b[0]
    short_a = len(a) < 24 and not any(c in a for c in "。！？")

    if last in "，,、":
        if first in "“（(《" and not (quote_is_embedded(b) or bracket_is_annotation(b)):
            return Judgement("unsafe", 0.6, f"first piece ends with {last!r}; second opens with {first!r}")
        return Judgement("safe", 0.95, f"first piece ends with {last!r}")
    if last in "：:":
        return Judgement("unsafe", 0.5, "first piece ends with a colon (a list or quotation may follow)")
    if last in "”’）)》】" or not (is_cjk(last) or last.isalnum()):
        return None

    if first in "（(":
        if bracket_is_annotation(b):
            return Judgement("safe", 0.9, "second piece opens with a short bracketed annotation")
        return None
    if first in "“‘「":
        if quote_is_embedded(b):
            return Judgement("safe", 0.85, "second piece opens with a quoted term inside a sentence")
        return Judgement("unsafe", 0.5, "second piece opens with a quotation")
    if first in "，,、":
        return Judgement("safe", 0.9, "second piece opens with a comma")
    if not (is_cjk(first) or first.isalnum()):
        return None

    word = ""
    if is_cjk(last) and is_cjk(first) and lex is not None:
        word = spanning_word(a, b, lex)
    if word:
        return Judgement("safe", 0.95, f"the break cuts the word {word!r}", word)
    if _AMBIGUOUS_OPEN.match(b):
        if any(c in a[:-1] for c in "。！？!?"):
            # a finished sentence inside: the first piece is no title, only a lost
            # full stop would make this a paragraph break
            return Judgement("safe", 0.75, "running text stops without punctuation; the next line opens like a paragraph")
        return Judgement("unsafe", 0.5, "second piece opens like a new paragraph")
    open_quote = a.count("“") > a.count("”")  # a quotation still open: the sentence goes on
    if short_a and not open_quote and not is_dateline(a) and len(first_clause(a)) >= 4 and len(last_clause(a)) >= 4:
        return Judgement("unsafe", 0.6, "first piece is short and shaped like a headline")
    return Judgement("safe", 0.85, "running text stops without punctuation and the next line continues it")


def _joiner(a_last: str, b_first: str) -> str:
    """What replaces the break: nothing between CJK, a space between Latin words."""
    if a_last.isascii() and a_last.isalnum() and b_first.isascii() and b_first.isalnum():
        return " "
    return ""


def page_break_join(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """PB001: join a sentence cut by a page or column break."""
    if "\n" not in text:
        return
    spans = nonblank_lines(text)
    max_newlines = int(rule.params.get("max_newlines", 3))
    lex: Lexicon | None = None
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if text[e1 - 1] in TERMINAL:  # fast path: most paragraphs end a sentence
            continue
        a, b = text[s1:e1], text[s2:e2]
        if lex is None and is_cjk(a[-1]) and is_cjk(b[0]):
            lex = ctx.lexicon
        j = judge_break(a, b, lex)
        if j is None:
            continue
        safety = j.safety
        gap = text[e1:s2]
        if gap.count("\n") > max_newlines:
            safety = "unsafe"
        joined = _joiner(a[-1], b[0])
        tail, head = last_clause(a)[-6:], b[:6]
        yield rule.finding(
            e1,
            s2,
            f"sentence cut by a break: {tail}⏎{head} ({j.reason})",
            replacement=joined,
            confidence=j.confidence,
            fix=safety,
            related=(s2, e2),
            data={"word": j.word} if j.word else {},
        )


def _is_cut(text: str, prev: tuple[int, int] | None, nxt: tuple[int, int] | None, ctx: RuleContext) -> bool:
    """The lines around a removed line are the halves of one cut sentence."""
    if prev is None or nxt is None:
        return False
    a = text[prev[0] : prev[1]]
    if ends_sentence(a):
        return False
    return judge_break(a, text[nxt[0] : nxt[1]], ctx.lexicon) is not None


_FURNITURE: dict[str, str] = {}


def _furniture_kind(line: str) -> str:
    """What page furniture the short line ``line`` is, judged alone: "page
    marker", "bare number", "running header" or ``""``. Memoised by
    :func:`page_furniture` (every engine pass asks again about the same lines)."""
    if is_page_marker(line) or has_edition_marker(line):
        return "page marker"
    if is_page_marker(line, bare_numbers=True):
        return "bare number"
    if is_running_header(line):
        return "running header"
    return ""


# Every page marker, edition marker, bare number and running header holds a
# digit, 版 or 页 (a page, an edition, a date): a short line without one (most
# titles and bylines) is no page furniture, and the full tests need not run.
_FURNITURE_MARK = re.compile(r"[\d版页]")


def page_furniture(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """HD001: running headers, edition markers and page numbers.

    Edition and page markers (``第3版``, ``- 3 -``, ``3/12``) are removed wherever
    they stand on a line of their own. A newspaper-name-and-date line is removed
    where it interrupts a sentence or recurs in the file (a running head); a
    single one at the top of a web page is page metadata, left to the
    boilerplate rules. A bare number is removed only between the halves of a cut
    sentence, at the very start or end of the file, or when the file's bare
    numbers run as consecutive page numbers (it may be a view counter or a
    table cell otherwise).
    """
    if "\n" not in text:
        return
    spans = nonblank_lines(text)
    if not spans:
        return
    cand: list[tuple[int, str]] = []
    memo = _FURNITURE
    for k, (s, e) in enumerate(spans):
        if e - s > 60:
            continue
        line = text[s:e]
        kind = memo.get(line)
        if kind is None:
            kind = store(memo, line, _furniture_kind(line) if _FURNITURE_MARK.search(line) else "")
        if kind:
            cand.append((k, kind))
    if not cand:
        return
    headers = [text[spans[k][0] : spans[k][1]] for k, kind in cand if kind == "running header"]
    numbers = [int(text[spans[k][0] : spans[k][1]]) for k, kind in cand if kind == "bare number"]
    paged = len(numbers) >= 2 and all(y - x == 1 for x, y in zip(numbers, numbers[1:]))
    for k, kind in cand:
        s, e = spans[k]
        prev = spans[k - 1] if k > 0 else None
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        cut = _is_cut(text, prev, nxt, ctx)
        if kind == "running header":
            keep = not (cut or headers.count(text[s:e]) >= 2)
        elif kind == "bare number":
            # At a file edge, only beside running text (not beside a table's labels).
            other = nxt if prev is None else prev
            edge = (prev is None or nxt is None) and (
                other is None or ends_sentence(text[other[0] : other[1]]) or body_like_memo(text[other[0] : other[1]])
            )
            keep = not (cut or edge or paged)
        else:
            keep = False
        if keep:
            continue
        # Remove the line with the line break after it (or before it, at the end).
        start, end = s, e
        while start > 0 and text[start - 1] in _WS:
            start -= 1
        if nxt is not None:
            end = text.rindex("\n", e, nxt[0]) + 1  # up to the next line, keeping its indent
        elif prev is not None:
            start = prev[1]
        else:
            end = len(text)
        where = "between the halves of a cut sentence" if cut else "on a line of its own"
        yield rule.finding(
            start,
            end,
            f"{kind} {text[s:e]!r} {where}",
            edits=[Edit(start, end, "")],
            data={"kind": kind},
        )
