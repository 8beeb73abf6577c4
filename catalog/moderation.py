"""Text moderation: the merchant's blocked words, matched the way shoppers dodge them.

A text and a blocked word are compared as *folded* word sequences: Unicode compatibility
decomposition (NFKD, so full-width and styled letters become plain ones), accents and tone
marks dropped, "đ" read as "d", case folded; then cut into words at anything that is not a
letter or a digit. A blocked word matches whole words only ("ngu" refuses "đồ NGU" but not
"Nguyễn"), and letters written one by one ("n.g.u", "n g u", "N-G-U") are read as one word.

Pure Python: a :class:`WordList` is built from the merchant's rows by
:func:`catalog.selectors.blocked_words` and used by the Check, the studio, the API, the cart
and the checkout alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "ø": "o", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` without accents, tone marks or case: "Đồ NGỐC" -> "do ngoc"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_LETTERS).casefold()


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, in order."""
    return tuple(_WORD.findall(fold(text)))


def _spelled_out(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """``tokens`` with each run of two or more one-letter words joined: n, g, u -> ngu."""
    joined: list[str] = []
    run: list[str] = []
    for token in (*tokens, ""):
        if len(token) == 1:
            run.append(token)
            continue
        if len(run) >= 2:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if token:
            joined.append(token)
    return tuple(joined)


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


@dataclass(frozen=True)
class BlockedTerm:
    """One word or phrase of the list, with what the shopper reads (language -> message)."""

    word: str
    messages: Mapping[str, str] = field(default_factory=dict)

    @property
    def words(self) -> tuple[str, ...]:
        return words(self.word)

    def message(self, language: str) -> str:
        """The merchant's message in ``language`` (Vietnamese when it has none), or ""."""
        return self.messages.get(language) or self.messages.get("vi") or ""


class WordList:
    """The blocked words; :meth:`find` returns the first one a text contains."""

    def __init__(self, blocked: Iterable[BlockedTerm]) -> None:
        self.blocked = tuple(word for word in blocked if word.words)
        self._needles = [(word, word.words, "".join(word.words)) for word in self.blocked]

    def __bool__(self) -> bool:
        return bool(self.blocked)

    def find(self, text: str) -> BlockedTerm | None:
        """The first blocked word ``text`` contains (whole words, folded), or None."""
        if not self.blocked or not text:
            return None
        tokens = words(text)
        if not tokens:
            return None
        spelled = _spelled_out(tokens)
        for word, needle, glued in self._needles:
            if _contains(tokens, needle) or _contains(spelled, needle):
                return word
            if len(needle) > 1 and glued in spelled:  # a phrase spelled out: "d o n g u"
                return word
        return None
