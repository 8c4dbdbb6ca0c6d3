"""Rules as data: load TOML rule files, validate them, select by code.

One file per rule (``rules/<family>/<CODE>-<slug>.toml``). Three kinds:

``regex``
    ``pattern`` (Python ``re`` syntax), optional ``replacement`` (``\\g<1>``
    style), ``flags`` (list of ``re`` flag names) and ``require`` (substrings
    of which at least one must occur for the rule to run at all: the fast path
    for clean text).
``lexicon``
    ``[entries]`` mapping a wrong form to its replacement (``""`` deletes),
    matched longest-first; ``before``/``after`` optional look-around regexes.
``python``
    ``entry = "module:function"`` (or ``"file.py:function"`` relative to the
    rule file); the function is called as ``function(text, ctx, rule)`` and
    yields :class:`~cleaner.model.Finding` objects, normally made with
    :meth:`Rule.finding`.

Every mistake names the file and the field.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import RuleContext
from .memo import FillingDict
from .model import SAFETIES, Edit, Finding, FixColumns, unchecked_edit as _edit
from .text import bmp_marks, bmp_table

KINDS = ("regex", "lexicon", "python")
Columns = Callable[[str], "FixColumns | None"]
"""A rule's fixes on one text as columns (see :attr:`Rule.columns`)."""
SCOPES = ("document", "line")
"""``line``: every finding (span and edits) lies inside one line and depends on
that line's text alone, so after the first pass the engine re-checks only the
lines that changed. ``document`` (the default): the rule sees the whole text
on every pass."""
LEVELS = ("error", "warning", "info")
ID_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")

_COMMON_FIELDS = {
    "id", "name", "category", "summary", "kind", "level", "fix", "docs", "message",
    "confidence", "priority", "examples", "params", "enabled", "scope",
}
_KIND_FIELDS = {
    "regex": {"pattern", "replacement", "flags", "require"},
    "lexicon": {"entries", "before", "after", "require"},
    "python": {"entry"},
}
_EXAMPLE_FIELDS = {"input", "output", "flags", "keep", "corpus", "note", "unsafe"}

PythonEntry = Callable[[str, RuleContext, "Rule"], Iterable[Finding]]


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and field."""


_SAFETY_RANK = {"none": 0, "unsafe": 1, "safe": 2}


@dataclass(slots=True)
class Example:
    """One example of a rule, run by the test suite.

    ``output`` set: fixing ``input`` with this rule gives ``output``.
    ``flags`` set: the rule reports a finding overlapping that substring.
    ``keep``: the rule reports nothing at all on ``input``.
    """

    input: str
    output: str | None = None
    flags: str | None = None
    keep: bool = False
    corpus: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Rule:
    id: str
    name: str
    category: str
    summary: str
    kind: str
    level: str = "warning"
    fix: str = "safe"
    docs: str = ""
    message: str = ""
    confidence: float = 1.0
    priority: int = 100
    enabled: bool = True
    scope: str = "document"
    params: dict[str, Any] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    path: Path | None = None
    spec: dict[str, Any] = field(default_factory=dict)
    # Loaded from the built-in rules folder: the test suite checks such a rule's
    # declarations (scope = "line" locality among them), so the engine trusts them.
    builtin: bool = False
    _matcher: Callable[[str, RuleContext], Iterator[Finding]] | None = field(default=None, repr=False)
    # The same fixes as columns (simple lexicon and literal-regex rules), and the
    # matcher they were built beside: a matcher replaced later (a test's spy)
    # turns the columns off.
    _columns: Columns | None = field(default=None, repr=False)
    _columns_of: Any = field(default=None, repr=False)

    @property
    def columns(self) -> Columns | None:
        """``text -> FixColumns | None``: what :meth:`find` yields, as columns,
        for rules whose every fix is one edit of its whole span; ``None`` for
        other rules. The engine's first pass takes this path."""
        if self._columns is not None and self._matcher is self._columns_of:
            return self._columns
        return None

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    def find(self, text: str, ctx: RuleContext) -> Iterator[Finding]:
        assert self._matcher is not None
        return self._matcher(text, ctx)

    def finding(
        self,
        start: int,
        end: int,
        message: str | None = None,
        *,
        replacement: str | None = None,
        edits: Sequence[Edit] | None = None,
        confidence: float | None = None,
        fix: str | None = None,
        related: tuple[int, int] | None = None,
        data: dict[str, Any] | None = None,
    ) -> Finding:
        """Make a finding of this rule; ``replacement`` replaces the whole span."""
        safety = fix or self.fix
        if _SAFETY_RANK[safety] > _SAFETY_RANK[self.fix]:
            safety = self.fix  # a finding is never safer than its rule declares (the engine relies on it)
        if edits is None:
            edits = () if replacement is None else (Edit(start, end, replacement),)
        if safety == "none":
            edits = ()
        return Finding(
            rule=self.id,
            category=self.category,
            start=start,
            end=end,
            message=message or self.message or self.summary,
            confidence=self.confidence if confidence is None else confidence,
            edits=tuple(edits),
            safety=safety if edits else "none",  # type: ignore[arg-type]
            name=self.name,
            related=related,
            data=data or {},
        )


# --------------------------------------------------------------------------- loading


def builtin_rules_dir() -> Path:
    """The built-in rules: packaged as ``cleaner/builtin_rules`` in a wheel,
    the top-level ``rules/`` folder in a source checkout or editable install."""
    here = Path(__file__).resolve().parent
    packaged = here / "builtin_rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def load_rules(dirs: Iterable[Path] | None = None) -> list[Rule]:
    """Load and validate every ``*.toml`` rule under ``dirs`` (default: built-in)."""
    rules: dict[str, Rule] = {}
    builtin = builtin_rules_dir().resolve()
    for d in [builtin_rules_dir()] if dirs is None else list(dirs):
        d = Path(d)
        if not d.is_dir():
            raise RuleError(f"{d}: rules folder does not exist")
        trusted = d.resolve() == builtin
        for f in sorted(d.rglob("*.toml")):
            rule = load_rule_file(f)
            rule.builtin = trusted
            if rule.id in rules:
                raise RuleError(f"{f}: field 'id': {rule.id} is already defined in {rules[rule.id].path}")
            rules[rule.id] = rule
    return sorted(rules.values(), key=lambda r: r.id)


def load_rule_file(path: Path) -> Rule:
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise RuleError(f"{path}: not valid TOML: {e}") from None
    return rule_from_spec(spec, path)


def rule_from_spec(spec: dict[str, Any], path: Path | None = None) -> Rule:
    where = str(path) if path else "<rule>"

    def err(fieldname: str, msg: str) -> RuleError:
        return RuleError(f"{where}: field '{fieldname}': {msg}")

    def need_str(name: str, required: bool = True) -> str:
        v = spec.get(name)
        if v is None:
            if required:
                raise err(name, "missing")
            return ""
        if not isinstance(v, str):
            raise err(name, f"must be a string, not {type(v).__name__}")
        return v

    kind = need_str("kind")
    if kind not in KINDS:
        raise err("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
    unknown = set(spec) - _COMMON_FIELDS - _KIND_FIELDS[kind]
    if unknown:
        raise err(sorted(unknown)[0], f"unknown field for a {kind} rule")
    rid = need_str("id")
    if not ID_RE.match(rid):
        raise err("id", f"{rid!r} is not a rule code like 'PB001' (2-4 capitals, 3 digits)")
    if path is not None and not path.name.startswith(rid):
        raise err("id", f"file name {path.name!r} must start with the rule code {rid}")
    level = need_str("level", required=False) or "warning"
    if level not in LEVELS:
        raise err("level", f"must be one of {', '.join(LEVELS)}")
    fix = need_str("fix", required=False) or "none"
    if fix not in SAFETIES:
        raise err("fix", f"must be one of {', '.join(SAFETIES)}, not {fix!r}")
    conf = spec.get("confidence", 1.0)
    if not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
        raise err("confidence", "must be a number between 0 and 1")
    prio = spec.get("priority", 100)
    if not isinstance(prio, int):
        raise err("priority", "must be an integer")
    params = spec.get("params", {})
    if not isinstance(params, dict):
        raise err("params", "must be a table")
    scope = need_str("scope", required=False) or "document"
    if scope not in SCOPES:
        raise err("scope", f"must be one of {', '.join(SCOPES)}, not {scope!r}")
    rule = Rule(
        id=rid,
        name=need_str("name"),
        category=need_str("category"),
        summary=need_str("summary"),
        kind=kind,
        level=level,
        fix=fix,
        docs=need_str("docs", required=False),
        message=need_str("message", required=False),
        confidence=float(conf),
        priority=prio,
        enabled=bool(spec.get("enabled", True)),
        scope=scope,
        params=params,
        path=path,
        spec=spec,
    )
    rule.examples = _examples(spec, err)
    rule._matcher = _build_matcher(rule, spec, err)
    if rule._columns is not None:
        rule._columns_of = rule._matcher
    return rule


def _examples(spec: dict[str, Any], err: Callable[[str, str], RuleError]) -> list[Example]:
    raw = spec.get("examples")
    if not raw:
        raise err("examples", "every rule needs at least one [[examples]] entry")
    if not isinstance(raw, list):
        raise err("examples", "must be an array of tables ([[examples]])")
    out = []
    for i, ex in enumerate(raw):
        name = f"examples[{i}]"
        if not isinstance(ex, dict):
            raise err(name, "must be a table")
        unknown = set(ex) - _EXAMPLE_FIELDS
        if unknown:
            raise err(f"{name}.{sorted(unknown)[0]}", "unknown field")
        if not isinstance(ex.get("input"), str):
            raise err(f"{name}.input", "missing or not a string")
        modes = [k for k in ("output", "flags", "keep") if ex.get(k) not in (None, False)]
        if len(modes) != 1:
            raise err(name, "give exactly one of output, flags or keep = true")
        if "output" in ex and not isinstance(ex["output"], str):
            raise err(f"{name}.output", "must be a string")
        if "flags" in ex and (not isinstance(ex["flags"], str) or ex["flags"] not in ex["input"]):
            raise err(f"{name}.flags", "must be a substring of input")
        corpus = ex.get("corpus", [])
        if not isinstance(corpus, list) or not all(isinstance(c, str) for c in corpus):
            raise err(f"{name}.corpus", "must be a list of strings")
        out.append(
            Example(
                input=ex["input"],
                output=ex.get("output"),
                flags=ex.get("flags"),
                keep=bool(ex.get("keep", False)),
                corpus=corpus,
                note=str(ex.get("note", "")),
            )
        )
    if spec.get("fix", "none") != "none" and not any(e.output is not None and e.output != e.input for e in out):
        raise err("examples", "a rule with a fix needs an example whose output differs from its input")
    return out


_FLAG_NAMES = {"IGNORECASE", "MULTILINE", "DOTALL", "VERBOSE", "ASCII"}


def _build_matcher(rule: Rule, spec: dict[str, Any], err: Callable[[str, str], RuleError]):
    require = spec.get("require", [])
    if isinstance(require, str):
        require = [require]
    if not isinstance(require, list) or not all(isinstance(x, str) and x for x in require):
        raise err("require", "must be a list of non-empty strings")

    # A substring is looked for only when its first character occurs: the
    # one-character test is a memchr, several times faster on clean text.
    needles = tuple((r[0], r if len(r) > 1 else None) for r in require)

    def gated(fn: Callable[[str, RuleContext], Iterator[Finding]]):
        if not require:
            return fn

        def run(text: str, ctx: RuleContext) -> Iterator[Finding]:
            for c, r in needles:
                if c in text and (r is None or r in text):
                    return iter(fn(text, ctx))
            return iter(())

        return run

    def gated_columns(fn: Columns | None) -> Columns | None:
        if fn is None or not require:
            return fn

        def run(text: str) -> FixColumns | None:
            for c, r in needles:
                if c in text and (r is None or r in text):
                    return fn(text)
            return None

        return run

    if rule.kind == "regex":
        flags = 0
        for name in spec.get("flags", []):
            if name not in _FLAG_NAMES:
                raise err("flags", f"unknown flag {name!r}; use {', '.join(sorted(_FLAG_NAMES))}")
            flags |= getattr(re, name)
        pattern = spec.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise err("pattern", "missing")
        try:
            rx = re.compile(pattern, flags)
        except re.error as e:
            raise err("pattern", f"not a valid regular expression: {e}") from None
        repl = spec.get("replacement")
        if rule.fix != "none":
            if not isinstance(repl, str):
                raise err("replacement", f"required when fix = {rule.fix!r}")
            for ref in re.finditer(r"\\g<(\w+)>|\\(\d+)", repl):
                name = ref.group(1) or ref.group(2)
                ok = int(name) <= rx.groups if name.isdigit() else name in rx.groupindex
                if not ok:
                    raise err("replacement", f"refers to group {name!r}, which the pattern does not have")
        first = _first_chars(pattern, flags)
        rule._columns = gated_columns(_regex_columns(rule, rx, repl, first))
        return gated(_regex_matcher(rule, rx, repl, first))

    if rule.kind == "lexicon":
        entries = spec.get("entries")
        if not isinstance(entries, dict) or not entries or not all(isinstance(v, str) for v in entries.values()):
            raise err("entries", "must be a non-empty table of wrong = \"right\" strings")
        before, after = spec.get("before", ""), spec.get("after", "")
        try:
            rx = re.compile(_lexicon_pattern(list(entries), before, after))
        except re.error as e:
            raise err("before" if before else "after", f"invalid look-around: {e}") from None
        first = _first_chars(rx.pattern, 0)
        rule._columns = gated_columns(_lexicon_columns(rule, rx, entries, first))
        return gated(_lexicon_matcher(rule, rx, entries, first))

    entry = spec.get("entry")
    if not isinstance(entry, str) or ":" not in entry:
        raise err("entry", "must be 'module:function' or 'file.py:function'")
    try:
        fn = _import_entry(entry, rule.path)
    except Exception as e:  # noqa: BLE001 - any import failure is a rule-file error
        raise err("entry", f"cannot load {entry!r}: {e}") from None
    return gated(lambda text, ctx: iter(fn(text, ctx, rule)))


def _lexicon_pattern(words: list[str], before: str, after: str) -> str:
    """The pattern of a lexicon rule: its words, longest first, with the
    ``before``/``after`` look-arounds.

    When every word is one character, the look-behind goes after the word,
    reaching back over it: ``,(?<=B.)`` matches exactly where ``(?<=B),``
    does (a one-character match cannot overlap another), but a pattern that
    opens with a literal lets ``re`` skip to the next candidate character,
    where a leading look-behind makes it try every position (SP001 on a page
    of half-width commas: 2.5x faster)."""
    alts = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    ahead = f"(?={after})" if after else ""
    if not before:
        return f"(?:{alts}){ahead}"
    if all(len(w) == 1 for w in words):
        re.compile(f"(?<={before})")  # a bad look-behind fails as written, not as rewritten
        return f"(?:{alts})(?<=(?:{before})(?s:.)){ahead}"
    return f"(?<={before})(?:{alts}){ahead}"


# ------------------------------------------------------------------ fast scanning
#
# Patterns such as ``(?<=[CJK])[ \u3000]+(?=[0-9])`` start with a look-behind,
# which keeps ``re`` from skipping ahead to a possible first character: it
# tries every position. When every match must begin with one of a few literal
# characters, jumping from one occurrence of those to the next and calling
# ``match`` there finds exactly the matches ``finditer`` finds (the matches are
# never empty, and look-behinds see the text before ``pos``).

_MAX_FIRST_CHARS = 16


def _first_chars(pattern: str, flags: int) -> str | None:
    """The characters every match of ``pattern`` must start with, or None when
    that is not a short list of literals (or cannot be proven)."""
    try:
        from re import _constants as C, _parser as P  # type: ignore[attr-defined]

        parsed = P.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an optimisation only: fall back to finditer
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    zero_width = {C.ASSERT, C.ASSERT_NOT, C.AT}
    repeats = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}

    def seq(items) -> set[int] | None:
        for op, av in items:
            if op in zero_width:
                continue
            return item(op, av)
        return None  # nothing consumed: could be empty

    def item(op, av) -> set[int] | None:
        if op is C.LITERAL:
            return {av}
        if op is C.IN:
            out = set()
            for o, a in av:
                if o is not C.LITERAL:
                    return None
                out.add(a)
            return out
        if op is C.BRANCH:
            out = set()
            for branch in av[1]:
                got = seq(branch)
                if got is None:
                    return None
                out |= got
            return out
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            return seq(sub) if not (add_flags or del_flags) else None
        if op in repeats:
            lo, _hi, sub = av
            return seq(sub) if lo >= 1 else None
        if op is getattr(C, "ATOMIC_GROUP", None):
            return seq(av)
        return None

    try:
        got = seq(list(parsed))
    except Exception:  # noqa: BLE001
        return None
    if not got or len(got) > _MAX_FIRST_CHARS:
        return None
    return "".join(chr(c) for c in sorted(got))


_DENSE_GAP = 16
"""When the possible first characters are closer than this many characters
apart on average, ``finditer`` is faster than trying each of them."""


_NUMPY_SWEEP_MIN = 2000
"""Texts at least this long are swept with numpy (faster from about 1,500 characters)."""


class _Spots:
    """Where the possible first characters of the scanned rules occur in a text.

    Every rule built with :func:`_scanner` adds its first characters to one
    shared set; the first rule that scans a text finds all of them with one
    sweep (numpy on long texts, else a character-class ``finditer``) and the
    others read their positions from here (cached for the last text: the
    rules of one engine pass see the same string). On clean text this
    replaces a ``str.find`` sweep of the whole text per character per rule
    with one sweep in all."""

    def __init__(self) -> None:
        self.chars: set[str] = set()
        self._rx: re.Pattern[str] | None = None
        self._table: Any = None  # numpy booleans by BMP code point: is it registered
        self._last: tuple[str, dict[str, list[int]]] | None = None

    def add(self, chars: str) -> None:
        if not set(chars) <= self.chars:
            self.chars |= set(chars)
            self._rx = None
            self._table = None
            self._last = None

    def of(self, text: str) -> dict[str, list[int]]:
        """Positions of every registered character in ``text``, by character."""
        last = self._last  # one read: another thread may replace it meanwhile
        if last is not None and last[0] is text:
            return last[1]
        # numpy's fixed cost pays off on a page, not on a line or a few changed ones
        bmp = len(text) >= _NUMPY_SWEEP_MIN and bool(self.chars) and max(self.chars) < "\uffff"
        by_char = self._numpy_sweep(text) if bmp else self._regex_sweep(text)
        self._last = (text, by_char)
        return by_char

    def _numpy_sweep(self, text: str) -> dict[str, list[int]]:
        """The sweep as array operations: the code points through a table of the
        registered ones, then the positions of each character present. A page
        holds hundreds of hits (commas, spaces); this costs a third of a
        ``finditer`` loop over them."""
        import numpy as np

        table = self._table
        if table is None:
            table = self._table = bmp_table(self.chars)
        by_char: dict[str, list[int]] = {c: [] for c in self.chars}
        a, marked = bmp_marks(text, table)
        idx = np.flatnonzero(marked)
        if len(idx):
            vals = a[idx]
            for v in np.unique(vals).tolist():
                by_char[chr(v)] = idx[vals == v].tolist()
        return by_char

    def _regex_sweep(self, text: str) -> dict[str, list[int]]:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile("[" + "".join(re.escape(c) for c in sorted(self.chars)) + "]")
        by_char: dict[str, list[int]] = {c: [] for c in self.chars}
        for m in rx.finditer(text):
            by_char[m.group()].append(m.start())
        return by_char


_SPOTS = _Spots()


def _scanner(rx: re.Pattern[str], first: str | None) -> Callable[[str], Iterator[re.Match[str]]]:
    """``rx.finditer`` for patterns whose matches are never empty, sped up by
    trying ``rx.match`` only where a match can start: at the occurrences of
    its possible first characters (:class:`_Spots`, found for all rules at
    once). Look-behinds and ``^`` see the text before the position ``match``
    is given, so the matches are the same."""
    if first is None:
        return rx.finditer
    match = rx.match
    chars = tuple(first)
    several = len(chars) > 1
    _SPOTS.add(first)
    spots_of = _SPOTS.of

    def scan(text: str) -> Iterator[re.Match[str]]:
        by_char = spots_of(text)
        limit = len(text) // _DENSE_GAP + 64
        if several:
            spots = [p for c in chars for p in by_char[c]]
            if len(spots) > limit:
                yield from rx.finditer(text)  # common characters: the plain scan is faster
                return
            spots.sort()
        else:
            spots = by_char[chars[0]]
            if len(spots) > limit:
                yield from rx.finditer(text)
                return
        pos = 0
        for p in spots:
            if p >= pos:
                m = match(text, p)
                if m is not None:
                    yield m
                    pos = m.end()

    return scan


def _regex_matcher(rule: Rule, rx: re.Pattern[str], repl: str | None, first: str | None = None):
    # A replacement without backslashes expands to itself: skip Match.expand,
    # which re-parses the template on every call. Findings are built exactly
    # as Rule.finding would build them.
    scan = _scanner(rx, first)
    fixing = repl is not None and rule.fix != "none"
    literal = fixing and "\\" not in repl  # type: ignore[operator]
    template = rule.message
    fixed_msg = rule.summary if not template else None
    expand = _expander(rx, repl) if fixing and not literal else None

    def run(text: str, ctx: RuleContext) -> Iterator[Finding]:
        rid, cat, conf, name = rule.id, rule.category, rule.confidence, rule.name
        safety = rule.fix
        for m in scan(text):
            start, end = m.span()
            if end == start:
                continue
            if not fixing:
                msg = fixed_msg if fixed_msg is not None else template.format(*m.groups(), match=m.group(0))
                yield Finding(rid, cat, start, end, msg or rule.message or rule.summary, conf, (), "none", name, None, {})
                continue
            new = repl if literal else expand(m)
            if new == m.group(0):
                continue
            msg = fixed_msg if fixed_msg is not None else template.format(*m.groups(), match=m.group(0))
            edits = (_edit(start, end, new),) if literal else _changed_runs(start, m.group(0), new)
            yield Finding(rid, cat, start, end, msg or rule.message or rule.summary, conf,
                          edits, safety, name, None, {})

    return run


def _expander(rx: re.Pattern[str], repl: str) -> Callable[[re.Match[str]], str]:
    """``m.expand(repl)`` with the template parsed once. Python 3.11's
    ``Match.expand`` parses the template on every call (``re._expand``), which
    costs more than the match; 3.12 caches it, so there ``m.expand`` is kept."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        if hasattr(re, "_compile_template") or not hasattr(_parser, "expand_template"):
            raise AttributeError
        parsed = _parser.parse_template(repl, rx)
        expand_template = _parser.expand_template
    except Exception:  # noqa: BLE001 - another Python: the public, slower call
        return lambda m: m.expand(repl)
    return lambda m: expand_template(parsed, m)


def _changed_runs(start: int, old: str, new: str) -> tuple[Edit, ...]:
    """The edits that turn ``old`` (at ``start``) into ``new``: one per run of
    changed characters when both have the same length (办法(试行) → 办法（试行）
    touches the two parentheses only, so fixes inside them can go in the same
    pass), else one edit of the whole span."""
    n = len(old)
    if len(new) != n:
        return (_edit(start, start + n, new),)
    out = []
    i = 0
    while i < n:
        if old[i] == new[i]:
            i += 1
            continue
        j = i + 1
        while j < n and old[j] != new[j]:
            j += 1
        out.append(_edit(start + i, start + j, new[i:j]))
        i = j
    return tuple(out)


def _lexicon_matcher(rule: Rule, rx: re.Pattern[str], entries: dict[str, str], first: str | None = None):
    # Everything but the span is fixed per entry: format each message once
    # (lazily, on first match) and build findings exactly as Rule.finding would.
    messages: dict[str, str] = {}
    scan = _scanner(rx, first)

    def message(wrong: str) -> str:
        msg = messages.get(wrong)
        if msg is None:
            new = entries[wrong]
            msg = rule.message.format(match=wrong, replacement=new) if rule.message else rule.summary
            msg = messages[wrong] = msg or rule.message or rule.summary
        return msg

    def run(text: str, ctx: RuleContext) -> Iterator[Finding]:
        if rule.fix == "none":
            for m in scan(text):
                yield rule.finding(m.start(), m.end(), message(m.group(0)), replacement=entries[m.group(0)])
            return
        rid, cat, conf, safety, name = rule.id, rule.category, rule.confidence, rule.fix, rule.name
        for m in scan(text):
            wrong = m.group(0)
            start, end = m.span()
            yield Finding(
                rid, cat, start, end, messages.get(wrong) or message(wrong), conf,
                (_edit(start, end, entries[wrong]),), safety, name, None, {},
            )

    return run


def _lexicon_columns(rule: Rule, rx: re.Pattern[str], entries: dict[str, str], first: str | None) -> Columns | None:
    """What :func:`_lexicon_matcher` yields, as :class:`FixColumns` (``None`` for no match)."""
    if rule.fix == "none" or rule.scope != "line":
        return None
    scan = _scanner(rx, first)

    def message(wrong: str) -> str:
        new = entries[wrong]
        msg = rule.message.format(match=wrong, replacement=new) if rule.message else rule.summary
        return msg or rule.message or rule.summary

    messages = FillingDict(message)
    replacement = entries.__getitem__

    def columns(text: str) -> FixColumns | None:
        ms = list(scan(text))
        if not ms:
            return None
        wrongs = [m.group() for m in ms]
        return FixColumns(rule.id, rule.category, rule.name, rule.confidence, rule.fix,  # type: ignore[arg-type]
                          [m.start() for m in ms], [m.end() for m in ms],
                          list(map(replacement, wrongs)), list(map(messages.__getitem__, wrongs)))

    return columns


def _regex_columns(rule: Rule, rx: re.Pattern[str], repl: str | None, first: str | None) -> Columns | None:
    """What :func:`_regex_matcher` yields, as :class:`FixColumns`, for a literal
    replacement (no group references) and a message without fields."""
    if rule.fix == "none" or rule.scope != "line" or repl is None or "\\" in repl or rule.message:
        return None
    scan = _scanner(rx, first)
    msg = rule.summary

    def columns(text: str) -> FixColumns | None:
        spans = [m.span() for m in scan(text) if m.end() > m.start() and m.group() != repl]
        if not spans:
            return None
        n = len(spans)
        return FixColumns(rule.id, rule.category, rule.name, rule.confidence, rule.fix,  # type: ignore[arg-type]
                          [a for a, _ in spans], [b for _, b in spans], [repl] * n, [msg] * n)

    return columns


def _import_entry(entry: str, rule_path: Path | None) -> PythonEntry:
    mod_name, _, func = entry.rpartition(":")
    if mod_name.endswith(".py"):
        base = rule_path.parent if rule_path else Path.cwd()
        file = (base / mod_name).resolve()
        spec = importlib.util.spec_from_file_location(f"cleaner_user_rule_{file.stem}", file)
        if spec is None or spec.loader is None:
            raise ImportError(f"no such file {file}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(mod_name)
    fn = getattr(module, func, None)
    if not callable(fn):
        raise ImportError(f"{mod_name} has no function {func!r}")
    return fn


# --------------------------------------------------------------------------- selection


def select_rules(
    rules: Sequence[Rule],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> list[Rule]:
    """Pick rules by code or family prefix, in the manner of ruff.

    ``select`` replaces the default set (every rule with ``enabled = true``);
    ``extend_select`` adds to it; ``ignore`` removes. ``ALL`` matches all.
    Unknown codes raise :class:`RuleError` so that typos do not pass silently.
    """
    known = [r.id for r in rules]

    def matches(rule: Rule, codes: Iterable[str]) -> bool:
        return any(c == "ALL" or rule.id.startswith(c) for c in codes)

    for code in [*(select or []), *ignore, *extend_select]:
        if code != "ALL" and not any(k.startswith(code) for k in known):
            raise RuleError(f"unknown rule code or prefix {code!r}")
    if select:
        chosen = [r for r in rules if matches(r, select)]
    else:
        chosen = [r for r in rules if r.enabled]
    chosen += [r for r in rules if matches(r, extend_select) and r not in chosen]
    return sorted((r for r in chosen if not matches(r, ignore)), key=lambda r: r.id)
