"""RW001 doubled characters and words: decisions, probes, and hypothesis properties."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.checks.repetition import judge, segment
from cleaner.context import RuleContext
from cleaner.corpus import CorpusStats
from cleaner.engine import Engine
from cleaner.lexicon import default_lexicon
from cleaner.ruleset import load_rules

RULE = next(r for r in load_rules() if r.id == "RW001")
ENGINE = Engine([RULE])
LEX = default_lexicon()


def fix(text: str, corpus: CorpusStats | None = None) -> str:
    return ENGINE.fix(text, RuleContext(corpus=corpus)).text


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("扎实推进工作落地落地。", "扎实推进工作落地。"),
        ("组成京津津冀招商小分队", "组成京津冀招商小分队"),
        ("五是做好好动能要素保障", "五是做好动能要素保障"),
        ("以绩效考核考核聚动能", "以绩效考核聚动能"),
        ("扎实推推进工作", "扎实推进工作"),
        ("依托工业互联联网平台", "依托工业互联网平台"),
        ("完善农村村基础设施", "完善农村基础设施"),
        ("提高了26.2个百百分点", "提高了26.2个百分点"),
        ("满载货物的野生动生动物", "满载货物的野生动物"),
        ("育局相关负责人责人表示", "育局相关负责人表示"),
        ("远程心电电和远程影像", "远程心电和远程影像"),
    ],
)
def test_typos_are_fixed(raw, clean):
    assert fix(raw) == clean


KEEP = [
    "取得实实在在的成效", "负责人纷纷表态", "克服重重困难", "双方强强联手", "压实职责责任",
    "城投投资公司", "引进的桥航航空已入驻", "中储粮粮食专业化园区", "落实省、市市场监管工作",
    "会上，丁小强强调", "莘莘学子", "进行了贝贝南瓜种植", "将大大提高了效率", "省际园区区域合作",
    "深化三化三制改革", "与北京伊信信息技术服务有限公司", "围绕机加工工艺", "恒创、中智智造、晶旭",
    "坚定信仰者和忠实实践者", "固定资产投资资金到位", "优良品种种植示范", "沁源县召开开发区化工园区",
    "党工委委员、管委会副主任", "他现在在北京", "关键是是否落实", "目的的实现", "一个个项目",
    "哈哈哈哈", "天天向上", "研究研究一下", "商圈人气节节攀升", "企业效益节节提升",
    "北京大学学生会", "社会科学学院", "实行三三制管理", "纪念七七事变", "坚持八八战略", "我们对对外开放",
    "在在线平台", "本市市民", "全市市场主体",
]


@pytest.mark.parametrize("text", KEEP)
def test_legitimate_repeats_are_kept(text):
    assert fix(text) == text
    assert ENGINE.check(text, RuleContext()) == []


@pytest.mark.parametrize("text", ["这位专家家的孩子", "先后后破"])
def test_doubtful_repeats_are_never_fixed(text):
    assert fix(text) == text


def test_undecidable_repeat_is_reported_not_fixed():
    text = "立足资源禀赋，先后后破精准发力"
    found = ENGINE.check(text, RuleContext())
    assert [f.safety for f in found] == ["none"]
    assert text[found[0].start : found[0].end] == "后后"
    assert fix(text) == text


def test_corpus_overrides_lexicon_both_ways():
    text = "引进的华鑫鑫科技已投产。"
    assert fix(text) == text  # unknown name: left alone
    seen = CorpusStats.from_texts(["华鑫鑫科技公司", "走访华鑫鑫科技", "华鑫鑫科技扩产"])
    assert fix(text, seen) == text
    twin = CorpusStats.from_texts(["华鑫科技公司", "走访华鑫科技", "华鑫科技扩产", text])
    assert fix(text, twin) == "引进的华鑫科技已投产。"


def test_judge_explains_boundary_words():
    v = judge("压实职责责任", 3, "责", LEX)
    assert v.kind == "keep" and "职责|责任" in v.reason


def test_segment_prefers_words():
    seg = segment("做好动能", LEX)
    assert [("做好动能"[a:b]) for a, b in seg.tokens] == ["做好", "动能"]


# ------------------------------------------------------------------ properties

WORDS = [
    "开发区", "项目", "建设", "落地", "京津冀", "招商", "做好", "动能", "要素", "保障", "职责", "责任",
    "纷纷", "实实在在", "考核", "绩效", "市场", "监管", "投资", "资金", "工作", "推进", "的", "在", "和",
    "园区", "区域", "合作", "强调", "发展", "展示", "示范", "范围", "围绕",
]
PUNCT = ["，", "。", "、", ""]


@st.composite
def texts_with_repeats(draw):
    parts = draw(st.lists(st.sampled_from(WORDS + PUNCT), min_size=1, max_size=25))
    text = "".join(parts)
    # Optionally double a random slice of 1-4 characters (a typo the rule may find).
    if text and draw(st.booleans()):
        i = draw(st.integers(0, len(text) - 1))
        k = draw(st.integers(1, 4))
        text = text[: i + k] + text[i : i + k] + text[i + k :]
    return text


def _deleted_copy_of_neighbour(before: str, start: int, end: int) -> bool:
    """A deletion removes one copy of a unit that is repeated right beside it."""
    unit = before[start:end]
    k = len(unit)
    return bool(unit) and (before[end : end + k] == unit or before[start - k : start] == unit)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_repeats())
def test_only_deletes_copies_inside_detected_repeats(text):
    res = ENGINE.fix(text, RuleContext())
    for e in res.edits:
        assert e.after == "", "RW001 only deletes"
        assert 1 <= len(e.before) <= 4
    # Replay pass by pass: every deletion is one copy of an adjacent identical unit.
    cur = text
    for p in sorted({e.pass_no for e in res.edits}):
        for e in sorted((e for e in res.edits if e.pass_no == p), key=lambda e: -e.start):
            assert _deleted_copy_of_neighbour(cur, e.start, e.end), (cur, e)
            cur = cur[: e.start] + cur[e.end :]
    assert cur == res.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_repeats())
def test_fix_is_idempotent(text):
    once = fix(text)
    assert fix(once) == once
