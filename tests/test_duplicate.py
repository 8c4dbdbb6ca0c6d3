"""Duplicate paragraphs, sentences, near-duplicates and summary blocks (DUP)."""

import random
import time

import pytest

from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.ruleset import load_rules, select_rules

RULES = load_rules()
DUP = select_rules(RULES, select=["DUP"])
NEWSPAPERS = ["000_27f1f8b0384e3128.txt", "001_b81c3221cb5ed040.txt", "003_0105bf78c652beb1.txt",
              "004_a3b0ee3524b772fb.txt"]


def _fix(text: str, unsafe: bool = False):
    return Engine(DUP, unsafe_fixes=unsafe).fix(text, RuleContext())


def _check(text: str):
    return Engine(DUP).check(text, RuleContext())


def test_near_duplicate_clause_in_sample_000(sample_texts):
    text = sample_texts["000_27f1f8b0384e3128.txt"]
    probe = "他指出,“3+2”产业园区是县域经济高质量发展的重要抓手"
    a = text.index(probe)
    hits = [f for f in _check(text) if f.category == "duplicate" and f.start < a + len(probe) and f.end > a]
    assert len(hits) == 1
    f = hits[0]
    assert f.rule == "DUP003" and f.safety == "unsafe"
    earlier = text.index("赵宏钟在调研中指出,产业园区建设是")
    assert f.related is not None and f.related[0] == earlier
    assert "line 9, col 1" in f.message
    # the safe fix leaves the near-duplicate for review
    assert _fix(text).text == text


def test_summary_block_of_sample_002(sample_texts):
    out = _fix(sample_texts["002_6d422be956be0fa8.txt"]).text
    assert "核心提示" not in out
    assert out.count("围绕“三个转变、四个强化”,决胜高质量发展新战场") == 1
    assert "42\n\n围绕“三个转变" in out  # the block went with its line break


@pytest.mark.parametrize("name", NEWSPAPERS)
def test_newspapers_unchanged_by_safe_fixes(sample_texts, name):
    text = sample_texts[name]
    assert _fix(text).text == text


def test_duplicate_paragraph_removed_with_its_break_and_names_the_original():
    a = "会议强调，要进一步解放思想，切实打通项目建设的关键环节。"
    text = f"{a}\n\n会议要求，各部门要狠抓落实。\n\n{a}\n\n张鑫"
    found = [f for f in _check(text) if f.rule == "DUP001"]
    assert len(found) == 1 and found[0].related == (0, len(a))
    assert "line 1, col 1" in found[0].message
    assert _fix(text).text == f"{a}\n\n会议要求，各部门要狠抓落实。\n\n张鑫"


def test_duplicate_paragraph_at_end_of_text():
    a = "会议强调，要进一步解放思想，切实打通项目建设的关键环节。"
    assert _fix(f"{a}\n\n{a}\n").text == f"{a}\n"


def test_duplicate_sentence_width_folded_no_double_punctuation():
    text = "园区建设取得新进展。会议强调，要加快推进项目建设进度。各部门要狠抓落实。会议强调,要加快推进项目建设进度。"
    out = _fix(text).text
    assert out == "园区建设取得新进展。会议强调，要加快推进项目建设进度。各部门要狠抓落实。"
    assert "。。" not in out


def test_duplicate_sentence_with_closing_quote():
    q = "“我们将尽全力保障企业的用地需求和用电需求。”"
    text = f"{q}“兄弟县区有类似的案例，我们可以借鉴。”{q}县委发改局负责人表示。"
    assert _fix(text).text == f"{q}“兄弟县区有类似的案例，我们可以借鉴。”县委发改局负责人表示。"


def test_far_apart_copies_are_only_unsafe():
    s = "会议强调，要加快推进项目建设进度，确保全年目标任务圆满完成。"
    filler = _random_doc(120)
    text = f"{s}\n\n{filler}\n\n{s}补充说明。"
    f = [f for f in _check(text) if f.rule == "DUP002"]
    assert len(f) == 1 and f[0].safety == "unsafe"
    assert _fix(text).text == text
    assert _fix(text, unsafe=True).text == f"{s}\n\n{filler}\n\n补充说明。"


def test_titles_and_short_lines_may_repeat():
    text = "临汾经济开发区\n\n召开项目推进会\n\n一是加强领导。\n\n临汾经济开发区\n\n召开项目推进会\n\n一是加强领导。"
    assert _check(text) == []


def test_title_opening_the_body_is_not_a_summary():
    text = "兴县经开区党工委会议暨理论学习中心组会议召开\n\n兴县经开区党工委会议暨理论学习中心组会议召开，传达学习全会精神。"
    assert _check(text) == []


def test_parallel_points_are_not_near_duplicates():
    text = ("一是做好土地要素保障，积极用足用活各项政策，保障项目用地需求。"
            "二是做好资金要素保障，积极开展金融帮扶活动，保障项目资金需求。")
    assert [f for f in _check(text) if f.rule == "DUP003"] == []


def _random_doc(n_sentences: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    paras = []
    for _ in range(n_sentences // 5):
        paras.append("".join("".join(rnd.choices(chars, k=rnd.randint(15, 40))) + "，"
                             + "".join(rnd.choices(chars, k=rnd.randint(5, 20))) + "。" for _ in range(5)))
    return "\n\n".join(paras)


def test_cost_is_near_linear():
    """Doubling a document (with duplicates planted) must not quadruple the time."""
    def run(n: int) -> float:
        text = _random_doc(n)
        # plant formulaic near-duplicates that share n-grams with many sentences
        text += "\n\n" + "。".join("会议强调要进一步加快推进项目建设" + str(i) for i in range(200)) + "。"
        t = time.perf_counter()
        Engine(DUP).check(text, RuleContext())
        return time.perf_counter() - t

    run(500)  # warm up imports
    small, big = run(2000), run(8000)
    assert big < 8 * small + 0.5, (small, big)


def test_planted_duplicates_are_found():
    text = _random_doc(400, seed=7)
    paras = text.split("\n\n")
    sent = paras[47].split("。")[1] + "。"
    dup_para = paras[10]
    paras[50] = paras[50] + sent
    paras.insert(60, dup_para)
    res = _fix("\n\n".join(paras))
    assert res.text == text
    assert {e.rule for e in res.edits} == {"DUP001", "DUP002"}
