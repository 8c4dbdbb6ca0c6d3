"""jieba's dict.txt: the one-pass parse and its cache file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import lexicon as L


def _line_by_line(path: Path) -> L.JiebaTable:
    """The reference: what load_word_file and repetition._tags did before (file iteration)."""
    freqs: dict[str, int] = {}
    verbs: set[str] = set()
    aa: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                freqs[parts[0]] = int(parts[1])
            elif parts and not parts[0].startswith("#"):
                freqs[parts[0]] = 100
            if len(parts) >= 3:
                if parts[2].startswith("v"):
                    verbs.add(parts[0])
                if len(parts[0]) == 2 and parts[0][0] == parts[0][1]:
                    aa[parts[0]] = parts[2]
    return L.JiebaTable(freqs, frozenset(verbs), aa)


def _same(a: L.JiebaTable, b: L.JiebaTable) -> None:
    assert a.freqs == b.freqs and list(a.freqs) == list(b.freqs)
    assert a.verbs == b.verbs
    assert a.aa_tags == b.aa_tags


_word = st.text(st.sampled_from("节纷v#ab 甲\u3000\t"), min_size=0, max_size=3)
_count = st.sampled_from(["3", "12", "x", "", "007", "²"])
_tag = st.sampled_from(["v", "vn", "n", "d", "", "z"])
_sep = st.sampled_from([" ", "  ", "\t", "\u3000"])
_end = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])
_line = st.tuples(_word, _sep, _count, _sep, _tag, _end).map("".join)
_regular = st.tuples(st.text(st.sampled_from("节纷甲乙ab#"), min_size=1, max_size=3),
                     st.sampled_from(["1", "30", "99999"]), st.sampled_from(["v", "vn", "n", "d", "z"])
                     ).map(lambda t: " ".join(t) + "\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_line, _regular), max_size=12), st.booleans())
def test_parse_matches_line_by_line(tmp_path_factory: pytest.TempPathFactory, lines: list[str], strip: bool) -> None:
    text = "".join(lines)
    if strip:
        text = text.rstrip("\n")
    p = tmp_path_factory.mktemp("d") / "dict.txt"
    p.write_bytes(text.encode("utf-8"))
    try:
        ref = _line_by_line(p)
    except ValueError:  # int("²"): the old reader failed too
        with pytest.raises(ValueError):
            L.parse_jieba(text)
        return
    _same(L.parse_jieba(text), ref)
    assert L.load_word_file(p) == ref.freqs


def test_regular_file_takes_the_column_path() -> None:
    assert L._three_columns("节节 3 d\n纷纷 12 v\n") is not None
    assert L._three_columns("节节 3 d\n纷纷 12\n") is None
    assert L._three_columns("节节 3 d x\n纷纷 12\n") is None
    assert L._three_columns("节节  3 d\n纷纷 12 v\n") is None


@pytest.fixture
def fake_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "dict.txt"
    d.write_text("节节 30 d\n纷纷 20 z\n攀升 50 v\n", encoding="utf-8")
    monkeypatch.setattr(L, "jieba_dict_path", lambda: d)
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    L.jieba_table.cache_clear()
    yield d
    L.jieba_table.cache_clear()


def test_cache_written_reused_and_invalidated(fake_jieba: Path, tmp_path: Path) -> None:
    t1 = L.jieba_table()
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1 and t1.freqs == {"节节": 30, "纷纷": 20, "攀升": 50}
    L.jieba_table.cache_clear()
    _same(L.jieba_table(), t1)  # from the cache file
    fake_jieba.write_text("节节 31 d\n攀升 50 v\n", encoding="utf-8")  # same size or not: the content decides
    L.jieba_table.cache_clear()
    t2 = L.jieba_table()
    assert t2.freqs == {"节节": 31, "攀升": 50} and t2.aa_tags == {"节节": "d"} and t2.verbs == {"攀升"}
    assert len(list((tmp_path / "cache").iterdir())) == 1  # the stale cache was removed


def test_torn_or_foreign_cache_is_ignored(fake_jieba: Path, tmp_path: Path) -> None:
    ref = L.jieba_table()
    (cache,) = (tmp_path / "cache").iterdir()
    for junk in (b"", cache.read_bytes()[:-5], b"\0" * 100, cache.read_bytes()[:-1] + b"x"):
        cache.write_bytes(junk)
        L.jieba_table.cache_clear()
        _same(L.jieba_table(), ref)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_cache_dir(fake_jieba: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(ro / "cache"))
    assert L.jieba_table().freqs["攀升"] == 50


def test_cache_dir_that_is_a_file(fake_jieba: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))
    assert L.jieba_table().freqs["攀升"] == 50
    assert L.default_lexicon.__wrapped__().freq("攀升") == 50
