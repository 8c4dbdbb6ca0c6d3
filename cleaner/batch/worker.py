"""The per-unit function shared by the local and the Ray engine.

:func:`clean_document` is pure: bytes in, cleaned text, findings, applied
edits, encoding and statistics out. :func:`run_task` wraps it with the I/O
of one unit: read the input (never modified), skip it when ``--resume`` knows
it, clean it, and write its part files atomically under the state folder:

- ``parts/<id>.txt`` — the cleaned text (file units) or
  ``parts/<id>.jsonl`` — the cleaned records (JSONL units);
- ``parts/<id>.json`` — one line of metadata (encoding, statistics, counts
  per rule, near-duplicate signatures, and the size and hash of the other
  part and of the findings section), then the findings section: the unit's
  lines of ``findings.jsonl``, already serialised (every finding and applied
  edit, with path and rule). Written last, so a unit is complete when this
  file is readable and everything it lists matches (:func:`parts_intact`).
  The findings share the metadata's file because creating a file costs more
  on a journaled filesystem than writing a page of text into one.

Both are plain module-level functions of picklable arguments, so a process
pool or Ray can ship them to workers; each worker process builds its
:class:`~cleaner.api.Cleaner` once per configuration and keeps it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import Cleaner, finding_to_dict
from ..config import load_config
from ..decode import decode_bytes
from ..files import atomic_write_bytes
from . import jsonlines
from .inputs import Task


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


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
    pj = jsonlines.value(path)
    lines = jsonlines.finding_lines(pj, res.findings, text)
    lines += jsonlines.edit_lines(pj, res.edits)
    return {
        "text": res.text,
        "lines": lines,
        "finding_counts": Counter([f.rule for f in res.findings]),
        "edit_counts": Counter([e.rule for e in res.edits]),
        "converged": res.converged,
    }


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


def part_paths(state_dir: str | Path, task_id: str) -> tuple[Path, Path, Path]:
    parts = Path(state_dir) / "parts" / task_id[:2]
    return parts / f"{task_id}.json", parts / f"{task_id}.txt", parts / f"{task_id}.jsonl"


def run_task(task: Task, cfg: WorkerConfig, known_hash: str | None = None) -> dict[str, Any]:
    """Process one unit and write its parts; returns a small summary.

    With ``known_hash`` (from the resume manifest) a unit whose input still has
    that hash and whose parts are complete is skipped.

    Parts are renamed into place but not fsync'd one by one: the metadata part
    (written last) records the size and hash of the others, and ``--resume``
    trusts a unit only when they still match (after a system crash a unit whose
    data did not reach the disk is simply redone). The final outputs are made
    durable when they are assembled.
    """
    t0 = time.perf_counter()
    meta_p, txt_p, jsonl_p = part_paths(cfg.state_dir, task.id)
    try:
        data = _read(task)
    except OSError as e:
        data, read_error = b"", f"cannot read: {e.strerror or e}"
    else:
        read_error = None
    h = content_hash(data)
    summary = {"id": task.id, "key": task.key, "hash": h, "bytes": len(data), "skipped": False}
    if known_hash == h and parts_intact(cfg.state_dir, task.id):
        summary["skipped"] = True
        return summary
    written: dict[str, list[Any]] = {}
    if read_error:
        docs = [{"path": task.key, "error": read_error, "encoding": None, "bytes": 0}]
    elif task.kind == "file":
        d = clean_document(data, task.key, cfg, source=str(task.path))
        if d["error"] is None:
            written["txt"] = _write_part(txt_p, d["text"].encode("utf-8"))
        docs = [d]
    else:
        docs, lines = _clean_jsonl(data, task, cfg)
        written["jsonl"] = _write_part(jsonl_p, "".join(lines).encode("utf-8"))
    found = "".join(_finding_lines(docs)).encode("utf-8")
    written["findings"] = [len(found), content_hash(found)]
    meta = {"key": task.key, "kind": task.kind, "hash": h, "docs": [_doc_meta(d, cfg) for d in docs],
            "parts": written}
    _write_part(meta_p, json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" + found)
    summary["seconds"] = time.perf_counter() - t0
    return summary


def _write_part(path: Path, data: bytes) -> list[Any]:
    """Write one part file atomically (not fsync'd); its [size, hash] for the metadata part."""
    atomic_write_bytes(path, data, durable=False)
    return [len(data), content_hash(data)]


def parts_intact(state_dir: str | Path, task_id: str) -> bool:
    """Whether the unit's metadata part is readable and every part it lists (and
    its findings section) has the size and hash recorded there (what
    ``--resume`` checks before skipping)."""
    meta_p, txt_p, jsonl_p = part_paths(state_dir, task_id)
    files = {"txt": txt_p, "jsonl": jsonl_p}
    try:
        head, sep, found = meta_p.read_bytes().partition(b"\n")
        written = json.loads(head)["parts"]
        for name, (size, digest) in written.items():
            data = found if name == "findings" else files[name].read_bytes()
            if len(data) != size or content_hash(data) != digest:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return bool(sep)


def read_meta(meta_p: Path) -> dict[str, Any]:
    """The metadata line of a unit's metadata part."""
    with meta_p.open("rb") as fh:
        return json.loads(fh.readline())


def copy_findings(meta_p: Path, out: Any) -> None:
    """Append the findings section of a unit's metadata part to the text stream ``out``."""
    with meta_p.open(encoding="utf-8") as fh:
        fh.readline()
        shutil.copyfileobj(fh, out)


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
