"""Markup checks that need code: HTML entities."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..context import RuleContext
from ..model import Finding
from ..ruleset import Rule

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def html_entities(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if "&" not in text:
        return
    for m in _ENTITY.finditer(text):
        raw = m.group(0)
        new = html.unescape(raw)
        if new == raw:
            continue  # not an entity html knows
        if new in ("\u00a0", "\u3000", "\u2002", "\u2003", "\u2009"):
            new = " "
        yield rule.finding(m.start(), m.end(), f"HTML entity {raw} is {new!r}", replacement=new)
