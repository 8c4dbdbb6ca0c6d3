"""Hypothesis properties: never crash, idempotent, every change is a logged edit."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.decode import decode_bytes
from cleaner.engine import replay

CLEANER = Cleaner()
ALPHABET = st.sampled_from(
    list("临汾经济开发区项目建设招商引资落地实在纷强职责任的一是二")
    + list("，。、；：“”（）《》,.:;()!? \n\u3000\u00a0\u200b<>/#*&amp;bsup2")
    + list("0123456789abcMES")
)
texty = st.text(ALPHABET, max_size=300) | st.text(max_size=200)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_fix_never_raises_and_is_idempotent(text):
    res = CLEANER.clean(text)
    again = CLEANER.clean(res.text)
    assert again.text == res.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_every_change_is_in_the_edit_log(text):
    res = CLEANER.clean(text)
    assert replay(res.original, res.edits) == res.text
    for e in res.edits:
        assert 0 <= e.orig_start <= e.orig_end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_crashes_unexpectedly(data):
    try:
        decode_bytes(data)
    except ValueError:
        pass
