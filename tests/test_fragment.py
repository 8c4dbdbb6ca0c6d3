"""Orphan fragments (FR001 starts mid-sentence, FR002 ends mid-sentence)."""

import pytest

from cleaner.checks.fragment import start_reason, word_tails
from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.lexicon import default_lexicon
from cleaner.ruleset import load_rules, select_rules

LEX = default_lexicon()
FR = select_rules(load_rules(), select=["FR"])


def findings(text: str):
    return Engine(FR).check(text, RuleContext(_lexicon=LEX))


def test_word_tails_index():
    tails = word_tails(LEX)
    f, w = tails["取"]
    assert w.endswith("取") and f > 1000
    assert word_tails(LEX) is tails  # cached


@pytest.mark.parametrize(
    "para,needle",
    [
        ("取上级政策资金支持,推动产业园区项目挤进“快车道”。", "cut word"),
        ("斜支持,同时鼓励社会资本参与开发区建设。", "cut word"),
        ("需求和方向等,积极配合规划设计单位优化完善方案。", "enumeration"),
        ("的问题隐患认真做台账,跟踪督办。", "particle"),
        ("，同时鼓励社会资本参与开发区建设。", "continues a sentence"),
    ],
)
def test_start_reason(para, needle):
    assert needle in start_reason(para, LEX)


@pytest.mark.parametrize(
    "para",
    [
        "丁小强实地查看建设进度、厂房布局等情况。",
        "段联刚要求,相关部门要压实工作责任。",
        "要加强实地调查,充分考察论证。",
        "在长治经开区,区内项目、生产正在火热推进。",
        "该公司共引进农业机械20台。",
        "抓发展必须抓项目,抓项目必然要保障土地。",
        "副市长李哲参加。",
        "了解到这一情况后,园区立即行动。",
        "“三化三制”改革是省委、省政府的重大部署。",
        "2024年是建设开发区升级版关键之年。",
        "锦能源紧跟国家和行业政策导向。",  # 锦 is rarely a word's end: not reported (precision first)
    ],
)
def test_start_reason_normal_openers(para):
    assert start_reason(para, LEX) == ""


def test_fragment_findings_on_samples(sample_texts):
    """All fragment findings on the five samples; each reviewed by hand:
    000 取上级… (争取 cut, first half missing), 000 需求和方向等 (opening of the
    article lost), 001 斜支持 and 001 …给予适当倾 (one sentence split across two
    places of the file: the article stage reassembles it), 003 …因地制宜培育和发
    (the article's end is missing)."""
    got = []
    for name, text in sample_texts.items():
        for f in findings(text):
            assert f.category == "fragment" and not f.edits
            got.append((name[:3], f.rule, text[f.start : f.end]))
    assert sorted(got) == sorted(
        [
            ("000", "FR001", "取上级政策资金支持"),
            ("000", "FR001", "需求和方向等"),
            ("001", "FR001", "斜支持"),
            ("001", "FR002", "对开发区的重点项目建设给予适当倾"),
            ("003", "FR002", "因地制宜培育和发"),
        ]
    )


def test_fragment_messages_give_reason(sample_texts):
    msgs = [f.message for f in findings(sample_texts["003_0105bf78c652beb1.txt"])]
    assert any("mid-sentence" in m and "new block" in m for m in msgs)


def test_fix_never_changes_fragments(sample_texts):
    text = sample_texts["000_27f1f8b0384e3128.txt"]
    assert Engine(FR, unsafe_fixes=True).fix(text, RuleContext(_lexicon=LEX)).text == text


def test_end_fragment_needs_running_text():
    assert findings("科技是第一生产力、人才是第一资源 加快建设科技强国\n\n园区 园区 园区 园区") == []
    assert findings("强化要素保障 提升服务效能\n\n——长子经开区力促项目建设加速发展纪略") == []
    assert findings("会议强调抓好落实。（王波）\n\n临汾经济开发区") == []
    found = findings("会议强调抓好落实。各部门要形成合力,推动\n\n临汾经济开发区\n\n召开会议")
    assert [f.rule for f in found] == ["FR002"]
