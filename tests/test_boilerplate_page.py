"""The lazy page model of the BP rules and its long-prose shortcut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.checks import boilerplate as bp

_ALPHABET = st.sampled_from(list("。，,:：；！？ 　\t\u00a0\r【[相标关热Tt发更时日来0123456789ICP版权声明本网站分享阅读量次字号大中小来源年月日-|·>") + ["政府", "项目", "\n"])
_text = st.lists(_ALPHABET, max_size=400).map("".join)


def _reference_lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        out.append((pos, end, raw.strip(" \t\r\u00a0\u3000\ufeff")))
        pos = end + 1
    return out


@settings(max_examples=200, deadline=None)
@given(_text)
def test_lines_match_a_plain_split(text: str) -> None:
    lines = bp.Lines(text)
    assert [(ln.start, ln.end, ln.text) for ln in lines] == _reference_lines(text)
    assert len(lines) == len(_reference_lines(text))
    assert lines[-1].end == len(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET.filter(lambda c: c != "\n"), min_size=1, max_size=160).map("".join))
def test_prose_screened_out_has_no_cue(s: str) -> None:
    s = s.strip(" \t\r\u00a0\u3000\ufeff")
    if s and ("。" in s or "，" in s) and not bp._ANCHOR_ANY.search(s) and not bp._prose_may_cue(s):
        assert bp._line_cues(s) == 0


@settings(max_examples=200, deadline=None)
@given(_text)
def test_marked_lines_equal_the_full_line_tests(text: str) -> None:
    texts = bp.Lines(text).texts
    full = [(i, m) for i, s in enumerate(texts) if s and (m := bp._line_cues(s))]
    assert bp._mark_lines(texts, text) == full
