"""RW001's fast path finds exactly what the plain version found.

``doubled()`` now finds candidates with reused scratch arrays, settles the
cases judge() keeps whatever the window holds before building a key, and
memoises verdicts twice: by the raw text around a repeat (as before) and by
the CJK window judge() actually segments. The reference below is a verbatim
copy of the old path (candidates() and doubled() with their single memo),
calling the unchanged judge(); both run on the samples, on the texts of
tests/test_repetition.py, and on generated strings, with memos shared across
texts so that a memo hit from one text is checked on another.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.checks import repetition as rep
from cleaner.context import RuleContext
from cleaner.corpus import CorpusStats
from cleaner.engine import Engine
from cleaner.lexicon import default_lexicon
from cleaner.memo import store
from cleaner.model import Edit
from cleaner.ruleset import load_rules

RULE = next(r for r in load_rules() if r.id == "RW001")
LEX = default_lexicon()

# ------------------------------------------------------------------ reference (the old path, verbatim)

_CJK_TABLE = None


def _cjk_table():
    global _CJK_TABLE
    if _CJK_TABLE is None:
        t = np.zeros(0x10000, dtype=bool)
        for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
            t[lo : hi + 1] = True
        _CJK_TABLE = t
    return _CJK_TABLE


def ref_candidates(text: str) -> list[tuple[int, str]]:
    n = len(text)
    if n < 2:
        return []
    a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # (the old code: no surrogatepass)
    table = _cjk_table()
    best: dict[int, int] = {}
    for k in range(1, 5):
        if n < 2 * k:
            break
        idx = (a[:-k] == a[k:]).nonzero()[0]
        if k > 1 and len(idx) >= k:
            idx = idx[: 1 - k][idx[k - 1 :] - idx[: 1 - k] == k - 1]
        elif k > 1:
            continue
        if not len(idx):
            continue
        ok = table[np.minimum(a[idx], 0xFFFF)]
        for j in range(1, k):
            ok &= table[np.minimum(a[idx + j], 0xFFFF)]
        for i in idx[ok].tolist():
            if i not in best:
                best[i] = k
    return [(i, text[i : i + best[i]]) for i in sorted(best)]


_REF_REACH = 8
_ref_memo: tuple | None = None


def _ref_verdicts(lex, corpus, params):
    global _ref_memo
    m = _ref_memo
    if m is None or m[0] is not lex or m[1] is not corpus or m[2] != params:
        m = _ref_memo = (lex, corpus, dict(params), {})
    return m[3]


def ref_doubled(text, ctx, rule):
    matches = ref_candidates(text)
    if not matches:
        return
    lex = ctx.lexicon
    params = rule.params
    memo = _ref_verdicts(lex, ctx.corpus, params)
    last_end = -1
    for start, unit in matches:
        k = len(unit)
        if start + 2 * k <= last_end:
            continue
        lo = max(0, start - _REF_REACH)
        key = (text[lo : start + 2 * k + _REF_REACH], start - lo, unit)
        v = memo.get(key)
        if v is None:
            v = store(memo, key, rep.judge(text, start, unit, lex, ctx.corpus, params))
        if v.kind == "keep":
            continue
        last_end = start + 2 * k
        data = {"unit": unit, "reason": v.reason, "gain": round(v.gain, 2)}
        if v.kind == "typo":
            conf = min(0.99, 0.6 + v.gain / 40)
            yield rule.finding(start, start + 2 * k, f"{unit} written twice: {v.reason}",
                               edits=[Edit(start + k, start + 2 * k, "")], confidence=conf,
                               fix="safe", data=data)
        else:
            yield rule.finding(start, start + 2 * k, f"{unit}{unit}: possibly doubled ({v.reason})",
                               confidence=0.4, fix="none", data=data)


# ------------------------------------------------------------------ comparison


def _rows(findings):
    return [(f.rule, f.start, f.end, f.message, f.confidence, f.safety, f.edits, f.related, repr(f.data))
            for f in findings]


def same(text: str, ctx: RuleContext | None = None) -> None:
    ctx = ctx or RuleContext()
    assert rep.candidates(text) == ref_candidates(text)
    assert _rows(rep.doubled(text, ctx, RULE)) == _rows(ref_doubled(text, ctx, RULE))


def _variants(text: str) -> list[str]:
    """The text, as a later engine pass sees it (commas normalised), and cut at a few places."""
    out = [text, text.replace(",", "，"), text.replace("，", ",")]
    for cut in (1, len(text) // 3, len(text) // 2):
        out += [text[cut:], text[:cut]]
    return out


def test_samples_and_their_engine_passes(sample_texts):
    engine = Engine([r for r in load_rules()])
    for text in sample_texts.values():
        for t in _variants(text):
            same(t)
        res = engine.fix(text, RuleContext())
        same(res.text)
        for line in text.splitlines():
            same(line)


def _repetition_test_texts() -> list[str]:
    path = Path(__file__).with_name("test_repetition.py")
    spec = importlib.util.spec_from_file_location("_rw_tests", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    texts = list(mod.KEEP) + list(mod.WORDS)
    for mark in mod.test_typos_are_fixed.pytestmark:
        if mark.name == "parametrize":
            for raw, clean in mark.args[1]:
                texts += [raw, clean]
    examples = [ex.get("input", "") for ex in RULE.spec.get("examples", [])]
    return texts + examples + ["这位专家家的孩子", "先后后破", "立足资源禀赋，先后后破精准发力", "压实职责责任",
                               "引进的华鑫鑫科技已投产。"]


@pytest.mark.parametrize("text", _repetition_test_texts())
def test_texts_of_the_rule_tests(text):
    for t in _variants(text):
        same(t)
        same("前言" + t + "，后语")


def test_one_window_two_repeats_of_one_unit():
    # The same CJK window and unit at two offsets, judged differently (keep, then unsure).
    text = "好好做好好省"
    assert [f.start for f in rep.doubled(text, RuleContext(), RULE)] == [3]
    for t in _variants(text) + ["他说好好做好好省，好好做好好省"]:
        same(t)


def test_corpus_evidence_both_ways():
    text = "引进的华鑫鑫科技已投产。"
    for corpus in (CorpusStats.from_texts(["华鑫鑫科技公司", "走访华鑫鑫科技", "华鑫鑫科技扩产"]),
                   CorpusStats.from_texts(["华鑫科技公司", "走访华鑫科技", "华鑫科技扩产", text])):
        ctx = RuleContext(corpus=corpus)
        for t in _variants(text) + ["走访华鑫鑫科技", "引进的华鑫鑫科技,已投产"]:
            same(t, ctx)


# Words of the lexicon and pieces that exercise every early decision: numerals,
# particles and function characters, administrative units, tentative forms,
# three copies, half- and full-width punctuation, line breaks, non-CJK.
PIECES = [
    "开发区", "项目", "落地", "京津冀", "做好", "动能", "职责", "责任", "实实在在", "考核", "市场", "监管",
    "互联网", "研究", "一下", "看", "北京", "大学", "学生", "资金", "投资", "纷纷", "节节", "攀升",
    "的", "了", "在", "和", "是", "一", "两", "每", "市", "省", "个", "百", "分点", "第",
    "津", "好", "联", "后", "破", "村", "化", "三", "制",
    "，", ",", "。", "、", " ", "\n", "1", "2", "a", "\u3000", "\U00020000", "\0", "\ud800", "",
]


@st.composite
def doubled_texts(draw):
    parts = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=20))
    text = "".join(parts)
    for _ in range(draw(st.integers(0, 3))):  # double (or triple) a 1-4 character slice
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        k = draw(st.integers(1, 4))
        text = text[: i + k] + text[i : i + k] * draw(st.integers(1, 2)) + text[i + k :]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doubled_texts())
def test_generated_texts(text):
    for t in (text, text.replace(",", "，"), "\n" + text):
        same(t)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(doubled_texts(), min_size=2, max_size=6))
def test_generated_texts_share_memos(texts):
    ctx = RuleContext()
    for t in texts:
        same(t, ctx)
        same("，".join(texts), ctx)


def test_candidates_beyond_the_scratch_buffers_and_odd_code_points():
    unit = "落地落地，推进推进工作。职责责任\n"
    long = unit * (rep._SCRATCH_CHARS // len(unit) + 3)  # longer than any scratch buffer
    assert len(long) > rep._SCRATCH_CHARS
    for t in (long, long[:-5], long[: rep._SCRATCH_CHARS - 4], long[: rep._SCRATCH_CHARS - 3], "津津" + "\0" * 9,
              "\0\0", "津", "津津", "𠀀𠀀", "\U00020000\U00020000津津", "\uffff\uffff", "\u4dbf\u4dbf\u4dc0\u4dc0",
              "\ufaff\ufaff\ufb00\ufb00", "\u33ff\u33ff\u3400\u3400", "开发开发开发", "开发区开发区"):
        assert rep.candidates(t) == ref_candidates(t), t
    # A shorter text after a longer one in the same buffer: nothing of the longer one is left over.
    rep.candidates("落地" * 100)
    assert rep.candidates("落地落") == [] == ref_candidates("落地落")
    assert rep.candidates("\ud800\ud800津津") == [(2, "津")]  # the old code could not encode a lone surrogate


def test_candidates_in_threads():
    texts = [("落地" * (i + 1) + "，的的确确" + "推进" * i + "做好好动能") * (1 + i * 37) for i in range(8)]
    want = [ref_candidates(t) for t in texts]
    errors = []

    def run(i):
        for _ in range(20):
            if rep.candidates(texts[i]) != want[i]:
                errors.append(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(texts))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors


def test_memos_stay_bounded():
    from cleaner.memo import MEMO_ENTRIES

    ctx = RuleContext()
    for i in range(MEMO_ENTRIES + 50):
        list(rep.doubled(f"第{i}号 落地落地，推进{chr(0x4E00 + i % 20000)}{chr(0x4E00 + i % 20000)}工作", ctx, RULE))
    _, _, _, raw, windows = rep._memo
    assert len(raw) <= MEMO_ENTRIES and len(windows) <= MEMO_ENTRIES
