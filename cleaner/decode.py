"""Bytes → text: BOM, strict UTF-8 fast path, chardet on a prefix for the rest.

Decoding never guesses silently: the encoding used and its confidence are
returned, and bytes that cannot be decoded are either reported with their byte
offsets (a few bad bytes inside otherwise valid UTF-8) or raise
:class:`DecodeError` naming the offset (binary or unknown data). Mojibake
repair is *not* done here: it is a rule family (ENC) so that every change is a
logged, reviewable edit.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

PREFIX = 64 * 1024
# Share of UTF-8 errors below which we decode with replacement and report.
MAX_BAD_UTF8_SHARE = 0.001
# chardet guesses below this confidence are not trusted.
MIN_CONFIDENCE = 0.3
# Control characters (category Cc: U+0000-001F, U+007F-009F, a set Unicode keeps
# stable) other than the line and tab controls that text uses.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# chardet names → the codec we actually decode with (supersets win).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "ascii": "utf-8",
    "utf-16": "utf-16",
}


class DecodeError(ValueError):
    """The bytes are not text we can decode; ``offset`` is the first bad byte."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    confidence: float
    bom: bool = False
    # (code-point offset in text, byte offset in input) of each U+FFFD we inserted
    bad_bytes: list[tuple[int, int]] = field(default_factory=list)


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw dump bytes; raise :class:`DecodeError` for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(body.decode(enc), _label(enc) + "-bom" if enc == "utf-8" else _label(enc), 1.0, bom=True)
            except UnicodeDecodeError as e:
                raise DecodeError(
                    f"invalid {enc} after byte-order mark at byte {e.start + len(bom)}",
                    e.start + len(bom),
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        first_bad = e.start
    else:
        _reject_binary(text, data)
        return Decoded(text, "utf-8", 1.0)

    # Mostly UTF-8 with a few damaged bytes: keep everything else, report each.
    allowed = max(1, int(len(data) * MAX_BAD_UTF8_SHARE))
    bad = _utf8_error_offsets(data, limit=allowed + 1)
    if len(bad) <= allowed and b"\x00" not in data[:PREFIX]:
        text, where = _decode_utf8_marking(data)
        _reject_binary(text, data)
        return Decoded(text, "utf-8", 0.5, bad_bytes=where)

    guess = _detect(data)
    if guess is not None and guess[1] >= MIN_CONFIDENCE:
        enc, conf = guess
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            pass
        else:
            _reject_binary(text, data)
            return Decoded(text, _label(enc), conf)
    raise DecodeError(
        f"not decodable as UTF-8 (first bad byte at offset {first_bad}) "
        f"and no other encoding fits{'' if guess is None else f' (tried {guess[0]})'}",
        first_bad,
    )


def _label(enc: str) -> str:
    return {"big5hkscs": "big5"}.get(enc, enc)


def _detect(data: bytes) -> tuple[str, float] | None:
    import chardet  # imported lazily: the UTF-8 fast path never needs it

    res = chardet.detect(data[:PREFIX])
    name = (res.get("encoding") or "").lower()
    if not name:
        return None
    enc = _ALIASES.get(name, name)
    try:
        codecs.lookup(enc)
    except LookupError:
        return None
    return enc, float(res.get("confidence") or 0.0)


def _reject_binary(text: str, data: bytes) -> None:
    """Raise when decoded 'text' is really binary (NULs, control characters)."""
    sample = text[:PREFIX]
    if not sample:
        return
    nul = sample.find("\x00")
    if nul >= 0:
        at = data.find(b"\x00")
        raise DecodeError(f"binary data: NUL byte at byte offset {at}", at)
    controls = len(_CONTROLS.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise DecodeError(f"binary data: {controls} control characters in the first {len(sample)} characters", 0)


def _utf8_error_offsets(data: bytes, limit: int = 10_000) -> list[int]:
    out: list[int] = []
    pos = 0
    while pos < len(data) and len(out) < limit:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            out.append(pos + e.start)
            pos = pos + e.end
    return out


def _decode_utf8_marking(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    where: list[tuple[int, int]] = []
    pos = 0
    length = 0
    while pos < len(data):
        try:
            chunk = data[pos:].decode("utf-8")
            parts.append(chunk)
            break
        except UnicodeDecodeError as e:
            good = data[pos : pos + e.start].decode("utf-8")
            parts.append(good)
            length += len(good)
            where.append((length, pos + e.start))
            parts.append("\ufffd")
            length += 1
            pos = pos + e.end
    return "".join(parts), where
