"""Engine: overlap resolution, fixpoint, non-convergence, safe/unsafe, edit log."""

from pathlib import Path

import pytest

from cleaner.engine import Engine, replay
from cleaner.ruleset import RuleError, load_rule_file, rule_from_spec, select_rules, load_rules


def make(rid, pattern, replacement, fix="safe", priority=100, **kw):
    spec = {
        "id": rid, "name": rid.lower(), "category": "test", "summary": "t", "kind": "regex",
        "fix": fix, "pattern": pattern, "priority": priority,
        "examples": [{"input": "x", "keep": True}],
        **kw,
    }
    if fix != "none":
        spec["replacement"] = replacement
        spec["examples"] = [{"input": "a", "output": "b"}]
    return rule_from_spec(spec)


def test_overlapping_fixes_first_by_priority_then_rest_next_pass():
    r1 = make("TT001", "abc", "X", priority=10)
    r2 = make("TT002", "bcd", "Y", priority=20)
    res = Engine([r1, r2]).fix("abcd")
    assert res.text == "Xd"
    assert [e.rule for e in res.edits] == ["TT001"]


def test_fixpoint_applies_follow_up_fixes():
    # removing the tag creates a doubled space that a second rule then collapses
    r1 = make("TT001", "<x>", "")
    r2 = make("TT002", "  ", " ")
    res = Engine([r1, r2]).fix("a <x> b")
    assert res.text == "a b"
    assert res.passes == 3  # two passes that edit, one that finds nothing
    assert replay(res.original, res.edits) == res.text


def test_non_convergence_is_reported_with_rules():
    r1 = make("TT001", "a", "b")
    r2 = make("TT002", "b", "a")
    res = Engine([r1, r2], max_passes=4).fix("a")
    assert not res.converged
    assert res.unconverged_rules


def test_unsafe_fixes_need_opt_in():
    r = make("TT001", "foo", "bar", fix="unsafe")
    assert Engine([r]).fix("foo").text == "foo"
    assert Engine([r], unsafe_fixes=True).fix("foo").text == "bar"
    assert Engine([r]).fix("foo").remaining[0].rule == "TT001"


def test_veto_rejects_a_fix():
    r = make("TT001", "foo", "bar")
    eng = Engine([r], veto=lambda f, text: text[f.start:f.end] == "foo")
    assert eng.fix("foo").text == "foo"


def test_edit_log_maps_to_original_offsets():
    r1 = make("TT001", "<x>", "")
    r2 = make("TT002", "b", "B")
    res = Engine([r1, r2]).fix("<x>ab<x>b")
    assert res.text == "aBB"
    for e in res.edits:
        assert res.original[e.orig_start:e.orig_end] in ("<x>", "b")


def test_report_only_rule_has_no_edits():
    r = make("TT001", "zz", None, fix="none")
    res = Engine([r]).fix("azza")
    assert res.text == "azza" and not res.edits
    assert [(f.start, f.end) for f in res.remaining] == [(1, 3)]


@pytest.mark.parametrize(
    "spec,field",
    [
        ({"kind": "regex"}, "id"),
        ({"id": "bad", "kind": "regex"}, "id"),
        ({"id": "TT001", "kind": "nope"}, "kind"),
        ({"id": "TT001", "kind": "regex", "name": "n", "category": "c", "summary": "s", "pattern": "(",
          "examples": [{"input": "a", "keep": True}]}, "pattern"),
        ({"id": "TT001", "kind": "regex", "name": "n", "category": "c", "summary": "s", "pattern": "a",
          "fix": "safe", "replacement": "\\g<2>", "examples": [{"input": "a", "output": "b"}]}, "replacement"),
        ({"id": "TT001", "kind": "regex", "name": "n", "category": "c", "summary": "s", "pattern": "a"}, "examples"),
        ({"id": "TT001", "kind": "regex", "name": "n", "category": "c", "summary": "s", "pattern": "a",
          "colour": "red", "examples": [{"input": "a", "keep": True}]}, "colour"),
        ({"id": "TT001", "kind": "python", "name": "n", "category": "c", "summary": "s",
          "entry": "cleaner.nothing:here", "examples": [{"input": "a", "keep": True}]}, "entry"),
    ],
)
def test_validation_names_the_field(spec, field):
    with pytest.raises(RuleError) as e:
        if "kind" in spec and "id" not in spec:
            rule_from_spec(spec, Path("rules/x/TT001-x.toml"))
        rule_from_spec(spec, Path("TT001-x.toml"))
    assert f"'{field}'" in str(e.value)
    assert "TT001-x.toml" in str(e.value)


def test_file_name_must_match_code(tmp_path):
    p = tmp_path / "XX001-wrong.toml"
    p.write_text('id = "TT001"\nname="n"\ncategory="c"\nsummary="s"\nkind="regex"\npattern="a"\n'
                 '[[examples]]\ninput="b"\nkeep=true\n', encoding="utf-8")
    with pytest.raises(RuleError, match="XX001-wrong.toml"):
        load_rule_file(p)


def test_selection_by_code_prefix_and_ignore():
    rules = load_rules()
    assert {r.family for r in select_rules(rules, select=["MK"])} == {"MK"}
    chosen = select_rules(rules, select=["MK", "SP001"], ignore=["MK002"])
    ids = {r.id for r in chosen}
    assert "SP001" in ids and "MK002" not in ids and "SP003" not in ids
    assert "SP003" in {r.id for r in select_rules(rules, select=["MK"], extend_select=["SP003"])}
    with pytest.raises(RuleError, match="ZZ9"):
        select_rules(rules, select=["ZZ9"])


def test_user_rule_folder_with_python_entry(tmp_path):
    (tmp_path / "myrule.py").write_text(
        "def find(text, ctx, rule):\n"
        "    i = text.find('坏字')\n"
        "    if i >= 0:\n"
        "        yield rule.finding(i, i + 2, replacement='好字')\n", encoding="utf-8")
    (tmp_path / "US001-mine.toml").write_text(
        'id="US001"\nname="mine"\ncategory="custom"\nsummary="s"\nkind="python"\nfix="safe"\n'
        'entry="myrule.py:find"\n[[examples]]\ninput="一个坏字"\noutput="一个好字"\n', encoding="utf-8")
    (rule,) = load_rules([tmp_path])
    assert Engine([rule]).fix("这是坏字。").text == "这是好字。"


def test_touching_edits_that_both_change_line_breaks_wait_for_the_next_pass():
    # TT001 removes a boilerplate line with the break before it; TT002 joins the
    # break after a line that does not end a sentence. Applied together in one
    # pass they would glue two finished paragraphs; one at a time, the join is
    # judged again on the new text and no longer matches.
    remove = make("TT001", "\n\nFOOTER", "", priority=10)
    join = make("TT002", "(?<=[A-Z])\n\n(?=[a-z])", " ", priority=20)
    res = Engine([remove, join]).fix("end.\n\nFOOTER\n\nnext.")
    assert res.text == "end.\n\nnext."
    assert [e.rule for e in res.edits] == ["TT001"]


def test_touching_edits_inside_a_line_apply_together():
    r1 = make("TT001", "<b>", "", priority=10)
    r2 = make("TT002", " (?=x)", "", priority=20)
    res = Engine([r1, r2]).fix("a<b> x")
    assert res.text == "ax"
    assert res.passes == 2 and sorted(e.pass_no for e in res.edits) == [1, 1]


def test_line_rules_normalise_before_document_rules_look():
    # the document rule only recognises the full-width form: it sees it in pass 2
    line = make("TT001", ",", "，", scope="line")
    doc = make("TT002", "^a，b$", "ab")
    res = Engine([line, doc]).fix("a,b")
    assert res.text == "ab"
    assert [(e.rule, e.pass_no) for e in res.edits] == [("TT001", 1), ("TT002", 2)]
