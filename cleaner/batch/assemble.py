"""Final outputs, built from the part files in the run's fixed unit order.

Because every final file is a function of the parts alone (never of the
order units finished in, nor of whether a unit was redone after a resume),
an interrupted and resumed run produces the same bytes as an uninterrupted
one. Each output is written to a temporary name and renamed into place.

The run's units, their record locations and the cleaned files per folder
come from the state database (:class:`~cleaner.batch.manifest.Units`) and
are streamed: the assembly holds one unit's record at a time, a few
recently compared texts, the near-duplicate index and the report's counters
and lists (errors), never a list of every unit.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..files import atomic_open, create_temp, fsync_file, sync_filesystem
from .manifest import UnitRow, Units
from .neardup import Clusters, Item, find_clusters, iter_items
from .segments import Reader

NEARDUP_RULE = "NEARDUP"
TEXT_CACHE_CHARS = 4_000_000
"""Characters of cleaned text the near-duplicate check keeps in memory (about
8-16 MB; the last 200 pages of the benchmark's dump, where its reprints come
from, hold 1.5 million)."""


def _dumps(d: dict[str, Any]) -> str:
    return json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n"


class Parts:
    """Read access to the records of a finished map stage, in the run's unit order."""

    def __init__(self, state_dir: Path, units: Units, text_field: str = "text") -> None:
        """``units``: the run's units with their record locations (from the manifest)."""
        self.reader = Reader(state_dir)
        self.text_field = text_field
        self.units = units
        # Cleaned texts of recently read units, for the near-duplicate check: a
        # candidate pair is mostly a reprint of a recent page. Bounded by size,
        # not by count (a JSONL unit holds many documents, a page one).
        self._text_cache: OrderedDict[int, tuple[str | None, ...]] = OrderedDict()
        self._cached_chars = 0

    def __len__(self) -> int:
        return len(self.units)

    def scan(self) -> Iterator[UnitRow]:
        """(ordinal, key, kind, record location) of every unit, in run order."""
        return self.units.scan()

    def meta(self, i: int) -> dict[str, Any]:
        return self.reader.meta(self.units.get(i)[3])

    def sections(self, i: int) -> tuple[dict[str, Any], bytes, bytes]:
        """(metadata, findings lines, body) of unit ``i``."""
        return self.reader.sections(self.units.get(i)[3])

    def _load_texts(self, i: int) -> tuple[str | None, ...]:
        """Cleaned text of every document of unit ``i`` (None for errors)."""
        _, _, kind, loc = self.units.get(i)
        meta, _, body = self.reader.sections(loc)
        if kind == "file":
            return (None if meta["docs"][0].get("error") else body.decode("utf-8"),)
        return tuple(text for _, text in self.records(meta["docs"], body))

    def texts(self, i: int) -> tuple[str | None, ...]:
        cache = self._text_cache
        got = cache.get(i)
        if got is not None:
            cache.move_to_end(i)
            return got
        got = cache[i] = self._load_texts(i)
        self._cached_chars += sum(len(t) for t in got if t)
        while self._cached_chars > TEXT_CACHE_CHARS and len(cache) > 1:
            _, old = cache.popitem(last=False)
            self._cached_chars -= sum(len(t) for t in old if t)
        return got

    def records(self, docs: list[dict[str, Any]], body: bytes
                ) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
        """(record, cleaned text) per document of a JSONL unit; (None, None) for bad records.
        (A JSON line holds no raw line break, so the body splits at b"\\n".)"""
        lines = iter(body.split(b"\n"))
        for d in docs:
            if d.get("error"):
                yield None, None
                continue
            rec = json.loads(next(lines))
            yield rec, rec[self.text_field]

    def item_text(self, it: Item) -> str:
        text = self.texts(it.ref[0])[it.ref[1]] or ""
        return text if it.ref[2] < 0 else text[it.start : it.end]

    def close(self) -> None:
        self.reader.close()


def near_duplicates(parts: Parts) -> Clusters:
    def items() -> Iterator[Item]:
        for i, _, _, loc in parts.scan():
            yield from iter_items(i, parts.reader.meta(loc)["docs"])

    return find_clusters(items(), parts.item_text)


def _removals(clusters: Clusters) -> tuple[dict[tuple[int, int], dict[str, Any]], dict[tuple[int, int], list[Item]]]:
    """What ``--dedup`` drops: later copies of documents, later copies of paragraphs."""
    docs = {m.ref[:2]: {"kept": c[0][0].path, "similarity": sim} for c in clusters.documents for m, sim in c[1:]}
    paras: dict[tuple[int, int], list[Item]] = {}
    for c in clusters.paragraphs:
        for m, _ in c[1:]:
            if m.ref[:2] not in docs:
                paras.setdefault(m.ref[:2], []).append(m)
    return docs, paras


def _with_line_end(text: str, start: int, end: int) -> tuple[int, int]:
    """A paragraph span with its line break: the one after it, or before it at the end of the text."""
    if end < len(text):
        return start, end + 1
    return (start - 1 if start > 0 and text[start - 1] == "\n" else start), end


def _drop_paragraphs(text: str, items: list[Item]) -> tuple[str, list[dict[str, Any]]]:
    """Remove paragraph spans (with their line break); the edits, logged like any rule's.

    These edits come after the rules' passes: their spans are offsets into the
    cleaned text (``pass`` 0, ``orig_*`` equal to ``start``/``end``).
    """
    spans = sorted({_with_line_end(text, it.start, it.end) for it in items})
    out, edits, pos = [], [], 0
    for s, e in spans:
        if s < pos:
            continue
        out.append(text[pos:s])
        edits.append({"rule": NEARDUP_RULE, "pass": 0, "start": s, "end": e, "before": text[s:e], "after": "",
                      "orig_start": s, "orig_end": e})
        pos = e
    out.append(text[pos:])
    return "".join(out), edits


class _Publisher:
    """Writes the cleaned files: each to a temporary name, made durable in groups
    (one ``syncfs`` per :data:`GROUP` files where Linux has it, else an fsync
    each), then renamed into place. After a system crash a cleaned file is the
    old one or the whole new one, at the cost of one flush per group rather
    than one per file. A file that already holds exactly the new bytes (an
    earlier run's, on ``--resume``) is left as it is."""

    GROUP = 512

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.pending: list[tuple[str, Path]] = []

    def write(self, dest: Path, data: bytes) -> None:
        try:
            if dest.stat().st_size == len(data) and dest.read_bytes() == data:
                return
        except OSError:
            pass
        fd, tmp = create_temp(dest)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            os.unlink(tmp)
            raise
        self.pending.append((tmp, dest))
        if len(self.pending) >= self.GROUP:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if not sync_filesystem(self.out_dir):
            for tmp, _ in self.pending:
                fsync_file(tmp)
        for tmp, dest in self.pending:
            os.replace(tmp, dest)
        self.pending.clear()

    def discard(self) -> None:
        for tmp, _ in self.pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.pending.clear()


def assemble(out_dir: Path, state_dir: Path, units: Units, mode: str, *, text_field: str = "text",
             neardup: bool = True, dedup: bool = False, articles: bool = True, jobs: int = 1) -> dict[str, Any]:
    """Write the cleaned tree or cleaned.jsonl, findings.jsonl, duplicates.jsonl
    and articles.jsonl; return the report's figures."""
    parts = Parts(state_dir, units, text_field)
    publisher = _Publisher(out_dir)
    try:
        return _assemble(out_dir, parts, publisher, mode, text_field=text_field, neardup=neardup, dedup=dedup,
                         articles=articles, jobs=jobs)
    except BaseException:
        publisher.discard()
        raise
    finally:
        parts.close()


def _assemble(out_dir: Path, parts: Parts, publisher: _Publisher, mode: str, *, text_field: str, neardup: bool,
              dedup: bool, articles: bool, jobs: int) -> dict[str, Any]:
    clusters = near_duplicates(parts) if neardup else Clusters()
    drop_docs, drop_paras = _removals(clusters) if dedup else ({}, {})
    stats = _Stats()
    articles = articles and mode != "jsonl" and _articles_builder() is not None
    with atomic_open(out_dir / "findings.jsonl") as find_fh, \
            (atomic_open(out_dir / "cleaned.jsonl") if mode == "jsonl" else _null()) as rec_fh:
        for i, key, kind, loc in parts.scan():
            meta, found, body = parts.reader.sections(loc)
            docs = meta["docs"]
            recs = parts.records(docs, body) if kind == "jsonl" else iter([(None, None)] * len(docs))
            find_fh.write(found.decode("utf-8"))
            for d_no, (d, (rec, text)) in enumerate(zip(docs, recs)):
                stats.add(d)
                if d.get("error"):
                    continue
                if (i, d_no) in drop_docs:
                    stats.removed_docs += 1
                    find_fh.write(_dumps({"path": d["path"], "type": "removal", "rule": NEARDUP_RULE,
                                          **drop_docs[(i, d_no)]}))
                    if kind == "file":
                        (out_dir / key).unlink(missing_ok=True)  # a copy left by an earlier run
                    continue
                extra: list[dict[str, Any]] = []
                if (i, d_no) in drop_paras:
                    if text is None:
                        text = body.decode("utf-8")
                    text, extra = _drop_paragraphs(text, drop_paras[(i, d_no)])
                    stats.removed_paras += len(extra)
                    stats.fixes[NEARDUP_RULE] += len(extra)
                    for e in extra:
                        find_fh.write(_dumps({"path": d["path"], "type": "edit", **e}))
                if kind == "jsonl":
                    assert rec is not None and rec_fh is not None
                    rec_fh.write(json.dumps({**rec, text_field: text}, ensure_ascii=False) + "\n")
                    continue
                publisher.write(out_dir / key, text.encode("utf-8") if extra else body)
                if articles:
                    parts.units.publish(i, key, str(Path(key).parent))
    publisher.flush()  # the articles stage reads the cleaned files
    if articles:
        stats.articles = _write_all_articles(out_dir, parts.units, jobs)
    if not stats.fixes.get(NEARDUP_RULE):
        stats.fixes.pop(NEARDUP_RULE, None)
    if neardup:
        with atomic_open(out_dir / "duplicates.jsonl") as fh:
            for kind, groups in (("document", clusters.documents), ("paragraph", clusters.paragraphs)):
                for c in groups:
                    fh.write(_dumps(_cluster_dict(kind, c, parts, dedup)))
    report = stats.to_dict()
    report["articles"] = stats.articles if articles else None
    report["near_duplicates"] = {
        "enabled": neardup, "dedup": dedup,
        "document_clusters": len(clusters.documents), "paragraph_clusters": len(clusters.paragraphs),
        "documents_removed": stats.removed_docs, "paragraphs_removed": stats.removed_paras,
        "index_items": clusters.index_items, "candidate_pairs": clusters.candidates,
    }
    return report


@contextmanager
def _null() -> Iterator[None]:
    yield None


def _cluster_dict(kind: str, cluster: list[tuple[Item, float]], parts: Parts, dedup: bool) -> dict[str, Any]:
    first = cluster[0][0]
    preview = parts.item_text(first)[:60]
    return {
        "kind": kind,
        "size": len(cluster),
        "keep": {"path": first.path, "start": first.start, "end": first.end},
        "copies": [{"path": m.path, "start": m.start, "end": m.end, "similarity": s} for m, s in cluster[1:]],
        "removed": dedup,
        "preview": preview,
    }


def _articles_builder() -> Any:
    """``cleaner.articles.build_articles`` when that stage is installed, else None."""
    try:
        from ..articles import build_articles  # type: ignore[attr-defined]
    except ImportError:
        return None
    return build_articles


def _folder_articles(args: tuple[str, list[str]]) -> list[str]:
    """Articles of one issue folder, built from its final cleaned files (runs in a worker)."""
    out_dir, keys = args
    build = _articles_builder()
    items = [(k, (Path(out_dir) / k).read_text(encoding="utf-8")) for k in keys]
    return [_dumps(a) for a in build(items)]


ARTICLE_FOLDERS_IN_FLIGHT_PER_JOB = 4


def _write_all_articles(out_dir: Path, units: Units, jobs: int) -> int:
    """articles.jsonl: one folder per work item, in parallel, written in folder order.

    The folders are read from the state database as the pool takes them, at
    most :data:`ARTICLE_FOLDERS_IN_FLIGHT_PER_JOB` x jobs ahead of the one
    being written (``Pool.imap`` would otherwise drain them all into its queue)."""
    folders = units.folder_count()
    work = ((str(out_dir), keys) for keys in units.folders())
    n = 0
    with atomic_open(out_dir / "articles.jsonl") as fh:
        if jobs <= 1 or folders <= 1:
            results: Iterator[list[str]] = map(_folder_articles, work)
            for lines in results:
                fh.writelines(lines)
                n += len(lines)
        else:
            import multiprocessing as mp

            window = threading.BoundedSemaphore(ARTICLE_FOLDERS_IN_FLIGHT_PER_JOB * jobs)
            stop = threading.Event()

            def bounded() -> Iterator[tuple[str, list[str]]]:
                for w in work:
                    while not window.acquire(timeout=0.1):
                        if stop.is_set():  # the run ends early: closing the pool waits for this thread
                            return
                    yield w

            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            with ctx.Pool(min(jobs, folders)) as pool:
                try:
                    for lines in pool.imap(_folder_articles, bounded()):
                        window.release()
                        fh.writelines(lines)
                        n += len(lines)
                finally:
                    stop.set()
    return n


class _Stats:
    def __init__(self) -> None:
        self.articles = 0
        self.docs = self.errors_n = self.bytes = self.chars = 0
        self.removed_docs = self.removed_paras = 0
        self.unconverged: list[str] = []
        self.encodings: Counter[str] = Counter()
        self.findings: Counter[str] = Counter()
        self.fixes: Counter[str] = Counter()
        self.errors: list[dict[str, str]] = []

    def add(self, d: dict[str, Any]) -> None:
        self.docs += 1
        self.bytes += d.get("bytes") or 0
        if d.get("error"):
            self.errors.append({"path": d["path"], "error": d["error"]})
            return
        self.encodings[d["encoding"]] += 1
        self.chars += d.get("length", 0)
        self.findings.update(d["findings"])
        self.fixes.update(d["edits"])
        if not d.get("converged", True):
            self.unconverged.append(d["path"])

    def to_dict(self) -> dict[str, Any]:
        rules = sorted(set(self.findings) | set(self.fixes))
        return {
            "documents": self.docs,
            "ok": self.docs - len(self.errors),
            "bytes_in": self.bytes,
            "chars_out": self.chars,
            "encodings": dict(sorted(self.encodings.items())),
            "rules": {r: {"findings": self.findings[r], "fixes": self.fixes[r]} for r in rules},
            "errors": self.errors,
            "unconverged": self.unconverged,
        }
