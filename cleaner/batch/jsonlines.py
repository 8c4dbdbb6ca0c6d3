"""Fast, exact serialisation of the lines of ``findings.jsonl``.

A batch writes one JSON line per finding and per applied edit (tens of
thousands per MB of a typical dump), so :func:`json.dumps` per line, which
builds an encoder each call, costs about as much as some rules. The functions
here produce exactly the bytes of ``json.dumps(obj, ensure_ascii=False,
separators=(",", ":"))`` for the two fixed line shapes: strings go through
the same C escaping function json uses, ints and floats through the same
``repr``, and any value of another type falls back to :func:`json.dumps`
itself. The encodings of strings that repeat (rule codes, categories,
messages, fix safeties) are kept in a small bounded memo.

:func:`finding_lines` and :func:`edit_lines` make all the lines of one
document (the batch's path): there a line costs about a microsecond, most of
it the interpreter's, so they do as little per line as they can while
giving exactly :func:`finding_line`'s and :func:`edit_line`'s bytes.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function json.dumps uses with ensure_ascii=False
from itertools import repeat
from typing import Any

from ..memo import MEMO_ENTRIES, FillingDict, store
from ..model import AppliedEdit, Finding, FixColumns

_MEMO_MAX = MEMO_ENTRIES
_memo: dict[str, str] = {}
_conf_memo: dict[Any, str] = {}


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def value(v: Any) -> str:
    """The JSON text of one value, as :func:`dumps` would write it inside an object."""
    t = type(v)
    if t is str:
        return encode_basestring(v)
    if t is int:
        return int.__repr__(v)
    if v is None:
        return "null"
    if t is float:
        return float_text(v)
    return dumps(v)


def float_text(x: float) -> str:
    if x != x:
        return "NaN"
    if x == float("inf"):
        return "Infinity"
    if x == -float("inf"):
        return "-Infinity"
    return float.__repr__(x)


def repeated(s: Any) -> str:
    """:func:`value` for strings that recur from line to line (bounded memo)."""
    if type(s) is not str:
        return value(s)
    out = _memo.get(s)
    if out is None:
        out = store(_memo, s, encode_basestring(s))
    return out


def confidence_text(c: Any) -> str:
    """JSON of ``round(float(c), 4)``, the confidence as the findings contract has it."""
    out = _conf_memo.get(c)
    if out is None:
        out = float_text(round(float(c), 4))
        if c == c and c != 0:  # NaN never finds itself again; 0.0 and -0.0 are equal keys but print apart
            store(_conf_memo, c, out)
    return out


def finding_line(path_json: str, f: Finding, text: str) -> str:
    """The ``findings.jsonl`` line of finding ``f`` (spans into ``text``), newline included.

    ``path_json`` is ``value(path)``, computed once per document.
    """
    repl = f.replacement(text) if f.edits else f.data.get("replacement")
    start, end = f.start, f.end
    if type(start) is not int or type(end) is not int:
        return _finding_line_slow(path_json, f, repl)
    return (f'{{"path":{path_json},"type":"finding","rule":{repeated(f.rule)},'
            f'"category":{repeated(f.category)},"start":{start},"end":{end},'
            f'"message":{repeated(f.message)},"replacement":{value(repl)},"fix":{repeated(f.safety)},'
            f'"confidence":{confidence_text(f.confidence)}}}\n')


def _finding_line_slow(path_json: str, f: Finding, repl: Any) -> str:
    d = {"rule": f.rule, "category": f.category, "start": f.start, "end": f.end, "message": f.message,
         "replacement": repl, "fix": f.safety, "confidence": round(float(f.confidence), 4)}
    return f'{{"path":{path_json},"type":"finding",{dumps(d)[1:]}\n'


def edit_line(path_json: str, e: AppliedEdit) -> str:
    """The ``findings.jsonl`` line of an applied edit, newline included."""
    p, s, t, os_, oe = e.pass_no, e.start, e.end, e.orig_start, e.orig_end
    if not (type(p) is int and type(s) is int and type(t) is int and type(os_) is int and type(oe) is int):
        return f'{{"path":{path_json},"type":"edit",{dumps(e.to_dict())[1:]}\n'
    return (f'{{"path":{path_json},"type":"edit","rule":{repeated(e.rule)},"pass":{p},'
            f'"start":{s},"end":{t},"before":{value(e.before)},"after":{value(e.after)},'
            f'"orig_start":{os_},"orig_end":{oe}}}\n')


_heads: dict[tuple[Any, ...], tuple[str, str, str]] = {}
_changes: dict[tuple[str, str], str] = {}
_SHORT = 16  # an edit's before and after are memoised when this many characters or fewer together
_NOTHING: Any = object()  # "nothing seen yet": no value of a finding or edit is this object

# _DECIMAL[i] is str(i): making the text of an int costs more than the rest of
# a line's fields, and a page's offsets are small. Grown on demand, by doubling,
# to at most _DECIMAL_MAX entries (about 2 MB); larger offsets are formatted.
_DECIMAL: list[str] = []
_DECIMAL_MAX = 1 << 15


def _grow_decimal(upto: int) -> int:
    """Extend :data:`_DECIMAL` to hold ``upto`` if the cap allows; its new length."""
    n = len(_DECIMAL)
    if n <= upto < _DECIMAL_MAX:
        _DECIMAL.extend(map(str, range(n, min(_DECIMAL_MAX, max(upto + 1, 2 * n, 1024)))))
    return len(_DECIMAL)


def finding_lines(path_json: str, findings: list[Finding], text: str) -> list[str]:
    """:func:`finding_line` of every finding, in a loop that does little per line.

    A dump has tens of thousands of findings per MB, nearly all alike (SP001:
    a 1-char span, one edit on the span, the replacement ``，``; the rule,
    category, message, fix and confidence the same objects from finding to
    finding). So the JSON fragments of each (rule, category, message, fix,
    confidence) are made once (bounded memo) and joined with the path into a
    prefix once per call; they are looked up only when one of the five is
    not the previous finding's object; the end of the line (replacement,
    fix, confidence) is reused while the replacement is the previous one's
    object; and the offsets' texts come from a table. A typical line is then
    one f-string of five ready strings. Spans that are not ``int`` and values
    that JSON could print differently although they compare equal (0.0 and
    -0.0, NaN, types other than ``str`` and ``float``) take
    :func:`finding_line`, line by line: the lines do not depend on each other."""
    out: list[str] = []
    pre = f'{{"path":{path_json},'
    # this call's entries, by key: [prefix (path included), fixable, middle, tail, last replacement, its suffix]
    local: dict[tuple[Any, ...], list[Any]] = {}
    rule = category = message = safety = conf = repl = _NOTHING
    head = mid = tail = suffix = ""
    fixable = False
    ent: list[Any] = [None] * 6  # the current entry (a dummy before the first finding)
    decimal = _DECIMAL
    n = len(decimal)
    for f in findings:
        start, end = f.start, f.end
        if not (type(start) is type(end) is int):
            out.append(finding_line(path_json, f, text))
            continue
        if (f.rule is not rule or f.category is not category or f.message is not message
                or f.safety is not safety or f.confidence is not conf):
            ent[4], ent[5] = repl, suffix
            key = (f.rule, f.category, f.message, f.safety, f.confidence)
            try:
                got = local.get(key)
            except TypeError:  # an unhashable value (a list for a message)
                got = False
            if got is None:
                h = _finding_head(key)
                if h is not None:
                    got = local[key] = [pre + h[0], key[3] != "none", h[1], h[2], _NOTHING, ""]
            if not got:  # unusual values: the slow path, and the next finding looks again
                rule = _NOTHING
                out.append(finding_line(path_json, f, text))
                continue
            rule, category, message, safety, conf = key
            ent = got
            head, fixable, mid, tail, repl, suffix = got
        edits = f.edits
        if len(edits) == 1:  # Finding.replacement's common case, inlined
            if fixable:
                e = edits[0]
                if e.start == start and e.end == end:  # the edit is the finding (most are)
                    r = e.replacement
                else:
                    a, b = e.start, e.end
                    lo = start if start < a else a
                    hi = end if end > b else b
                    r = text[lo:a] + e.replacement + text[b:hi]
                if r is not repl:
                    suffix = f"{mid}{encode_basestring(r)}{tail}"
                    repl = r
                rest = suffix
            else:
                rest = f"{mid}null{tail}"
        else:
            r = _replacement(f, text) if edits and fixable else None if edits else f.data.get("replacement")
            rest = f"{mid}{value(r)}{tail}"
        if 0 <= start <= end < n:
            out.append(f'{head}{decimal[start]},"end":{decimal[end]}{rest}')
        else:
            out.append(f'{head}{start},"end":{end}{rest}')
            if 0 <= start and 0 <= end:  # later lines find these ints' texts
                n = _grow_decimal(start if start > end else end)
    return out


def result_finding_lines(path_json: str, found: list[Finding], columns: list[FixColumns], text: str) -> list[str]:
    """The ``findings.jsonl`` lines of a result's findings given as
    :meth:`FixResult.findings_parts` returns them (objects, and column fixes
    not made into objects), in the order of ``FixResult.findings``: by
    (start, end, rule), the key no two findings of a result share."""
    lines = finding_lines(path_json, found, text)
    if not columns:
        return lines
    keys = [(f.start, f.end, f.rule) for f in found]
    for c in columns:
        lines += column_lines(path_json, c, text)
        keys += zip(c.starts, c.ends, repeat(c.rule))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [lines[i] for i in order]


class _Unusual(Exception):
    """A value that the one-comprehension line builders leave to the general path."""


def _offsets_fit(starts: list[int], ends: list[int]) -> bool:
    """Whether every offset is an ``int`` (not a subclass) that :data:`_DECIMAL` holds."""
    if not starts:
        return True
    top = max(ends)
    if top >= len(_DECIMAL):
        _grow_decimal(top)
    return (min(starts) >= 0 and top < len(_DECIMAL)
            and set(map(type, starts)) == {int} and set(map(type, ends)) == {int})


def column_lines(path_json: str, c: FixColumns, text: str) -> list[str]:
    """:func:`finding_lines` of ``c.findings()``, without making the findings:
    a column fix's replacement is its one edit's, and rule, category, fix and
    confidence are the column's. The line of a fix is its (message,
    replacement)'s two fragments around its offsets' texts, in one
    comprehension; anything unusual takes :func:`finding_lines`."""
    pre = f'{{"path":{path_json},'

    def parts(key: tuple[Any, Any]) -> tuple[str, str]:
        msg, new = key
        h = _finding_head((c.rule, c.category, msg, c.safety, c.confidence))
        if h is None or type(new) is not str:
            raise _Unusual
        return pre + h[0], f"{h[1]}{encode_basestring(new)}{h[2]}"

    if _offsets_fit(c.starts, c.ends):
        d = _DECIMAL
        try:
            return [f'{h}{d[s]},"end":{d[e]}{x}' for s, e, (h, x)
                    in zip(c.starts, c.ends, map(FillingDict(parts).__getitem__, zip(c.messages, c.news)))]
        except (_Unusual, TypeError):  # TypeError: an unhashable message
            pass
    return finding_lines(path_json, c.findings(), text)


def _replacement(f: Finding, text: str) -> str | None:
    """``f.replacement(text)`` for a fixable finding, its two-edit case (SP002's
    pairs) without the generators and sort (the same order: by (start, end), stably)."""
    edits = f.edits
    if len(edits) == 2:
        e, g = edits
        a, b, c, d = e.start, e.end, g.start, g.end
        if type(a) is type(b) is type(c) is type(d) is int:
            if c < a or (c == a and d < b):
                e, g, a, b, c, d = g, e, c, d, a, b
            lo, hi = min(f.start, a, c), max(f.end, b, d)
            return "".join((text[lo:a], e.replacement, text[b:c], g.replacement, text[d:hi]))
    return f.replacement(text)


def _finding_head(key: tuple[Any, ...]) -> tuple[str, str, str] | None:
    """The fixed JSON fragments of the findings with ``key`` (rule, category,
    message, fix, confidence), or ``None`` when ``key`` has a value of an
    unusual type or a confidence (0, NaN) that an equal key could print differently."""
    h = _heads.get(key)
    if h is None:
        rule, category, message, safety, conf = key
        if not (type(rule) is str and type(category) is str and type(message) is str
                and type(safety) is str and type(conf) is float and conf == conf and conf != 0):
            return None
        h = store(_heads, key, (
            f'"type":"finding","rule":{repeated(rule)},"category":{repeated(category)},"start":',
            f',"message":{repeated(message)},"replacement":',
            f',"fix":{repeated(safety)},"confidence":{confidence_text(conf)}}}\n'))
    return h


def edit_lines(path_json: str, edits: list[AppliedEdit]) -> list[str]:
    """:func:`edit_line` of every applied edit, in a loop that does little per line.

    Most edits of a page are one rule making one change (``,`` to ``，``) in
    pass 1, where the original span is the span (the same int objects). So a
    line's head (path, rule, pass) and middle (before, after) are remade only
    when the rule and pass, or before and after, are not the previous edit's
    objects (a short change's middle is also kept in a bounded memo, for
    rules that alternate), and the offsets' texts come from a table. The
    types are checked as values are taken up; an edit with a value that is
    not an exact ``int`` or ``str`` takes :func:`edit_line`."""
    out: list[str] = []
    pre = f'{{"path":{path_json},"type":"edit","rule":'
    changes = _changes
    rule_seen = pass_seen = before_seen = after_seen = _NOTHING
    head = mid = ""
    decimal = _DECIMAL
    n = len(decimal)
    for e in edits:
        rule, p, s, t, before, after, os_, oe = e
        if rule is not rule_seen or p is not pass_seen:
            if not (type(rule) is str and type(p) is int):
                rule_seen = _NOTHING
                out.append(edit_line(path_json, e))
                continue
            head = f'{pre}{repeated(rule)},"pass":{p},"start":'
            rule_seen, pass_seen = rule, p
        if before is not before_seen or after is not after_seen:
            if not (type(before) is str and type(after) is str):
                before_seen = _NOTHING
                out.append(edit_line(path_json, e))
                continue
            if len(before) + len(after) <= _SHORT:
                got = changes.get((before, after))
                if got is None:
                    got = store(changes, (before, after), _change(before, after))
                mid = got
            else:
                mid = _change(before, after)
            before_seen, after_seen = before, after
        if os_ is s and oe is t and type(s) is type(t) is int:  # pass 1: the span is the original span
            if 0 <= s <= t < n:
                s, t = decimal[s], decimal[t]
            elif 0 <= s and 0 <= t:  # this line formats its ints, later ones find them
                n = _grow_decimal(s if s > t else t)
            out.append(f'{head}{s},"end":{t}{mid}{s},"orig_end":{t}}}\n')
        elif type(s) is type(t) is type(os_) is type(oe) is int:
            out.append(f'{head}{s},"end":{t}{mid}{os_},"orig_end":{oe}}}\n')
        else:
            out.append(edit_line(path_json, e))
    return out


def first_pass_edit_lines(path_json: str, rows: list[tuple[int, int, str, str]], original: str) -> list[str]:
    """:func:`edit_lines` of the first pass's edits given as rows (start, end,
    replacement, rule) into ``original`` (:meth:`FixResult.edits_parts`),
    without making the :class:`AppliedEdit` objects: pass 1's spans are their
    own original spans. A line is its (rule, before, after)'s two fragments
    around its offsets' texts, in one comprehension; anything unusual takes
    :func:`edit_lines`."""
    pre = f'{{"path":{path_json},"type":"edit","rule":'

    def parts(key: tuple[Any, str, Any]) -> tuple[str, str]:
        rule, before, after = key
        if type(rule) is not str or type(after) is not str:
            raise _Unusual
        return f'{pre}{repeated(rule)},"pass":1,"start":', _change(before, after)

    starts = [row[0] for row in rows]
    ends = [row[1] for row in rows]
    if _offsets_fit(starts, ends):
        d = _DECIMAL
        try:
            keys = [(r, original[s:t], n) for s, t, n, r in rows]
            return [f'{h}{d[s]},"end":{d[t]}{m}{d[s]},"orig_end":{d[t]}}}\n' for s, t, (h, m)
                    in zip(starts, ends, map(FillingDict(parts).__getitem__, keys))]
        except (_Unusual, TypeError):
            pass
    return edit_lines(path_json, [AppliedEdit(r, 1, s, t, original[s:t], n, s, t) for s, t, n, r in rows])


def _change(before: str, after: str) -> str:
    return f',"before":{encode_basestring(before)},"after":{encode_basestring(after)},"orig_start":'
