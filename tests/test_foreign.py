"""FG001 stray English function words."""

import pytest

from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.ruleset import load_rules

RULE = next(r for r in load_rules() if r.id == "FG001")


def fix(text: str, unsafe: bool = False) -> str:
    return Engine([RULE], unsafe_fixes=unsafe).fix(text, RuleContext()).text


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("党的二十大精神 and 习近平总书记", "党的二十大精神和习近平总书记"),
        ("企业 or 个人", "企业或个人"),
        ("开发区 With 高校合作", "开发区与高校合作"),
        ("推进　the　项目", "推进项目"),
        ("党的二十大精神and习近平总书记", "党的二十大精神和习近平总书记"),
        ("开发区 of 高质量发展", "开发区的高质量发展"),
    ],
)
def test_translated_or_dropped(raw, clean):
    assert fix(raw) == clean


def test_prepositions_need_unsafe_fixes():
    text = "建设 in 园区"
    assert fix(text) == text
    assert fix(text, unsafe=True) == "建设园区"
    [f] = Engine([RULE]).check(text, RuleContext())
    assert f.safety == "unsafe" and f.category == "foreign"


@pytest.mark.parametrize(
    "text",
    [
        "企业上线MES系统", "采用 MES 系统", "生产LED芯片", "采用CVD工艺", "3D打印", "5G网络",
        "推行ABC轮岗制", "大疆T20无人机", "10kV 电力", "1.2GW光伏", "V法铸造", "拥有 A 级资质",
        "维生素A和钙", "made in China 字样", "代码 OR 逻辑", "临汾In园区", "若 x 在 a 中",
    ],
)
def test_acronyms_and_latin_phrases_stay(text):
    assert Engine([RULE]).check(text, RuleContext()) == []


def test_fast_path_on_text_without_lowercase_latin():
    assert list(RULE.find("临汾经济开发区MES系统" * 100, RuleContext())) == []
