"""A set of non-overlapping character spans with logarithmic overlap tests."""
from __future__ import annotations

import bisect


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
