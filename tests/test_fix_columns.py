"""The first pass's column lane gives exactly what the per-finding path gives.

Simple lexicon and literal-regex line rules return their fixes as
:class:`FixColumns` (``Rule.columns``); the engine resolves and applies them
from the columns and makes their findings at the end. Two references:

* per rule: ``columns(text).findings()`` equals ``list(find(text))``;
* per text: an engine run with the lane equals a run with a veto that refuses
  nothing (a veto turns the lane off, so every finding takes the old path).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_batch import generate
from cleaner.engine import Engine
from cleaner.model import FixColumns
from cleaner.ruleset import load_rules

RULES = load_rules()
COLUMN_RULES = [r for r in RULES if r.columns is not None]


def _no_veto(f, text):  # type: ignore[no-untyped-def]
    return False


def _result(res):  # type: ignore[no-untyped-def]
    return (res.text, res.findings, res.remaining, res.edits, res.passes, res.converged, res.unconverged_rules)


def _same(engine: Engine, text: str) -> None:
    with_lane = engine.fix(text)
    without = engine.fix(text, veto=_no_veto)
    assert _result(with_lane) == _result(without)


@pytest.fixture(scope="module")
def corpus_texts(tmp_path_factory: pytest.TempPathFactory, sample_texts: dict[str, str]) -> list[str]:
    texts = list(sample_texts.values())
    for style in ("raw", "clean"):
        d = tmp_path_factory.mktemp(style)
        generate(d, 0.15, style=style)
        texts += [p.read_text("utf-8") for p in sorted(d.rglob("*.txt"))]
    return texts


def test_the_simple_spacing_and_markup_rules_have_columns() -> None:
    ids = {r.id for r in COLUMN_RULES}
    assert {"SP001", "SP003", "SP004"} <= ids
    # group references and formatted messages need the per-finding path
    assert "SP002" not in ids


@pytest.mark.parametrize("rule", COLUMN_RULES, ids=lambda r: r.id)
def test_columns_match_find_on_examples(rule) -> None:  # type: ignore[no-untyped-def]
    for ex in rule.examples:
        c = rule.columns(ex.input)
        assert (c.findings() if c else []) == list(rule.find(ex.input, None))


def test_columns_match_find_on_corpora(corpus_texts: list[str]) -> None:
    found = 0
    for rule in COLUMN_RULES:
        for text in corpus_texts:
            c = rule.columns(text)
            expected = list(rule.find(text, None))
            assert (c.findings() if c else []) == expected, rule.id
            if c:
                assert len(c) == len(expected) > 0
                assert c.finding(0) == expected[0]
            found += len(expected)
    assert found > 1000  # the corpora exercise the lane


@pytest.mark.parametrize("unsafe", [False, True])
def test_engine_with_columns_matches_the_per_finding_path(corpus_texts: list[str], unsafe: bool) -> None:
    engine = Engine(RULES, unsafe_fixes=unsafe)
    for text in corpus_texts:
        _same(engine, text)


def test_contested_column_fixes_go_through_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    # An odd space (SP004) that is also trailing (SP005) or leading (SP006),
    # SP003 and SP007 on one space: the column fixes that compete are made
    # into findings and resolved by priority with the others.
    made: list[int] = []
    resolve = Engine._resolve_columns

    def spy(self, text, findings, columns):  # type: ignore[no-untyped-def]
        out = resolve(self, text, findings, columns)
        made.append(len(out[2]))
        return out

    monkeypatch.setattr(Engine, "_resolve_columns", spy)
    engine = Engine(RULES)
    for text in ["研究,(试行)办法,通知", "开发区 ,推进;(草案)建设", "记者 ：张三,李四!王五?赵六",
                 "建)\u00a0", "\u00a0《", ";，（ 1,”b、/b/\u00a0经", " (3（/?设\u00a0\u200b经）（b\u200b/"]:
        _same(engine, text)
    assert any(made), made


def test_columns_off_when_the_matcher_is_replaced() -> None:
    rule = next(r for r in load_rules() if r.id == "SP001")
    assert rule.columns is not None
    rule._matcher = lambda text, ctx: iter(())
    assert rule.columns is None


def test_fix_columns_findings_are_independent_objects() -> None:
    c = FixColumns("SP001", "spacing", "n", 1.0, "safe", [1, 3], [2, 4], ["，", "，"], ["m", "m"])
    a, b = c.findings()
    assert a.data is not b.data
    assert (a.start, a.end, a.edits[0].replacement) == (1, 2, "，")
    assert len(c) == 2


_ALPHABET = st.sampled_from(list("发展建设经济,:;!?() 　\u00a0\u200b1２3。，、“”《》（）\n<b></b>ab"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.booleans())
def test_engine_with_columns_matches_on_generated_text(text: str, unsafe: bool) -> None:
    _same(Engine(RULES, unsafe_fixes=unsafe), text)


def test_findings_are_made_from_the_columns_on_first_read(corpus_texts: list[str]) -> None:
    engine = Engine(RULES)
    res = engine.fix(corpus_texts[0])
    found, columns = res.findings_parts()
    assert columns and all(len(c) for c in columns)  # no empty column is left behind
    n = len(found) + sum(map(len, columns))
    assert len(res.findings) == n
    assert res.findings_parts() == (res.findings, [])
    assert res == engine.fix(corpus_texts[0], veto=_no_veto)


def test_batch_lines_from_columns_match_the_lines_of_the_findings(corpus_texts: list[str]) -> None:
    from collections import Counter

    from cleaner.api import Cleaner
    from cleaner.batch import jsonlines, worker

    cleaner = Cleaner()
    for text in corpus_texts:
        d = worker.clean_text_lines(cleaner, text, "a/b.txt")
        res = cleaner.clean(text)
        pj = jsonlines.value("a/b.txt")
        assert d["lines"] == jsonlines.finding_lines(pj, res.findings, text) + jsonlines.edit_lines(pj, res.edits)
        assert list(d["finding_counts"].items()) == list(Counter(f.rule for f in res.findings).items())


def test_column_lines_fall_back_for_unusual_values() -> None:
    from cleaner.batch import jsonlines

    text = "发展,建设,经济"
    c = FixColumns("SP001", "spacing", "n", 0.0, "safe", [2, 5], [3, 6], ["，", "，"], ["m", "m"])
    assert jsonlines.column_lines('"p"', c, text) == jsonlines.finding_lines('"p"', c.findings(), text)
    big = FixColumns("SP001", "spacing", "n", 1.0, "safe", [70000], [70001], ["，"], ["m"])
    assert jsonlines.column_lines('"p"', big, text) == jsonlines.finding_lines('"p"', big.findings(), text)


def test_first_pass_edits_are_made_from_the_rows_on_first_read(corpus_texts: list[str]) -> None:
    from cleaner.engine import replay

    engine = Engine(RULES)
    for text in corpus_texts[:40]:
        res = engine.fix(text)
        rows, later = res.edits_parts()
        edits = res.edits
        assert len(edits) == len(rows) + len(later)
        assert [(e.start, e.end, e.after, e.rule) for e in edits[: len(rows)]] == rows
        assert all(e.pass_no == 1 and (e.orig_start, e.orig_end) == (e.start, e.end) for e in edits[: len(rows)])
        assert res.edits_parts() == ([], edits)
        assert replay(text, edits) == res.text
        assert edits == engine.fix(text, veto=_no_veto).edits


def test_first_pass_edit_lines_match_edit_lines() -> None:
    from cleaner.batch import jsonlines
    from cleaner.model import AppliedEdit

    text = "发展,建设 ,经济<b>开发</b>区" + "。" * 70000 + "a,b"
    rows = [(2, 3, "，", "SP001"), (5, 6, "", "SP007"), (9, 12, "", "MK001"), (len(text) - 2, len(text) - 1, "，", "X")]
    want = jsonlines.edit_lines('"p"', [AppliedEdit(r, 1, a, b, text[a:b], n, a, b) for a, b, n, r in rows])
    assert jsonlines.first_pass_edit_lines('"p"', rows, text) == want
    odd = [(2, 3, "，", "SP001"), (5, 6, None, "SP007")]  # a value JSON must print its own way
    want = jsonlines.edit_lines('"p"', [AppliedEdit(r, 1, a, b, text[a:b], n, a, b) for a, b, n, r in odd])
    assert jsonlines.first_pass_edit_lines('"p"', odd, text) == want  # type: ignore[arg-type]
