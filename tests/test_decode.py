"""Decoding of files the tests generate in the encodings raw dumps come in."""

import codecs

import opencc
import pytest

from cleaner import Cleaner
from cleaner.decode import DecodeError, decode_bytes

TEXT = "临汾经济开发区召开2023年项目建设第19次调度会，传达了省纪委监委印发的《关于“新官理旧账”的通知》。\n" * 20


@pytest.mark.parametrize("enc,label", [("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-8", "utf-8")])
def test_encodings_round_trip(enc, label):
    d = decode_bytes(TEXT.encode(enc))
    assert d.text == TEXT
    assert d.encoding.startswith(label)


def test_utf8_bom():
    d = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert d.text == TEXT and d.bom and d.encoding == "utf-8-bom"


def test_utf16_le_without_bom_detected():
    d = decode_bytes(TEXT.encode("utf-16-le"))
    assert d.text == TEXT


def test_big5_traditional():
    trad = opencc.OpenCC("s2t").convert(TEXT)
    d = decode_bytes(trad.encode("big5", errors="strict"))
    assert d.text == trad and d.encoding == "big5"


def test_binary_is_a_clear_error_with_offset():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(DecodeError) as e:
        decode_bytes(data)
    assert e.value.offset is not None
    assert "offset" in str(e.value)


def test_few_bad_bytes_in_utf8_are_reported_not_fatal():
    good = TEXT.encode("utf-8")
    data = good[:30] + b"\xff" + good[30:]
    d = decode_bytes(data)
    assert d.bad_bytes and d.bad_bytes[0][1] == 30
    assert "\ufffd" in d.text
    fr = Cleaner().clean_bytes(data, "x.txt")
    assert any(f.rule == "ENC003" for f in fr.result.findings)


def test_mojibake_utf8_as_cp1252_is_repaired():
    import ftfy.bad_codecs  # noqa: F401 - registers sloppy-windows-1252

    broken = TEXT[:40].encode("utf-8").decode("sloppy-windows-1252")
    res = Cleaner().clean(broken + "\n" + TEXT[40:80])
    assert res.text.startswith(TEXT[:40].replace("，", "，"))
    assert any(e.rule == "ENC001" for e in res.edits)


def test_mojibake_gbk_as_latin1_is_repaired():
    broken = TEXT[:30].encode("gbk").decode("latin-1")
    res = Cleaner().clean(broken)
    assert res.text == TEXT[:30]


def test_encoded_copies_clean_to_the_same_text(samples_dir):
    p = sorted(samples_dir.glob("*.txt"))[1]
    raw = p.read_bytes()
    text = raw.decode("utf-8")
    c = Cleaner()
    base = c.clean_bytes(raw, "a").result.text
    assert c.clean_bytes(text.encode("gb18030"), "b").result.text == base
    assert c.clean_bytes(text.encode("utf-16"), "c").result.text == base
