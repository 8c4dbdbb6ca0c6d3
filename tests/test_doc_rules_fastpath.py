"""The memos of the BP and DUP rules give the findings of a cold run.

The engine runs the document rules over a text, then over the text with the
first pass's fixes applied, which differs in a few lines. The BP rules keep
per-line memos (cue masks, menu and tag-cloud verdicts); the DUP rules run
after them on the same texts. Each test below
runs the rules on a text, then on an edited copy, and compares what they find
on the copy with a run on it with every memo emptied.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_batch import generate
from cleaner import memo
from cleaner.api import Cleaner
from cleaner.checks import boilerplate as bp
from cleaner.checks import duplicate as dup
from cleaner.context import RuleContext
from cleaner.ruleset import load_rules

ORDER = ["BP008", "BP001", "BP002", "BP003", "BP004", "BP005", "BP006", "BP007", "BP009",
         "DUP001", "DUP004", "DUP002", "DUP003"]  # the engine's order
ALL_RULES = load_rules()
RULES = {r.id: r for r in ALL_RULES if r.id in ORDER}


def _clear() -> None:
    bp._CUES.clear()
    bp._NAV_KINDS.clear()
    bp._TAG_MESSAGES.clear()
    bp._cache = None
    dup._cache = None


def _found(text: str, ctx: RuleContext | None, ids: list[str] = ORDER) -> dict[str, list]:
    return {rid: list(RULES[rid].find(text, ctx)) for rid in ids}


# ------------------------------------------------------------------ texts and edits


def _boilerplate_lines() -> list[str]:
    """The lines of the BP and DUP rules' own examples: menus, tag clouds,
    share bars, counters, metadata and summary lines."""
    out = []
    for r in ALL_RULES:
        if r.id in ORDER:
            for ex in r.examples:
                out += [s for s in ex.input.split("\n") if s.strip()]
    return out


# Lines whose verdict depends on where they stand (breadcrumbs, menus of
# bare words and tag clouds count at the page edge only) and prose lines
# with a registration or legal anchor but no other cue.
EDGE_LINES = ["新闻中心 > 地方新闻 > 正文", "新闻  要闻  时政  财经  科技  教育", "开发区 项目 招商引资 产业 发展 改革 创新"]
ANCHORED_PROSE = ["本站内容仅供参考，粤ICP备05102027号，转载请注明出处。", "以上内容版权所有，不代表本网观点，如有侵权请联系删除。"]


def _web_page(text: str, rnd: random.Random, furniture: list[str], edge: bool) -> str:
    """``text`` with page furniture above, below and inside it; the lines of
    ``EDGE_LINES`` above it (``edge``) or among its paragraphs."""
    lines = text.split("\n")
    top = rnd.sample(furniture, min(6, len(furniture)))
    bottom = rnd.sample(furniture, min(8, len(furniture)))
    for s in rnd.sample(furniture, min(3, len(furniture))) + ANCHORED_PROSE:
        lines.insert(rnd.randrange(len(lines) + 1), s)
    if edge:
        top = EDGE_LINES + top
    else:
        lines[len(lines) // 2 : len(lines) // 2] = ["", *EDGE_LINES, ""]
    return "\n".join(top + [""] + lines + [""] + bottom)


def _edits(text: str, rnd: random.Random, cleaned: str) -> list[str]:
    """Copies of ``text`` edited the ways engine passes and dumps edit them."""
    lines = text.split("\n")
    full = [i for i, s in enumerate(lines) if len(s.strip()) > 10] or [0]
    out = [cleaned]
    k = rnd.choice(full)
    out.append("\n".join(lines[:k] + lines[k + 1 :]))  # a line goes
    a, b = rnd.choice(full), rnd.choice(full)
    out.append("\n".join(lines[: b + 1] + ["", lines[a]] + lines[b + 1 :]))  # a paragraph is repeated
    changed = lines[:]
    changed[k] = changed[k].replace("。", "，", 1).replace("，", "。", 1) + "又一句话写在这里。"
    out.append("\n".join(changed))  # a line changes
    same = lines[:]
    same[b] = lines[a]  # a line becomes a copy of another one
    out.append("\n".join(same))
    swapped = lines[:]
    swapped[a], swapped[b] = swapped[b], swapped[a]
    out.append("\n".join(swapped))
    out.append("\ufeff" + "\r\n".join(lines[:k]) + "\r\n" + "\n".join(lines[k:]))  # BOM and CRLF
    out.append("\n".join(s.replace("，", "， ").replace("。", "。 ") for s in lines))  # spaces before ends
    return out


@pytest.fixture(scope="module")
def texts(tmp_path_factory, sample_texts) -> list[str]:
    d: Path = tmp_path_factory.mktemp("pages")
    generate(d, 0.2)
    pages = [f.read_text(encoding="utf-8") for f in sorted(d.rglob("*.txt"))]
    rnd = random.Random(3)
    furniture = _boilerplate_lines()
    samples = list(sample_texts.values())
    webs = [_web_page(t, rnd, furniture, edge) for t in samples for edge in (True, False)]
    return samples + webs[::2] + webs[1::2] + pages


@pytest.fixture(scope="module")
def cases(texts) -> list[tuple[str, list[str]]]:
    """(text, its edited copies): the first copy is the text after the
    default rule set's fixes."""
    c = Cleaner()
    rnd = random.Random(5)
    return [(t, _edits(t, rnd, c.clean(t).text)) for t in texts]


# ------------------------------------------------------------------ the rules, warm and cold


def _assert_warm_is_cold(cases, ids: list[str] = ORDER) -> None:
    _clear()
    for text, edited in cases:
        for e in edited:
            ctx = RuleContext()
            _found(text, ctx, ids)  # memos warmed by the text (and all before it)
            warm = _found(e, ctx, ids)  # the confirming pass: same context
            again = _found(e, ctx, ids)  # the same text object: caches for the last text
            state = (bp._CUES.copy(), bp._NAV_KINDS.copy(), bp._TAG_MESSAGES.copy(), bp._cache, dup._cache)
            _clear()
            cold = _found(e, RuleContext(), ids)
            for rid in ids:
                assert warm[rid] == cold[rid], (rid, e[:80])
                assert again[rid] == cold[rid], (rid, e[:80])
            # carry the warm memos on to the next text
            (bp._CUES, bp._NAV_KINDS, bp._TAG_MESSAGES) = state[:3]
            bp._cache, dup._cache = state[3:]


def test_rules_find_on_an_edited_text_what_a_cold_run_finds(cases):
    _assert_warm_is_cold(cases)


def test_small_memos_empty_themselves_and_give_the_same_findings(cases, monkeypatch):
    """With room for a few lines only, the memos are emptied while texts are cleaned."""
    monkeypatch.setattr(memo, "MEMO_ENTRIES", 40)
    _assert_warm_is_cold(cases[:8])
    assert len(bp._CUES) <= 40 and len(bp._NAV_KINDS) <= 40 and len(bp._TAG_MESSAGES) <= 40


def test_memos_stay_within_bounds(cases):
    _assert_warm_is_cold(cases[:3])
    for m in (bp._CUES, bp._NAV_KINDS, bp._TAG_MESSAGES):
        assert len(m) <= memo.MEMO_ENTRIES


def test_cleaning_after_other_texts_is_cleaning_cold(texts):
    """The whole rule set: a text cleaned after the others gives what it gives
    cleaned first, with every memo empty."""
    c, fresh = Cleaner(), Cleaner()
    warm = [c.clean(t) for t in texts]
    for t, w in zip(texts, warm):
        _clear()
        cold = fresh.clean(t)
        assert (w.text, w.findings, w.edits, w.remaining) == (cold.text, cold.findings, cold.edits, cold.remaining)


# ------------------------------------------------------------------ the BP line screen


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("。，：:【[相标关热Tt发更时日来分转一扫字0１9在手机上复制链接ab 政府")), min_size=1,
               max_size=30))
def test_prose_screen_spelt_out_is_the_hint_list(s):
    c = s[0]
    expect = c in bp._PROSE_CUE_FIRST or c.isdigit() or any(h in s for h in bp._PROSE_CUE_HINTS)
    assert bp._prose_may_cue(s) == expect


def test_marks_are_memoised_for_every_line(texts):
    for text in texts:
        _clear()
        lines = bp.Lines(text).texts
        first = bp._mark_lines(lines, text)
        assert set(lines) <= set(bp._CUES)  # prose lines screened out too
        assert bp._mark_lines(lines, text) == first
        assert first == [(i, m) for i, s in enumerate(lines) if s and (m := bp._line_cues(s))]


def test_edge_lines_are_found_at_the_edge_only(texts):
    """The texts hold the lines of EDGE_LINES at the edge and in the body (so
    a memo that forgot where a line stands would show)."""
    _clear()
    seen = set()
    for text in texts[5:15]:
        ctx = RuleContext()
        found = {f.message.split(": ", 1)[-1] for rid in ("BP002", "BP003") for f in RULES[rid].find(text, ctx)}
        pg = bp.page(text)
        edge = {pg.at_edge(pg.lines.texts.index(s)) for s in EDGE_LINES}
        assert len(edge) == 1
        seen |= edge
        assert all((repr(s[:30]) in found) == pg.at_edge(pg.lines.texts.index(s)) for s in EDGE_LINES), found
    assert seen == {True, False}
