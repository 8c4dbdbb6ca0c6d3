"""Roles of the lines of a cleaned page, for article segmentation.

The line classifiers themselves live in :mod:`cleaner.structure` (shared with
the page-break rules); this module adds what only the article stage needs:
the role of a line in context, the parts of a lead (dateline, date, source,
reporter), jump markers, numbered-point ordinals, web furniture and the test
for a paragraph that starts in the middle of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import structure as st
from ..text import CLOSERS, TERMINAL, ends_sentence, is_cjk

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE = " \t\u3000\xa0"

# ---------------------------------------------------------------- jump markers
_NUM = "0-9０-９一二三四五六七八九十"
JUMP_RE = re.compile(rf"[（(【]\s*(下转|转|接|上接|续)\s*第?\s*([{_NUM}]{{1,3}})\s*[版页面]\s*[^）)】]{{0,12}}[）)】]")


def _num(s: str) -> int:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    return cn_number(s) or 0


def cn_number(s: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九)."""
    digits = "一二三四五六七八九"
    if not s:
        return None
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = digits.index(a) + 1 if a else 1
        ones = digits.index(b) + 1 if b else 0
        return tens * 10 + ones if (not a or a in digits) and (not b or b in digits) else None
    if len(s) == 1 and s in digits:
        return digits.index(s) + 1
    return None


@dataclass
class Jump:
    direction: str  # "to" (下转: continued on page N) or "from" (上接: continued from page N)
    page: int
    text: str


def find_jump(line: str) -> tuple[Jump | None, str]:
    """A jump marker in ``line`` and the line without it (``（下转第4版）``)."""
    if "转" not in line and "接" not in line and "续" not in line:
        return None, line  # every marker holds one of these (a quick test before the regex search)
    m = JUMP_RE.search(line)
    if not m:
        return None, line
    direction = "to" if m.group(1) in ("下转", "转") else "from"
    rest = (line[: m.start()] + line[m.end():]).strip()
    return Jump(direction, _num(m.group(2)), m.group(0)), rest


# ---------------------------------------------------------------- numbered points
_POINT_RE = re.compile(
    r"^(?:([一二三四五六七八九十]{1,3})(?:是|要|、|方面)|第([一二三四五六七八九十]{1,3})[，,、是]"
    r"|[（(]([一二三四五六七八九十]{1,3})[）)]|(\d{1,2})[、．](?!\d))"
)


def point_number(line: str) -> int | None:
    """Ordinal of a numbered point (``三是`` → 3, ``（二）`` → 2, ``4、`` → 4)."""
    m = _POINT_RE.match(line.strip())
    if not m:
        return None
    g = next(x for x in m.groups() if x)
    return int(g) if g.isdigit() else cn_number(g)


# ---------------------------------------------------------------- leads and metadata
_LEAD_PARTS_RE = re.compile(
    rf"""^(?P<src>(?:本刊|本报|本台|本网)|[{_CJK}]{{2,10}}?(?:日报|导报|晚报|晨报|时报|商报|报|周刊|社|网)?)
        (?:讯|(?P<place>[{_CJK}]{{0,6}}?)(?P<date1>\d{{1,2}}月\d{{1,2}}日)电)?
        [{_SPACE}]*(?:记者[{_SPACE}]*(?P<rep>[{_CJK}]{{2,3}})(?=[{_SPACE}]))?[{_SPACE}]*
        (?P<date2>\d{{1,2}}月\d{{1,2}}日)?""",
    re.VERBOSE,
)


@dataclass
class Lead:
    dateline: str
    source: str | None = None
    date: str | None = None
    reporter: str | None = None


# Leads that :func:`cleaner.structure.is_dateline` leaves out: the paper's name
# run straight into the date or text (``科学导报7月23日，``, ``科学导报讯2024年是…``).
_LEAD_EXTRA_RE = re.compile(
    rf"^(?:[{_CJK}]{{2,8}}(?:日报|导报|晚报|晨报|时报|报)\d{{1,2}}月\d{{1,2}}日[，,]"
    rf"|(?:本刊|本报|本台|本网|[{_CJK}]{{2,8}}(?:日报|导报|晚报|晨报|时报|报))讯(?=\d|[{_CJK}]))"
)


def is_lead(line: str) -> bool:
    """The paragraph opens with a dateline or lead marker."""
    s = line.strip()
    return st.is_dateline(s) or bool(_LEAD_EXTRA_RE.match(s))


def parse_lead(line: str) -> Lead | None:
    """Parts of a dateline paragraph (``科学导报 记者 王波 安全生产…``)."""
    s = line.strip()
    if not is_lead(s):
        return None
    m = _LEAD_PARTS_RE.match(s)
    if not m:
        return Lead(dateline=s[:8])
    date = m.group("date1") or m.group("date2")
    end = m.end("src") + (1 if s[m.end("src"):m.end("src") + 1] == "讯" else 0)
    for g in ("rep", "date2"):
        if m.group(g):
            end = max(end, m.end(g))
    if m.group("date1"):
        end = max(end, m.end("date1") + 1)
    return Lead(dateline=s[:end].strip(), source=m.group("src") or None, date=date, reporter=m.group("rep"))


_WEB_DATE_RE = re.compile(
    r"^(?:发布时间[：:]\s*)?(\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来源[：:])?\s*([^\s，。]{0,16})$"
)
_SOURCE_RE = re.compile(r"^(?:来源|稿源|出处)[：:]\s*(\S{1,20})$")


def web_meta(line: str) -> dict[str, str] | None:
    """Date/source line of a web copy (``2021-12-13山西日报``, ``来源：山西日报``)."""
    s = line.strip()
    m = _WEB_DATE_RE.match(s)
    if m:
        out = {"date": m.group(1)}
        if m.group(2):
            out["source"] = m.group(2)
        return out
    m = _SOURCE_RE.match(s)
    if m:
        return {"source": m.group(1)}
    return None


# Furniture lines open with one of these, or hold an ICP or police registration
# number (a footer). Tested as a match at the start plus two substrings: a
# search for ``^(?:…)|ICP备|公网安备`` tries the anchored branch at every
# position of a long paragraph.
_FURNITURE_START_RE = re.compile(
    r"(?:免责声明|版权声明|声明[：:]|更多>|更多\s*>|推荐图文|推荐资讯|点击排行|相关阅读|相关新闻|上一篇|下一篇|"
    r"分享到|扫一扫|责任编辑[：:]|编辑[：:]|网站首页|返回顶部|打印本页|关闭窗口)"
)
_FURNITURE_RE = re.compile("^" + _FURNITURE_START_RE.pattern + "|ICP备|公网安备")  # the same test as one regex


def is_furniture(line: str) -> bool:
    """Page or web furniture that belongs to no article: navigation, page numbers,
    running heads, disclaimers, counters."""
    s = line.strip()
    return bool(
        _FURNITURE_START_RE.match(s) or "ICP备" in s or "公网安备" in s
        or st.is_token_list(s)
        or st.is_page_marker(s, bare_numbers=True)
        or st.is_running_header(s)
    )


# ---------------------------------------------------------------- zone + title on one line
_SPACE_RE = re.compile(rf"[{_SPACE}]+")


def split_zone_title(line: str) -> tuple[str, str] | None:
    """``高平经济技术开发区 坚定不移强化项目硬支撑`` → (zone, title)."""
    s = line.strip()
    if " " not in s and "\u3000" not in s and "\t" not in s and "\xa0" not in s:  # the characters of _SPACE
        return None  # one part only (``in`` is much faster than a regex search through a paragraph)
    parts = _SPACE_RE.split(s, maxsplit=1)
    if len(parts) == 2 and st.is_zone_label(parts[0]) and len(parts[0]) >= 4 and st.is_title_like(parts[1]):
        return parts[0], parts[1]
    return None


# ---------------------------------------------------------------- open starts and ends
# Single characters that commonly open a sentence on their own.
_OPENERS = set("在对为我他她它这那今据近要但而并从将以把被让与和同自由当随经通截另其此该各每本全该有无若如虽即就也又还更再因所")
_OPEN_PUNCT = "，,、。；;：:）)》」』”’！？!?…"


def starts_mid_sentence(text: str, lexicon=None) -> bool:
    """The paragraph visibly starts inside a sentence: it opens with clause
    punctuation or a closer, or (with a lexicon) its first character is an orphan
    — not a word with the next character, while the next two characters are one
    (``斜支持…``, ``取上级…``)."""
    s = text.lstrip()
    if not s:
        return False
    if s[0] in _OPEN_PUNCT:
        return True
    if lexicon is None or len(s) < 3 or not all(is_cjk(c) for c in s[:3]) or s[0] in _OPENERS:
        return False
    if is_lead(s) or st.is_numbered_point(s):
        return False
    if any(s[:k] in lexicon for k in (2, 3, 4)):
        return False
    return any(s[1:1 + k] in lexicon and lexicon.freq(s[1:1 + k]) >= 50 for k in (2, 3))


def byline_tail(line: str) -> int | None:
    """:func:`cleaner.structure.byline_tail`, without its regex search through
    the paragraph when the line cannot end with a byline: a byline tail ends
    with a name (a CJK character) or a closing bracket, before trailing spaces
    (most paragraphs end with a full stop). Tested against the original."""
    t = line.rstrip(_SPACE)
    if t and t[-1] not in "）)" and not is_cjk(t[-1]) and not line.endswith("\n"):
        return None
    return st.byline_tail(line)


def ends_open(text: str) -> bool:
    """The paragraph stops without terminal punctuation (cut at a page or column end)."""
    s = text.rstrip()
    if not s:
        return False
    if ends_sentence(s) or byline_tail(s) is not None:
        return False
    if s[-1] in CLOSERS and s[-1] not in "”’":
        return False
    return True


def cut_word(left: str, right: str, lexicon, min_freq: int = 3) -> str | None:
    """A lexicon word across the cut between ``left``'s end and ``right``'s start
    (``…给予适当倾`` + ``斜支持…`` → ``倾斜``); the longest, most frequent wins."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right or not is_cjk(left[-1]) or not is_cjk(right[0]):
        return None
    # the CJK characters (at most 3) at the end of left and at the start of right
    ka = next((k for k in (1, 2) if len(left) <= k or not is_cjk(left[-k - 1])), 3)
    mb = next((m for m in (1, 2) if len(right) <= m or not is_cjk(right[m])), 3)
    best: tuple[int, int, str] | None = None
    for k in range(1, ka + 1):
        a = left[-k:]
        for m in range(1, mb + 1):
            w = a + right[:m]
            f = lexicon.freq(w)
            if f >= min_freq:
                cand = (len(w), f, w)
                if best is None or cand > best:
                    best = cand
    return best[2] if best else None


_NAME_TOKEN_RE = re.compile(rf"^[{_CJK}]{{2,3}}(?:[{_SPACE}、]+[{_CJK}]{{2,3}}){{0,2}}$")
_NOT_NAME = set("的了是在和与及对为把被将从向等之其这那有个们区县市省镇村会局委部厅业产展发")


def loose_byline(line: str) -> bool:
    """Names only, by shape: one to three tokens of 2–3 characters with no function
    or place characters. Weaker than :func:`cleaner.structure.is_byline` (no
    surname list); the caller asks the context too (after a finished paragraph,
    before a title, a lead or the end of the page)."""
    s = line.strip()
    return bool(_NAME_TOKEN_RE.match(s)) and not (set(s) & _NOT_NAME)


@dataclass
class LineInfo:
    """One non-empty line of a file with its role."""

    text: str
    start: int  # code-point offset of the line in the file
    end: int
    lineno: int  # 1-based
    role: str = "body"  # title, zone, subtitle, byline, lead, body, meta, furniture
    data: dict = field(default_factory=dict)


def classify(text: str) -> str:
    """Context-free role of one stripped line."""
    s = text.strip()
    if web_meta(s) is not None:
        return "meta"
    if is_furniture(s):
        return "furniture"
    if st.is_byline(s):
        return "byline"
    if is_lead(s):
        return "lead"
    if st.is_subtitle(s):
        return "subtitle"
    if st.is_zone_label(s):
        return "zone"
    if st.is_label_line(s):
        return "body"
    if s[-1:] not in TERMINAL and st.is_title_like(s) and not any(c in s for c in "，,"):
        # a comma makes a short line a cut sentence more often than a headline
        return "title"
    return "body"
