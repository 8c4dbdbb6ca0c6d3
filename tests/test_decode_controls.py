"""The control-character count of decode's binary check, against unicodedata."""

import sys
import unicodedata

from cleaner.decode import _CONTROLS, DecodeError, decode_bytes


def test_controls_class_is_cc_minus_text_controls() -> None:
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    want = [ch for ch in every if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v"]
    assert _CONTROLS.findall(every) == want


def test_binary_threshold_unchanged() -> None:
    body = "新闻" * 500
    assert decode_bytes((body + "\x01" * 8).encode()).text.endswith("\x01")
    try:
        decode_bytes((body[:100] + "\x01\x85" * 10).encode())
    except DecodeError as e:
        assert "20 control characters" in str(e)
    else:
        raise AssertionError("expected binary data")
