"""A set of non-overlapping character spans with logarithmic overlap tests, and the lines
of a text that a pattern needs to scan."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator


class SpanSet:
    """Character spans taken so far, none overlapping another: overlap and containment
    tests in O(log n).

    Why: the finders take candidates in order of reliability and drop a later one that
    overlaps an earlier one. Checking every taken span made a release with thousands of
    dates (a table converted from PDF) quadratic. Spans are ``[start, end)``; because they
    never overlap, sorted starts give sorted ends, so the only span that can overlap a
    query is the last one starting before the query ends.
    """

    def __init__(self, spans=()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in spans:
            self.add(s, e)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a taken span (``start < e and s < end``)."""
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start

    def inside(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies within one taken span (``s <= start and end <= e``)."""
        i = bisect.bisect_right(self._starts, start)
        return i > 0 and end <= self._ends[i - 1]

    def add(self, start: int, end: int) -> None:
        """Take ``[start, end)``; the caller has checked that it overlaps nothing."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def __len__(self) -> int:
        return len(self._starts)

# Four digits in a row: every year the date patterns read. A digit class gives the regex
# engine a prefix to skip ahead with, so this search is cheap.
YEAR_DIGITS = re.compile(r"\d{4}")


def lines_with(needle: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of lines of ``text`` in which ``needle`` occurs (merged
    when adjacent; ``end`` is the offset of the line break or of the text's end).

    Why: the date patterns open with a look-behind, which leaves the regex engine no
    prefix to skip ahead with, so each one tries every position of the text. A pattern
    that cannot match without a word that ``needle`` finds (a year, a month name, a
    weekday), and that reads no line break (spaces are ``[^\\S\\n]``; at a line's edges its
    look-arounds and ``\\b`` see the break as they see the text's edge), finds the same
    matches in these lines alone: see :func:`finditer_lines`.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = needle.search(text, pos)
        if m is None:
            return out
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if out and out[-1][1] + 1 >= start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        pos = end


def finditer_lines(rx: re.Pattern, text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match]:
    """``rx.finditer(text)`` restricted to ``windows`` (from :func:`lines_with`), in order.

    Offsets are into the whole text, and look-behinds still see the text before a window.
    Only for patterns that never read a line break and cannot match outside the windows.
    """
    for start, end in windows:
        yield from rx.finditer(text, start, end)
