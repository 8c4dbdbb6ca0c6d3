"""Web-page boilerplate: registration numbers, navigation and footer lines, tag
clouds, disclaimers, share bars, view counters and "more news" lists.

Web copies of newspaper articles carry the page furniture of the site they
were scraped from. It is recognised by *structure* first:

* the page edges: lines before the first and after the last body paragraph
  (a body paragraph is a long line that ends like a sentence);
* the shape of a line: short tokens separated by spaces or pipes, no sentence
  punctuation, repeated tokens;
* legal and registration patterns (ICP备…号, 公网安备…号, 免责声明：…).

A small cue-word lexicon (更多, 推荐, 排行 …) only ever confirms a structural
signal; it never removes a line on its own. Newspaper titles such as
``因地制宜发展新质生产力 加快打造开发区升级版`` (two tokens), zone labels and
bylines (``刘科 茹艳``) have none of these shapes and are left alone.

Whole lines are removed together with the blank lines after them, so no empty
paragraph is left behind. Page metadata worth keeping (publication date and
source) is recorded in ``ctx.meta`` by :func:`page_metadata`; the line stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count
from typing import overload

from ..context import RuleContext
from ..memo import store
from ..model import Edit, Finding
from ..ruleset import Rule
from ..text import ends_sentence

# Sentence punctuation: a line holding any of these reads as prose.
_SENT_PUNCT = set("，。；！？,;!?、：:")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")
_ARROWS = re.compile(r"(?:>{1,2}|»|＞|→|›)")

# ----------------------------------------------------------------- page model


class Line:
    """One line: ``start``/``end`` offsets (end before the "\\n") and its
    stripped ``text``. A plain slotted class: built for every line of every
    text, so it must be cheap."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    @property
    def blank(self) -> bool:
        return not self.text


_STRIP = " \t\r\u00a0\u3000\ufeff"


class Lines(Sequence[Line]):
    """The lines of a text as :class:`Line` objects, each made on first access.

    Splitting and stripping are done at C speed for the whole text
    (``str.split``); most rules then look at a handful of lines (the page
    edges, the candidates of a cue), so building a Python object for every
    line of every text would cost more than the rules. The offsets are
    summed up (``accumulate``) when the first :class:`Line` is made: on a
    text without findings, never."""

    __slots__ = ("texts", "_raw", "_ends", "_made")

    def __init__(self, text: str) -> None:
        raw = self._raw = text.split("\n")
        self.texts: list[str] = [r.strip(_STRIP) for r in raw]  # the stripped line texts
        self._ends: list[int] | None = None
        self._made: dict[int, Line] = {}

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, i: int) -> Line: ...
    @overload
    def __getitem__(self, i: slice) -> list[Line]: ...

    def __getitem__(self, i: int | slice) -> Line | list[Line]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.texts)))]
        ln = self._made.get(i)
        if ln is None:
            if i < 0:
                i += len(self.texts)
            if not 0 <= i < len(self.texts):
                raise IndexError("line index out of range")
            e = self._ends
            if e is None:
                # e[i]: sum of the lengths of lines 0..i-1; line i starts at e[i] + i
                e = self._ends = [0, *accumulate(map(len, self._raw))]
            ln = self._made[i] = Line(e[i] + i, e[i + 1] + i, self.texts[i])
        return ln

    def __iter__(self) -> Iterator[Line]:
        return (self[i] for i in range(len(self.texts)))


@dataclass(slots=True)
class Page:
    lines: Lines
    body_first: int  # index of the first body paragraph (len(lines) if none)
    body_last: int  # index of the last body paragraph (-1 if none)
    text: str = ""
    _marked: list[tuple[int, int]] | None = None  # (index, cue mask) of the lines with a cue

    def candidates(self, cue: int) -> list[int]:
        """Indices of the lines that may hold ``cue`` (one of the ``_CUE_*`` bits):
        the line tests that do not depend on the position of a line, shared
        by the BP rules and memoised by line text across engine passes."""
        marked = self._marked
        if marked is None:
            marked = self._marked = _mark_lines(self.lines.texts, self.text)
        return [i for i, m in marked if m & cue]

    def at_top(self, i: int) -> bool:
        return i < self.body_first

    def at_bottom(self, i: int) -> bool:
        return i > self.body_last

    def at_edge(self, i: int) -> bool:
        return i < self.body_first or i > self.body_last  # at_top(i) or at_bottom(i)


# Line cues: one bit per BP rule, set when a line passes the tests of that
# rule that depend on the line's text alone (see Page.candidates).
_CUE_REG, _CUE_NAV, _CUE_TAG, _CUE_LEGAL, _CUE_LINK, _CUE_SHARE, _CUE_COUNTER, _CUE_META, _CUE_CONTACT = (
    1 << k for k in range(9)
)
# Not a rule's cue: the line reads as a disclaimer (``_is_disclaimer``), which
# keeps it out of the body (see ``page``).
_DISCLAIMER = 1 << 9
_CUES: dict[str, int] = {}


def _cues_of(s: str) -> int:
    """``_line_cues(s)`` of a stripped line (0 for a blank one), memoised by
    line text across rules and engine passes; a prose line that cannot have
    a cue (see :func:`_mark_lines`) is told by a few cheap tests."""
    m = _CUES.get(s)
    if m is None:
        if not s or ("。" in s or "，" in s) and not _prose_may_cue(s) and not _ANCHOR_ANY.search(s):
            m = 0
        else:
            m = _line_cues(s)
        store(_CUES, s, m)
    return m


def _mark_lines(texts: list[str], text: str) -> list[tuple[int, int]]:
    """(index, cue mask) of the lines with at least one cue.

    Nearly every line is prose (it holds a full stop or a comma) and has no
    cue: a prose line can only have one through a registration or legal
    anchor, a cue opening (a tag label, a date, a share widget) or a label or
    widget mark inside it (:data:`_PROSE_CUE_HINTS`). Only the other lines get
    the full line tests (:func:`_cues_of`). The masks are memoised by line
    text: a later engine pass over the text, which differs from this one in a
    few lines, looks up the rest at C speed (``map``)."""
    masks = list(map(_CUES.get, texts))
    if None in masks:
        for i in [i for i, m in enumerate(masks) if m is None]:
            masks[i] = _cues_of(texts[i])
    return list(compress(zip(count(), masks), masks))


# What a prose line (one holding 。 or ，) needs for a cue other than an anchor
# (see _line_cues): counters, menus, tag clouds and link lists hold neither
# mark; a tag label, a date/source line and most share bars open with one of
# _PROSE_CUE_FIRST (or a digit); contact labels hold a colon, and the other
# share widgets a bracket or one of two phrases.
_PROSE_CUE_FIRST = frozenset("【[相标关热Tt发更时日来分转一扫字")
_PROSE_CUE_HINTS = ("：", ":", "【", "[", "在手机上", "复制链接")


def _prose_may_cue(s: str) -> bool:
    """Whether a prose line without an anchor may have a cue: the screen of
    :func:`_mark_lines` (``in`` tests: far faster per line than a regex
    alternation; spelt out, faster than ``any()`` over :data:`_PROSE_CUE_HINTS`)."""
    c = s[0]
    return (c in _PROSE_CUE_FIRST or c.isdigit() or "：" in s or ":" in s or "【" in s or "[" in s
            or "在手机上" in s or "复制链接" in s)


def _line_cues(s: str) -> int:
    """The cue mask of one non-empty stripped line: for each rule, a test that
    every line it reports passes (cheap tests first).

    Nearly every line of a dump is prose holding a full stop or a comma, which
    rules out most cues at once (a navigation, tag, link, share or contact
    line has neither); one scan for any registration or legal anchor then
    settles the rest of a long prose line."""
    n = len(s)
    m = 0
    period = "。" in s
    prose = period or "，" in s  # no cue that needs a line without these holds
    if _ANCHOR_ANY.search(s):  # rare: one scan stands for the two tests below
        if "ICP" in s or "公网安备" in s or "许可证" in s:
            m |= _CUE_REG
        if _DISCLAIMER_ANCHOR.search(s) and _is_disclaimer(s):
            m |= _DISCLAIMER | _CUE_LEGAL if n <= 400 else _DISCLAIMER
    if not prose:
        if (n <= 300 and "," not in s
                and (_PIPES.search(s) or _ARROWS.search(s) or _DOTS.search(s) or _GAPS.search(s))):
            m |= _CUE_NAV
        if (" " in s or "\u00a0" in s or "\u3000" in s) and all(t.isalnum() for t in _SPACES.split(s)):
            m |= _CUE_TAG
        if not _has_sentence_punct(s) and _LINK_CUES.search(s):
            m |= _CUE_LINK
    if not m & _CUE_TAG and s[0] in _TAG_LABEL_FIRST and _TAG_LABEL.match(s):
        m |= _CUE_TAG
    if n <= 60 and not period:
        hits = _SHARE.findall(s)
        if hits and (s.lstrip("【[").startswith(("分享", "转发", "扫", "字号", "字体")) or len(hits) >= 2):
            m |= _CUE_SHARE
    if n <= 60 and _LABELLED_COUNTER.match(s):
        m |= _CUE_COUNTER
    if n <= 80 and (s[0].isdigit() or s[0] in "发更时日来") and (_DATE_LINE.match(s) or _SOURCE_LINE.match(s)):
        m |= _CUE_META
    if n <= 100 and not period and _CONTACT_LABEL.search(s):
        m |= _CUE_CONTACT
    return m


_cache: tuple[str, Page] | None = None


def page(text: str) -> Page:
    """Split ``text`` into lines and find the body; cached for the last text
    (every rule of one engine pass sees the same string)."""
    global _cache
    c = _cache  # one read: another thread may replace the cache meanwhile
    if c is not None and c[0] is text:
        return c[1]
    out = Lines(text)

    def is_body(s: str) -> bool:
        # A disclaimer is no body paragraph (and a text with one holds legal
        # wording: the disclaimer's anchor is one of _LEGAL_ANCHORS).
        return len(s) >= 30 and ends_sentence(s) and not _cues_of(s) & _DISCLAIMER

    texts = out.texts
    first = next((i for i, s in enumerate(texts) if is_body(s)), len(texts))
    last = next((i for i in range(len(texts) - 1, first - 1, -1) if is_body(texts[i])), -1)
    p = Page(out, first, last, text)
    _cache = (text, p)
    return p


def remove_line_edit(text: str, pg: Page, i: int, last: int | None = None) -> Edit:
    """Delete lines ``i``..``last`` (default: just ``i``) together with the
    line breaks and blank lines that separate them from the previous
    non-blank line, so the paragraph spacing around them stays as it was.

    Deleting backwards makes the removals of neighbouring lines adjacent
    rather than overlapping, so one engine pass takes them all. At the top of
    the text the blank lines after the block go instead.
    """
    last = i if last is None else last
    k = i - 1
    while k >= 0 and pg.lines[k].blank:
        k -= 1
    if k >= 0:
        return Edit(pg.lines[k].end, pg.lines[last].end, "")
    j = last + 1
    while j < len(pg.lines) and pg.lines[j].blank:
        j += 1
    return Edit(pg.lines[i].start, pg.lines[j].start if j < len(pg.lines) else pg.lines[last].end, "")


_SENT_PUNCT_RE = re.compile("[" + re.escape("".join(sorted(_SENT_PUNCT))) + "]")


def _has_sentence_punct(s: str) -> bool:
    return bool(_SENT_PUNCT_RE.search(s))


def _line_finding(rule: Rule, text: str, pg: Page, i: int, message: str, **kw) -> Finding:
    ln = pg.lines[i]
    return rule.finding(ln.start, ln.end, message, edits=[remove_line_edit(text, pg, i)], **kw)


# ----------------------------------------------------------------- BP001 registration numbers

_REG = re.compile(
    r"(?:[\u4e00-\u9fff]?ICP[备证][\s:：]*\d{4,}号(?:-\d+)?"
    r"|[\u4e00-\u9fff]?公网安备\s*\d{6,}号?"
    r"|(?:增值电信业务经营许可证|互联网新闻信息服务许可证)[\s:：]*[\u4e00-\u9fffA-Z]?[A-Z0-9\-]{4,}号?)"
)


def registration(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Site registration numbers (粤ICP备05102027号, 粤公网安备 44040202001358号).

    A short line without sentence punctuation besides the number is the site
    footer and goes as a whole; inside prose only the number itself goes.
    """
    pg = page(text)
    texts = pg.lines.texts
    # The candidates (memoised line tests) hold ICP, 公网安备 or 许可证: a few
    # lines, in which plain substring tests find what _REG needs faster than
    # in the whole text.
    for i in pg.candidates(_CUE_REG):
        s = texts[i]
        if "ICP" not in s and "公网安备" not in s and "业务经营许可证" not in s and "服务许可证" not in s:
            continue
        ln = pg.lines[i]
        ms = list(_REG.finditer(ln.text))
        if not ms:
            continue
        rest = _REG.sub("", ln.text)
        if len(rest) <= 60 and "。" not in rest:
            yield _line_finding(rule, text, pg, i, f"site registration number {ms[0].group(0)!r}")
        else:
            off = text.index(ln.text, ln.start)
            for m in ms:
                yield rule.finding(off + m.start(), off + m.end(), f"site registration number {m.group(0)!r}",
                                   replacement="")


# ----------------------------------------------------------------- BP002 navigation / footer

_DATE_RX = r"(?:(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)"
_PIPES = re.compile(r"[|｜¦]")
_DOTS = re.compile(r"\s*[·•・]\s*")
_GAPS = re.compile(r"[ \u00a0\u3000]{2,}| ")
_WHERE = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|所在位置|位置)\s*[:：]\s*")
_NAV_HOME = ("首页", "主页", "网站首页", "返回首页")
# Section names of news sites; confirm a menu of bare words (names never match).
_NAV_CUE = re.compile(r"新闻|要闻|时政|财经|经济|科技|教育|视频|图片|专题|评论|民生|体育|文化|娱乐|社会|国际|国内|公告|政务|服务|互动|登录|注册|首页")


def _menu_labels(s: str, sep: re.Pattern[str]) -> list[str]:
    return [x for x in (y.strip(" \u00a0\u3000") for y in sep.split(s)) if x]


# navigation() verdicts by (line, at the page edge, parameters): a later engine
# pass meets the same lines.
_NAV_KINDS: dict[tuple[str, bool, int, int, int, int], str] = {}


def navigation(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Lines of short link labels: separated by pipes (footer menus), by
    middle dots or wide gaps (menus), or by arrows (breadcrumbs:
    首页 > 新闻 > 正文)."""
    p = rule.params
    min_links = int(p.get("min_links", 3))
    max_label = int(p.get("max_label", 10))
    min_plain = int(p.get("min_plain_links", 5))
    max_plain = int(p.get("max_plain_label", 4))
    pg = page(text)
    texts = pg.lines.texts
    for i in pg.candidates(_CUE_NAV):
        s = texts[i]
        key = (s, pg.at_edge(i), min_links, max_label, min_plain, max_plain)
        kind = _NAV_KINDS.get(key)
        if kind is None:
            kind = store(_NAV_KINDS, key, _menu_kind(*key))  # type: ignore[assignment]
        if kind:
            yield _line_finding(rule, text, pg, i, f"{kind}: {s[:30]!r}")


def _menu_kind(s: str, edge: bool, min_links: int, max_label: int, min_plain: int, max_plain: int) -> str:
    """The kind of menu the stripped line ``s`` is ("" if none); ``edge``: it
    lies at the page edge."""
    if not s or len(s) > 300 or "。" in s or "，" in s or "," in s:
        return ""  # a menu has no sentence punctuation
    where = _WHERE.match(s)
    if where:
        s = s[where.end() :]
    if _PIPES.search(s):
        labels = _menu_labels(s, _PIPES)
        # registration numbers at the end of a footer menu are allowed
        plain = [x for x in labels if not _REG.fullmatch(x)]
        if len(labels) >= min_links and plain and _short_labels(plain, max_label):
            return "footer/navigation menu"
    if _ARROWS.search(s) and (where or edge):
        labels = _menu_labels(s, _ARROWS)
        if len(labels) >= (2 if where else min_links) and _short_labels(labels, max_label):
            return "breadcrumb navigation"
    if _DOTS.search(s) or _GAPS.search(s):
        # menus of bare words: many short labels, and a home link or the page edge
        for sep in (_DOTS, _GAPS):
            labels = _menu_labels(s, sep)
            if (len(labels) >= min_plain and _short_labels(labels, max_plain)
                    and (labels[0] in _NAV_HOME
                         or (edge or sep is _DOTS) and any(_NAV_CUE.search(x) for x in labels))):
                return "navigation menu"
    return ""


def _short_labels(labels: list[str], max_len: int) -> bool:
    return all(len(x) <= max_len and not _has_sentence_punct(x) and not x.isdigit() for x in labels)


# ----------------------------------------------------------------- BP003 tag clouds


_TAG_LABEL = re.compile(r"^[【\[]?(?:相关)?(?:标签|关键词|关键字|热门标签|Tags?|TAG)[】\]]?\s*[:：]\s*", re.IGNORECASE)
# Every character a _TAG_LABEL match can start with (it ignores case: t, T).
_TAG_LABEL_FIRST = frozenset("【[相标关热Tt")
_TAG_SEP = re.compile(r"[\s,，、;；/|]+")


# tag_cloud() messages by (line, at the page edge, parameters), "" for no finding.
_TAG_MESSAGES: dict[tuple[str, bool, int, int, int], str] = {}


def tag_cloud(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A line of short space-separated keywords with no punctuation at all:
    a tag cloud when a token repeats (a byline never names one person twice),
    or when the line has many tokens and sits at the page edge. Titles have two
    or three tokens; a line of two- and three-character tokens only is a
    byline and needs a repeated token. A labelled keyword line (标签：…,
    关键词：…) of short tokens is a tag list wherever it stands."""
    p = rule.params
    min_tokens = int(p.get("min_tokens", 4))
    edge_tokens = int(p.get("edge_tokens", 6))
    max_token = int(p.get("max_token", 12))
    pg = page(text)
    texts = pg.lines.texts
    for i in pg.candidates(_CUE_TAG):
        key = (texts[i], pg.at_edge(i), min_tokens, edge_tokens, max_token)
        message = _TAG_MESSAGES.get(key)
        if message is None:
            message = store(_TAG_MESSAGES, key, _tag_message(*key))  # type: ignore[assignment]
        if message:
            yield _line_finding(rule, text, pg, i, message)


def _tag_message(s: str, edge: bool, min_tokens: int, edge_tokens: int, max_token: int) -> str:
    """The message of a tag-cloud finding on the stripped line ``s`` ("" if
    none); ``edge``: it lies at the page edge."""
    if not s:
        return ""
    m = _TAG_LABEL.match(s)
    if m:
        toks = [t for t in _TAG_SEP.split(s[m.end() :]) if t]
        if toks and all(len(t) <= max_token and t.isalnum() for t in toks):
            return f"keyword tags: {s[:30]!r}"
        return ""
    if " " not in s and "\u00a0" not in s and "\u3000" not in s:
        return ""
    toks = _SPACES.split(s)
    n = len(toks)
    if n < min_tokens or any(len(t) > max_token or not t.isalnum() for t in toks):
        return ""
    repeated = n - len(set(toks))
    names_only = all(2 <= len(t) <= 3 for t in toks)
    if repeated >= 1:
        why = f"{repeated} repeated token(s)"
    elif n >= edge_tokens and edge and not names_only:
        why = f"{n} keyword tokens at the page edge"
    else:
        return ""
    return f"tag cloud ({why}): {s[:30]!r}"


# ----------------------------------------------------------------- BP004 disclaimers

_DISCLAIMER_LABEL = re.compile(r"^[【\[(（]?(?:免责声明|版权声明|法律声明|特别声明|声明)[】\])）]?\s*[:：]")
_LEGAL_CUES = re.compile(
    r"不代表本(?:网|站|报|刊|平台|号)|(?:本网|本站|本平台)(?:转载|所载|刊载)|如有侵权|侵犯了?您的(?:版权|权益|合法权益)"
    r"|转载请注明|版权(?:归|属于)?原作者|未经(?:本网|本站)?(?:书面)?(?:授权|许可)[,，]?(?:不得|禁止)转载"
    r"|版权所有|Copyright|©|All Rights Reserved|第一时间删除|请与(?:我们|本站|本网)联系|联系(?:我们|本站|本网)?删除"
    r"|(?:主办|承办|协办)(?:单位)?[:：]|技术支持[:：]|网站标识码"
)


# Substrings of which every legal cue holds one: a fast test before the regex.
_LEGAL_ANCHORS = ("声明", "不代表", "请与", "本网", "本站", "本平台", "本报", "本刊", "版权", "侵权", "侵犯", "转载", "opyright", "©",
                  "Rights", "删除", "主办", "承办", "协办", "技术支持", "网站标识码")


_LEGAL_ANCHOR = re.compile("|".join(map(re.escape, _LEGAL_ANCHORS)))
# The anchors that a disclaimer line holds: every legal cue and every
# disclaimer label holds one. 本报 and 本刊 are left out: the only cue with
# them (不代表本报) holds 不代表 too, and they open countless datelines (本刊讯).
_DISCLAIMER_ANCHORS = tuple(a for a in _LEGAL_ANCHORS if a not in ("本报", "本刊"))
_DISCLAIMER_ANCHOR = re.compile("|".join(map(re.escape, _DISCLAIMER_ANCHORS)))
# A registration number or a disclaimer anchor: the one scan of a prose line.
_ANCHOR_ANY = re.compile("|".join(map(re.escape, ("ICP", "公网安备", "许可证", *_DISCLAIMER_ANCHORS))))


def _is_disclaimer(s: str) -> bool:
    if _DISCLAIMER_LABEL.match(s):
        return bool(_LEGAL_CUES.search(s)) or len(s) < 200
    return len(_LEGAL_CUES.findall(s)) >= 2


def disclaimer(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Legal notices of the site: a 免责声明/版权声明 label at the start of the
    line, or two legal cues (不代表本网观点, 如有侵权, 版权所有 …) in one line."""
    pg = page(text)
    texts = pg.lines.texts
    # (a candidate holds one of _DISCLAIMER_ANCHORS, which need no test of the text for legal wording)
    for i in pg.candidates(_CUE_LEGAL):
        s = texts[i]
        if s and len(s) <= 400 and _is_disclaimer(s):
            yield _line_finding(rule, text, pg, i, f"site disclaimer: {s[:20]!r}…")


# ----------------------------------------------------------------- BP005 related-links lists

_LINK_CUES = re.compile(
    r"更多|推荐|排行|热门|热点|相关(?:新闻|阅读|资讯|文章|链接)|延伸阅读|猜你喜欢|精彩(?:图片|推荐|专题)|最新(?:资讯|新闻|文章)"
    r"|上一篇|下一篇|返回(?:首页|顶部|列表)|点击(?:排行|榜)|资讯|图文|专题"
)


_LIST_HEAD = re.compile(r"更多|相关|推荐|延伸阅读|热门|猜你喜欢|排行|点击榜|上一篇|下一篇")
_BULLET = re.compile(r"^[·•▪▫◆◇■□●○►▶\-–*]\s*")
_TRAILING_DATE = re.compile(rf"(?:\s+|^){_DATE_RX}\s*$|\s+\d{{1,2}}-\d{{1,2}}\s*$")


def _is_heading(s: str, max_len: int) -> bool:
    return bool(s) and len(s) <= max_len and not _has_sentence_punct(s) and bool(_LINK_CUES.search(s))


def _is_item(s: str) -> bool:
    """A link-list entry: a bulleted or dated headline, no sentence in it."""
    return (bool(s) and len(s) <= 60 and "。" not in s and "，" not in s
            and bool(_BULLET.match(s) or _TRAILING_DATE.search(s)))


def related_links(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """"More news" lists: a short heading with a cue word (更多新闻, 相关阅读,
    推荐图文, 点击排行) and the link entries under it.

    A heading goes together with the entries directly under it (no blank line
    between) when they are bulleted or dated headlines, wherever it stands;
    at the page edge also when the entries are bare headlines. Headings with
    no entries go when they lie after the last body paragraph and either hold
    a link arrow (>, », >>) or stand in a run of at least ``min_run`` such
    lines (blank lines between them allowed)."""
    p = rule.params
    max_len = int(p.get("max_len", 15))
    min_run = int(p.get("min_run", 2))
    pg = page(text)
    heads = pg.candidates(_CUE_LINK)  # (each holds a _LINK_CUES word)
    if not heads:
        return
    lines = pg.lines
    taken: set[int] = set()
    for i in heads:
        ln = lines[i]
        if i in taken or not _is_heading(ln.text, max_len):
            continue
        j = i + 1
        while j < len(lines) and lines[j].text and (
            _is_item(lines[j].text) or len(lines[j].text) <= 40 and not _has_sentence_punct(lines[j].text)
        ):
            j += 1
        items = j - i - 1
        dated = items >= 1 and any(_is_item(lines[k].text) for k in range(i + 1, j))
        # bare headlines under a heading: only at the page edge, and only
        # under an unmistakable list heading (a column name such as 经济资讯
        # above a title block is not one)
        if dated or items >= 2 and pg.at_edge(i) and len(ln.text) <= 8 and _LIST_HEAD.search(ln.text):
            taken.update(range(i, j))
            yield rule.finding(ln.start, lines[j - 1].end,
                               f"related-links list {ln.text!r} with {items} entr{'y' if items == 1 else 'ies'}",
                               edits=[remove_line_edit(text, pg, i, j - 1)])
    cand: list[int] = []
    for i in heads:
        if i >= pg.body_last + 1 and i not in taken and _is_heading(lines[i].text, max_len):
            cand.append(i)
    # runs of candidate lines with only blank lines between them
    runs: list[list[int]] = []
    for i in cand:
        if runs and all(lines[k].blank for k in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) >= min_run:
            a, b = lines[run[0]], lines[run[-1]]
            heads = ", ".join(repr(lines[i].text) for i in run)
            yield rule.finding(a.start, b.end, f"related-links headings at the page bottom: {heads}",
                               edits=[remove_line_edit(text, pg, run[0], run[-1])])
            continue
        for i in run:
            s = lines[i].text
            if _ARROWS.search(s):
                yield _line_finding(rule, text, pg, i, f"related-links heading at the page bottom: {s!r}")


# ----------------------------------------------------------------- BP006 share / print bars

_SHARE = re.compile(
    r"^(?:分享到|分享至|分享|一键分享|转发到|转发至)\s*[:：]|^(?:分享到|一键分享)"
    r"|^扫一?扫|在手机上(?:打开|阅读|浏览|查看)|复制链接"
    r"|(?:【|\[)(?:打印|关闭|关闭窗口|收藏|返回顶部|打印本页|大|中|小)(?:】|\])"
    r"|^[【\[]?字[号体]\s*[:：]?\s*[大中小TＴ]"
)
# The fast test of the whole text: one of these words, or a widget button.
# Plain substring tests, and a pattern opening with a character class, run far
# faster over a whole text than one regex alternation of them all.
_SHARE_WORDS = ("分享", "转发", "扫一", "扫描", "在手机上", "复制链接", "字号", "字体")
_SHARE_BUTTON = re.compile(r"[【\[](?:打印|关闭|收藏|返回顶部|大|中|小)")


def share_bar(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Share, print and font-size widgets (分享到：微信 微博, 【打印】【关闭】,
    字号：大 中 小): a short line with no sentence end that starts with a share
    cue or holds bracketed widget buttons."""
    pg = page(text)
    cands = pg.candidates(_CUE_SHARE)
    if not cands or not (any(w in text for w in _SHARE_WORDS) or _SHARE_BUTTON.search(text)):
        return
    texts = pg.lines.texts
    for i in cands:
        s = texts[i]
        if not s or len(s) > 60 or "。" in s:
            continue
        hits = _SHARE.findall(s)
        if hits and (s.lstrip("【[").startswith(("分享", "转发", "扫", "字号", "字体")) or len(hits) >= 2):
            yield _line_finding(rule, text, pg, i, f"share/print bar: {s[:30]!r}")


# ----------------------------------------------------------------- BP007 view counters / BP008 metadata

_DATE = _DATE_RX
_DATE_LINE = re.compile(
    rf"^(?:(?:发布|发表|更新)?(?:时间|日期)[:：]\s*)?(?P<date>{_DATE})(?:\s+(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?))?"
    r"(?:\s+(?:来源[:：]\s*)?(?P<source>[^\s，。,;；:：!?！？]{2,20}))?"
    r"(?:\s+(?:作者|编辑|责任编辑)[:：]\s*(?P<author>\S{2,10}))?\s*$"
)
_SOURCE_LINE = re.compile(r"^来源[:：]\s*(?P<source>[^\s，。,;；!?！？]{2,20})\s*$")
_COUNTER = re.compile(r"^(?:(?:阅读|浏览|点击|访问)(?:量|数|次数)?\s*[:：]?\s*)?\d{1,8}\s*(?:次|人(?:阅读|浏览))?$")
_COUNTER_ITEM = (r"(?:(?:阅读|浏览|点击|访问|点赞|评论|收藏|转发|分享)(?:量|数|次数|人数)?\s*[:：]?\s*\d{1,9}\s*次?"
                 r"|[【\[]?字[号体]\s*[:：]?\s*大\s*中\s*小[】\]]?)")
# A line of nothing but labelled counters (and a font-size widget), e.g.
# 阅读量：1024  点赞：12 or 【字体：大 中 小】 浏览：360次; at least one counter.
_LABELLED_COUNTER = re.compile(rf"^(?=.*\d)(?:{_COUNTER_ITEM}[\s|｜·]*)+$")


def _date_lines(pg: Page) -> Iterator[tuple[int, re.Match[str]]]:
    """Date/source lines in the top edge of the page."""
    texts = pg.lines.texts
    for i in range(min(pg.body_first, len(texts))):
        m = _DATE_LINE.match(texts[i])
        if m:
            yield i, m


def view_counter(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A bare number (or 阅读：123) right after the date/source line of a web
    page, or a line of labelled counters (浏览次数：42, 阅读量：1024 点赞：12)
    anywhere."""
    pg = page(text)
    texts = pg.lines.texts
    seen: set[int] = set()
    for i, _m in _date_lines(pg):
        j = i + 1
        while j < len(texts) and not texts[j]:
            j += 1
        if j < pg.body_first and _COUNTER.match(texts[j]):
            seen.add(j)
            yield _line_finding(rule, text, pg, j, f"view counter {texts[j]!r} after the date line")
    for i in pg.candidates(_CUE_COUNTER):
        s = texts[i]
        if i not in seen and s and len(s) <= 60 and _LABELLED_COUNTER.match(s):
            yield _line_finding(rule, text, pg, i, f"view counter {s!r}")


_META_LABEL = re.compile(r"^(?:发布|发表|更新)?(?:时间|日期)[:：]")


def page_metadata(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Record the publication date and source of a web page in ``ctx.meta``.

    An unlabelled date/source line above the body (``2021-12-13 山西日报``)
    stays in the text: it reads as the article's dateline and the article
    segmenter uses it. A labelled one (``发布时间：… 来源：…``, ``来源：新华社``)
    is page furniture wherever it stands: it is recorded, then removed.
    The first date and source of the file win.
    """
    pg = page(text)
    # The candidates are few short lines; testing them is cheaper than any
    # search of the whole text for a date (an unanchored regex tries every position).
    texts = pg.lines.texts
    for i in pg.candidates(_CUE_META):
        s = texts[i]
        if not s or len(s) > 80 or not (s[0].isdigit() or s[0] in "发更时日来"):
            continue
        m = _DATE_LINE.match(s)
        ms = None if m else _SOURCE_LINE.match(s)
        if m is None and ms is None:
            continue
        labelled = ms is not None or bool(_META_LABEL.match(s)) or "来源" in s
        if not labelled and i >= pg.body_first:
            continue
        got: dict[str, str] = {}
        if m is not None:
            got["date"] = _iso_date(m.group("date"))
            for k in ("time", "source", "author"):
                if m.group(k):
                    got[k] = m.group(k)
        else:
            got["source"] = ms.group("source")  # type: ignore[union-attr]
        for k, v in got.items():
            ctx.meta.setdefault(k, v)
        if labelled:
            shown = ", ".join(f"{k}={v}" for k, v in got.items())
            yield _line_finding(rule, text, pg, i, f"page metadata line, recorded in the file's metadata ({shown})")


def _iso_date(s: str) -> str:
    y, mo, d = (int(x) for x in re.findall(r"\d+", s)[:3])
    return f"{y:04d}-{mo:02d}-{d:02d}"


# ----------------------------------------------------------------- BP009 site contact lines

_CONTACT_LABEL = re.compile(r"(地址|邮编|邮政编码|电话|联系电话|传真|邮箱|电子邮箱|E-?mail|QQ|客服热线)\s*[:：]", re.IGNORECASE)
_FOOTER_LABELS = {"邮编", "邮政编码", "传真", "邮箱", "电子邮箱", "email", "e-mail", "qq", "客服热线"}


def site_contact(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """The site's postal contact block (地址：… 邮编：… 电话：…): a short line
    without a sentence end that holds at least ``min_labels`` contact labels,
    one of them a footer-only label (邮编, 传真, 邮箱 …), or one label more
    than that without it. A notice in an article (地址：… 电话：…) has two
    everyday labels and stays."""
    min_labels = int(rule.params.get("min_labels", 2))
    if "：" not in text and ":" not in text:
        return
    pg = page(text)
    texts = pg.lines.texts
    for i in pg.candidates(_CUE_CONTACT) if min_labels >= 1 else range(len(texts)):
        s = texts[i]
        if not s or len(s) > 100 or "。" in s:
            continue
        labels = [m.group(1).lower() for m in _CONTACT_LABEL.finditer(s)]
        if len(set(labels)) < min_labels:
            continue
        if _FOOTER_LABELS.intersection(labels) or len(set(labels)) > min_labels:
            yield _line_finding(rule, text, pg, i, f"site contact line: {s[:30]!r}")
