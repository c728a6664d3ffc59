"""The value types the statistics rules pass around: a number read from tokens and a
recognized statistic, both in token indices of the Doc."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class NumberRead:
    """A number phrase read from tokens ``start``..``end`` (exclusive)."""

    start: int
    end: int
    value: float
    is_digits: bool
    raw: str  # text of the first number token
    scaled: bool = False  # a scale word or abbreviation was applied (2.4 million, 5m)
    value_max: float | None = None  # upper end of a range
    split: tuple[int, int] | None = None  # range: (end char of the low end, start char of the high end)


@dataclass
class Stat:
    """A recognized statistic, in token indices of the Doc."""

    start: int  # first token of the text (qualifier included)
    end: int  # exclusive
    value: float
    unit: str
    qualifier: str | None
    anchor: int  # token that stands for the statistic in the parse
    kind: str  # percent | ratio | fraction | count | vague | multiple | currency | measure | age
    noun: int | None = None  # counted noun (counts) or the ratio's population noun
    value_max: float | None = None  # a range's upper end (the row of the high end)
    split: tuple[int, int] | None = None  # a range's (low end's end char, high end's start char)
