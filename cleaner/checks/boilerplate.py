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
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import RuleContext
from ..model import Edit, Finding
from ..ruleset import Rule
from ..text import ends_sentence

# Sentence punctuation: a line holding any of these reads as prose.
_SENT_PUNCT = set("，。；！？,;!?、：:")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")
_ARROWS = re.compile(r"(?:>{1,2}|»|＞|→|›)")

# ----------------------------------------------------------------- page model


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # offset of the first character of the line
    end: int  # offset of the line's end (before "\n")
    text: str  # stripped content

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(slots=True)
class Page:
    lines: list[Line]
    body_first: int  # index of the first body paragraph (len(lines) if none)
    body_last: int  # index of the last body paragraph (-1 if none)

    def at_top(self, i: int) -> bool:
        return i < self.body_first

    def at_bottom(self, i: int) -> bool:
        return i > self.body_last

    def at_edge(self, i: int) -> bool:
        return self.at_top(i) or self.at_bottom(i)


_cache: tuple[str, Page] | None = None


def page(text: str) -> Page:
    """Split ``text`` into lines and find the body; cached for the last text
    (every rule of one engine pass sees the same string)."""
    global _cache
    c = _cache  # one read: another thread may replace the cache meanwhile
    if c is not None and c[0] is text:
        return c[1]
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        out.append(Line(pos, end, raw.strip(" \t\r\u00a0\u3000\ufeff")))
        pos = end + 1
    body = [i for i, ln in enumerate(out) if _is_body(ln.text)]
    p = Page(out, body[0] if body else len(out), body[-1] if body else -1)
    _cache = (text, p)
    return p


def _is_body(s: str) -> bool:
    return len(s) >= 30 and ends_sentence(s) and not _is_disclaimer(s)


def remove_line_edit(text: str, pg: Page, i: int, last: int | None = None) -> Edit:
    """Delete lines ``i``..``last`` (default: just ``i``) with their line
    breaks and the blank lines after them, or, when nothing but blank lines
    follows, the blank lines before them."""
    last = i if last is None else last
    j = last + 1
    while j < len(pg.lines) and pg.lines[j].blank:
        j += 1
    if j < len(pg.lines):
        return Edit(pg.lines[i].start, pg.lines[j].start, "")
    k = i - 1
    while k >= 0 and pg.lines[k].blank:
        k -= 1
    return Edit(pg.lines[k].end if k >= 0 else pg.lines[i].start, pg.lines[last].end, "")


def _has_sentence_punct(s: str) -> bool:
    return any(c in _SENT_PUNCT for c in s)


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
    if "ICP" not in text and "公网安备" not in text and "许可证" not in text:
        return
    pg = page(text)
    for i, ln in enumerate(pg.lines):
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

_PIPES = re.compile(r"[|｜¦]")
_WHERE = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|当前页面)\s*[:：]\s*")


def navigation(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Lines of short link labels separated by pipes (footer menus) or by
    arrows (breadcrumbs: 首页 > 新闻 > 正文)."""
    p = rule.params
    min_links = int(p.get("min_links", 3))
    max_label = int(p.get("max_label", 10))
    has_pipe = bool(_PIPES.search(text))
    has_arrow = bool(_ARROWS.search(text))
    if not (has_pipe or has_arrow):
        return
    pg = page(text)
    for i, ln in enumerate(pg.lines):
        s = _WHERE.sub("", ln.text)
        if not s or len(s) > 300:
            continue
        for sep in (_PIPES, _ARROWS):
            if sep is _ARROWS and not (pg.at_edge(i) or s != ln.text):
                continue  # breadcrumbs only at the page edge or after 当前位置：
            labels = [x for x in (y.strip(" \u00a0\u3000") for y in sep.split(s)) if x]
            # registration numbers at the end of a footer menu are allowed
            plain = [x for x in labels if not _REG.fullmatch(x)]
            if len(labels) < min_links or not plain:
                continue
            if any(len(x) > max_label or _has_sentence_punct(x) for x in plain):
                continue
            kind = "footer/navigation menu" if sep is _PIPES else "breadcrumb navigation"
            yield _line_finding(rule, text, pg, i, f"{kind}: {ln.text[:30]!r}")
            break


# ----------------------------------------------------------------- BP003 tag clouds


def tag_cloud(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A line of short space-separated keywords with no punctuation at all:
    a tag cloud when a token repeats (a byline never names one person twice),
    or when the line has many tokens and sits at the page edge. Titles have two
    or three tokens; a line of two- and three-character tokens only is a
    byline and needs a repeated token."""
    p = rule.params
    min_tokens = int(p.get("min_tokens", 4))
    edge_tokens = int(p.get("edge_tokens", 6))
    max_token = int(p.get("max_token", 12))
    pg = page(text)
    for i, ln in enumerate(pg.lines):
        s = ln.text
        if not s or " " not in s and "\u00a0" not in s and "\u3000" not in s:
            continue
        toks = _SPACES.split(s)
        n = len(toks)
        if n < min_tokens or any(len(t) > max_token or not t.isalnum() for t in toks):
            continue
        repeated = n - len(set(toks))
        names_only = all(2 <= len(t) <= 3 for t in toks)
        if repeated >= 1:
            why = f"{repeated} repeated token(s)"
        elif n >= edge_tokens and pg.at_edge(i) and not names_only:
            why = f"{n} keyword tokens at the page edge"
        else:
            continue
        yield _line_finding(rule, text, pg, i, f"tag cloud ({why}): {s[:30]!r}")


# ----------------------------------------------------------------- BP004 disclaimers

_DISCLAIMER_LABEL = re.compile(r"^[【\[(（]?(?:免责声明|版权声明|法律声明|特别声明|声明)[】\])）]?\s*[:：]")
_LEGAL_CUES = re.compile(
    r"不代表本(?:网|站|报|刊|平台|号)|(?:本网|本站|本平台)(?:转载|所载|刊载)|如有侵权|侵犯了?您的(?:版权|权益|合法权益)"
    r"|转载请注明|版权(?:归|属于)?原作者|未经(?:本网|本站)?(?:书面)?(?:授权|许可)[,，]?(?:不得|禁止)转载"
    r"|版权所有|Copyright|©|第一时间(?:删除|处理)|(?:请|联系)(?:与我们|本站|本网)?联系(?:删除)?"
)


def _is_disclaimer(s: str) -> bool:
    if _DISCLAIMER_LABEL.match(s):
        return bool(_LEGAL_CUES.search(s)) or len(s) < 200
    return len(_LEGAL_CUES.findall(s)) >= 2


def disclaimer(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Legal notices of the site: a 免责声明/版权声明 label at the start of the
    line, or two legal cues (不代表本网观点, 如有侵权, 版权所有 …) in one line."""
    if "声明" not in text and not _LEGAL_CUES.search(text):
        return
    pg = page(text)
    for i, ln in enumerate(pg.lines):
        if ln.text and len(ln.text) <= 400 and _is_disclaimer(ln.text):
            yield _line_finding(rule, text, pg, i, f"site disclaimer: {ln.text[:20]!r}…")


# ----------------------------------------------------------------- BP005 related-links lists

_LINK_CUES = re.compile(
    r"更多|推荐|排行|热门|热点|相关(?:新闻|阅读|资讯|文章|链接)|延伸阅读|猜你喜欢|精彩(?:图片|推荐|专题)|最新(?:资讯|新闻|文章)"
    r"|上一篇|下一篇|返回(?:首页|顶部|列表)|点击(?:排行|榜)|资讯|图文|专题"
)


def related_links(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Short link-list headings at the bottom edge of the page (更多>同类资讯,
    推荐图文, 点击排行). A line goes when it is short, has no sentence
    punctuation, lies after the last body paragraph, carries a cue word, and
    either holds a link arrow (>, », >>) or stands in a run of at least
    ``min_run`` such lines."""
    p = rule.params
    max_len = int(p.get("max_len", 15))
    min_run = int(p.get("min_run", 2))
    if not _LINK_CUES.search(text):
        return
    pg = page(text)
    cand: list[int] = []
    for i in range(max(pg.body_last + 1, 0), len(pg.lines)):
        s = pg.lines[i].text
        if s and len(s) <= max_len and not _has_sentence_punct(s) and _LINK_CUES.search(s):
            cand.append(i)
    # runs of candidate lines with only blank lines between them
    runs: list[list[int]] = []
    for i in cand:
        if runs and all(pg.lines[k].blank for k in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) >= min_run:
            a, b = pg.lines[run[0]], pg.lines[run[-1]]
            heads = ", ".join(repr(pg.lines[i].text) for i in run)
            yield rule.finding(a.start, b.end, f"related-links headings at the page bottom: {heads}",
                               edits=[remove_line_edit(text, pg, run[0], run[-1])])
            continue
        for i in run:
            s = pg.lines[i].text
            if _ARROWS.search(s):
                yield _line_finding(rule, text, pg, i, f"related-links heading at the page bottom: {s!r}")


# ----------------------------------------------------------------- BP006 share / print bars

_SHARE = re.compile(
    r"^(?:分享到|分享至|一键分享|转发到|扫一扫分享|扫描二维码分享)"
    r"|(?:【|\[)(?:打印|关闭|关闭窗口|收藏|返回顶部|打印本页|大|中|小)(?:】|\])"
    r"|^字号\s*[:：]?\s*[大中小TＴ]"
)


_SHARE_QUICK = re.compile(r"分享到|分享至|一键分享|转发到|扫一扫分享|扫描二维码分享|字号|[【\[](?:打印|关闭|收藏|返回顶部|大|中|小)")


def share_bar(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Share, print and font-size widgets (分享到：微信 微博, 【打印】【关闭】,
    字号：大 中 小): a short line with no sentence end that starts with a share
    cue or holds bracketed widget buttons."""
    if not _SHARE_QUICK.search(text):
        return
    pg = page(text)
    for i, ln in enumerate(pg.lines):
        s = ln.text
        if not s or len(s) > 60 or "。" in s:
            continue
        hits = _SHARE.findall(s)
        if hits and (s.startswith(("分享", "转发", "扫", "字号")) or len(hits) >= 2):
            yield _line_finding(rule, text, pg, i, f"share/print bar: {s[:30]!r}")


# ----------------------------------------------------------------- BP007 view counters / BP008 metadata

_DATE = r"(?:(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)"
_DATE_LINE = re.compile(
    rf"^(?:(?:发布|发表|更新)?(?:时间|日期)[:：]\s*)?(?P<date>{_DATE})(?:\s+(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?))?"
    r"(?:\s+(?:来源[:：]\s*)?(?P<source>[^\s，。,;；:：!?！？]{2,20}))?"
    r"(?:\s+(?:作者|编辑|责任编辑)[:：]\s*(?P<author>\S{2,10}))?\s*$"
)
_SOURCE_LINE = re.compile(r"^来源[:：]\s*(?P<source>[^\s，。,;；!?！？]{2,20})\s*$")
_COUNTER = re.compile(r"^(?:(?:阅读|浏览|点击|访问)(?:量|数|次数)?\s*[:：]?\s*)?\d{1,8}\s*(?:次|人(?:阅读|浏览))?$")
_LABELLED_COUNTER = re.compile(r"^(?:阅读|浏览|点击|访问)(?:量|数|次数)?\s*[:：]?\s*\d{1,8}\s*次?$")


def _date_lines(pg: Page) -> Iterator[tuple[int, re.Match[str]]]:
    """Date/source lines in the top edge of the page."""
    for i, ln in enumerate(pg.lines):
        if i >= pg.body_first:
            break
        m = _DATE_LINE.match(ln.text)
        if m:
            yield i, m


def view_counter(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """A bare number (or 阅读：123) right after the date/source line of a web
    page, or a labelled counter (浏览次数：42) anywhere above the body."""
    pg = page(text)
    if pg.body_first == 0:
        return
    seen: set[int] = set()
    for i, _m in _date_lines(pg):
        j = i + 1
        while j < len(pg.lines) and pg.lines[j].blank:
            j += 1
        if j < pg.body_first and _COUNTER.match(pg.lines[j].text):
            seen.add(j)
            yield _line_finding(rule, text, pg, j, f"view counter {pg.lines[j].text!r} after the date line")
    for i in range(min(pg.body_first, len(pg.lines))):
        if i not in seen and _LABELLED_COUNTER.match(pg.lines[i].text):
            yield _line_finding(rule, text, pg, i, f"view counter {pg.lines[i].text!r}")


def page_metadata(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Record the publication date and source of a web page in ``ctx.meta``.

    The line stays in the text (it is the article's metadata; the article
    segmenter reads it too); this rule reports nothing.
    """
    pg = page(text)
    for _i, m in _date_lines(pg):
        ctx.meta.setdefault("date", _iso_date(m.group("date")))
        if m.group("time"):
            ctx.meta.setdefault("time", m.group("time"))
        if m.group("source"):
            ctx.meta.setdefault("source", m.group("source"))
        if m.group("author"):
            ctx.meta.setdefault("author", m.group("author"))
        break
    if "source" not in ctx.meta:
        for i in range(min(pg.body_first, len(pg.lines))):
            ms = _SOURCE_LINE.match(pg.lines[i].text)
            if ms:
                ctx.meta["source"] = ms.group("source")
                break
    return iter(())


def _iso_date(s: str) -> str:
    y, mo, d = (int(x) for x in re.findall(r"\d+", s)[:3])
    return f"{y:04d}-{mo:02d}-{d:02d}"
