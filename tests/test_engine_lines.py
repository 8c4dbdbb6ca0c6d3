"""Line-scoped rules: the locality contract, and incremental passes equal full passes."""


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.ruleset import RuleError, load_rules, rule_from_spec

RULES = load_rules()
LINE_RULES = [r for r in RULES if r.scope == "line"]


def _key(f, off=0):
    return (f.start + off, f.end + off, f.message, f.safety,
            tuple((e.start + off, e.end + off, e.replacement) for e in f.edits))


def _texts(sample_texts):
    out = list(sample_texts.values())
    for r in RULES:
        out += [ex.input for ex in r.examples]
    return out


def test_line_rules_exist():
    assert {"SP001", "RW001", "ENC004"} <= {r.id for r in LINE_RULES}


@pytest.mark.parametrize("rule", LINE_RULES, ids=lambda r: r.id)
def test_line_rule_sees_only_its_line(rule, sample_texts):
    """Findings on the whole text are the findings on each line, shifted."""
    for text in _texts(sample_texts):
        whole = sorted(_key(f) for f in rule.find(text, RuleContext()))
        per, pos = [], 0
        for line in text.split("\n"):
            per += [_key(f, pos) for f in rule.find(line, RuleContext())]
            pos += len(line) + 1
        assert sorted(per) == whole, text[:80]


FULL = Engine(RULES, incremental=False)
INCREMENTAL = Engine(RULES)


def _same(a, b):
    assert a.text == b.text
    assert a.passes == b.passes
    assert [e.to_dict() for e in a.edits] == [e.to_dict() for e in b.edits]
    assert [_key(f) + (f.rule, f.related) for f in a.findings] == [_key(f) + (f.rule, f.related) for f in b.findings]
    assert [_key(f) + (f.rule,) for f in a.remaining] == [_key(f) + (f.rule,) for f in b.remaining]


def test_incremental_passes_equal_full_passes_on_samples(sample_texts):
    for text in sample_texts.values():
        _same(INCREMENTAL.fix(text, RuleContext()), FULL.fix(text, RuleContext()))


PIECES = st.sampled_from([
    "临汾经济开发区", "项目建设,招商引资", "<b>落地</b>", "实实在在", "纷纷", "做好好动能", "京津津冀",
    "开發區", "  ", "\u3000", "\u00a0", "&amp;", "。", "，", ",", "\n", "\n\n", "- 3 -", "精神 and 习近平",
    "“引号", "）", "abc", "2024年3月7日", "本报讯", "(一期)", "\x07", "**重点**", "# 标题",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_incremental_passes_equal_full_passes(text):
    _same(INCREMENTAL.fix(text, RuleContext()), FULL.fix(text, RuleContext()))


def test_line_scope_rule_spanning_lines_is_an_error():
    rule = rule_from_spec({
        "id": "TT001", "name": "t", "category": "test", "summary": "t", "kind": "regex", "scope": "line",
        "fix": "safe", "pattern": "a\\nb", "replacement": "ab", "examples": [{"input": "a", "output": "b"}],
    })
    with pytest.raises(ValueError, match="scope = 'line'"):
        Engine([rule]).fix("a\nb")


def test_unknown_scope_is_a_rule_error():
    with pytest.raises(RuleError, match="scope"):
        rule_from_spec({"id": "TT001", "name": "t", "category": "test", "summary": "t", "kind": "regex",
                        "scope": "page", "pattern": "x", "examples": [{"input": "x", "keep": True}]})


def test_clean_text_unchanged_lines_are_not_checked_again():
    """After the first pass, a line-scoped rule sees only the lines that changed."""
    seen = []
    rule = rule_from_spec({
        "id": "TT002", "name": "t", "category": "test", "summary": "t", "kind": "regex", "scope": "line",
        "fix": "safe", "pattern": "<x>", "replacement": "", "examples": [{"input": "a", "output": "b"}],
    })
    inner = rule._matcher

    def spy(text, ctx):
        seen.append(text)
        return inner(text, ctx)

    rule._matcher = spy
    filler = "\n".join(f"第{i}行正常的文字内容" for i in range(400))
    Engine([rule]).fix(filler + "\n有<x>标签\n" + filler)
    assert len(seen) == 2  # pass 1 on the whole text, pass 2 on the changed block only
    assert len(seen[1]) < 5000 and "有标签" in seen[1]


def test_builtin_rules_are_trusted_user_rules_are_not(tmp_path):
    """The engine skips the per-finding locality check for built-in rules only
    (this file checks them); rules from any other folder are checked."""
    assert RULES and all(r.builtin for r in RULES)
    (tmp_path / "TT003-x.toml").write_text(
        'id = "TT003"\nname = "t"\ncategory = "test"\nsummary = "t"\nkind = "regex"\nscope = "line"\n'
        'fix = "safe"\npattern = "a\\nb"\nreplacement = "ab"\n'
        '[[examples]]\ninput = "a\\nb"\noutput = "ab"\n', encoding="utf-8")
    user = load_rules([tmp_path])
    assert [r.builtin for r in user] == [False]
    with pytest.raises(ValueError, match="scope = 'line'"):
        Engine(user).fix("a\nb", RuleContext())
