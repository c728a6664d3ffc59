"""Words of a text with their offsets, and a release's word index (pure; no spaCy).

Every step of the organization recognizer reads words: of a whole release (name runs, keys,
all-caps lines) and of thousands of small ranges of it. :class:`ReleaseText` is the release
with its words read once; it travels through the steps as their ``text`` argument, so the
index belongs to that release alone (no module state: two releases in two threads never
see each other's words). A plain ``str`` works everywhere too and is read afresh.
"""
from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from typing import NamedTuple

# A word: letters/digits, with inner apostrophes, hyphens, slashes, dots or ampersands
# ("Co-operation", "Children’s", "Secretary-General", "G/TIP", "AT&T") and a plural
# possessive apostrophe ("Persons’"), or a dotted abbreviation ("U.S.").
WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[’'&./-][^\W_]+)*(?:(?<=s)[’'](?!\w))?")
POSSESSIVE_RE = re.compile(r"(?:[’']s|(?<=s)[’'])$")
# A character that no word can take in or look at.
WORD_BOUNDARY_RE = re.compile(r"[^\w’'&./-]")
WORD_CHAR_RE = re.compile(r"\w")


@lru_cache(maxsize=16384)
def strip_possessive(word: str) -> str:
    """Drop a possessive ending (``IOM’s``, ``Persons’``): names are keyed without it."""
    return POSSESSIVE_RE.sub("", word)


class Word(NamedTuple):
    """A word of the text with its character offsets (end exclusive).

    A named tuple rather than a frozen dataclass: releases are split into words many times
    over, and a frozen dataclass is several times slower to build.
    """

    text: str
    start: int
    end: int

    @property
    def core(self) -> str:
        """The word without a possessive ending ("IOM’s" → "IOM")."""
        return strip_possessive(self.text)

    @property
    def core_end(self) -> int:
        """End offset of :attr:`core`."""
        return self.start + len(self.core)


# ``_new(Word, (text, start, end))`` builds a Word without the named tuple's Python-level
# ``__new__``: releases are split into thousands of words.
_new = tuple.__new__


def _scan(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [_new(Word, (m.group(), m.start(), m.end())) for m in WORD_RE.finditer(text, start, end)]


class ReleaseText(str):
    """The text of one release, with its words read once and indexed by offset.

    A ``str`` (slices, regexes and ``in`` behave as on the plain text; a slice is a plain
    ``str``) that also carries what the organization steps derive from the whole release:
    its words, and (set by their modules) its name runs and all-caps lines. Built once per
    Doc by the component and handed down as ``text``.
    """

    @cached_property
    def words(self) -> tuple[Word, ...]:
        """Every word of the release, in order."""
        return tuple(_scan(self))

    @cached_property
    def word_starts(self) -> list[int]:
        return [w.start for w in self.words]

    @cached_property
    def word_ends(self) -> list[int]:
        return [w.end for w in self.words]

    def derived(self, key: str, build):
        """A value computed once from this release by ``build(self)`` and kept under ``key``."""
        cache = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]


def text_words(text: str) -> tuple[Word, ...]:
    """``words(text)`` of a whole text; read once when ``text`` is a :class:`ReleaseText`."""
    return text.words if isinstance(text, ReleaseText) else tuple(_scan(text))


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """Words of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    if isinstance(text, ReleaseText):
        found = _indexed_words(text, start, end)
        if found is not None:
            return found
    return _scan(text, start, end)


def _indexed_words(text: ReleaseText, start: int, end: int) -> list[Word] | None:
    """``words(text, start, end)`` cut from the release's word list, or None when the range
    might read differently on its own.

    Why: the organization step asks for the words of thousands of small ranges of a release;
    scanning each range again cost more than the rest of the step.

    A range reads the same when it does not start inside a word, and its end is invisible to
    the word pattern: the text ends there; or no match can reach it (the character before
    is one no word takes in); or no word runs across it and the character there is no word
    character (the one look-ahead, after a possessive apostrophe, then sees the same).
    """
    if not 0 <= start <= end <= len(text):
        return None
    ws, starts, ends = text.words, text.word_starts, text.word_ends
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and starts[i] < start < ends[i]:
        return None
    if end < len(text) and not (end > 0 and WORD_BOUNDARY_RE.match(text, end - 1)):
        j = bisect.bisect_left(starts, end) - 1
        if WORD_CHAR_RE.match(text, end) or (j >= 0 and ends[j] > end):
            return None
    return list(ws[bisect.bisect_left(starts, start):bisect.bisect_right(ends, end)])


def _indexed(text: str) -> ReleaseText:
    return text if isinstance(text, ReleaseText) else ReleaseText(text)


def words_in_line_after(text: str, pos: int, limit: int) -> list[Word]:
    """The first ``limit`` words of ``words(text, pos, line_end)``, from the release's word list.

    Why: reading every word to the end of the line after each candidate name made a long
    line with many names quadratic. When ``pos`` falls inside a word of the list, the text
    is scanned afresh from ``pos`` until a match ends where a listed word ends; from there on
    both scans read alike.
    """
    rt = _indexed(text)
    ws, ends = rt.words, rt.word_ends
    i = bisect.bisect_left(rt.word_starts, pos)  # the first listed word starting at pos or later
    out: list[Word] = []
    edge = pos
    if i > 0 and pos < ws[i - 1].end:
        for m in WORD_RE.finditer(text, pos):
            if "\n" in text[edge:m.start()] or len(out) >= limit:
                return out
            out.append(Word(m.group(), m.start(), m.end()))
            edge = m.end()
            j = bisect.bisect_left(ends, edge)
            if j < len(ends) and ends[j] == edge:
                i = j + 1
                break
        else:
            return out
    while i < len(ws) and len(out) < limit and "\n" not in text[edge:ws[i].start]:
        out.append(ws[i])
        edge = ws[i].end
        i += 1
    return out


def words_in_line_before(text: str, pos: int, limit: int) -> list[Word]:
    """The last ``limit`` words of ``pos``'s line that end at or before ``pos``.

    Why: re-reading the line up to every bracket made a long line with many brackets (a PDF
    table, a list of acronyms) quadratic; the release's word list is read once and bisected.
    The tail of ``words(text, line_start, pos)`` whenever no word runs across ``pos`` (callers
    pass the offset of a bracket).
    """
    rt = _indexed(text)
    ws = rt.words
    hi = bisect.bisect_right(rt.word_ends, pos)
    lo, edge = hi, pos
    while lo > 0 and hi - lo < limit and "\n" not in text[ws[lo - 1].end:edge]:
        lo -= 1
        edge = ws[lo].start
    return list(ws[lo:hi])
