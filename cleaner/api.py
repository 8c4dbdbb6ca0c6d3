"""Python API for other projects: clean a text, a file, or a stream of documents.

>>> from cleaner import clean_text
>>> r = clean_text("发展<b>新质</b>生产力")
>>> r.text
'发展新质生产力'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .context import RuleContext
from .decode import Decoded, decode_bytes
from .engine import Engine, FixResult, Rewrite, Veto
from .review.decisions import DecisionCache
from .ruleset import Rule, builtin_rules_dir, load_rules, select_rules


@dataclass
class FileResult:
    path: str
    encoding: str | None = None
    confidence: float = 0.0
    result: FixResult | None = None
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


class Cleaner:
    """A configured rule set and engine; build once, use for many documents."""

    def __init__(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
        extend_select: Sequence[str] = (),
        rule_dirs: Sequence[Path] = (),
        unsafe_fixes: bool = False,
        config: Config | None = None,
        rules: Sequence[Rule] | None = None,
        veto: Veto | None = None,
        decisions: bool = True,
        only_accepted: bool = False,
    ) -> None:
        """``decisions``: honour review decisions (``.cleaner-decisions.jsonl``
        beside an input file) in :meth:`clean_file` and :meth:`clean_bytes`.
        ``only_accepted``: apply only the changes accepted (or edited) in review."""
        cfg = config or Config()
        if rules is None:
            all_rules = load_rules([builtin_rules_dir(), *cfg.rule_dirs, *rule_dirs])
            rules = select_rules(
                all_rules,
                select=select if select is not None else cfg.select,
                ignore=[*cfg.ignore, *ignore],
                extend_select=[*cfg.extend_select, *extend_select],
            )
        self.rules = list(rules)
        self.engine = Engine(
            self.rules,
            unsafe_fixes=unsafe_fixes or cfg.unsafe_fixes,
            max_passes=cfg.max_passes,
            veto=veto,
        )
        self._decisions = DecisionCache(only_accepted) if decisions or only_accepted else None

    @classmethod
    def from_config(cls, **kw: Any) -> Cleaner:
        return cls(config=load_config(), **kw)

    def clean(
        self, text: str, *, path: str | None = None, ctx: RuleContext | None = None, source: str | Path | None = None
    ) -> FixResult:
        """Clean ``text``. Review decisions stored beside ``source`` (default:
        ``path``) apply when that names a file in a folder that has them."""
        hooks = self._hooks(source if source is not None else path)
        ctx = ctx or RuleContext(path=path)
        if hooks is None:
            return self.engine.fix(text, ctx)
        return self.engine.fix(text, ctx, veto=hooks[0], rewrite=hooks[1])

    def _hooks(self, path: str | Path | None) -> tuple[Veto, Rewrite] | None:
        if self._decisions is None or path is None or str(path) in ("", "-", "<bytes>"):
            return None
        return self._decisions.hooks_for(path)

    def check(self, text: str, *, path: str | None = None) -> FixResult:
        """Same as :meth:`clean`; findings carry spans into ``text``."""
        return self.clean(text, path=path)

    def clean_bytes(self, data: bytes, path: str = "<bytes>") -> FileResult:
        try:
            dec: Decoded = decode_bytes(data)
        except ValueError as e:
            return FileResult(path=path, error=str(e))
        ctx = RuleContext(path=path)
        ctx.meta["encoding"] = dec.encoding
        res = self.clean(dec.text, path=path, ctx=ctx)
        return FileResult(path, dec.encoding, dec.confidence, res, meta=ctx.meta)

    def clean_file(self, path: str | Path) -> FileResult:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            return FileResult(path=str(path), error=f"cannot read: {e.strerror or e}")
        return self.clean_bytes(data, str(path))

    def clean_documents(self, docs: Iterable[dict[str, Any]], text_field: str = "text") -> Iterator[dict[str, Any]]:
        """Clean a stream of documents lazily (JSONL-style dicts).

        Each output dict is the input's metadata with ``text_field`` replaced
        by the cleaned text, plus ``cleaner`` = {findings, edits} for audit.
        """
        for doc in docs:
            text = doc.get(text_field)
            if not isinstance(text, str):
                yield {**doc, "cleaner": {"error": f"field {text_field!r} missing or not a string"}}
                continue
            res = self.clean(text, path=str(doc.get("id", "")) or None)
            yield {
                **doc,
                text_field: res.text,
                "cleaner": {
                    "findings": [finding_to_dict(f, text) for f in res.findings],
                    "edits": [e.to_dict() for e in res.edits],
                },
            }


_DEFAULT: Cleaner | None = None


def _default() -> Cleaner:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Cleaner()
    return _DEFAULT


def clean_text(text: str, **kw: Any) -> FixResult:
    """Clean one text with the built-in rules (or a Cleaner built from ``kw``)."""
    return (Cleaner(**kw) if kw else _default()).clean(text)


def clean_documents(docs: Iterable[dict[str, Any]], text_field: str = "text", **kw: Any) -> Iterator[dict[str, Any]]:
    return (Cleaner(**kw) if kw else _default()).clean_documents(docs, text_field)


def finding_to_dict(f: Any, text: str) -> dict[str, Any]:
    """The JSON shape of a finding (DESIGN.md contract), spans into ``text``."""
    repl = f.replacement(text) if f.edits else f.data.get("replacement")
    return {
        "rule": f.rule,
        "category": f.category,
        "start": f.start,
        "end": f.end,
        "message": f.message,
        "replacement": repl,
        "fix": f.safety,
        "confidence": round(float(f.confidence), 4),
    }
