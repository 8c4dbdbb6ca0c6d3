"""Encoding damage: mojibake runs, replacement characters, control characters.

Mojibake is repaired only where a cheap test says the text looks broken: a run
of Latin-1/cp1252 characters, which Chinese newspaper text almost never has.
Each run is then tried as UTF-8 read as cp1252/latin-1 (ftfy) and as GBK read
as latin-1; the repair is kept only when it yields mostly CJK text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import RuleContext
from ..model import Finding
from ..ruleset import Rule

# Characters that UTF-8 or GBK bytes turn into when decoded as cp1252/latin-1.
_MOJI_CHARS = "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_QUICK = re.compile("[\u00c0-\u00ff]")
_RUN = re.compile(f"[{_MOJI_CHARS}]{{2,}}")
# GBK double-byte characters read as latin-1: a lead byte 0x81-0xFE and a trail
# byte 0x40-0xFE (the trail may be an ASCII letter or symbol).
_GBK_RUN = re.compile("(?:[\u0081-\u00fe][\u0040-\u007e\u0080-\u00fe])+")
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _ftfy_config():
    import ftfy

    # Width and quote fixing off: they turn full-width punctuation and curly
    # quotes into ASCII, which damages Chinese text.
    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=True,
        fix_c1_controls=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


_last_latin1: tuple[str, bytes] = ("", b"")


def latin1_part(text: str) -> bytes:
    """The characters of ``text`` below U+0100, in order, as latin-1 bytes.

    Chinese text has few of them, and the C encoder drops the others far
    faster than a regex character class scans them, so tests for ASCII
    letters, controls or Latin-1 letters run on this short string instead.
    The last result is kept: the line rules ask in turn about the same text.
    """
    global _last_latin1
    last = _last_latin1  # one read of one tuple: safe across threads
    if last[0] is text:
        return last[1]
    part = text.encode("latin-1", "ignore")
    _last_latin1 = (text, part)
    return part


_BELOW_C0 = bytes(range(0xC0))


def _has_latin1_letters(text: str) -> bool:
    """``_QUICK.search(text)``: some character in U+00C0-U+00FF."""
    return bool(latin1_part(text).translate(None, _BELOW_C0))


def _mostly_cjk(s: str) -> bool:
    return bool(s) and len(_CJK.findall(s)) >= 0.6 * len(s.replace(" ", ""))


def utf8_mojibake(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not _has_latin1_letters(text):
        return
    import ftfy

    cfg = _ftfy_config()
    for m in _RUN.finditer(text):
        run = m.group(0)
        fixed = ftfy.fix_text(run, cfg)
        if fixed != run and _mostly_cjk(fixed):
            yield rule.finding(m.start(), m.end(), f"UTF-8 text read as cp1252: {run[:12]!r} is {fixed[:12]!r}",
                               replacement=fixed)


def gbk_mojibake(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not _has_latin1_letters(text):
        return
    import ftfy

    cfg = _ftfy_config()
    # Runs that ENC001 repairs as UTF-8 mojibake are left to it, so that such a
    # run is never cut into latin-1 pieces that happen to be valid GBK.
    utf8_runs = [m.span() for m in _RUN.finditer(text) if _mostly_cjk(ftfy.fix_text(m.group(0), cfg))]
    for m in _GBK_RUN.finditer(text):
        run = m.group(0)
        if any(a < m.end() and m.start() < b for a, b in utf8_runs):
            continue  # UTF-8 mojibake: ENC001's business
        try:
            fixed = run.encode("latin-1").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        # two or more Chinese characters: a single one is too weak a signal (Saldaña)
        if len(fixed) >= 2 and _mostly_cjk(fixed):
            yield rule.finding(m.start(), m.end(), f"GBK text read as latin-1: {run[:12]!r} is {fixed[:12]!r}",
                               replacement=fixed)


def replacement_chars(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if "\ufffd" not in text:
        return
    for m in re.finditer("\ufffd+", text):
        yield rule.finding(m.start(), m.end(), f"{len(m.group(0))} undecodable byte(s) replaced by U+FFFD")


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]+")
_NOT_CONTROL = bytes(c for c in range(256) if not _CONTROL.match(chr(c)))


def control_chars(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not latin1_part(text).translate(None, _NOT_CONTROL):
        return
    for m in _CONTROL.finditer(text):
        yield rule.finding(m.start(), m.end(), f"control character(s) {m.group(0)!r}", replacement="")
