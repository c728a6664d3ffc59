"""Date arithmetic of the resolution rules: placing a year-less date, a month or a weekday
near the reference date, and shifting a period by whole units (``dateutil.relativedelta``)."""
from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import MO, relativedelta
from dateutil.relativedelta import weekday as rd_weekday

from pipeline.extract.dates.absolute import period_bounds


def closest_year_for(ref: dt.date, month: int, day: int | None = None,
                     weekday: int | None = None, direction: int = 0) -> int | None:
    """The year (ref's, the one before or after) that puts month/day closest to ``ref``.

    A release dated 3 January that mentions '29 December' means the past December; one
    dated 2 October announcing a meeting 'on 6 October' means this October. ``direction``
    -1 (a past-tense verb) keeps to dates on or before ref, +1 (future) on or after it. A
    stated weekday ('Tuesday, June 15') picks the year where it fits, when one does.
    """
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(year, month, day or 15)
        except ValueError:
            continue
        if day is None:  # a month: compare whole months
            d_index, r_index = year * 12 + month, ref.year * 12 + ref.month
            side = (d_index > r_index) - (d_index < r_index)
        else:
            side = (d > ref) - (d < ref)
        wrong_side = direction != 0 and side == -direction
        fits = weekday is None or day is None or d.weekday() == weekday
        candidates.append((not fits, wrong_side, abs((d - ref).days), year != ref.year, year))
    if not candidates:
        return None
    return min(candidates)[4]


def shift_period(ref: dt.date, unit: str, offset: int) -> tuple[str, str, str, str]:
    """(value, granularity, start, end) of the day/week/month/year ``offset`` units from ref."""
    if unit == "day":
        d = ref + relativedelta(days=offset)
        return d.isoformat(), "day", d.isoformat(), d.isoformat()
    if unit == "week":
        monday = ref + relativedelta(weekday=MO(-1), weeks=offset)
        iso = monday.isocalendar()
        sunday = monday + relativedelta(days=6)
        return f"{iso[0]:04d}-W{iso[1]:02d}", "week", monday.isoformat(), sunday.isoformat()
    if unit == "month":
        first = ref.replace(day=1) + relativedelta(months=offset)
        value = f"{first.year:04d}-{first.month:02d}"
        start, end = period_bounds(value, "month")
        return value, "month", start, end
    value = f"{ref.year + offset:04d}"
    start, end = period_bounds(value, "year")
    return value, "year", start, end


def month_with_modifier(ref: dt.date, month: int, modifier: int | None, of_year: bool = False,
                        direction: int = 0) -> int:
    """Year of a month named relative to ``ref``.

    'last July' = the latest July before ref's month; 'next July' = the first one after;
    'this July' = ref's year; a bare cued month ('in July') = the closest one on the side
    ``direction`` (the verb's tense: -1 past, +1 future, 0 unknown) points to. With
    ``of_year`` ('July last year'), the modifier shifts ref's year directly.
    """
    if of_year:
        return ref.year + (modifier or 0)
    if modifier is None:
        return closest_year_for(ref, month, direction=direction) or ref.year
    if modifier < 0:
        return ref.year if month < ref.month else ref.year - 1
    if modifier > 0:
        return ref.year if month > ref.month else ref.year + 1
    return ref.year


def weekday_date(ref: dt.date, weekday: int, direction: int) -> dt.date:
    """The date of a weekday near ``ref``: direction -1 = latest on or before ref,
    +1 = first on or after ref, 0 = the one in ref's (Monday-first) week."""
    if direction < 0:
        return ref + relativedelta(weekday=rd_weekday(weekday, -1))
    if direction > 0:
        return ref + relativedelta(weekday=rd_weekday(weekday, +1))
    return ref + relativedelta(weekday=MO(-1), days=weekday)
