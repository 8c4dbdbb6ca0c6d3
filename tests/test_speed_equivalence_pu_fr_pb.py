"""The fast paths of PU001, FR001, FR002, PB001 and HD001 find exactly what the
plain versions find.

The rules find their candidate lines with one regex over the whole text and
decide cheap cases before the full tests; the reference versions below are the
plain loops over every line (as the rules were written before), and both run
on the sample dumps cut and shuffled at random and on random strings."""

from __future__ import annotations

import random
import re

import pytest

from cleaner import structure as st
from cleaner.checks import fragment as fr
from cleaner.checks import pagebreak as pb
from cleaner.checks import punctuation as pu
from cleaner.context import RuleContext
from cleaner.lexicon import default_lexicon
from cleaner.ruleset import load_rules
from cleaner.text import TERMINAL, ends_sentence, is_cjk

LEX = default_lexicon()
RULES = {r.id: r for r in load_rules() if r.id in {"PU001", "FR001", "FR002", "PB001", "HD001"}}

_ALPHABET = list("中文的了等取斜通科学发展版页第年月日报讯记者王波一二三") + [
    "3", "12", "2024", "a", "P", " ", "\t", "\u3000", "\xa0", "\r", "\n", "\n\n", "\u2003", "。", "，", ",", "、",
    "：", "！", "？", "；", "…", "“", "”", "（", "）", "《", "》", "【", "】", "「", "」", "『", "』", "|", "—", "-",
]


def _random_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 60))) for _ in range(n)]


def _cut_samples(sample_texts: dict[str, str], n: int, seed: int) -> list[str]:
    """Runs of sample lines, some cut in two at a random place (a page break),
    joined by assorted line breaks, blank lines and indents."""
    rnd = random.Random(seed)
    lines = [ln for t in sample_texts.values() for ln in t.split("\n")]
    seps = ["\n", "\n\n", "\n \n", "\r\n", "\n\u3000\u3000", "\n\n\n\n\n", "  \n"]
    out = []
    for _ in range(n):
        k = rnd.randrange(len(lines))
        parts = []
        for ln in lines[k : k + rnd.randint(1, 12)]:
            if ln and rnd.random() < 0.3:
                i = rnd.randrange(len(ln))
                parts += [ln[:i], ln[i:]]
            else:
                parts.append(ln)
        text = parts[0]
        for p in parts[1:]:
            text += rnd.choice(seps) + p
        out.append(text)
    return out


@pytest.fixture(scope="module")
def texts(sample_texts) -> list[str]:
    return list(sample_texts.values()) + _cut_samples(sample_texts, 400, 1) + _random_texts(1500, 2)


def _keys(findings) -> list[tuple]:
    return [(f.rule, f.start, f.end, f.message, f.safety, f.confidence, f.related, repr(f.data),
             [(e.start, e.end, e.replacement) for e in f.edits]) for f in findings]


def _check(rule_id: str, fast, ref, texts: list[str]) -> None:
    rule = RULES[rule_id]
    for t in texts:
        ctx = RuleContext(_lexicon=LEX)
        assert _keys(fast(t, ctx, rule)) == _keys(ref(t, ctx, rule)), repr(t)


# ------------------------------------------------------------------ line helpers


def test_line_helpers_agree_with_nonblank_lines(texts):
    for t in texts:
        spans = pb.nonblank_lines(t)
        for k, (s, e) in enumerate(spans):
            assert pb.line_at(t, s) == (s, e)
            assert pb.line_before(t, s) == (spans[k - 1] if k else None), repr(t)


def test_line_pattern_tries_each_line_once_at_its_first_visible_character(texts):
    every = pb.LinePattern(r"(?=[^\n])")
    for t in texts:
        assert [m.end() for m in every.finditer(t)] == [s for s, _ in pb.nonblank_lines(t)], repr(t)


# ------------------------------------------------------------------ PU001


def _ref_unbalanced(text, ctx, rule):
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        found, left = pu._scan_line(line)
        for j, message, mark in found:
            yield rule.finding(pos + j, pos + j + 1, message, related=(pos, end), data={"mark": mark})
        if left:
            yield from pu._unclosed(text, [(o, pos + j) for o, j in left], end, (pos, end), rule)
        pos = end + 1


def test_balanced_prefix_stops_only_at_unbalanced_lines():
    rnd = random.Random(3)
    marks = list("“”《》（）【】「」『』") + ["中", "\n", "文"]
    for _ in range(3000):
        t = "".join(rnd.choice(marks) for _ in range(rnd.randint(0, 16)))
        pos = pu._BALANCED.match(t).end()
        balanced = [pu._scan_line(ln) is pu._CLEAN for ln in t.split("\n")]
        stop_line = t.count("\n", 0, pos)
        assert all(balanced[:stop_line]), repr(t)
        assert pos == len(t) or not balanced[stop_line] or _depth(t.split("\n")[stop_line]) > 3, repr(t)


def _depth(line: str) -> int:
    d = best = 0
    for c in line:
        if c in pu.PAIRS:
            d += 1
            best = max(best, d)
        elif c in pu.CLOSING:
            d -= 1
    return best


def test_unbalanced_matches_reference(texts):
    deep = ["“《（【「『深』」】）》”\n“（未完", "（“《》”）" * 3 + "\n" + "”" * 5]
    _check("PU001", pu.unbalanced, _ref_unbalanced, texts + deep)


# ------------------------------------------------------------------ PB001 and the judgement of breaks


def _ref_title_block(a):
    return bool(
        st.is_zone_label(a) or st.is_byline(a) or st.is_heading_marked(a) or st.is_subtitle(a) or st.is_label_line(a)
        or st.is_token_list(a) or st.is_dateline(a) or " " in a or "\u3000" in a or pb._NUMBER_END.search(a)
    )


def _ref_unpunctuated(a, b, lex):
    if not (is_cjk(a[-1]) and is_cjk(b[0])) or _ref_title_block(a):
        return None
    if b[0] in pb._BOUND_START and lex is not None and not lex.freq(b[:2]) and not lex.freq(b[:3]):
        return pb.Judgement("safe", 0.85, f"second piece opens with the particle {b[0]!r}, which never starts a sentence")
    close, reopen = b.find("”"), b.find("“")
    if a.count("“") > a.count("”") and close >= 0 and (reopen < 0 or close < reopen):
        return pb.Judgement("safe", 0.85, "a quotation opened in the first piece closes in the second")
    if not pb._hard_block_start(b) and (a[-1] in pb._BOUND_END or pb._short_first_clause(b)):
        why = (f"{a[-1]!r} cannot end a title or sentence" if a[-1] in pb._BOUND_END
               else "the second piece opens with a clause too short to stand alone")
        return pb.Judgement("safe", 0.8, why)
    if lex is None or len(a) < 8:
        return None
    if not (st.body_like(b) and any(c in b for c in "。！？")):
        return None
    word = pb.spanning_word(a, b, lex)
    if len(word) >= 2 and lex.freq(word) >= 100:
        return pb.Judgement("unsafe", 0.6, f"the break cuts the word {word!r}; the first piece could be a title", word)
    return None


def _ref_judge_break(a, b, lex):
    a, b = a.strip(pb._WS), b.strip(pb._WS)
    if not a or not b:
        return None
    if ends_sentence(a) or st.byline_tail(a) is not None:
        return None
    if not st.body_like(a):
        if not (is_cjk(a[-1]) and is_cjk(b[0])) or _ref_title_block(a) or pb._hard_block_start(b):
            return None
        return _ref_unpunctuated(a, b, lex)
    if pb._hard_block_start(b):
        return None
    # the rest of _judge_break is unchanged: ask it with the same two lines
    return pb._judge_break(a, b, lex)


def _pairs(texts):
    for t in texts:
        spans = pb.nonblank_lines(t)
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            yield t[s1:e1], t[s2:e2]
    rnd = random.Random(4)
    words = _random_texts(400, 5)
    for _ in range(4000):
        yield rnd.choice(words), rnd.choice(words)


def test_judge_break_matches_reference(texts):
    for a, b in _pairs(texts):
        for lex in (LEX, None):
            pb.clear_memos()
            assert pb.judge_break(a, b, lex) == _ref_judge_break(a, b, lex), (a, b)


def test_may_be_body_holds_wherever_body_like_does(texts):
    for t in texts:
        for ln in t.split("\n") + _random_texts(50, len(t)):
            assert pb._may_be_body(ln) or not st.body_like(ln), repr(ln)
            if not pb._hard_block_start(ln):
                assert pb._may_be_body(ln) == st.body_like(ln), repr(ln)


def _ref_page_break_join(text, ctx, rule):
    if "\n" not in text:
        return
    spans = pb.nonblank_lines(text)
    max_newlines = int(rule.params.get("max_newlines", 3))
    lex = None
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if text[e1 - 1] in TERMINAL:
            continue
        a, b = text[s1:e1], text[s2:e2]
        if lex is None and is_cjk(a[-1]) and is_cjk(b[0]):
            lex = ctx.lexicon
        j = pb.judge_break(a, b, lex)
        if j is None:
            continue
        safety = "unsafe" if text[e1:s2].count("\n") > max_newlines else j.safety
        yield rule.finding(e1, s2, f"sentence cut by a break: {st.last_clause(a)[-6:]}⏎{b[:6]} ({j.reason})",
                           replacement=pb._joiner(a[-1], b[0]), confidence=j.confidence, fix=safety,
                           related=(s2, e2), data={"word": j.word} if j.word else {})


def test_page_break_join_matches_reference(texts):
    _check("PB001", pb.page_break_join, _ref_page_break_join, texts)


# ------------------------------------------------------------------ HD001


def _ref_page_furniture(text, ctx, rule):
    if "\n" not in text:
        return
    spans = pb.nonblank_lines(text)
    cand = [(k, pb._furniture_kind(text[s:e])) for k, (s, e) in enumerate(spans) if e - s <= 60]
    cand = [(k, kind) for k, kind in cand if kind]
    headers = [text[spans[k][0] : spans[k][1]] for k, kind in cand if kind == "running header"]
    numbers = [int(text[spans[k][0] : spans[k][1]]) for k, kind in cand if kind == "bare number"]
    paged = len(numbers) >= 2 and all(y - x == 1 for x, y in zip(numbers, numbers[1:]))
    for k, kind in cand:
        s, e = spans[k]
        prev = spans[k - 1] if k > 0 else None
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        cut = pb._is_cut(text, prev, nxt, ctx)
        if kind == "running header":
            keep = not (cut or headers.count(text[s:e]) >= 2)
        elif kind == "bare number":
            other = nxt if prev is None else prev
            edge = (prev is None or nxt is None) and (
                other is None or ends_sentence(text[other[0] : other[1]]) or st.body_like(text[other[0] : other[1]])
            )
            keep = not (cut or edge or paged)
        else:
            keep = False
        if keep:
            continue
        start, end = s, e
        while start > 0 and text[start - 1] in pb._WS:
            start -= 1
        if nxt is not None:
            end = text.rindex("\n", e, nxt[0]) + 1
        elif prev is not None:
            start = prev[1]
        else:
            end = len(text)
        where = "between the halves of a cut sentence" if cut else "on a line of its own"
        yield rule.finding(start, end, f"{kind} {text[s:e]!r} {where}", edits=[pb.Edit(start, end, "")],
                           data={"kind": kind})


def test_furniture_lines_hold_a_digit_or_a_page_word(texts):
    for t in texts:
        for s, e in pb.nonblank_lines(t):
            line = t[s:e]
            if pb._furniture_kind(line):
                assert re.search(r"[\d版页]", line), line


def test_page_furniture_matches_reference(texts):
    # running heads of 59, 60 and 61 visible characters, markers without a digit
    heads = [f"科学导报{' ' * n}2024年3月13日 星期三" for n in (41, 42, 43)]
    extra = ["正文没有结束\n\n12\n\n继续正文。", "1\n正文。\n2\n正文。\n3", "第三版\n\n- 3 -\n科学导报 2024年3月13日 星期三\n" * 2,
             "正文没有结束\n第三页\n继续正文。\n第十二版", "\n".join(h + "\n正文。" for h in heads) + "\n" + "\n".join(heads)]
    assert [len(h) for h in heads] == [59, 60, 61]
    _check("HD001", pb.page_furniture, _ref_page_furniture, texts + extra)


# ------------------------------------------------------------------ FR001 and FR002


def _ref_orphan_start(text, ctx, rule):
    if "\n" not in text.strip():
        return
    spans = pb.nonblank_lines(text)
    min_length = int(rule.params.get("min_length", 15))
    for k, (s, e) in enumerate(spans):
        para = text[s:e]
        if len(para) < min_length:
            continue
        reason = fr.start_reason(para, ctx.lexicon, rule.params)
        if not reason or not st.body_like(para):
            continue
        if k > 0 and pb.judge_break(text[spans[k - 1][0] : spans[k - 1][1]], para, ctx.lexicon) is not None:
            continue
        a, b = fr._span_first_clause(text, s, e)
        yield rule.finding(a, b, f"paragraph starts mid-sentence: {reason}; no line before it continues into it",
                           data={"reason": reason})


def _opening_texts() -> list[str]:
    """Lines opening with every character that may open a fragment, before a
    word, a non-word, a space and a line break."""
    rnd = random.Random(6)
    chars = sorted(fr.word_tails(LEX))[:3000:7] + list(fr._BOUND_START)
    tails = ["上级政策资金支持，推动项目落地。", "斜支持，同时鼓励社会资本参与。", " 项目建设加快推进，成效显著。", "\n下一行",
             "和方向等，积极配合规划设计单位。", "\u2003等候多时的项目终于开工了。"]
    lines = ["前一行没有结束\n" + c + rnd.choice(tails) + "\n" + c + rnd.choice(tails) for c in chars]
    # an enumeration's 等 at each place from 1 to 14, after an opener that is a word of its own
    lines += ["前一行没有结束\n" + "在" + "甲乙丙丁戊己庚辛壬癸子丑寅"[:n] + "等，积极配合规划设计单位优化方案。" for n in range(14)]
    return lines


def test_orphan_start_matches_reference(texts):
    _check("FR001", fr.orphan_start, _ref_orphan_start, texts + _opening_texts())


def test_opening_pattern_covers_every_reason(texts):
    params = RULES["FR001"].params
    pattern = fr._openers_for(LEX, params)
    for t in texts + _opening_texts():
        matched = {m.end() for m in pattern.finditer(t)}
        for s, e in pb.nonblank_lines(t):
            if s not in matched:
                assert fr.start_reason(t[s:e], LEX, params) == "" or e - s < params["min_length"], t[s:e]


def _ref_holds_sentence(text, spans, k, ctx, max_back=5):
    s, e = spans[k]
    if any(c in text[s : e - 1] for c in "。！？!?"):
        return True
    for _ in range(max_back):
        if k == 0:
            return False
        ps, pe = spans[k - 1]
        if pb.judge_break(text[ps:pe], text[s:e], ctx.lexicon) is None:
            return False
        if any(c in text[ps:pe] for c in "。！？!?"):
            return True
        k, s, e = k - 1, ps, pe
    return False


def _ref_orphan_end(text, ctx, rule):
    if "\n" not in text.strip() and ends_sentence(text):
        return
    spans = pb.nonblank_lines(text)
    for k, (s, e) in enumerate(spans):
        para = text[s:e]
        last = para[-1]
        if last in "”’）)》】" or not (is_cjk(last) or last.isalnum() or last in "，,、"):
            continue
        if ends_sentence(para) or st.byline_tail(para) is not None:
            continue
        if not st.body_like(para) or st.is_title_like(para):
            continue
        if not _ref_holds_sentence(text, spans, k, ctx):
            continue
        if k + 1 < len(spans):
            ns, ne = spans[k + 1]
            if pb.judge_break(para, text[ns:ne], ctx.lexicon) is not None:
                continue
            why = "the next line starts a new block"
        else:
            why = "it is the last line of the file"
        tail = st.last_clause(para) or para[-1]
        yield rule.finding(e - len(tail), e, f"paragraph ends mid-sentence ({tail!r} has no terminal punctuation) and {why}",
                           data={"reason": why})


def test_orphan_end_matches_reference(texts):
    _check("FR002", fr.orphan_end, _ref_orphan_end, texts)
