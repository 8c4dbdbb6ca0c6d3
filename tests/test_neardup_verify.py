"""The near-duplicate verification refuses long pairs from a character-count
bound before the Indel distance: it must never refuse a pair the distance
would accept, and must give the distance's value for those it accepts."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.batch import neardup
from cleaner.batch.assemble import TEXT_CACHE_CHARS

_CHARS = st.sampled_from(list("发展建设经济开发区，。、“”abc 1\n") + ["\U00020000", "\U0001F600"])
_TEXT = st.lists(_CHARS, max_size=300).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_bound_is_never_below_the_similarity(a: str, b: str) -> None:
    if a or b:
        assert neardup.similarity_bound(a, b) >= neardup.similarity(a, b) - 1e-12


def _mutated(rnd: random.Random, text: str, share: float) -> str:
    chars = list(text)
    for _ in range(int(len(chars) * share)):
        i = rnd.randrange(len(chars))
        op = rnd.random()
        if op < 0.4:
            del chars[i]
        elif op < 0.7:
            chars.insert(i, rnd.choice("发展建设经济开发区，。"))
        else:
            chars[i] = rnd.choice("的一是在不了有和人这")
    return "".join(chars)


def test_verified_similarity_agrees_with_the_plain_check_on_long_pairs() -> None:
    rnd = random.Random(5)
    alphabet = "发展建设经济开发区项目企业推进工作，。、“”的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主"
    accepted = refused_by_bound = 0
    for _ in range(120):
        base = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(800, 3000)))
        other = _mutated(rnd, base, rnd.choice([0.02, 0.08, 0.12, 0.3, 0.9]))
        if rnd.random() < 0.3:
            other = "".join(rnd.choice(alphabet[:20]) for _ in range(len(base)))
        for threshold in (0.5, 0.85, 0.95):
            s = neardup.similarity(base, other)
            got = neardup.verified_similarity(base, other, threshold)
            assert got == (s if s >= threshold else None)
            accepted += got is not None
            refused_by_bound += neardup.similarity_bound(base, other) < threshold
    assert accepted and refused_by_bound  # both ways are exercised


def test_exact_threshold_is_accepted() -> None:
    # 1 - 42/280 == 0.85: rapidfuzz's own score_cutoff refuses this pair; ours must not
    a, b = "发" * 119 + "展" * 42, "发" * 119
    assert neardup.similarity(a, b) == 0.85
    assert neardup.verified_similarity(a, b, 0.85) == 0.85


def test_text_cache_is_bounded() -> None:
    from cleaner.batch import assemble

    parts = assemble.Parts.__new__(assemble.Parts)
    parts._text_cache = assemble.OrderedDict()
    parts._cached_chars = 0
    page = "发" * (TEXT_CACHE_CHARS // 10)
    parts._load_texts = lambda i: (page, None)  # type: ignore[method-assign]
    for i in range(40):
        assert parts.texts(i) == (page, None)
    assert parts._cached_chars <= TEXT_CACHE_CHARS
    assert len(parts._text_cache) == 10
    assert list(parts._text_cache)[-1] == 39
