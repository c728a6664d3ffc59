"""Rows of TimeML's further classes, resolved against the reference date: references,
seasons, quarters and halves, clock times and parts of the day, vague durations; and the
modifier words TimeML keeps inside a date ('early next year', 'the past two months')."""
from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from pipeline.extract.dates import classes
from pipeline.extract.dates.resolve import (
    ABSOLUTE,
    DURATION,
    REFERENCE,
    RELATIVE,
    TIME,
    make_row,
)


def _bounds(year: int, month: int, months: int) -> tuple[str, str]:
    first = dt.date(year, month, 1)
    return first.isoformat(), (first + relativedelta(months=months, days=-1)).isoformat()


def reference_row(text: str, start: int, end: int, value: str) -> dict:
    """'now' -> PRESENT_REF: kind reference, no granularity, no bounds."""
    return make_row(text, start, end, value, None, REFERENCE, (None, None))


def season_row(text: str, hit: classes.SeasonHit, ref: dt.date | None) -> dict | None:
    """'last winter', 'summer 1998' -> '1998-SU' (a winter is the year it begins in)."""
    if hit.year is not None:
        year = hit.year
    elif ref is None:
        return make_row(text, hit.start, hit.end, None, "season", RELATIVE, (None, None))
    else:
        begun = ref.month >= hit.start_month
        if hit.offset is None or hit.offset == 0:
            year = ref.year
        elif hit.offset < 0:
            year = ref.year if begun else ref.year - 1
        else:
            year = ref.year if not begun else ref.year + 1
    kind = ABSOLUTE if hit.year is not None else RELATIVE
    return make_row(text, hit.start, hit.end, f"{year:04d}-{hit.code}", "season", kind,
                    _bounds(year, hit.start_month, 3))


def period_row(text: str, hit: classes.PeriodHit, ref: dt.date | None) -> dict | None:
    """'the third quarter' -> '1989-Q3', 'the first half of 1990' -> '1990-H1'. Without a
    year, the period is the latest one of that number begun by the reference date; 'the
    (latest) quarter' is the last one completed before it."""
    months = 3 if hit.letter == "Q" else 6
    granularity = "quarter" if hit.letter == "Q" else "half"
    if hit.year is not None:
        if hit.number is None:
            return None
        year, number = hit.year + hit.year_offset, hit.number
    elif ref is None:
        return make_row(text, hit.start, hit.end, None, granularity, RELATIVE, (None, None))
    else:
        current = (ref.month - 1) // months + 1
        if hit.number is None:
            number, year = (current - 1, ref.year) if current > 1 else (12 // months, ref.year - 1)
        else:
            number = hit.number
            year = ref.year if number <= current else ref.year - 1
        year += hit.year_offset
    value = f"{year:04d}-{hit.letter}{number}"
    kind = ABSOLUTE if hit.year is not None else RELATIVE
    return make_row(text, hit.start, hit.end, value, granularity, kind,
                    _bounds(year, (number - 1) * months + 1, months))


def clock_row(text: str, start: int, end: int, hour: int, minute: int, day: str | None) -> dict:
    """'9 a.m.' on the reference day (or the day written next to it) -> '1998-08-07T09:00'."""
    value = f"{day or 'XXXX-XX-XX'}T{hour:02d}:{minute:02d}"
    return make_row(text, start, end, value, "minute", TIME, (day, day))


def part_of_day_row(text: str, start: int, end: int, code: str, day: str | None) -> dict:
    """'this morning' -> '1998-02-06TMO', 'Wednesday night' -> '...TNI'."""
    value = f"{day or 'XXXX-XX-XX'}T{code}"
    return make_row(text, start, end, value, "part_of_day", TIME, (day, day))


_LEAD_PATTERN = {ABSOLUTE: "date_modifier_before", RELATIVE: "date_modifier_before",
                 DURATION: "duration_lead_before"}


def with_leading_words(text: str, rows: list[dict]) -> list[dict]:
    """Rows (sorted, not overlapping) whose start takes in the modifier words TimeML keeps
    inside the expression: 'early next year', 'the end of 1990', 'mid-November' (a date),
    'the past two months', 'the first nine months' (a duration). The value is unchanged;
    a row never grows into the one before it."""
    out: list[dict] = []
    previous_end = 0
    for row in rows:
        name = _LEAD_PATTERN.get(row["kind"])
        if row["kind"] == DURATION and "-" in row["text"]:
            name = None  # 'a three-day workshop': the article belongs to the noun
        if name is not None:
            start, _ = classes.lead_start(text, row["start_char"], name)
            if start < row["start_char"] and start >= previous_end and "\n" not in text[start:row["start_char"]]:
                row = {**row, "start_char": start, "text": text[start:row["end_char"]]}
        out.append(row)
        previous_end = row["end_char"]
    return out

