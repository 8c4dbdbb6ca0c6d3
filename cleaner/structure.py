"""Line classification for newspaper dumps: what kind of line is this?

A dump is a sequence of lines (paragraphs). Body paragraphs end with terminal
punctuation; many other lines legitimately do not: titles and kicker lines,
zone labels (``临汾经济开发区``), subtitles (``——走进…``), subheads, datelines,
bylines (``张鑫``, ``刘科 茹艳``, ``（王文军）``), labels (``核心提示:``),
navigation and tag lines, running headers and page numbers. The page-break,
fragment and article-segmentation stages all need to tell these apart, so the
heuristics live here as small pure functions of one stripped line (or two
neighbouring lines) with no lexicon access.

Every function takes the line text (leading/trailing whitespace is ignored)
and is cheap: regexes and character counts only. They are deliberately
conservative in the direction that protects text: when unsure whether a line
is a title, call it title-like, because gluing a title to the body is worse
than leaving a sentence cut.
"""

from __future__ import annotations

import re

from .text import TERMINAL, ends_sentence, is_cjk

__all__ = [
    "CLAUSE_PUNCT",
    "MID_PUNCT",
    "body_like",
    "byline_tail",
    "first_clause",
    "is_byline",
    "is_dateline",
    "has_edition_marker",
    "is_heading_marked",
    "is_label_line",
    "is_numbered_point",
    "is_page_marker",
    "is_running_header",
    "is_subtitle",
    "is_title_like",
    "is_token_list",
    "is_zone_label",
    "last_clause",
    "looks_like_name",
    "opens_paragraph",
    "ends_mid_sentence",
    "quote_is_embedded",
    "bracket_is_annotation",
]

# Punctuation after which a sentence certainly goes on.
MID_PUNCT = "，,、：:"
# Punctuation that separates clauses inside a sentence (or ends it).
CLAUSE_PUNCT = "，,、；;：:。！？!?"

_SPACE = " \t\u3000\xa0"
_CLAUSE_RE = re.compile("[" + re.escape(CLAUSE_PUNCT) + "]")
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# ---------------------------------------------------------------- datelines
# News agency / paper leads: 本刊讯, 本报讯, 科学导报讯, 新华社北京3月1日电,
# "科学导报 记者 王波 ", "科学导报 近年来" (paper name + space at line start).
_DATELINE_RE = re.compile(
    rf"""^(?:
        (?:本刊|本报|本台|本网)讯
      | [{_CJK_CLASS}]{{2,10}}讯(?=[{_SPACE}（(【]|$)
      | [{_CJK_CLASS}]{{1,8}}(?:社|网)[{_CJK_CLASS}]{{0,6}}\d{{1,2}}月\d{{1,2}}日电
      | [{_CJK_CLASS}]{{2,8}}(?:日报|导报|晚报|晨报|时报|商报|报|周刊)[{_SPACE}]+(?=\S)
      | [（(【]\s*记者[^）)】]{{1,20}}[）)】]
      | 记者[{_SPACE}]*[{_CJK_CLASS}]{{2,4}}[{_SPACE}]
    )""",
    re.VERBOSE,
)


def is_dateline(line: str) -> bool:
    """The line opens with a news dateline or lead marker (``本刊讯``, ``科学导报讯 ``,
    ``新华社北京3月1日电``, ``科学导报 记者 王波``, ``（记者 张三）``)."""
    return bool(_DATELINE_RE.match(line.strip()))


# ---------------------------------------------------------------- bylines
_NAME = rf"[{_CJK_CLASS}]{{2,4}}"
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
_BYLINE_RE = re.compile(
    rf"""^(?:(?:记者|通讯员|文|图|文/图|文图|撰稿|作者|编辑|责任编辑|供稿)[{_SPACE}:：/]*)?
        (?:{_NAME}(?:[{_SPACE}、，,]+{_NAME}){{0,3}})$""",
    re.VERBOSE,
)
_PAREN_BYLINE_RE = re.compile(
    rf"^[（(]\s*(?:(?:记者|通讯员|文|图)[{_SPACE}:：/]*)?{_NAME}(?:[{_SPACE}、，,]+{_NAME}){{0,3}}\s*[）)]$"
)
# Characters that make a short CJK string read as words, not as a person's name.
_NOT_NAME_CHARS = set("的了是在和与及对为把被将从向于等之其这那有个们区县市省镇村会局委部厅")


# Common Chinese surnames (single and double): a name opens with one.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
    "连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲"
    "虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜"
    "海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜"
    "羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信"
    "展阴昝智幸奉植衡富尧闭由进"
)
DOUBLE_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯")


def looks_like_name(s: str) -> bool:
    """2–4 CJK characters opening with a common surname and holding no function
    or place characters: ``张鑫``, ``欧阳晓``; not ``一期``, ``园区``."""
    if not 2 <= len(s) <= 4 or not _CJK_RUN.fullmatch(s) or not _NOT_NAME_CHARS.isdisjoint(s):
        return False
    return s[0] in SURNAMES or (len(s) >= 3 and s.startswith(DOUBLE_SURNAMES))


def _names_ok(s: str, strict: bool = True) -> bool:
    """Every space-separated part is a name; ``strict=False`` (inside brackets after
    a finished sentence, where pen names occur) drops the surname test."""
    parts = [p for p in re.split(rf"[{_SPACE}、，,/:：]+", s) if p]
    if strict:
        return bool(parts) and all(looks_like_name(p) for p in parts)
    return bool(parts) and all(2 <= len(p) <= 4 and not (set(p) & _NOT_NAME_CHARS) for p in parts)


def is_byline(line: str) -> bool:
    """A line holding only author names: ``张鑫``, ``刘科 茹艳``, ``（王文军）``,
    ``（周旭 张晨帆）``, ``记者 王波``. Names are 2–4 CJK characters; a short
    run of function or place characters (``的``, ``区``, ``会``) is not a name."""
    s = line.strip()
    if not s or len(s) > 24:
        return False
    if _PAREN_BYLINE_RE.match(s):
        return _names_ok(s[1:-1].strip())
    if _BYLINE_RE.match(s):
        core = re.sub(r"^(?:记者|通讯员|文/图|文图|文|图|撰稿|作者|责任编辑|编辑|供稿)", "", s)
        return _names_ok(core)
    return False


_TAIL_RE = re.compile(
    rf"(?:[{_SPACE}]+((?:记者|通讯员)?[{_SPACE}]*{_NAME}(?:[{_SPACE}、]+{_NAME}){{0,3}})"
    rf"|([（(]\s*(?:记者|通讯员)?[{_SPACE}]*{_NAME}(?:[{_SPACE}、]+{_NAME}){{0,3}}\s*[）)]))[{_SPACE}]*$"
)

_TAIL_QUICK = re.compile(rf"[{_SPACE}（(]")


def byline_tail(line: str) -> int | None:
    """Offset (into ``line``) of a byline appended to a paragraph's last sentence,
    ``…的新篇章。 进晓宇`` or ``…投产达效。（王波）``; ``None`` when there is none.

    The byline must follow terminal punctuation, separated by a space or set in
    brackets, so ``…(试行)》`` or a sentence ending in a name is not one."""
    if not _TAIL_QUICK.search(line):
        return None  # every byline tail opens with a space or a bracket
    m = _TAIL_RE.search(line)
    if not m:
        return None
    before = line[: m.start()].rstrip(_SPACE)
    if not before or not ends_sentence(before):
        return None
    inner = m.group(1) or m.group(2)
    inner = inner.strip("（）() \t\u3000\xa0")
    inner = re.sub(r"^(?:记者|通讯员)", "", inner)
    return m.start() if _names_ok(inner, strict=m.group(2) is None) else None


# ---------------------------------------------------------------- titles and labels
_ZONE_SUFFIX = (
    "开发区", "经开区", "高新区", "示范区", "产业园", "园区", "新区", "试验区", "工业园",
    "县", "市", "区", "镇", "乡", "村", "省", "委", "工委", "管委会", "委员会", "局",
    "集团", "公司", "中心", "协会", "学院", "大学",
)

_CLAUSE_OR_SPACE = re.compile("[" + re.escape(CLAUSE_PUNCT + " ") + "]")

# Function characters that a place or organisation name does not hold.
_NOT_ZONE_CHARS = set("的了们是在把被将对着过吗呢吧和与到")


def is_zone_label(line: str) -> bool:
    """A short kicker naming a place or body above a title: ``临汾经济开发区``,
    ``沁源县``, ``祁县经济开发区纪检监察工委``."""
    s = line.strip()
    if not 2 <= len(s) <= 20 or _CLAUSE_OR_SPACE.search(s):
        return False
    if set(s) & _NOT_ZONE_CHARS:
        return False
    return all(is_cjk(c) for c in s) and s.endswith(_ZONE_SUFFIX)


def is_subtitle(line: str) -> bool:
    """A subtitle line opening with a dash: ``——走进左云经济技术开发区``."""
    s = line.strip()
    return s.startswith(("——", "──", "--", "—", "－－"))


_HEADING_RE = re.compile(r"#{1,6}[ \t]+\S")


def is_heading_marked(line: str) -> bool:
    """A Markdown heading (``## 召开…``)."""
    s = line.strip()
    return s[:1] == "#" and bool(_HEADING_RE.match(s))


_NUMBERED_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}(?:是|要|、|，|,)"
    r"|第[一二三四五六七八九十]{1,3}[，,、是]"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|\d{1,2}[、.．](?!\d)"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
    r"|(?:首先|其次|再次|最后|另外|此外|同时)[，,])"
)


def is_numbered_point(line: str) -> bool:
    """The line opens a numbered point: ``一是``, ``二要``, ``三、``, ``（一）``, ``1.``, ``①``,
    ``首先，``."""
    return bool(_NUMBERED_RE.match(line.strip()))


_LABEL_RE = re.compile(
    r"^(?:核心提示|内容提要|提要|摘要|导读|编者按|编者的话|关键词|来源|作者|责任编辑|编辑|时间|日期|发布时间|原标题)[：:]"
)


def is_label_line(line: str) -> bool:
    """A field line of a web page or article header: ``核心提示:…``, ``来源：…``."""
    return bool(_LABEL_RE.match(line.strip()))


_TOKEN_SEP = re.compile(r"[\s|｜]+")


def is_token_list(line: str) -> bool:
    """Navigation bars and tag clouds: at least three short tokens separated by
    spaces or pipes (``网站首页 | 关于我们 | 联系方式``, ``园区 园区 园区``)."""
    s = line.strip()
    if "。" in s or "！" in s or "？" in s:
        return False
    # without pipes, str.split() splits on exactly the characters \s matches
    parts = [p for p in _TOKEN_SEP.split(s) if p] if "|" in s or "｜" in s else s.split()
    if len(parts) < 3:
        return False
    short = sum(1 for p in parts if len(p) <= 8)
    return short >= 0.7 * len(parts)


_TITLE_STOP = re.compile("[。！？；;]")


def is_title_like(line: str, max_len: int = 40) -> bool:
    """A headline, kicker, subhead or label: short, no sentence punctuation.

    True for ``因地制宜发展新质生产力 加快打造开发区升级版``,
    ``举办“爱临汾·赢未来”2023年“热爱科学 崇尚科学”科技活动周``, ``项目建设加速跑``,
    zone labels, subtitles, Markdown headings and bylines. A title may hold one
    internal comma; it never ends with one, nor holds a full stop.
    """
    s = line.strip()
    if not s:
        return False
    if is_heading_marked(s) or is_subtitle(s) or is_zone_label(s) or is_byline(s):
        return True
    if len(s) > max_len:
        return False
    if s[-1] in MID_PUNCT or s[-1] in TERMINAL:
        return False
    if _TITLE_STOP.search(s):
        return False
    return s.count("，") + s.count(",") <= 1 and s.count("、") <= 2


# ---------------------------------------------------------------- running headers, page numbers
_PAGE_NO_RE = re.compile(
    r"""^(?:
        [-—–－~～]{1,2}\s*\d{1,4}\s*[-—–－~～]{1,2}          # - 3 -   —3—
      | 第\s*[\d一二三四五六七八九十]{1,3}\s*[版页](?:\s*[：:]?\s*[\u4e00-\u9fff]{0,6})?  # 第3版 要闻
      | [A-Z]?\d{1,2}\s*版(?:\s*[：:]?\s*[\u4e00-\u9fff]{0,6})?  # A3版
      | \d{1,4}\s*/\s*\d{1,4}                              # 3/12
      | (?:Page|PAGE|P)\.?\s*\d{1,4}
      | 第\s*\d{1,4}\s*页\s*(?:共\s*\d{1,4}\s*页)?
    )$""",
    re.VERBOSE,
)
_BARE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_DATE_RE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?<!\d)\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)"
)
_WEEKDAY_RE = re.compile(r"(?:星期|周)[一二三四五六日天]")
_EDITION_RE = re.compile(r"第\s*[A-Z]?\s*\d{1,3}\s*版|(?<![A-Za-z0-9])[A-Z]\d{1,2}\s*版|\d{1,3}\s*版(?=$|[\s·|｜:：])")
_PAPER_RE = re.compile(
    rf"[{_CJK_CLASS}]{{2,12}}(?:日报|导报|晚报|晨报|时报|商报|周报|报|周刊|导刊|杂志)(?=$|[\s·|｜:：])"
)
_HEADER_SPLIT = re.compile(r"[\s·|｜:：]+")
"""Separators between the parts of a running head."""


def _header_parts(s: str) -> tuple[bool, bool, bool, bool, list[str]]:
    date = bool(_DATE_RE.search(s))
    edition = bool(_EDITION_RE.search(s))
    weekday = bool(_WEEKDAY_RE.search(s))
    paper = bool(_PAPER_RE.search(s))
    rest = _WEEKDAY_RE.sub(" ", _EDITION_RE.sub(" ", _DATE_RE.sub(" ", s)))
    return date, edition, weekday, paper, [p for p in _HEADER_SPLIT.split(rest) if p]


_FURNITURE_STOP = re.compile("[。，！？；,;!?、“”]")


def _furniture_shape(s: str) -> bool:
    """Short, no sentence punctuation: a line that could be page furniture."""
    return 0 < len(s) <= 70 and not _FURNITURE_STOP.search(s)


def has_edition_marker(line: str) -> bool:
    """A line of page furniture naming an edition (``第3版``, ``第A05版``), alone or
    with the paper's name, section and date: ``黄河商报  2023.11.15  要闻  第3版``,
    ``北方县域经济·综合新闻  第4版  2019年4月8日 星期日``. The other parts must
    be short names, so a sentence mentioning ``第3版`` is not one."""
    s = line.strip()
    if not _furniture_shape(s):
        return False
    sep = " \t\u3000\xa0·|｜:："
    if not any(
        (m.start() == 0 or s[m.start() - 1] in sep) and (m.end() == len(s) or s[m.end()] in sep)
        for m in _EDITION_RE.finditer(s)
    ):
        return False  # the marker must stand as a part of its own, not inside a headline
    *_, rest = _header_parts(s)
    return all(len(p) <= 12 for p in rest) and len(rest) <= 5


def is_page_marker(line: str, *, bare_numbers: bool = False) -> bool:
    """A page number or page/edition marker: ``- 3 -``, ``第3版``, ``A3版``, ``3/12``,
    ``第3页``. A bare number (``3``) counts only with ``bare_numbers=True``: it may
    also be a view counter or a table cell, so the caller decides from context."""
    s = line.strip()
    if _PAGE_NO_RE.match(s):
        return True
    return bare_numbers and bool(_BARE_NUMBER_RE.match(s))


def is_running_header(line: str) -> bool:
    """A running head: newspaper name with date (weekday, edition, section), in
    any order: ``科学导报 2024年3月13日 星期三 第3版``, ``2021-12-13 山西日报``,
    ``2022年3月9日  星期五  河东经济时报``."""
    s = line.strip()
    if not _furniture_shape(s):
        return False
    date, edition, weekday, paper, rest = _header_parts(s)
    if not (date and (paper or edition or weekday)) and not (edition and paper):
        return False
    return all(len(p) <= 12 for p in rest) and len(rest) <= 5


# ---------------------------------------------------------------- clause helpers
def first_clause(line: str) -> str:
    """Text of ``line`` up to (not including) its first clause punctuation."""
    s = line.strip()
    m = _CLAUSE_RE.search(s)
    return s[: m.start()] if m else s


def last_clause(line: str) -> str:
    """Text of ``line`` after its last clause punctuation."""
    s = line.strip()
    i = max(map(s.rfind, CLAUSE_PUNCT))
    return s[i + 1 :] if i >= 0 else s


def body_like(line: str) -> bool:
    """Running text rather than a title: holds clause punctuation inside and is not
    a label, heading, subtitle, navigation or byline line."""
    s = line.strip()
    if not s or is_label_line(s) or is_heading_marked(s) or is_subtitle(s) or is_token_list(s):
        return False
    if is_byline(s) or is_page_marker(s) or is_running_header(s):
        return False
    if s[-1] in "，,、":
        return True  # nothing but running text stops at a comma
    m = _DATELINE_RE.match(s)
    if m and len(s) - m.end() >= 2:
        return True  # a dateline opens a body paragraph
    return bool(_CLAUSE_RE.search(s, 0, len(s) - 1)) or (len(s) > 40 and not is_title_like(s))


def ends_mid_sentence(line: str) -> bool:
    """The paragraph stops inside a sentence: it ends with a comma-like mark, or
    without terminal punctuation and without a closing byline (``。 王波``)."""
    s = line.strip()
    if not s:
        return False
    if s[-1] in MID_PUNCT:
        return True
    return not ends_sentence(s) and byline_tail(s) is None


def quote_is_embedded(s: str, max_len: int = 20) -> bool:
    """``s`` opens with a short quotation that is part of a larger sentence
    (``“制-储-运-加-用”产业链中…``) rather than a quoted speech paragraph
    (``“我们将尽全力保障企业的用地需求。”…``)."""
    s = s.strip()
    if not s or s[0] not in "“「『\"‘":
        return False
    close = {"“": "”", "「": "」", "『": "』", '"': '"', "‘": "’"}[s[0]]
    j = s.find(close, 1)
    if j < 0 or j > max_len:
        return False
    inner = s[1:j]
    if any(c in inner for c in CLAUSE_PUNCT):
        return False
    after = s[j + 1 : j + 2]
    return bool(after) and (is_cjk(after) or after in "“（(《")


def bracket_is_annotation(s: str, max_len: int = 12) -> bool:
    """``s`` opens with a short bracketed note that attaches to the word before the
    break (``(一期),正谋划…``, ``(试行)》。进一步…``), not a bracketed byline."""
    s = s.strip()
    if not s or s[0] not in "（(":
        return False
    m = re.match(r"^[（(]([^（）()]{1,%d})[）)]" % max_len, s)
    if not m:
        return False
    rest = s[m.end() :]
    if not rest:
        return False  # a bracket alone on its line: a byline or note, not a continuation
    return not is_byline(m.group(0))


def opens_paragraph(line: str) -> bool:
    """The line starts like a new paragraph or block: dateline, numbered point,
    heading, subtitle, label, byline, title, navigation or page furniture."""
    s = line.strip()
    return (
        is_dateline(s)
        or is_numbered_point(s)
        or is_heading_marked(s)
        or is_subtitle(s)
        or is_label_line(s)
        or is_byline(s)
        or is_token_list(s)
        or is_page_marker(s, bare_numbers=True)
        or is_running_header(s)
        or is_title_like(s)
    )
