"""finding_lines / edit_lines (the batch's per-document fast paths) write
exactly the bytes json.dumps writes, line for line, for every input: real
findings and edits, and generated ones with odd types, odd text, values that
compare equal but print apart, identities shared or not from line to line."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.api import Cleaner
from cleaner.batch import jsonlines
from cleaner.model import AppliedEdit, Edit, Finding


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def ref_finding(path: str, f: Finding, text: str) -> str:
    repl = f.replacement(text) if f.edits else f.data.get("replacement")
    return _dumps({"path": path, "type": "finding", "rule": f.rule, "category": f.category, "start": f.start,
                   "end": f.end, "message": f.message, "replacement": repl, "fix": f.safety,
                   "confidence": round(float(f.confidence), 4)})


def ref_edit(path: str, e: AppliedEdit) -> str:
    return _dumps({"path": path, "type": "edit", "rule": e.rule, "pass": e.pass_no, "start": e.start, "end": e.end,
                   "before": e.before, "after": e.after, "orig_start": e.orig_start, "orig_end": e.orig_end})


def _outcome(fn: Any, *args: Any) -> Any:
    """The lines ``fn`` returns, or the type of what it raises."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - compared, not swallowed
        return type(exc)


def check_findings(path: str, fs: list[Finding], text: str) -> None:
    want = [_outcome(ref_finding, path, f, text) for f in fs]
    if any(isinstance(w, type) for w in want):  # some line cannot be made: neither can the batch
        assert isinstance(_outcome(jsonlines.finding_lines, jsonlines.value(path), fs, text), type)
        return
    pj = jsonlines.value(path)
    assert jsonlines.finding_lines(pj, fs, text) == want
    assert jsonlines.finding_lines(pj, fs, text) == want  # memos warm


def check_edits(path: str, es: list[AppliedEdit]) -> None:
    want = [ref_edit(path, e) for e in es]
    pj = jsonlines.value(path)
    assert jsonlines.edit_lines(pj, es) == want
    assert jsonlines.edit_lines(pj, es) == want


# --- real findings and edits -------------------------------------------------------------------

@pytest.fixture(scope="module")
def cleaned(sample_texts: dict[str, str]) -> list[tuple[str, str, Any]]:
    c = Cleaner()
    return [(name, text, c.clean(text)) for name, text in sample_texts.items()]


def test_real_findings_and_edits(cleaned: list[tuple[str, str, Any]]) -> None:
    assert sum(len(r.findings) for _, _, r in cleaned) > 0
    assert sum(len(r.edits) for _, _, r in cleaned) > 0
    for name, text, r in cleaned:
        check_findings(f"issue/{name}", r.findings, text)
        check_edits(f"issue/{name}", r.edits)


def test_real_lines_with_odd_paths(cleaned: list[tuple[str, str, Any]]) -> None:
    name, text, r = cleaned[0]
    for path in ('a"b\\c\n', "页\u2028\ud800", "", "{x}%s"):
        check_findings(path, r.findings, text)
        check_edits(path, r.edits)


# --- generated findings ------------------------------------------------------------------------

odd_char = st.one_of(st.characters(), st.sampled_from('"\\\n\r\t\b\f\x00\x1f\x7f\x85\u2028\u2029\ufeff，\ud800\udfff'))
odd_text = st.text(odd_char, max_size=12)


class Str(str):
    pass


class Int(int):
    pass


odd_ints = st.one_of(st.integers(0, 40), st.integers(-5, -1), st.integers(-(2**70), 2**70), st.booleans(),
                     st.builds(Int, st.integers(0, 40)), st.sampled_from([jsonlines._DECIMAL_MAX - 1,
                                                                         jsonlines._DECIMAL_MAX, 10**6]))
spans = st.one_of(st.integers(0, 40), st.integers(0, 40), odd_ints, st.floats(0, 40), st.none())
strs = st.one_of(st.sampled_from(["SP001", "spacing", "half-width , between Chinese characters", "safe", "none"]),
                 odd_text, st.builds(Str, odd_text))
fields = st.one_of(strs, strs, strs, st.integers(), st.none(), st.lists(st.integers(), max_size=2))
confidences = st.one_of(st.sampled_from([1.0, 0.9, 0.7, 0.12345678, 1e-7, 1e20, 0.0, -0.0, math.nan, math.inf,
                                         -math.inf]),
                        st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 3), st.booleans())
safeties = st.one_of(st.sampled_from(["safe", "unsafe", "none"]), fields)
json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), odd_text),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(odd_text, c, max_size=3),
                           max_leaves=5)


def _edit(start: Any, end: Any, replacement: Any) -> Edit:
    e = object.__new__(Edit)  # odd spans and types too: no __post_init__ check
    object.__setattr__(e, "start", start)
    object.__setattr__(e, "end", end)
    object.__setattr__(e, "replacement", replacement)
    return e


@st.composite
def finding_lists(draw: st.DrawFn) -> tuple[list[Finding], str]:
    """Findings over one text, their fields drawn from small pools so that
    consecutive findings share objects (and equal values that are not the same object)."""
    text = draw(st.text(odd_char, max_size=30))
    n = len(text)
    pos = st.integers(0, n)
    pools = {name: draw(st.lists(s, min_size=1, max_size=3)) for name, s in
             (("rule", fields), ("category", fields), ("message", fields), ("safety", safeties),
              ("confidence", confidences), ("replacement", st.one_of(odd_text, st.sampled_from(["，", ""]))))}
    pick = {name: st.sampled_from(pool) for name, pool in pools.items()}
    out = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 9)) == 0:
            start, end = draw(spans), draw(spans)
        else:
            start = draw(pos)
            end = draw(st.integers(start, n))
        kind = draw(st.sampled_from(["on span", "on span", "around", "pair", "many", "none"]))
        repl = draw(pick["replacement"]) if draw(st.integers(0, 4)) else draw(st.one_of(odd_text, st.integers()))
        if kind == "on span":
            edits: tuple[Edit, ...] = (_edit(start, end, repl),)
        elif kind == "around":
            a = draw(pos)
            edits = (_edit(a, draw(st.integers(a, n)), repl),)
        elif kind in ("pair", "many"):
            k = 2 if kind == "pair" else draw(st.integers(1, 4))
            cuts = draw(st.lists(st.one_of(pos, pos, pos, odd_ints), min_size=2 * k, max_size=2 * k))
            edits = tuple(_edit(cuts[2 * i], cuts[2 * i + 1], draw(pick["replacement"])) for i in range(k))
        else:
            edits = ()
        data = {"replacement": draw(json_values)} if draw(st.booleans()) else {}
        out.append(Finding(rule=draw(pick["rule"]), category=draw(pick["category"]), start=start, end=end,
                           message=draw(pick["message"]), confidence=draw(pick["confidence"]), edits=edits,
                           safety=draw(pick["safety"]), data=data))
    return out, text


@settings(max_examples=200, deadline=None)
@given(finding_lists(), st.one_of(st.just("issue0000/page.txt"), odd_text))
def test_generated_findings(ft: tuple[list[Finding], str], path: str) -> None:
    fs, text = ft
    check_findings(path, fs, text)
    check_findings(path, fs[::-1] + fs, text)  # other neighbours for every finding


def test_zero_nan_and_equal_confidences_print_apart() -> None:
    confs = [1.0, 1, True, 0.0, -0.0, 0, False, math.nan, 0.5, 0.5, -0.0, 0.0]
    fs = [Finding("SP001", "spacing", 0, 1, "m", c, (Edit(0, 1, "，"),), "safe") for c in confs]
    check_findings("p", fs, ",")


def test_same_key_new_replacement_and_alternating_keys() -> None:
    text = "a,b c,d;e"
    one, two = "，", "；"
    fs = [Finding("SP001", "spacing", 1, 2, "m", 1.0, (Edit(1, 2, one),), "safe"),
          Finding("SP003", "spacing", 3, 4, "n", 1.0, (Edit(3, 4, ""),), "safe"),
          Finding("SP001", "spacing", 5, 6, "m", 1.0, (Edit(5, 6, one),), "safe"),
          Finding("SP001", "spacing", 7, 8, "m", 1.0, (Edit(7, 8, two),), "safe"),
          Finding("SP001", "spacing", 5, 6, "m", 1.0, (Edit(5, 6, one),), "none"),
          Finding("SP002", "spacing", 2, 5, "p", 0.9, (Edit(4, 5, ""), Edit(2, 3, "")), "safe"),
          Finding("SP002", "spacing", 2, 5, "p", 0.9, (Edit(2, 3, "x"), Edit(2, 2, "y")), "safe"),
          Finding("SP002", "spacing", 2, 5, "p", 0.9, (Edit(2, 3, "x"), Edit(2, 3, "y")), "safe"),
          Finding("MK001", "markup", 0, 3, "q", 1.0, (), "safe", data={"replacement": "abc"}),
          Finding("PU001", "punct", 0, 1, "r", 0.7, (), "none")]
    check_findings("p", fs, text)


def test_offsets_past_the_table() -> None:
    big = jsonlines._DECIMAL_MAX + 5
    text = "x" * (big + 3)
    fs = [Finding("SP001", "spacing", i, i + 1, "m", 1.0, (Edit(i, i + 1, "，"),), "safe")
          for i in (0, big - 10, big, 7, big + 1)]
    check_findings("p", fs, text)
    es = [AppliedEdit("SP001", 1, i, i + 1, ",", "，", i, i + 1) for i in (0, big, 3, -2)]
    check_edits("p", es)
    assert len(jsonlines._DECIMAL) <= jsonlines._DECIMAL_MAX
    assert jsonlines._grow_decimal(10**9) <= jsonlines._DECIMAL_MAX
    assert all(jsonlines._DECIMAL[i] == str(i) for i in range(0, len(jsonlines._DECIMAL), 997))


def test_negative_and_reversed_spans() -> None:
    text = "abcdefgh"
    fs = [Finding("SP001", "spacing", a, b, "m", 1.0, (Edit(0, 1, "，"),) if k else (_edit(a, b, "x"),), "safe")
          for a, b in ((-3, 2), (-1, -1), (-8, 0), (5, 2), (2, -2), (0, 8)) for k in (0, 1)]
    check_findings("p", fs, text)
    es = [AppliedEdit("SP001", 1, a, b, ",", "，", a, b) for a, b in ((-3, 2), (-1, -1), (5, 2), (2, -2))]
    check_edits("p", es)


def test_edit_original_span_equal_but_printed_apart() -> None:
    es = [AppliedEdit("SP001", 1, 1, 2, ",", "，", o, 2) for o in (1, True, 1.0, Int(1))]
    es += [AppliedEdit("SP001", p, 1, 2, ",", "，", 1, 2) for p in (1, True, 1.0, Int(1), 1)]
    check_edits("p", es)


def test_long_changes_are_not_memoised() -> None:
    jsonlines._changes.clear()
    long = "长" * (jsonlines._SHORT + 1)
    check_edits("p", [AppliedEdit("RW001", 1, 0, 17, long, "", 0, 17)])
    assert not jsonlines._changes


# --- generated edits ---------------------------------------------------------------------------

edit_ints = st.one_of(st.integers(0, 60), odd_ints, st.floats(allow_nan=True), st.none())
edit_strs = st.one_of(st.sampled_from(["SP001", ",", "，", " ", ""]), odd_text, st.text(odd_char, min_size=17),
                      st.builds(Str, odd_text))


@st.composite
def edit_lists(draw: st.DrawFn) -> list[AppliedEdit]:
    """Applied edits drawn from small pools (shared objects), as pass 1 logs
    them (the original span the same ints as the span) or not."""
    rules = draw(st.lists(st.one_of(edit_strs, edit_strs, st.integers()), min_size=1, max_size=3))
    changes = draw(st.lists(st.tuples(st.one_of(edit_strs, edit_strs, st.none()), edit_strs), min_size=1,
                            max_size=3))
    passes = draw(st.lists(st.one_of(st.integers(1, 3), st.integers(1, 3), edit_ints), min_size=1, max_size=2))
    out = []
    for _ in range(draw(st.integers(0, 10))):
        s, t = draw(edit_ints), draw(edit_ints)
        before, after = draw(st.sampled_from(changes))
        if draw(st.booleans()):
            os_, oe = s, t
        elif draw(st.booleans()):
            os_, oe = draw(edit_ints), draw(edit_ints)
        elif type(s) is int and draw(st.booleans()):  # equal, not the same object (nor, maybe, type)
            os_ = draw(st.sampled_from([int(str(s)), float(s), Int(s)] + ([bool(s)] if s in (0, 1) else [])))
            oe = t
        else:
            os_, oe = s, draw(edit_ints)
        out.append(AppliedEdit(draw(st.sampled_from(rules)), draw(st.sampled_from(passes)), s, t, before, after,
                               os_, oe))
    return out


@settings(max_examples=200, deadline=None)
@given(edit_lists(), st.one_of(st.just("issue0000/page.txt"), odd_text))
def test_generated_edits(es: list[AppliedEdit], path: str) -> None:
    check_edits(path, es)
    check_edits(path, es[::-1] + es)


def test_edit_memo_is_bounded() -> None:
    for i in range(jsonlines.MEMO_ENTRIES + 10):
        jsonlines.edit_lines('"p"', [AppliedEdit("R", 1, 0, 1, f"b{i}", "a", 0, 1)])
    assert len(jsonlines._changes) <= jsonlines.MEMO_ENTRIES
