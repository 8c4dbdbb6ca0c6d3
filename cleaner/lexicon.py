"""Word lexicon with frequencies.

The base list is jieba's ``dict.txt`` (about 349k words with corpus counts),
read as a plain file: we never run jieba's segmenter in the hot path. Extra
word lists (``word [freq]`` per line) from ``rules/lexicon/`` extend it with
terms of the newspaper domain.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Lexicon:
    """A mapping word → frequency with the lookups the rules need."""

    def __init__(self, freqs: dict[str, int] | None = None) -> None:
        self.freqs: dict[str, int] = dict(freqs or {})
        self.total = sum(self.freqs.values()) or 1

    def __contains__(self, word: str) -> bool:
        return word in self.freqs

    def freq(self, word: str) -> int:
        return self.freqs.get(word, 0)

    def logp(self, word: str) -> float:
        """Log probability with add-one smoothing (unknown words are rare, not impossible)."""
        return math.log((self.freqs.get(word, 0) + 1) / self.total)

    def add(self, word: str, freq: int = 1) -> None:
        self.freqs[word] = self.freqs.get(word, 0) + freq
        self.total += freq

    def update_from_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 100
            self.add(parts[0], freq)


def jieba_dict_path() -> Path | None:
    """Location of jieba's dict.txt, found without importing jieba itself."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        p = Path(loc) / "dict.txt"
        if p.exists():
            return p
    return None


def load_word_file(path: Path) -> dict[str, int]:
    """``word [freq]`` per line (a missing or non-numeric freq counts 100; ``#`` lines are comments)."""
    with path.open(encoding="utf-8") as fh:
        return _word_freqs([line.split() for line in fh.read().split("\n")])


def _word_freqs(rows: Iterable[list[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for parts in rows:
        if len(parts) >= 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
        elif parts and not parts[0].startswith("#"):
            out[parts[0]] = 100
    return out


@dataclass(frozen=True)
class JiebaTable:
    """What the rules take from jieba's dict.txt, read in one pass.

    ``freqs``: word → corpus count (as :func:`load_word_file` reads it);
    ``verbs``: words tagged ``v*``; ``aa_tags``: tag of each AA word (节节, 纷纷).
    """

    freqs: dict[str, int]
    verbs: frozenset[str]
    aa_tags: dict[str, str]


_EMPTY_TABLE = JiebaTable({}, frozenset(), {})
CACHE_VERSION = 1


@functools.lru_cache(maxsize=1)
def jieba_table() -> JiebaTable:
    """jieba's dict.txt parsed once per process (from the cache file when it is current)."""
    p = jieba_dict_path()
    if p is None:
        return _EMPTY_TABLE
    raw = p.read_bytes()
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    cache = _cache_file(digest)
    table = _read_cache(cache) if cache is not None else None
    if table is None:
        table = parse_jieba(raw.decode("utf-8"))
        if cache is not None:
            _write_cache(cache, table)
    return table


def parse_jieba(text: str) -> JiebaTable:
    """Parse dict.txt (``word freq tag`` per line); same result as reading it line by line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as text-mode files read
    rows = _three_columns(text)
    if rows is None:
        lines = [line.split() for line in text.split("\n")]
        freqs = _word_freqs(lines)
        words = [p[0] for p in lines if len(p) >= 3]
        tags = [p[2] for p in lines if len(p) >= 3]
    else:
        words, counts, tags = rows
        freqs = dict(zip(words, map(int, counts)))
    verbs = frozenset([w for w, t in zip(words, tags) if t.startswith("v")])
    aa = {w: t for w, t in zip(words, tags) if len(w) == 2 and w[0] == w[1]}  # later lines win
    return JiebaTable(freqs, verbs, aa)


def _three_columns(text: str) -> tuple[list[str], list[str], list[str]] | None:
    """Columns of a file whose every line is exactly ``word digits tag`` joined by
    single spaces (jieba's own dict.txt), or None when it is not that regular."""
    body = text[:-1] if text.endswith("\n") else text
    toks = body.split()
    if not toks or len(toks) % 3:
        return None
    words, counts, tags = toks[0::3], toks[1::3], toks[2::3]
    # Rebuilding the text from the columns proves every line had exactly three fields.
    if "\n".join(map(" ".join, zip(words, counts, tags))) != body or not all(map(str.isdigit, counts)):
        return None
    return words, counts, tags


def cache_dir() -> Path:
    """``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``."""
    env = os.environ.get("CLEANER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleaner"


def _cache_file(digest: str) -> Path | None:
    try:
        return cache_dir() / f"jieba-{digest}.v{CACHE_VERSION}.marshal"
    except (OSError, RuntimeError):  # no home folder
        return None


_MAGIC = b"cleaner-jieba\n"


def _read_cache(path: Path) -> JiebaTable | None:
    """The cached table, or None when missing, torn, or written by another Python."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 1 + 16
    if len(blob) < head or not blob.startswith(_MAGIC) or blob[len(_MAGIC)] != marshal.version:
        return None
    payload = blob[head:]
    if hashlib.blake2b(payload, digest_size=16).digest() != blob[len(_MAGIC) + 1 : head]:
        return None
    try:
        freqs, verbs, aa = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(freqs, dict) and isinstance(verbs, (list, tuple)) and isinstance(aa, dict)):
        return None
    return JiebaTable(freqs, frozenset(verbs), aa)


def _write_cache(path: Path, table: JiebaTable) -> None:
    """Best effort, atomic (temp file + rename); an unwritable cache folder is not an error."""
    payload = marshal.dumps((table.freqs, sorted(table.verbs), table.aa_tags))
    blob = _MAGIC + bytes([marshal.version]) + hashlib.blake2b(payload, digest_size=16).digest() + payload
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    for old in path.parent.glob("jieba-*.marshal"):  # caches of earlier dict.txt versions
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """jieba's dictionary plus the project's domain word lists (cached per process)."""
    from .ruleset import builtin_rules_dir

    freqs: dict[str, int] = dict(jieba_table().freqs)
    extra = builtin_rules_dir() / "lexicon"
    if extra.is_dir():
        for f in sorted(extra.glob("*.txt")):
            for w, n in load_word_file(f).items():
                freqs[w] = max(freqs.get(w, 0), n)
    return Lexicon(freqs)
