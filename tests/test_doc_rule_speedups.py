"""The fast paths of the document-level rules agree with plain reference versions."""

from __future__ import annotations

import random
import re

from cleaner.checks import boilerplate as bp
from cleaner.checks import duplicate as dup
from cleaner.checks import pagebreak as pb
from cleaner.checks import punctuation as pu
from cleaner.context import RuleContext
from cleaner.ruleset import Rule
from cleaner.structure import CLAUSE_PUNCT, first_clause, is_token_list, last_clause
from cleaner.text import CLOSERS, TERMINAL

_ALPHABET = ["a", "中", "文", " ", "\t", "\u3000", "\xa0", "\r", "\n", "。", "，", ",", "！", "”", "“", "（", "）",
             "|", "、", "；", "《", "》", "\u2003"]


def _random_texts(n: int = 3000, seed: int = 5) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 30))) for _ in range(n)]


def _ref_nonblank(text: str) -> list[tuple[int, int]]:
    ws = " \t\u3000\xa0\r"
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s] in ws:
            s += 1
        while e > s and text[e - 1] in ws:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def test_nonblank_lines_match_reference():
    for t in _random_texts():
        assert pb._nonblank_lines(t) == _ref_nonblank(t), repr(t)


def _ref_sentences(text: str) -> list[tuple[int, int, str]]:
    ft = dup.fold(text)
    out = []
    pos = 0
    for m in re.finditer(f"[{re.escape(TERMINAL)}]+[{re.escape(CLOSERS)}]*|\n", ft):
        s, e = pos, m.end()
        pos = e
        if ft[s] == "\n" or ft[e - 1] == "\n":
            continue
        key = ft[s:e]
        if key[0] == " ":
            key = key.lstrip(" ")
            s = e - len(key)
        out.append((s, e, key.replace(" ", "")))
    return out


def test_sentences_match_reference():
    for t in _random_texts():
        dup._cache = None
        assert [tuple(s) for s in dup.sentences(t)] == _ref_sentences(t), repr(t)


def test_weight_counts_word_characters():
    for t in _random_texts(500):
        assert dup._weight(t) == len(re.findall(r"\w", t))


def test_clause_helpers_match_reference():
    for t in _random_texts():
        s = t.strip()
        firsts = [i for i, c in enumerate(s) if c in CLAUSE_PUNCT]
        assert first_clause(t) == (s[: firsts[0]] if firsts else s)
        assert last_clause(t) == (s[firsts[-1] + 1 :] if firsts else s)


def test_token_list_split_agrees_with_regex_split():
    for t in _random_texts():
        s = t.strip()
        parts = [p for p in re.split(r"[\s|｜]+", s) if p]
        expect = (len(parts) >= 3 and not any(c in s for c in "。！？")
                  and sum(1 for p in parts if len(p) <= 8) >= 0.7 * len(parts))
        assert is_token_list(t) == expect, repr(t)


def _rule(rid: str) -> Rule:
    return Rule(id=rid, name=rid, category="test", summary=rid, kind="python")


def test_unbalanced_memo_gives_the_same_findings_twice():
    rule = _rule("PU001")
    text = "他说：“好。\n“再说。”\n《书名（一》》\n（未完\n正文）结束。"
    pu._SCANNED.clear()
    first = [(f.start, f.end, f.message, f.related) for f in pu.unbalanced(text, RuleContext(), rule)]
    assert pu._SCANNED  # lines memoised
    again = [(f.start, f.end, f.message, f.related) for f in pu.unbalanced(text, RuleContext(), rule)]
    assert first == again
    assert any("closes nothing" in m for _, _, m, _ in first)
    assert any("not closed before" in m for _, _, m, _ in first)


def test_line_cues_mark_boilerplate_lines():
    cues = bp._line_cues
    assert cues("粤ICP备05102027号") & bp._CUE_REG
    assert cues("首页 | 新闻 | 关于我们 | 联系方式") & bp._CUE_NAV
    assert cues("标签：园区 项目 招商") & bp._CUE_TAG
    assert cues("分享到：微信 微博") & bp._CUE_SHARE
    assert cues("阅读量：1024 点赞：12") & bp._CUE_COUNTER
    assert cues("发布时间：2023-11-15 来源：新华社") & bp._CUE_META
    assert cues("地址：太原市 邮编：030000 电话：123") & bp._CUE_CONTACT
    body = "开发区党工委、管委会主要领导亲自部署，安排部署开发区安全工作，确保专项行动有序开展。"
    assert cues(body) == 0


def test_page_candidates_are_ascending_indices():
    text = "首页 | 新闻 | 关于我们\n\n正文第一段落写得足够长，足够长，足够长，足够长，足够长。\n\n分享到：微信 微博\n"
    bp._cache = None
    pg = bp.page(text)
    assert pg.candidates(bp._CUE_NAV)[0] == 0 and 2 not in pg.candidates(bp._CUE_NAV)  # a cue, not a verdict
    assert pg.candidates(bp._CUE_SHARE) == [4]
    assert pg.candidates(bp._CUE_REG) == []


def test_memos_do_not_change_results(sample_texts):
    """The per-line memos of the document rules answer from what the line holds:
    cleaning the samples after their half-width variants, in either order, gives
    the same findings and edits as cleaning each one first."""
    from cleaner.api import Cleaner

    texts = list(sample_texts.values())
    variants = [t.replace("，", ",") for t in texts]

    def run(order: list[str]) -> dict[str, tuple]:
        c = Cleaner()
        out = {}
        for t in order:
            r = c.clean("".join(t))  # a new string object: no identity cache answers
            out[t] = (r.text, [(f.rule, f.start, f.end, f.message) for f in r.findings],
                      [tuple(e) for e in r.edits])
        return out

    first = {t: run([t])[t] for t in texts}
    warm = run(variants + texts[::-1] + texts)  # memos full of lines that differ in comma width
    assert all(warm[t] == first[t] for t in texts)
