"""The per-unit function shared by the local and the Ray engine.

:func:`clean_document` is pure: bytes in, cleaned text, findings, applied
edits, encoding and statistics out. :func:`run_task` wraps it with the I/O
of one unit: read the input (never modified), skip it when ``--resume`` knows
it, clean it, and append its record to this process's segment log
(:mod:`cleaner.batch.segments`): the metadata, its lines of
``findings.jsonl`` (every finding and applied edit, with path and rule) and
the cleaned text or records. The summary it returns carries the record's
location, which the parent writes into the resume manifest.

Both are plain module-level functions of picklable arguments, so a process
pool or Ray can ship them to workers; each worker process builds its
:class:`~cleaner.api.Cleaner` once per configuration and keeps it.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import Cleaner, finding_to_dict
from ..config import load_config
from ..decode import decode_bytes
from ..engine import FixResult
from . import jsonlines, segments
from .inputs import Task
from .segments import Location, content_hash


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to rebuild the same rule set (picklable)."""

    state_dir: str
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    config: str | None = None
    no_config: bool = False
    text_field: str = "text"
    neardup: bool = True


_CLEANERS: dict[WorkerConfig, Cleaner] = {}


def cleaner_for(cfg: WorkerConfig) -> Cleaner:
    c = _CLEANERS.get(cfg)
    if c is None:
        conf = None if cfg.no_config else load_config(Path(cfg.config) if cfg.config else None,
                                                        discover=cfg.config is None)
        c = _CLEANERS[cfg] = Cleaner(select=list(cfg.select) if cfg.select else None, ignore=list(cfg.ignore),
                                     extend_select=list(cfg.extend_select), unsafe_fixes=cfg.unsafe_fixes,
                                     config=conf)
    return c


_WARM_TEXT = "科学导报讯 开发区项目建设,招商引资取得实效。\n\n取上级政策支持，加快推进推进园区建设。\n\n- 3 -\n"


def prepare(cfg: WorkerConfig) -> None:
    """Build the cleaner and the tables its rules build on first use (the
    lexicon, FR001's word tails: about 0.5 s) by cleaning a short text. Called
    before the pool forks, so the workers share them instead of each building
    its own."""
    cleaner_for(cfg).clean(_WARM_TEXT)


def clean_text_record(cleaner: Cleaner, text: str, path: str, source: str | None = None) -> dict[str, Any]:
    """Clean decoded text; findings (spans into ``text``) and edits as dicts.

    ``source`` is the input file on disk: review decisions saved beside it are honoured.
    """
    res = cleaner.clean(text, path=path, source=source)
    return {
        "text": res.text,
        "findings": [finding_to_dict(f, text) for f in res.findings],
        "edits": [e.to_dict() for e in res.edits],
        "converged": res.converged,
    }


def clean_text_lines(cleaner: Cleaner, text: str, path: str, source: str | None = None) -> dict[str, Any]:
    """Like :func:`clean_text_record`, with the findings and edits already
    serialised as ``findings.jsonl`` lines (``lines``) and counted per rule
    (``finding_counts``, ``edit_counts``): the batch path, without a dict per finding."""
    res = cleaner.clean(text, path=path, source=source)
    lines, counts, edit_counts = result_lines(res, path)
    return {
        "text": res.text,
        "lines": lines,
        "finding_counts": counts,
        "edit_counts": edit_counts,
        "converged": res.converged,
    }


def result_lines(res: FixResult, path: str) -> tuple[list[str], Counter[str], Counter[str]]:
    """The ``findings.jsonl`` lines of a result (its findings, then its edits)
    and the findings and edits per rule, in the order the rules first occur
    in ``res.findings`` and ``res.edits``. The first pass's column fixes and
    edits go to their lines without an object each (see
    :meth:`FixResult.findings_parts` and :meth:`FixResult.edits_parts`)."""
    text = res.original
    pj = jsonlines.value(path)
    found, columns = res.findings_parts()
    lines = jsonlines.result_finding_lines(pj, found, columns, text)
    rows, later = res.edits_parts()
    lines += jsonlines.first_pass_edit_lines(pj, rows, text)
    lines += jsonlines.edit_lines(pj, later)
    edit_counts = Counter([row[3] for row in rows])
    edit_counts.update([e.rule for e in later])
    counts = Counter([f.rule for f in found])
    if columns:
        first: dict[str, tuple[int, int, str]] = {}
        for f in found:
            if f.rule not in first:
                first[f.rule] = (f.start, f.end, f.rule)
        for c in columns:
            counts[c.rule] += len(c)
            key = (c.starts[0], c.ends[0], c.rule)
            if c.rule not in first or key < first[c.rule]:
                first[c.rule] = key
        counts = Counter(dict(sorted(counts.items(), key=lambda kv: first[kv[0]])))
    return lines, counts, edit_counts


def clean_document(data: bytes, path: str, cfg: WorkerConfig, source: str | None = None) -> dict[str, Any]:
    """Pure: raw bytes of one file → cleaned text, findings lines, encoding (see :func:`clean_text_lines`)."""
    try:
        dec = decode_bytes(data)
    except ValueError as e:
        return {"path": path, "error": str(e), "encoding": None, "bytes": len(data)}
    out = clean_text_lines(cleaner_for(cfg), dec.text, path, source)
    out.update(path=path, error=None, encoding=dec.encoding, bytes=len(data))
    return out


def _read(task: Task) -> bytes:
    with open(task.path, "rb") as fh:
        if task.length < 0:
            return fh.read()
        fh.seek(task.offset)
        return fh.read(task.length)


def run_task(task: Task, cfg: WorkerConfig, known: tuple[str, Location] | None = None) -> dict[str, Any]:
    """Process one unit and append its record; returns a small summary with the record's ``loc``.

    With ``known`` (the input hash and record location from the resume
    manifest) a unit whose input still has that hash and whose record is
    intact is skipped.
    """
    t0 = time.perf_counter()
    try:
        data = _read(task)
    except OSError as e:
        data, read_error = b"", f"cannot read: {e.strerror or e}"
    else:
        read_error = None
    h = content_hash(data)
    summary = {"id": task.id, "key": task.key, "hash": h, "bytes": len(data), "skipped": False}
    if known is not None and known[0] == h and _reader(cfg.state_dir).intact(known[1]):
        summary["skipped"] = True
        summary["loc"] = list(known[1])
        return summary
    body = b""
    if read_error:
        docs = [{"path": task.key, "error": read_error, "encoding": None, "bytes": 0}]
    elif task.kind == "file":
        d = clean_document(data, task.key, cfg, source=str(task.path))
        if d["error"] is None:
            body = d["text"].encode("utf-8")
        docs = [d]
    else:
        docs, lines = _clean_jsonl(data, task, cfg)
        body = "".join(lines).encode("utf-8")
    found = "".join(_finding_lines(docs)).encode("utf-8")
    meta = {"key": task.key, "kind": task.kind, "hash": h, "docs": [_doc_meta(d, cfg) for d in docs]}
    summary["loc"] = list(segments.append(cfg.state_dir, meta, found, body))
    summary["seconds"] = time.perf_counter() - t0
    return summary


_readers: dict[tuple[int, str], segments.Reader] = {}


def _reader(state_dir: str) -> segments.Reader:
    key = (os.getpid(), state_dir)
    r = _readers.get(key)
    if r is None:
        r = _readers[key] = segments.Reader(state_dir)
    return r


def _finding_lines(docs: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for d in docs:
        out += d.get("lines") or ()
    return out


def _doc_meta(d: dict[str, Any], cfg: WorkerConfig) -> dict[str, Any]:
    m = {k: d.get(k) for k in ("path", "error", "encoding", "bytes")}
    if d.get("error"):
        return m
    text = d["text"]
    m["length"] = len(text)
    f, e = rule_counts([d])
    m["findings"] = dict(sorted(f.items()))
    m["edits"] = dict(sorted(e.items()))
    m["converged"] = d["converged"]
    if cfg.neardup:
        from .neardup import signatures

        m["sig"] = signatures(text)
    return m


def _clean_jsonl(data: bytes, task: Task, cfg: WorkerConfig) -> tuple[list[dict[str, Any]], list[str]]:
    """Clean every record of a JSONL chunk; metadata fields are carried through."""
    cleaner = cleaner_for(cfg)
    name = Path(task.path).name
    docs: list[dict[str, Any]] = []
    lines: list[str] = []
    pos = task.offset
    for raw in data.splitlines(keepends=True):
        at, pos = pos, pos + len(raw)
        if not raw.strip():
            continue
        ref = f"{name}@{at}"
        try:
            rec = json.loads(raw)
            text = rec.get(cfg.text_field) if isinstance(rec, dict) else None
            if not isinstance(text, str):
                raise ValueError(f"field {cfg.text_field!r} missing or not a string")
        except ValueError as e:
            docs.append({"path": ref, "error": f"bad record: {e}", "encoding": None, "bytes": len(raw)})
            continue
        if isinstance(rec.get("id"), (str, int)):
            ref = f"{name}:{rec['id']}"
        d = clean_text_lines(cleaner, text, ref)
        d.update(path=ref, error=None, encoding="utf-8", bytes=len(raw))
        docs.append(d)
        lines.append(json.dumps({**rec, cfg.text_field: d["text"]}, ensure_ascii=False) + "\n")
    return docs, lines


def rule_counts(docs: list[dict[str, Any]]) -> tuple[Counter[str], Counter[str]]:
    """Findings and applied edits per rule."""
    f: Counter[str] = Counter()
    e: Counter[str] = Counter()
    for d in docs:
        f.update(d.get("finding_counts") or ())
        e.update(d.get("edit_counts") or ())
    return f, e
