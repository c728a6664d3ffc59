"""Calendar expressions that may lack a year ('29 July', 'Aug 26') or a month ('8' in
'8-10 November 2023'), linked to a neighbour in a range to borrow what they lack."""
from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.extract.dates.absolute import (
    _capitalized,
    find_absolute_dates,
    iso_date,
    period_bounds,
)
from pipeline.extract.dates.spans import SpanSet, finditer_lines, lines_with
from pipeline.extract.dates.vocab import (
    is_plausible_year,
    month_needle,
    month_number,
    pattern,
    weekday_number,
)


class DatePart(NamedTuple):
    """A calendar expression at day or month granularity; missing fields are None.

    ``year`` is set when the text writes it or the other end of a range does ('8' in
    '8-10 November 2023'); otherwise it must come from the reference date. ``joined``
    marks the first end of a range in which one end is incomplete on its own and borrows
    its month and/or year from the other ('2-3 December', 'June 13-19', 'January to
    September 2018'): the two parts are one date expression (see ``group_ranges``).
    """

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None
    joined: bool = False




def _capital_month(m: re.Match) -> bool:
    return _capitalized(m.group("m"))


def find_date_parts(text: str) -> list[DatePart]:
    """All calendar dates at day or month granularity in ``text``, with or without a year.

    Full dates come from ``find_absolute_dates``; then day-month without year, the first end
    of day and month ranges (which borrow month and year from the second end, see
    ``link_ranges``). Spans never overlap. Bare months without a day need a cue word and are
    found by ``find_relative``.
    """
    parts: list[DatePart] = []
    taken = SpanSet()

    def free(a: int, b: int) -> bool:
        return not taken.overlaps(a, b)

    def add(part: DatePart) -> None:
        taken.add(part.start, part.end)
        parts.append(part)

    # every pattern below names a month and reads no line break: only the lines with a
    # month name are scanned (see spans.lines_with); on the mixed benchmark corpus these six
    # patterns took 0.9 ms per release over the whole text, 0.45 ms over these lines. (The
    # relative finder's three month patterns are cheaper than the month search itself, so
    # they still scan the whole text.)
    months = lines_with(month_needle(), text)
    # 'June 13-19, 2010' first: two parts, the second borrowing the month
    for m in finditer_lines(pattern("part_md_range"), text, months):
        if not _capital_month(m) or not free(*m.span()):
            continue
        month_ = month_number(m.group("m"))
        year_ = int(m.group("y")) if m.group("y") else None
        d1, d2 = int(m.group("d1")), int(m.group("d2"))
        if not (1 <= d1 < d2 <= 31) or (year_ is not None and not is_plausible_year(year_)):
            continue
        wd_ = weekday_number(m.group("wd")) if m.group("wd") else None
        add(DatePart(m.start(), m.start("d1") + len(m.group("d1")), year_, month_, d1, wd_, joined=True))
        add(DatePart(m.start("d2"), m.end(), year_, month_, d2, None))
    for start, end, value, gran in find_absolute_dates(text):
        if not free(start, end):
            continue
        y, mo = int(value[:4]), int(value[5:7])
        d = int(value[8:10]) if gran == "day" else None
        wd_m = pattern("weekday_prefix").match(text[start:end])
        add(DatePart(start, end, y, mo, d, weekday_number(wd_m.group(1)) if wd_m else None))
    for key in ("part_dm", "part_md"):
        for m in finditer_lines(pattern(key), text, months):
            if not _capital_month(m) or not free(*m.span()):
                continue
            d = int(m.group("d"))
            if not 1 <= d <= 31:
                continue
            wd_ = weekday_number(m.group("wd")) if m.group("wd") else None
            add(DatePart(m.start(), m.end(), None, month_number(m.group("m")), d, wd_))
    for m in finditer_lines(pattern("part_day_before"), text, months):
        d = int(m.group("d"))
        if 1 <= d <= 31 and free(*m.span()):
            add(DatePart(m.start(), m.end(), None, None, d, None))
    for name in ("part_month_before", "part_month_to_month"):  # 'January' of 'January to March (2018)'
        for m in finditer_lines(pattern(name), text, months):
            if _capital_month(m) and free(*m.span()):
                add(DatePart(m.start(), m.end(), None, month_number(m.group("m")), None, None))
    parts.sort()
    return link_ranges(parts, text)




def _runs_backward(month: int, day: int | None, last: DatePart) -> bool:
    """Whether month/day falls later in the calendar year than ``last``: a range from it
    to ``last`` then crosses a new year ('28 December to 3 January')."""
    return (month, day or 0) > (last.month, last.day or 99)


def link_ranges(parts: list[DatePart], text: str) -> list[DatePart]:
    """Let the first end of a range borrow month and year from the second end, and mark
    it ``joined`` when it borrowed its month (it is no date on its own).

    '8-10 November 2023' -> 8 takes November 2023; '29 November to 1 December 2018' ->
    29 November takes 2018; '28 December to 3 January 2020' -> 2019, since a range runs
    forward. '14 and 8 April' (a borrowed month, days out of order) is a list, not a
    range: both ends keep the same month and year and stay apart. Works right to left so
    that chains propagate.
    """
    out = list(parts)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a.year is not None and a.month is not None:
            continue
        if not pattern("range_connector").fullmatch(text[a.end:b.start]) or b.month is None:
            continue
        month_ = a.month if a.month is not None else b.month
        forward = a.month is not None or a.day is None or b.day is None or a.day < b.day
        year_ = b.year
        if year_ is not None and a.month is not None and _runs_backward(month_, a.day, b):
            year_ -= 1
        # one expression only when the first end names no month ('2-3 December'); an end
        # with its own month is a date of its own that borrows the year ('January to
        # September 2018' is 'January' 2018-01 and 'September 2018')
        out[i] = a._replace(month=month_, year=year_ if a.year is None else a.year,
                            joined=a.joined or (a.month is None and forward))
    return out


def group_ranges(parts: list[DatePart]) -> list[tuple[DatePart, DatePart | None]]:
    """Pair each ``joined`` part with the next one (the two ends of one expression);
    other parts stand alone as ``(part, None)``."""
    out: list[tuple[DatePart, DatePart | None]] = []
    i = 0
    while i < len(parts):
        if parts[i].joined and i + 1 < len(parts):
            out.append((parts[i], parts[i + 1]))
            i += 2
        else:
            out.append((parts[i], None))
            i += 1
    return out


def range_years(first: DatePart, last: DatePart, year: int, of_first: bool) -> tuple[DatePart, DatePart]:
    """Both ends of a year-less range given the year of one of them (``of_first``): the
    other end is in the same year, or across the new year when the range runs past
    December ('28 December to 3 January')."""
    if first.month is None or last.month is None:
        return first, last
    crosses = _runs_backward(first.month, first.day, last)
    if of_first:
        return first._replace(year=year), last._replace(year=year + 1 if crosses else year)
    return first._replace(year=year - 1 if crosses else year), last._replace(year=year)


def range_value(first: DatePart, last: DatePart) -> tuple[str, str, str, str] | None:
    """(ISO interval 'start/end', granularity, first day, last day) of a range whose ends
    both know their year and month and share a granularity: '2024-12-02/2024-12-03'
    (day), '2018-01/2018-09' (month). None otherwise, or when the range runs backward."""
    a, b = part_value(first), part_value(last)
    if a is None or b is None or a[1] != b[1]:
        return None
    start, end = period_bounds(a[0], a[1])[0], period_bounds(b[0], b[1])[1]
    if start is None or end is None or start > end:
        return None
    return f"{a[0]}/{b[0]}", a[1], start, end


def part_value(part: DatePart) -> tuple[str, str] | None:
    """ISO value and granularity of a part whose year and month are known."""
    if part.year is None or part.month is None:
        return None
    if part.day is None:
        value = iso_date(part.year, part.month)
        return (value, "month") if value else None
    value = iso_date(part.year, part.month, part.day)
    return (value, "day") if value else None


