"""The fast findings.jsonl serialiser writes exactly what json.dumps writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.api import finding_to_dict
from cleaner.batch import jsonlines
from cleaner.model import AppliedEdit, Edit, Finding


def _ref(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


odd_text = st.text(st.one_of(st.characters(), st.sampled_from('"\\\n\r\t\b\f\x00\x1f\x7f\u2028\u2029\ufeff，')))
ints = st.one_of(st.integers(0, 50), st.integers(-(2**70), 2**70), st.booleans())
confidences = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.booleans(),
                        st.sampled_from([0.9, 0.95, 1.0, 0.12345678, 1e-7, 1e20]))
json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), odd_text),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(odd_text, c, max_size=3),
                           max_leaves=6)


@st.composite
def findings(draw: st.DrawFn) -> tuple[Finding, str]:
    text = draw(odd_text)
    n = len(text)
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n))
    edits: tuple[Edit, ...] = ()
    if draw(st.booleans()):
        spans = sorted(draw(st.lists(st.integers(0, n), min_size=2, max_size=6)))
        edits = tuple(Edit(spans[i], spans[i + 1], draw(odd_text)) for i in range(0, len(spans) - 1, 2))
    f = Finding(rule=draw(st.sampled_from(["SP001", "RW001", 'X"1'])) if draw(st.booleans()) else draw(odd_text),
                category=draw(st.sampled_from(["spacing", "punctuation"]) | odd_text),
                start=draw(st.sampled_from([start, True])) if draw(st.integers(0, 9)) == 0 else start,
                end=end, message=draw(odd_text), confidence=draw(confidences), edits=edits,
                safety=draw(st.sampled_from(["safe", "unsafe", "none"])),
                data={"replacement": draw(json_values)} if draw(st.booleans()) else {})
    return f, text


@settings(max_examples=500, deadline=None)
@given(findings(), odd_text)
def test_finding_line_is_json_dumps(ft: tuple[Finding, str], path: str) -> None:
    f, text = ft
    want = _ref({"path": path, "type": "finding", **finding_to_dict(f, text)})
    assert jsonlines.finding_line(jsonlines.value(path), f, text) == want
    assert jsonlines.finding_line(jsonlines.value(path), f, text) == want  # memo hit


@settings(max_examples=500, deadline=None)
@given(st.builds(AppliedEdit, rule=st.sampled_from(["SP001", "ENC001"]) | odd_text, pass_no=ints, start=ints,
                 end=ints, before=odd_text, after=odd_text, orig_start=ints, orig_end=ints), odd_text)
def test_edit_line_is_json_dumps(e: AppliedEdit, path: str) -> None:
    assert jsonlines.edit_line(jsonlines.value(path), e) == _ref({"path": path, "type": "edit", **e.to_dict()})


@given(json_values)
def test_value_is_json_dumps(v: object) -> None:
    assert jsonlines.value(v) == json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def test_memo_is_bounded() -> None:
    for i in range(jsonlines._MEMO_MAX + 10):
        jsonlines.repeated(f"m{i}")
        jsonlines.confidence_text(i / 7)
    assert len(jsonlines._memo) <= jsonlines._MEMO_MAX
    assert len(jsonlines._conf_memo) <= jsonlines._MEMO_MAX


def test_replacement_single_and_many_edits() -> None:
    text = "abcdefgh"
    one = Finding("R", "c", 2, 4, "m", edits=(Edit(1, 3, "X"),), safety="safe")
    assert one.replacement(text) == "Xd"
    many = Finding("R", "c", 2, 4, "m", edits=(Edit(5, 6, "Y"), Edit(1, 3, "X")), safety="safe")
    assert many.replacement(text) == "XdeY"
    assert Finding("R", "c", 2, 4, "m", edits=(Edit(1, 3, "X"),), safety="none").replacement(text) is None


def test_confidence_of_negative_zero_is_not_mixed_up_with_zero() -> None:
    assert jsonlines.confidence_text(0.0) == json.dumps(0.0)
    assert jsonlines.confidence_text(-0.0) == json.dumps(-0.0)
    assert jsonlines.confidence_text(0.0) == json.dumps(0.0)


@settings(max_examples=300, deadline=None)
@given(st.lists(findings(), max_size=6), odd_text)
def test_finding_lines_equal_finding_line(fts: list[tuple[Finding, str]], path: str) -> None:
    text = max((t for _, t in fts), key=len, default="")
    fs = [f for f, t in fts if t == text]  # spans valid in the one text
    pj = jsonlines.value(path)
    want = [jsonlines.finding_line(pj, f, text) for f in fs]
    assert jsonlines.finding_lines(pj, fs, text) == want
    assert jsonlines.finding_lines(pj, fs + fs, text) == want + want  # fragments memoised


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(AppliedEdit, rule=st.sampled_from(["SP001", "ENC001"]) | odd_text, pass_no=ints,
                          start=ints, end=ints, before=odd_text, after=odd_text, orig_start=ints, orig_end=ints),
                max_size=6), odd_text)
def test_edit_lines_equal_edit_line(es: list[AppliedEdit], path: str) -> None:
    pj = jsonlines.value(path)
    assert jsonlines.edit_lines(pj, es) == [jsonlines.edit_line(pj, e) for e in es]


def test_finding_lines_zero_confidences_print_apart() -> None:
    fs = [Finding("SP001", "spacing", 0, 1, "m", c, (Edit(0, 1, "，"),), "safe") for c in (0.0, -0.0, 0.5, 0.5)]
    lines = jsonlines.finding_lines('"p"', fs, ",")
    assert [json.loads(x)["confidence"] for x in lines] == [0.0, -0.0, 0.5, 0.5]
    assert lines[1].endswith('"confidence":-0.0}\n')
