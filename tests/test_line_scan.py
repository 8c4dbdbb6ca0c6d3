"""Speed paths of the line-scoped rules find exactly what the plain scans find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.ruleset import _edit, _first_chars, _lexicon_pattern, _scanner, load_rules
from cleaner.model import Edit

# CJK, Latin, digits, ASCII and full-width punctuation, the odd spaces and
# controls the rules look for, line breaks: the alphabet of the rules' patterns.
ALPHABET = (
    "开发区的的建设纷纷实在大学生精神和习近平"
    "abnodfrtwhiANDORThe0123456789"
    " \t\n\u3000\u00a0\u2002\u2009\u200b\u202f\x07\x1f\x7f"
    ",.:;!?()#*_<>/&-%\"'"
    "，。、；：！？“”‘’《》（）【】「」"
    "\u00c0\u00e5\u00bf\u00aa\ufffd"
)
texts = st.text(alphabet=ALPHABET, max_size=300)
dense = st.lists(st.sampled_from(["开,", "发;", " ", "(", "（", "中:", "a", "\n", "  ", "区 ", "2 "]), min_size=10, max_size=60).map("".join)


def _regexes() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for rule in load_rules():
        spec = rule.spec
        if rule.kind == "regex":
            flags = 0
            for name in spec.get("flags", []):
                flags |= getattr(re, name)
            out.append((rule.id, re.compile(spec["pattern"], flags)))
        elif rule.kind == "lexicon":
            alts = "|".join(re.escape(k) for k in sorted(spec["entries"], key=len, reverse=True))
            before, after = spec.get("before", ""), spec.get("after", "")
            out.append((rule.id, re.compile(f"{f'(?<={before})' if before else ''}(?:{alts}){f'(?={after})' if after else ''}")))
    return out


REGEXES = _regexes()
FG001 = next(r for r in load_rules() if r.id == "FG001")


def _check(text: str) -> None:
    for rid, rx in REGEXES:
        first = _first_chars(rx.pattern, rx.flags)
        if first is None:
            continue
        want = [m.span() for m in rx.finditer(text)]
        got = [m.span() for m in _scanner(rx, first)(text)]
        assert got == want, rid


@settings(max_examples=300, deadline=None)
@given(texts)
def test_scanner_matches_finditer(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(dense)
def test_scanner_matches_finditer_on_dense_text(text: str) -> None:
    _check(text * 12)  # long enough to switch to finditer part way


LEXICONS = [(r.id, r.spec) for r in load_rules() if r.kind == "lexicon"]
# Made-up lexicons: one-character words (rewritten: the look-behind after the
# word) and mixed lengths (kept as written), with look-behinds that test a
# line start, a line break and two characters.
TOY_LEXICONS = [
    ([",", ":", "\n"], "[开发区]", "[的建]"),
    ([",", ";"], "^", ""),
    ([",", ";"], "(?:[。]|\\A.)", ""),
    (["的", ","], "\\n", "[建]"),
    (["的的", "的", ","], "[开发]", ""),
    ([",", "?"], "[开发][区的]", "[^a]"),
]


def _plain_lexicon_pattern(words: list[str], before: str, after: str) -> str:
    alts = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    return f"{f'(?<={before})' if before else ''}(?:{alts}){f'(?={after})' if after else ''}"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_lexicon_pattern_matches_the_plain_look_behind_form(text: str) -> None:
    cases = [(list(s["entries"]), s.get("before", ""), s.get("after", "")) for _, s in LEXICONS] + TOY_LEXICONS
    for words, before, after in cases:
        plain = re.compile(_plain_lexicon_pattern(words, before, after))
        fast = re.compile(_lexicon_pattern(words, before, after))
        want = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in fast.finditer(text)] == want, (words, before)
        first = _first_chars(fast.pattern, 0)
        if first is not None:
            assert [m.span() for m in _scanner(fast, first)(text)] == want


def test_edit_is_an_edit() -> None:
    e = _edit(3, 5, "x")
    assert e == Edit(3, 5, "x") and hash(e) == hash(Edit(3, 5, "x")) and repr(e) == repr(Edit(3, 5, "x"))


def _fg001_reference(text: str) -> list[tuple[int, int, str]]:
    """FG001's word loop as it was: every [A-Za-z]+ run, filtered."""
    from cleaner.checks import foreign as F

    out = []
    for m in re.finditer(r"[A-Za-z]+", text):
        word = m.group(0)
        low = word.lower()
        if low not in F.EQUIVALENTS or (word.isupper() and len(word) > 1):
            continue
        if not word.islower() and not (m.start() > 0 and text[m.start() - 1] in F._SPACES):
            continue
        span = F._spaced_cjk(text, m.start(), m.end())
        if span is not None:
            out.append((span[0], span[1], word))
    return out


latin_texts = st.lists(
    st.sampled_from(["和", "精神", " ", "\u3000", "and", "AND", "And", "an", "on", "of", "the", "from", "x", "é", "Ǻ",
                     "in", "China", "to", "ton", "\n", "1", "。", "\ud800", "Ⅰ"]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(latin_texts, texts))
def test_fg001_words_match_every_latin_run(text: str) -> None:
    from cleaner.checks.foreign import stray_function_words
    from cleaner.context import RuleContext

    got = [(f.start, f.end, f.data["word"]) for f in stray_function_words(text, RuleContext(), FG001)]
    assert got == _fg001_reference(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_encoding_quick_tests(text: str) -> None:
    from cleaner.checks import encoding as E

    assert E._has_latin1_letters(text) == bool(re.search("[\u00c0-\u00ff]", text))
    assert bool(E.latin1_part(text).translate(None, E._NOT_CONTROL)) == bool(E._CONTROL.search(text))


def _candidates_reference(text: str) -> list[tuple[int, str]]:
    """RW001's candidates by brute force: the shortest doubled CJK unit at each start."""
    cjk = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    out = []
    for i in range(len(text)):
        for k in range(1, 5):
            unit = text[i : i + k]
            if len(unit) == k and text[i + k : i + 2 * k] == unit and all(cjk.match(c) for c in unit):
                out.append((i, unit))
                break
    return out


doubling = st.lists(st.sampled_from(["开", "发", "区", "开发", "a", "1", "，", "\U00020000", "\uffff", "\u4e00", "\u9fff",
                                     "\u3400", "\u33ff", "\ufaff", "\ufb00", "开发区", "发开"]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(doubling, texts))
def test_rw001_candidates(text: str) -> None:
    from cleaner.checks.repetition import candidates

    assert candidates(text) == _candidates_reference(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET + "\U00020000\ud800\uffff", min_size=0, max_size=3000))
def test_spots_numpy_sweep_matches_the_regex_sweep(text: str) -> None:
    from cleaner.ruleset import _SPOTS

    long = text * (1 + 2500 // (len(text) + 1))  # past the numpy threshold
    assert _SPOTS._numpy_sweep(long) == _SPOTS._regex_sweep(long)
    assert _SPOTS._numpy_sweep(text) == _SPOTS._regex_sweep(text)
