"""Corrupt clean Chinese news text at known positions and score a cleaner on it.

The yardstick of issue 3 ("Measure"). Clean, hand-written news prose lives in
``bench/corpus/*.txt`` (not the samples). For every defect class an injector
puts realistic damage at random but *recorded* places; the cleaner is run on
the damaged copy and the result is compared with the clean original:

* recall of a class = share of injections whose damage is gone with the
  original text restored exactly at that place (punctuation width and
  whitespace folded, as the acceptance probes do);
* harm = share of correct 12-character windows of the clean text, away from
  every injection, that the cleaner changed: measured once on the clean text
  itself and once on all damaged copies (char-level alignment of the clean
  original against the cleaned copy);
* broken reduplications = occurrences of legitimate reduplication and
  word-boundary overlaps (实实在在, 职责责任, 王志强强调 …) that were changed.

Each damaged copy carries one defect class only, so an unrepaired defect of
one class cannot be blamed on another. Everything is seeded and deterministic.

Usage::

    python bench/corrupt.py --seed 1 --report          # table of figures
    python bench/corrupt.py --seed 1 --write out/       # damaged copies + truth
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

CLASSES: tuple[str, ...] = (
    "pagebreak",
    "header",
    "markup",
    "boilerplate",
    "dup_paragraph",
    "dup_sentence",
    "traditional",
    "mojibake",
    "foreign",
    "doubled",
)

TARGETS: dict[str, float] = {
    "pagebreak": 0.95,
    "markup": 0.95,
    "boilerplate": 0.95,
    "dup_paragraph": 0.95,
    "header": 0.9,
    "dup_sentence": 0.9,
    "traditional": 0.9,
    "mojibake": 0.9,
    "foreign": 0.9,
    "doubled": 0.85,
}
HARM_TARGET = 1 / 1000
WINDOW = 12
SLACK = 4  # folded characters around an injection that must be intact too
GAP = 16  # minimum distance between two injections in one copy

# Legitimate reduplications and word|word overlaps the corpus contains on
# purpose; a cleaner must leave every one of them alone.
LEGIT_FORMS: tuple[str, ...] = (
    "实实在在", "纷纷", "常常", "强强联合", "人人", "事事", "处处", "一个个", "一一",
    "家家户户", "高高兴兴", "明明白白", "清清楚楚", "干干净净", "热热闹闹", "三三两两",
    "节节攀升", "源源不断", "津津乐道", "跃跃欲试", "大大提高", "大大降低", "天天",
    "个个", "村村通", "组组通", "乐呵呵", "笑眯眯", "金灿灿", "热腾腾", "香喷喷",
    "一条条", "一排排", "一辆辆", "一座座", "一盏盏", "一单单", "阵阵", "婷婷",
    "莘莘学子", "贝贝南瓜", "AAA级", "AAAA级",
    "职责责任", "城投投资", "园区区位", "产品品质", "管理理念", "产业业态",
    "发展展现", "全市市场", "县城城区", "城市市容", "本市市民",
    "王志强强调", "张建明明确", "陈永安安排", "杨文进进一步", "吴志刚刚刚",
    "郁郁葱葱", "熠熠生辉", "频频", "久久为功", "稳稳当当", "欣欣向荣", "井井有条", "踏踏实实",
    "渐渐", "方方面面", "兢兢业业", "默默", "工作作风", "会议议程", "层层压实", "开开心心",
    "聊聊天", "年年", "谢谢", "奶奶", "丹丹", "满满",
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_PUNCT_FOLD = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})
_HSPACE = frozenset(" \t\r\u00a0\u3000\u2002\u2003\u2009\u200b\u200c\u200d\ufeff")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]”?")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


# --------------------------------------------------------------------- folding
def fold(text: str) -> tuple[str, list[int]]:
    """Fold punctuation width and whitespace; return the text and, for each
    folded character, the index of the character it came from.

    Whitespace: leading/trailing dropped; a run holding two or more newlines
    becomes a blank line, one newline stays one newline, other runs vanish
    except between two ASCII letters/digits (one space).
    """
    out: list[str] = []
    idx: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in _HSPACE or ch == "\n":
            j, nl = i, 0
            while j < n and (text[j] in _HSPACE or text[j] == "\n"):
                nl += text[j] == "\n"
                j += 1
            if out and j < n:
                if nl >= 2:
                    out += ["\n", "\n"]
                    idx += [i, i]
                elif nl == 1:
                    out.append("\n")
                    idx.append(i)
                else:
                    a, b = out[-1], text[j]
                    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
                        out.append(" ")
                        idx.append(i)
            i = j
            continue
        out.append(ch.translate(_PUNCT_FOLD))
        idx.append(i)
        i += 1
    return "".join(out), idx


def fold_text(text: str) -> str:
    return fold(text)[0]


# ------------------------------------------------------------------- documents
@dataclass
class Injection:
    cls: str
    kind: str
    start: int  # span in the clean text that was replaced (start == end: insertion)
    end: int
    original: str
    corrupted: str
    pos: int = -1  # offset of ``corrupted`` in the damaged text
    source: tuple[int, int] | None = None  # duplicates: span of the copied clean text


@dataclass
class Corrupted:
    name: str
    clean: str
    text: str
    injections: list[Injection] = field(default_factory=list)


def load_corpus(directory: Path = CORPUS_DIR) -> dict[str, str]:
    """The clean documents: name -> text (stripped, paragraphs split by blank lines)."""
    return {p.stem: p.read_text(encoding="utf-8").strip() for p in sorted(directory.glob("*.txt"))}


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in text.split("\n\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return spans


def is_body(text: str, span: tuple[int, int]) -> bool:
    s, e = span
    return e - s >= 40 and "。" in text[s:e]


def is_title(text: str, span: tuple[int, int]) -> bool:
    s, e = span
    p = text[s:e]
    return 6 <= len(p) <= 32 and "。" not in p and not p.startswith(("（", "记者", "通讯员", "(")) and is_cjk(p[0])


def legit_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for form in LEGIT_FORMS:
        for m in re.finditer(re.escape(form), text):
            out.append((m.start(), m.end(), form))
    return sorted(out)


# ------------------------------------------------------------------ vocabulary
_PAPERS = ["晋南工业报", "河东经济时报", "太行科技周刊", "三晋产业导刊", "汾河日报", "黄河商报", "北方县域经济"]
_SECTIONS = ["要闻", "经济·产业", "综合新闻", "园区建设", "乡村振兴", "科技创新", "社会民生", "专题", "地方新闻"]
_WEEK = "一二三四五六日"
_NAV_WORDS = ["首页", "要闻", "时政", "经济", "产业", "科技", "文旅", "民生", "教育", "视频", "图片", "专题",
              "评论", "县区", "公告", "招商", "政务", "服务", "互动", "数字报"]
_PROV = "晋冀豫陕蒙京津鲁"
_SITES = ["三晋产经网", "河东资讯网", "太行在线", "汾水新闻网", "黄河产业网", "中部开发区网"]
_PINYIN = ["sjcj", "hedongnews", "taihang", "fenshui", "hhcy", "zbkfq"]
_TERMS = ["产业园区", "招商引资", "营商环境", "智能制造", "乡村振兴", "数字经济", "项目建设", "新质生产力",
          "城市更新", "职业教育", "文旅融合", "绿色低碳", "新能源", "科技创新"]
_PLACES = ["临河县", "东山区", "北城开发区", "南湖镇", "西岭县", "云州市", "清水县", "高新区"]
_ACTIONS = ["召开重点项目推进会", "举行新春招商签约仪式", "开展安全生产大检查", "部署秋冬季环境整治工作",
            "启动数字乡村试点建设", "表彰优秀民营企业家", "推进老旧小区改造", "举办职业技能大赛"]


def _date(rng: random.Random) -> tuple[int, int, int, int]:
    return rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 6)


def header_line(rng: random.Random) -> str:
    """A running header/footer or page number of a printed paper."""
    y, m, d, w = _date(rng)
    paper, sec, n = rng.choice(_PAPERS), rng.choice(_SECTIONS), rng.randint(1, 16)
    forms = [
        f"{paper} {y}年{m}月{d}日 第{n}版",
        f"{y}年{m}月{d}日  星期{_WEEK[w]}  {paper}  第{n}版 {sec}",
        f"第{n:02d}版：{sec}  {paper}  {y}年{m}月{d}日",
        f"{paper}  {y}.{m:02d}.{d:02d}  {sec}  第{n}版",
        f"{y}-{m:02d}-{d:02d} {paper} 第A{n:02d}版",
        f"— {n} —",
        f"-{n}-",
        f"第 {n} 页",
        f"{paper}·{sec}  第{n}版  {y}年{m}月{d}日 星期{_WEEK[w]}",
    ]
    return rng.choice(forms)


def _headline(rng: random.Random) -> str:
    return rng.choice(_PLACES) + rng.choice(_ACTIONS)


def boilerplate_block(rng: random.Random) -> str:
    """One to three lines of web-page furniture (never copied from the samples)."""
    k = rng.randrange(len(_SITES))
    site, py = _SITES[k], _PINYIN[k]
    y, m, d, _ = _date(rng)

    def nav() -> str:
        words = rng.sample(_NAV_WORDS, rng.randint(5, 8))
        if rng.random() < 0.6:
            words = ["首页"] + [w for w in words if w != "首页"]
        return rng.choice([" | ", "｜", "  |  ", " · ", "  "]).join(words)

    def crumb() -> str:
        return rng.choice(["当前位置：首页 > {} > 正文", "您现在的位置：网站首页 >> {}", "位置：首页 > 新闻中心 > {}"]).format(
            rng.choice(_NAV_WORDS[1:]))

    def icp() -> str:
        p = rng.choice(_PROV)
        a = f"{p}ICP备{rng.randint(10**7, 10**8 - 1)}号-{rng.randint(1, 5)}"
        b = f"{p}公网安备 {rng.randint(10**13, 10**14 - 1)}号"
        return rng.choice([a, b, f"{a}  {b}", f"网站标识码：{rng.randint(10**9, 10**10 - 1)}  {a}"])

    def rights() -> str:
        return rng.choice([
            f"版权所有：{site}  未经书面授权禁止转载",
            f"Copyright © 2016-{y} {py}.com All Rights Reserved",
            f"{site}版权所有 主办单位：{rng.choice(_PLACES)}融媒体中心",
        ])

    def disclaimer() -> str:
        return rng.choice([
            "免责声明：本站转载的稿件仅代表作者本人观点，与本站立场无关，如涉及版权问题请及时联系我们删除。",
            "声明：凡本网注明“来源：XXX”的作品，均转载自其他媒体，转载目的在于传递更多信息，不代表本网观点。",
            f"特别声明：{site}刊发的文章仅供读者参考，请勿用于商业用途。",
        ])

    def share() -> str:
        return rng.choice(["分享到：微信 微博 QQ空间", "【打印本页】 【关闭窗口】", "扫一扫在手机上打开当前页",
                           "分享：微信  微博  朋友圈  复制链接"])

    def counter() -> str:
        n = rng.randint(120, 98000)
        return rng.choice([f"浏览次数：{n}", f"阅读量：{n}  点赞：{rng.randint(1, 900)}", f"【字体：大 中 小】 浏览：{n}次",
                           f"发布时间：{y}-{m:02d}-{d:02d} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}  来源：{site}"])

    def tags() -> str:
        return rng.choice(["标签：", "关键词：", "相关标签："]) + rng.choice(["  ", " ", "，"]).join(rng.sample(_TERMS, rng.randint(3, 5)))

    def more() -> str:
        head = rng.choice(["更多新闻", "相关阅读", "推荐阅读", "热点推荐", "相关新闻"])
        bullet = rng.choice(["· ", "▪ ", "", "• "])
        items = [f"{bullet}{_headline(rng)}" + (f"  {y}-{m:02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.5 else "")
                 for _ in range(rng.randint(2, 4))]
        return "\n".join([head, *items])

    def contact() -> str:
        return (f"地址：{rng.choice(_PLACES)}{rng.choice(['建设', '迎泽', '长风', '滨河'])}路{rng.randint(1, 300)}号  "
                f"邮编：0{rng.randint(30000, 49999)}  电话：0351-{rng.randint(1000000, 9999999)}")

    makers = [nav, crumb, icp, rights, disclaimer, share, counter, tags, more, contact]
    lines = [f() for f in rng.sample(makers, rng.randint(1, 3))]
    return rng.choice(["\n\n", "\n"]).join(lines)


# ------------------------------------------------------------------- injectors
Candidate = tuple[int, int, str, str, "tuple[int, int] | None"]  # start, end, corrupted, kind, source


class _Doc:
    """Helpers over one clean document shared by the injectors."""

    def __init__(self, text: str, lexicon: Callable[[str], bool]) -> None:
        self.text = text
        self.paras = paragraphs(text)
        self.body = [p for p in self.paras if is_body(text, p)]
        self.titles = [p for p in self.paras if is_title(text, p)]
        self.legit = legit_spans(text)
        self.in_lex = lexicon

    def touches_legit(self, s: int, e: int) -> bool:
        return any(a < e + 1 and b > s - 1 for a, b, _ in self.legit)

    def body_positions(self, margin: int = 6) -> list[int]:
        """Insertion points strictly inside body paragraphs."""
        return [i for s, e in self.body for i in range(s + margin, e - margin)]

    def cjk_gap(self, p: int) -> bool:
        t = self.text
        return is_cjk(t[p - 1]) and is_cjk(t[p])

    def word_at(self, p: int, sizes: Iterable[int] = (4, 3, 2)) -> int:
        for n in sizes:
            w = self.text[p:p + n]
            if len(w) == n and all(is_cjk(c) for c in w) and self.in_lex(w):
                return n
        return 0


def _pagebreak(doc: _Doc, rng: random.Random) -> Candidate | None:
    t = doc.text
    after_comma = rng.random() < 0.2
    for _ in range(50):
        p = rng.choice(doc.body_positions(8))
        if after_comma and not (t[p - 1] in "，、" and is_cjk(t[p])):
            continue
        if not after_comma and not doc.cjk_gap(p):
            continue
        if doc.touches_legit(p, p):
            return None
        sep = "\n\n" if rng.random() < 0.75 else "\n"
        return p, p, sep, ("after-comma" if after_comma else "mid-sentence") + ("" if sep == "\n\n" else "-single"), None
    return None


def _header(doc: _Doc, rng: random.Random) -> Candidate | None:
    line = header_line(rng)
    if rng.random() < 0.7:
        p = rng.choice(doc.body_positions(8))
        if not doc.cjk_gap(p) or doc.touches_legit(p, p):
            return None
        return p, p, f"\n\n{line}\n\n", "inside-sentence", None
    s, _ = rng.choice(doc.paras[1:])
    return s, s, f"{line}\n\n", "page-edge", None


def _markup(doc: _Doc, rng: random.Random) -> Candidate | None:
    t = doc.text
    r = rng.random()
    if r < 0.3:  # inline tag around a word
        p = rng.choice(doc.body_positions(4))
        n = doc.word_at(p)
        if not n or doc.touches_legit(p, p + n):
            return None
        w = t[p:p + n]
        tag = rng.choice(['<b>{}</b>', '<strong>{}</strong>', '<span style="color:#c00000">{}</span>', '<em>{}</em>',
                          '<font color="red">{}</font>', '<a href="/news/{}.html">{{}}</a>'.format(rng.randint(1000, 99999))])
        return p, p + n, tag.format(w), "inline-tag", None
    if r < 0.45:  # paragraph wrapped in <p>
        s, e = rng.choice(doc.body)
        return s, e, rng.choice(["<p>{}</p>", '<p style="text-indent:2em;">{}</p>', "<div>{}</div>"]).format(t[s:e]), "p-tag", None
    if r < 0.55:  # <br> instead of a paragraph break
        s, _ = rng.choice(doc.paras[1:])
        return s - 2, s, rng.choice(["<br/>\n\n", "<br>\n", "<br />\n"]), "br", None
    if r < 0.68:  # markdown heading
        if not doc.titles:
            return None
        s, e = rng.choice(doc.titles)
        return s, s, rng.choice(["## ", "### ", "# "]), "md-heading", None
    if r < 0.78:  # entities for curly quotes
        m = list(re.finditer(r"“[^”\n]{1,20}”", t))
        if not m:
            return None
        x = rng.choice(m)
        return x.start(), x.end(), "&ldquo;" + x.group()[1:-1] + "&rdquo;", "quote-entity", None
    if r < 0.88:  # &nbsp; indentation at a paragraph start
        s, _ = rng.choice(doc.body)
        return s, s, rng.choice(["&nbsp;&nbsp;", "&nbsp;&nbsp;&nbsp;&nbsp;", "&emsp;&emsp;"]), "nbsp-indent", None
    m = list(re.finditer(r"m²", t))  # superscript
    if m and rng.random() < 0.5:
        x = rng.choice(m)
        return x.start(), x.end(), "m<sup>2</sup>", "sup", None
    p = rng.choice(doc.body_positions(4))  # markdown emphasis
    n = doc.word_at(p)
    if not n or doc.touches_legit(p, p + n):
        return None
    return p, p + n, f"**{t[p:p + n]}**", "md-emphasis", None


def _boilerplate(doc: _Doc, rng: random.Random) -> Candidate | None:
    block = boilerplate_block(rng)
    r = rng.random()
    t = doc.text
    if r < 0.4:
        return 0, 0, block + "\n\n", "page-top", None
    if r < 0.8:
        return len(t), len(t), "\n\n" + block, "page-bottom", None
    # between two articles: before a title that follows a byline-like short line
    starts = [s for (s, e), (ps, pe) in zip(doc.paras[1:], doc.paras) if is_title(t, (s, e)) and pe - ps < 20]
    if not starts:
        return None
    s = rng.choice(starts)
    return s, s, block + "\n\n", "between-articles", None


def _dup_paragraph(doc: _Doc, rng: random.Random) -> Candidate | None:
    i = rng.randrange(len(doc.paras))
    s, e = doc.paras[i]
    if not is_body(doc.text, (s, e)):
        return None
    k = rng.choice([0, 0, 0, 1, 2])
    j = min(i + k, len(doc.paras) - 1)
    end = doc.paras[j][1]
    return end, end, "\n\n" + doc.text[s:e], f"after+{j - i}", (s, e)


def _dup_sentence(doc: _Doc, rng: random.Random) -> Candidate | None:
    s, e = rng.choice(doc.body)
    sents = [m for m in _SENTENCE.finditer(doc.text, s, e) if len(m.group()) >= 12]
    if not sents:
        return None
    m = rng.choice(sents)
    if doc.text.count(m.group()) != 1:
        return None
    return m.end(), m.end(), m.group(), "repeat-after", (m.start(), m.end())


_S2T = _T2S = None


def _opencc() -> tuple:
    global _S2T, _T2S
    if _S2T is None:
        import opencc

        _S2T, _T2S = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    return _S2T, _T2S


def _traditional(doc: _Doc, rng: random.Random) -> Candidate | None:
    s2t, t2s = _opencc()
    p = rng.choice(doc.body_positions(2))
    n = doc.word_at(p)
    if not n or doc.touches_legit(p, p + n):
        return None
    w = doc.text[p:p + n]
    tw = s2t.convert(w)
    if tw == w or t2s.convert(tw) != w:
        return None
    return p, p + n, tw, "s2t-word", None


def _mojibake(doc: _Doc, rng: random.Random) -> Candidate | None:
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

    s, e = rng.choice(doc.body)
    kind = "paragraph"
    if rng.random() < 0.4:
        sents = [m for m in _SENTENCE.finditer(doc.text, s, e) if len(m.group()) >= 10]
        if sents:
            m = rng.choice(sents)
            s, e, kind = m.start(), m.end(), "sentence"
    seg = doc.text[s:e]
    if rng.random() < 0.6:
        bad, codec = seg.encode("utf-8").decode("sloppy-windows-1252"), "utf8-as-cp1252"
    else:
        try:
            bad, codec = seg.encode("gbk").decode("latin-1"), "gbk-as-latin1"
        except UnicodeEncodeError:  # e.g. ² has no GBK code
            return None
    return s, e, bad, f"{codec}-{kind}", None


def _foreign(doc: _Doc, rng: random.Random) -> Candidate | None:
    """An English function word in a Chinese sentence: mostly a Chinese
    connective rendered in English (和 -> and, as in 精神 and 习近平), some
    articles and prepositions that have no Chinese counterpart at all."""
    t = doc.text
    r = rng.random()
    if r < 0.7:
        zh, en, kind = rng.choice([("和", " and ", "和->and"), ("和", " and ", "和->and"), ("和", " and ", "和->and"),
                                   ("与", " with ", "与->with"), ("或", " or ", "或->or"), ("的", " of ", "的->of")])
        sites = [m.start() for m in re.finditer(zh, t) if 0 < m.start() < len(t) - 1
                 and is_cjk(t[m.start() - 1]) and is_cjk(t[m.start() + 1])]
        if not sites:
            return None
        p = rng.choice(sites)
        if doc.touches_legit(p, p + 1):
            return None
        if rng.random() < 0.15:
            en = en.strip()
        return p, p + 1, en, kind, None
    p = rng.choice(doc.body_positions(4))
    if not doc.cjk_gap(p) or doc.touches_legit(p, p):
        return None
    lex = doc.in_lex
    if not (lex(t[p - 2:p]) and lex(t[p:p + 2]) and not lex(t[p - 1:p + 1])):
        return None
    w = rng.choice([" the ", " the ", " a ", " of ", " in "])
    return p, p, w, "inserted" + w.rstrip(), None


def _doubled(doc: _Doc, rng: random.Random) -> Candidate | None:
    t = doc.text
    lex = doc.in_lex
    p = rng.choice(doc.body_positions(4))
    r = rng.random()
    if r < 0.4:  # 落地 -> 落地落地
        if doc.word_at(p, (2,)) != 2 or doc.word_at(p, (4, 3)):
            return None
        w = t[p:p + 2]
        at, ins, kind = p + 2, w, "word"
    elif r < 0.7:  # 京津冀 -> 京津津冀
        for _ in range(50):
            n = doc.word_at(p, (4, 3))
            if n:
                break
            p = rng.choice(doc.body_positions(4))
        else:
            return None
        j = rng.randint(1, n - 1)
        at, ins, kind = p + j, t[p + j - 1], "char-inside-word"
    else:  # 做好动能 -> 做好好动能
        if doc.word_at(p, (2,)) != 2 or doc.word_at(p, (4, 3)) or not is_cjk(t[p + 2]):
            return None
        at, ins, kind = p + 2, t[p + 1], "char-at-word-end"
    if not all(is_cjk(c) for c in t[at - 2:at + 2]) or doc.touches_legit(at - 2, at + 2):
        return None
    if t[at - len(ins):at] == t[at:at + len(ins)] or t[at] == ins[-1]:
        return None  # would extend an existing repetition
    bad = t[at - 4:at] + ins + t[at:at + 4]
    end = 4 + len(ins)  # ``ins`` occupies bad[4:end]
    for n in (3, 4):  # a new longer word across the seam would make the damage read as correct
        for i in range(len(bad) - n + 1):
            w = bad[i:i + n]
            if i < end and i + n > 4 and lex(w) and w not in t:
                return None
    return at, at, ins, kind, None


INJECTORS: dict[str, Callable[[_Doc, random.Random], Candidate | None]] = {
    "pagebreak": _pagebreak,
    "header": _header,
    "markup": _markup,
    "boilerplate": _boilerplate,
    "dup_paragraph": _dup_paragraph,
    "dup_sentence": _dup_sentence,
    "traditional": _traditional,
    "mojibake": _mojibake,
    "foreign": _foreign,
    "doubled": _doubled,
}


def _default_lexicon() -> Callable[[str], bool]:
    from cleaner.lexicon import default_lexicon

    lex = default_lexicon()
    return lambda w: w in lex


def corrupt(
    text: str,
    cls: str,
    seed: int,
    count: int = 4,
    *,
    name: str = "doc",
    lexicon: Callable[[str], bool] | None = None,
) -> Corrupted:
    """Inject ``count`` defects of class ``cls`` into ``text`` (seeded)."""
    rng = random.Random(f"{seed}:{cls}:{name}")
    doc = _Doc(text, lexicon or _default_lexicon())
    taken: list[tuple[int, int]] = []
    chosen: list[Injection] = []
    tries = 0
    while len(chosen) < count and tries < 400 * count:
        tries += 1
        cand = INJECTORS[cls](doc, rng)
        if cand is None:
            continue
        s, e, bad, kind, src = cand
        spans = [(s, e)] + ([src] if src else [])
        if any(a - GAP < y and x < b + GAP for a, b in spans for x, y in taken):
            continue
        taken += spans
        chosen.append(Injection(cls, kind, s, e, text[s:e], bad, source=src))
    chosen.sort(key=lambda i: (i.start, i.end))
    out, pos = [], 0
    shift = 0
    for inj in chosen:
        out.append(text[pos:inj.start])
        inj.pos = inj.start + shift
        out.append(inj.corrupted)
        shift += len(inj.corrupted) - (inj.end - inj.start)
        pos = inj.end
    out.append(text[pos:])
    return Corrupted(name, text, "".join(out), chosen)


def generate(
    docs: dict[str, str], seeds: Sequence[int], classes: Sequence[str] = CLASSES, count: int = 4
) -> list[Corrupted]:
    lex = _default_lexicon()
    return [corrupt(t, c, s, count, name=n, lexicon=lex) for s in seeds for c in classes for n, t in docs.items()]


# --------------------------------------------------------------------- scoring
def _opcodes(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    from rapidfuzz.distance import Indel

    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in Indel.opcodes(a, b) if op.tag != "equal"]


def _changed_marks(n: int, ops: list[tuple[str, int, int, int, int]]) -> list[int]:
    """changed[i] > 0 when the folded clean window [i, i+WINDOW) was altered."""
    diff = [0] * (n + WINDOW + 1)
    for _, i1, i2, _, _ in ops:
        # a deletion [i1, i2) touches windows i1-WINDOW+1 .. i2-1; an insertion
        # at i1 touches the windows that hold i1 strictly inside
        lo, hi = max(0, i1 - WINDOW + 1), i2
        if lo < hi:
            diff[lo] += 1
            diff[hi] -= 1
    out, acc = [], 0
    for i in range(max(0, n - WINDOW + 1)):
        acc += diff[i]
        out.append(acc)
    return out


def _touched(ops: list[tuple[str, int, int, int, int]], a: int, b: int) -> bool:
    for _, i1, i2, _, _ in ops:
        if i2 > i1 and i1 < b and i2 > a:
            return True
        if i2 == i1 and a <= i1 <= b:
            return True
    return False


@dataclass
class Outcome:
    cls: str
    name: str
    kind: str
    repaired: bool
    original: str
    corrupted: str
    context: str


@dataclass
class Score:
    injected: dict[str, int] = field(default_factory=dict)
    repaired: dict[str, int] = field(default_factory=dict)
    failures: list[Outcome] = field(default_factory=list)
    clean_windows: int = 0
    clean_changed: int = 0
    windows: int = 0
    changed: int = 0
    changed_by_class: dict[str, list[int]] = field(default_factory=dict)
    clean_changes: list[str] = field(default_factory=list)
    broken: list[tuple[str, str, str]] = field(default_factory=list)  # form, run, cleaned context
    broken_sites: set[tuple[str, int, str]] = field(default_factory=set)  # document, clean offset, form
    by_kind: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (class, kind) -> [repaired, injected]

    def recall(self, cls: str) -> float:
        n = self.injected.get(cls, 0)
        return self.repaired.get(cls, 0) / n if n else float("nan")

    @property
    def clean_harm(self) -> float:
        return self.clean_changed / self.clean_windows if self.clean_windows else 0.0

    @property
    def harm(self) -> float:
        return self.changed / self.windows if self.windows else 0.0


def _folded_span(idx: list[int], s: int, e: int) -> tuple[int, int]:
    return bisect.bisect_left(idx, s), bisect.bisect_left(idx, e)


def _check_legit(score: Score, fc: str, cidx: list[int], out: str, ops, zones, run: str, clean: str) -> None:
    for s, e, form in legit_spans(clean):
        a, b = _folded_span(cidx, s, e)
        if any(za < b and zb > a for za, zb in zones):
            continue
        if _touched([o for o in ops if not (o[1] == o[2] and o[1] in (a, b))], a, b):
            j = next((o[3] for o in ops if o[2] >= a), 0)
            score.broken.append((form, run, out[max(0, j - 8):j + 12]))
            score.broken_sites.add((run.split("/")[0], s, form))


def score_clean(docs: dict[str, str], clean_fn: Callable[[str], str], score: Score | None = None) -> Score:
    """Harm on already-clean text: every changed window counts."""
    score = score or Score()
    for name, text in docs.items():
        fc, cidx = fold(text)
        out = fold_text(clean_fn(text))
        ops = _opcodes(fc, out)
        marks = _changed_marks(len(fc), ops)
        score.clean_windows += len(marks)
        score.clean_changed += sum(1 for m in marks if m)
        for _, i1, i2, j1, j2 in ops[:20]:
            score.clean_changes.append(f"{name}: {fc[max(0, i1 - 6):i2 + 6]!r} -> {out[max(0, j1 - 6):j2 + 6]!r}")
        _check_legit(score, fc, cidx, out, ops, [], f"{name}/clean", text)
    return score


def score_corrupted(copies: Iterable[Corrupted], clean_fn: Callable[[str], str], score: Score | None = None) -> Score:
    score = score or Score()
    for c in copies:
        fc, cidx = fold(c.clean)
        out = fold_text(clean_fn(c.text))
        ops = _opcodes(fc, out)
        zones = []
        for inj in c.injections:
            a, b = _folded_span(cidx, inj.start, inj.end)
            zones.append((max(0, a - SLACK), b + SLACK))
            if inj.source:
                # an unrepaired copy may align anywhere between source and copy
                sa, sb = _folded_span(cidx, *inj.source)
                zones.append((max(0, min(a, sa) - SLACK), max(b, sb) + SLACK))
                copy = fold_text(c.clean[inj.source[0]:inj.source[1]])
                ok = out.count(copy) == fc.count(copy)
            else:
                ok = not _touched(ops, max(0, a - SLACK), b + SLACK)
            score.injected[inj.cls] = score.injected.get(inj.cls, 0) + 1
            k = score.by_kind.setdefault((inj.cls, inj.kind), [0, 0])
            k[0] += ok
            k[1] += 1
            if ok:
                score.repaired[inj.cls] = score.repaired.get(inj.cls, 0) + 1
            else:
                j = next((o[3] for o in ops if o[2] >= a - SLACK), len(out))
                score.failures.append(Outcome(inj.cls, c.name, inj.kind, False, inj.original[:40], inj.corrupted[:60],
                                              out[max(0, j - 10):j + 30]))
        marks = _changed_marks(len(fc), ops)
        ok_windows = [i for i in range(len(marks)) if not any(i < zb and i + WINDOW > za for za, zb in zones)]
        n_changed = sum(1 for i in ok_windows if marks[i])
        score.windows += len(ok_windows)
        score.changed += n_changed
        pair = score.changed_by_class.setdefault(c.injections[0].cls if c.injections else "?", [0, 0])
        pair[0] += n_changed
        pair[1] += len(ok_windows)
        _check_legit(score, fc, cidx, out, ops, zones, f"{c.name}/{c.injections[0].cls if c.injections else '?'}", c.clean)
    return score


def cleaner_fn() -> Callable[[str], str]:
    """The project's cleaner through its public API."""
    from cleaner import Cleaner

    cl = Cleaner()
    return lambda text: cl.clean(text).text


def dump_cleaner_fn(texts: Iterable[str]) -> Callable[[str], str]:
    """The cleaner with corpus statistics of ``texts``, as when a whole dump is cleaned."""
    from cleaner import Cleaner
    from cleaner.context import RuleContext
    from cleaner.corpus import CorpusStats

    cl, stats = Cleaner(), CorpusStats.from_texts(texts)
    return lambda text: cl.clean(text, ctx=RuleContext(corpus=stats)).text


def run(seed: int = 1, rounds: int = 3, count: int = 4, clean_fn: Callable[[str], str] | None = None,
        corpus: Path = CORPUS_DIR, with_stats: bool = False) -> tuple[Score, list[Corrupted]]:
    """Score ``clean_fn`` (default: the project's cleaner) on ``rounds`` seeds.

    ``with_stats``: the damaged copies of one class and seed form one dump
    (one copy per document) whose n-gram statistics the cleaner may consult.
    """
    docs = load_corpus(corpus)
    copies = generate(docs, [seed + k for k in range(rounds)], CLASSES, count)
    if clean_fn is None and with_stats:
        score = score_clean(docs, dump_cleaner_fn(docs.values()))
        n = len(docs)
        for k in range(0, len(copies), n):
            group = copies[k:k + n]
            score_corrupted(group, dump_cleaner_fn(c.text for c in group), score)
        return score, copies
    fn = clean_fn or cleaner_fn()
    score = score_clean(docs, fn)
    score_corrupted(copies, fn, score)
    return score, copies


def format_report(score: Score, show: int = 0) -> str:
    lines = [f"{'class':14s} {'injected':>8s} {'repaired':>8s} {'recall':>7s} {'target':>7s}  {'harm/1000':>9s}"]
    for cls in CLASSES:
        n, r = score.injected.get(cls, 0), score.repaired.get(cls, 0)
        ch, w = score.changed_by_class.get(cls, [0, 0])
        rec = score.recall(cls)
        mark = "ok" if rec >= TARGETS[cls] else "MISS"
        lines.append(f"{cls:14s} {n:8d} {r:8d} {rec:7.3f} {TARGETS[cls]:7.2f}  {1000 * ch / max(w, 1):9.2f}  {mark}")
    lines.append("")
    lines.append(f"harm on clean text:     {score.clean_changed}/{score.clean_windows} windows changed "
                 f"= {1000 * score.clean_harm:.2f} per 1000 (target < {1000 * HARM_TARGET:.0f})")
    lines.append(f"harm on damaged copies: {score.changed}/{score.windows} windows changed away from injections "
                 f"= {1000 * score.harm:.2f} per 1000")
    forms = sorted({b[0] for b in score.broken})
    lines.append(f"legitimate reduplications broken: {len(score.broken_sites)} distinct places, "
                 f"{len(score.broken)} times over all runs" + (f" ({', '.join(forms)})" if forms else ""))
    if show:
        lines.append("")
        lines.append("recall by kind of damage:")
        for (cls, kind), (r, n) in sorted(score.by_kind.items()):
            lines.append(f"  {cls:14s} {kind:28s} {r:4d}/{n:<4d} {r / n:6.3f}")
        lines.append("")
        lines.append("changes on clean text:")
        lines += [f"  {x}" for x in score.clean_changes[:show]]
        lines.append("unrepaired injections:")
        for f in score.failures[:show]:
            lines.append(f"  [{f.cls}/{f.kind}] {f.name}: {f.original!r} <- {f.corrupted!r}  out: {f.context!r}")
        lines.append("broken reduplications:")
        lines += [f"  {form} ({run}): {ctx!r}" for form, run, ctx in score.broken[:show]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3, help="seeds seed..seed+rounds-1 (default 3)")
    ap.add_argument("--count", type=int, default=4, help="injections per class per document and round")
    ap.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    ap.add_argument("--report", action="store_true", help="run the cleaner and print the figures")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="also list N failures/changes")
    ap.add_argument("--json", action="store_true", help="figures as JSON")
    ap.add_argument("--write", type=Path, metavar="DIR", help="write damaged copies and their ground truth")
    ap.add_argument("--corpus-stats", action="store_true",
                    help="clean each set of damaged copies as one dump, with its n-gram statistics")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    a = ap.parse_args(argv)
    if a.write:
        docs = load_corpus(a.corpus)
        a.write.mkdir(parents=True, exist_ok=True)
        for k, c in enumerate(generate(docs, [a.seed + r for r in range(a.rounds)], CLASSES, a.count)):
            stem = f"{k:03d}_{c.name}_{c.injections[0].cls if c.injections else 'none'}"
            (a.write / f"{stem}.txt").write_text(c.text, encoding="utf-8")
            (a.write / f"{stem}.json").write_text(
                json.dumps([asdict(i) for i in c.injections], ensure_ascii=False, indent=1), encoding="utf-8")
    if not a.report:
        return 0
    score, _ = run(a.seed, a.rounds, a.count, corpus=a.corpus, with_stats=a.corpus_stats)
    if a.json:
        print(json.dumps({
            "recall": {c: {"injected": score.injected.get(c, 0), "repaired": score.repaired.get(c, 0)} for c in CLASSES},
            "clean_harm": {"changed": score.clean_changed, "windows": score.clean_windows},
            "harm": {"changed": score.changed, "windows": score.windows},
            "broken": sorted(score.broken_sites),
            "by_kind": {f"{c}/{k}": v for (c, k), v in sorted(score.by_kind.items())},
        }, ensure_ascii=False, indent=1))
    else:
        print(format_report(score, a.show))
    missed = [c for c in CLASSES if not score.recall(c) >= TARGETS[c]]
    bad = missed or score.clean_harm >= HARM_TARGET or score.harm >= HARM_TARGET or score.broken
    return 1 if (a.strict and bad) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
