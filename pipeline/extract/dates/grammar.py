"""The date grammar's public face: pure functions over plain text, no spaCy.

Ingest (publication date, dateline date) and tests use these on plain strings. The grammar
follows HeidelTime's split: the words, patterns, normalization tables and rules live in
``pipeline/resources/dates.json``; the modules below apply them and hold no English.

- ``absolute``: ``parse_date`` (a standalone date string -> ``(iso_value, granularity)``),
  ``find_absolute_dates`` (dates with a year at day or month granularity), ``period_bounds``,
  ``iso_date``.
- ``parts``: ``find_date_parts`` (dates with or without a year, range ends) +
  ``group_ranges``, ``range_years``, ``range_value``, ``part_value``.
- ``relative``: ``find_relative`` ('today', 'last July', 'on Monday', 'the previous year'),
  ``find_vague``.
- ``years``: ``find_year_numbers`` + ``is_year_context`` + ``propagate_years``,
  ``find_decades``.
- ``periods``: ``find_durations``, ``find_ago``, ``find_sets``.
- ``arithmetic``: ``closest_year_for``, ``shift_period``, ``month_with_modifier``,
  ``weekday_date``.
"""
from __future__ import annotations

from pipeline.extract.dates.absolute import (
    find_absolute_dates,
    iso_date,
    parse_date,
    period_bounds,
)
from pipeline.extract.dates.arithmetic import (
    closest_year_for,
    month_with_modifier,
    shift_period,
    weekday_date,
)
from pipeline.extract.dates.parts import (
    DatePart,
    find_date_parts,
    group_ranges,
    part_value,
    range_value,
    range_years,
)
from pipeline.extract.dates.periods import find_ago, find_durations, find_sets
from pipeline.extract.dates.relative import RelativeHit, find_relative, find_vague
from pipeline.extract.dates.spans import SpanSet
from pipeline.extract.dates.vocab import (
    is_plausible_year,
    month_number,
    pattern,
    vocabulary,
    weekday_number,
)
from pipeline.extract.dates.years import (
    YearContext,
    YearNumber,
    find_decades,
    find_year_numbers,
    is_excluded_number,
    is_year_context,
    propagate_years,
)


def year_pattern():
    """The compiled pattern of a 4-digit number that may be a year (group 1)."""
    return pattern("year")


__all__ = [
    "DatePart", "RelativeHit", "SpanSet", "YearContext", "YearNumber", "closest_year_for",
    "find_absolute_dates", "find_ago", "find_date_parts", "find_decades", "find_durations",
    "find_relative", "find_sets", "find_vague", "find_year_numbers", "group_ranges",
    "is_excluded_number", "is_plausible_year", "is_year_context", "iso_date", "month_number",
    "month_with_modifier", "parse_date", "part_value", "period_bounds", "propagate_years",
    "range_value", "range_years", "shift_period", "vocabulary", "weekday_date", "weekday_number", "year_pattern",
]
