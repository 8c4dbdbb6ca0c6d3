"""What a rule may consult besides the text: file path, lexicon, corpus statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .corpus import CorpusStats
    from .lexicon import Lexicon


@dataclass
class RuleContext:
    """Per-document context handed to every rule.

    ``corpus`` holds statistics of the whole dump being cleaned (n-gram
    counts), when the caller gathered them; rules must work without it.
    ``meta`` collects document metadata that rules extract instead of
    discarding (publication date, source of a web page).
    """

    path: str | None = None
    corpus: CorpusStats | None = None
    options: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    _lexicon: Lexicon | None = None

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            from .lexicon import default_lexicon

            self._lexicon = default_lexicon()
        return self._lexicon
