"""SC001 traditional characters in simplified text."""

from cleaner.checks.script import char_sets, document_script
from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.ruleset import load_rules

RULE = next(r for r in load_rules() if r.id == "SC001")
SIMPLIFIED = "临汾经济开发区召开项目建设推进会，会议总结了过去一年园区发展的经验，对下一步工作进行部署。"
TRADITIONAL = "臨汾經濟開發區召開項目建設推進會，會議總結了過去一年園區發展的經驗，對下一步工作進行部署。"


def fix(text: str, **options) -> str:
    return Engine([RULE]).fix(text, RuleContext(options=options)).text


def test_character_sets_are_disjoint_and_sensible():
    trad, simp = char_sets()
    assert not trad & simp
    assert {"經", "開", "發", "區", "週", "鍾"} <= trad
    assert {"经", "开", "发", "区"} <= simp
    assert "著" not in trad and "周" not in trad


def test_traditional_characters_in_simplified_document_are_converted():
    mixed = SIMPLIFIED.replace("经济开发区", "經濟開發區")
    assert fix(mixed) == SIMPLIFIED
    [f] = Engine([RULE]).check(mixed, RuleContext())
    assert mixed[f.start : f.end] == "經濟開發區" and f.safety == "safe"


def test_traditional_document_is_left_alone_unless_asked():
    assert document_script(TRADITIONAL)[0] == "traditional"
    assert fix(TRADITIONAL) == TRADITIONAL
    assert fix(TRADITIONAL, convert_traditional=True) == SIMPLIFIED


def test_clean_simplified_text_has_no_findings(sample_texts):
    for name, text in sample_texts.items():
        assert list(RULE.find(text, RuleContext())) == [], name


def test_phrases_kept_by_opencc_stay():
    text = SIMPLIFIED + "乾隆年间的著名建筑。"
    assert fix(text) == text


def test_fast_traditional_test_agrees_with_the_regex() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cleaner.checks.script import _trad_re, has_traditional

    @settings(max_examples=100, deadline=None)
    @given(st.text(alphabet="开发區区發\U00020000\ud800\uffff,。 \n", max_size=40))
    def check(t: str) -> None:
        long = t * (1 + 2500 // (len(t) + 1))
        assert has_traditional(long) == (_trad_re().search(long) is not None)
        assert has_traditional(t) == (_trad_re().search(t) is not None)

    check()
