"""PU001 unbalanced quotation marks and brackets."""

import pytest

from cleaner.context import RuleContext
from cleaner.ruleset import load_rules

RULE = next(r for r in load_rules() if r.id == "PU001")


def marks(text: str) -> list[tuple[int, str]]:
    return [(f.start, text[f.start : f.end]) for f in RULE.find(text, RuleContext())]


@pytest.mark.parametrize(
    "text",
    [
        "坚持“要素跟着项目走”，签订《园区合作共建协议》（试行）【详细】。",
        "“一”“二”“三”，《甲》《乙》。",
        "他说：“第一段。\n\n“第二段。\n“第三段结束。”",
        "没有任何标点的一行",
    ],
)
def test_balanced_text_is_not_reported(text):
    assert marks(text) == []


def test_unclosed_opener_is_reported_at_its_position():
    text = "总书记强调“发展新质生产力。"
    assert marks(text) == [(5, "“")]


def test_stray_closer_is_reported():
    text = "(试行)》。进一步明确任务。"
    assert marks(text) == [(4, "》")]


def test_crossed_marks_report_the_skipped_opener():
    text = "签订“《园区”协议"
    assert marks(text) == [(3, "《")]


def test_paragraphs_are_checked_separately():
    text = "厚植“园区景观化、景\n\n观时尚化”优势"
    assert [m for _, m in marks(text)] == ["“", "”"]
    found = list(RULE.find(text, RuleContext()))
    assert all(f.safety == "none" and f.category == "punctuation" for f in found)


def test_open_quote_before_a_paragraph_not_opening_one_is_reported():
    text = "他说：“第一段。\n\n第二段。"
    assert marks(text) == [(3, "“")]


def test_samples_are_mostly_clean(sample_texts):
    total = sum(len(marks(t)) for t in sample_texts.values())
    assert total <= 10  # the samples have a handful of page-break cuts inside quotes
