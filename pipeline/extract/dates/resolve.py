"""Rows of the ``dates`` table: resolving what the grammar found against the reference date
(or, for anaphoric phrases, the date under discussion)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from spacy.tokens import Doc

from pipeline.extract.dates import grammar as dtx
from pipeline.extract.dates.context import (TokenIndex, after_deadline_cue, sentence_span,
                                            tense_direction)
from pipeline.extract.extensions import doc_text

ABSOLUTE, RELATIVE, DURATION, SET = "absolute", "relative", "duration", "set"
ANAPHORIC = "anaphoric"  # only with anaphoric=True; not a date for the gold
TIME, REFERENCE = "time", "reference"  # clock times and parts of days; PRESENT_REF and the like


def parse_reference(value: Any) -> dt.date | None:
    """The reference date as a ``date``; None when missing or not ISO 'YYYY-MM-DD'."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def make_row(text: str, start: int, end: int, value: str | None, granularity: str | None,
             kind: str, bounds: tuple[str | None, str | None] | None = None) -> dict:
    """One ``dates`` row as a plain dict (start/end from the value unless given)."""
    if bounds is None:
        bounds = dtx.period_bounds(value, granularity) if kind in {ABSOLUTE, RELATIVE} else (None, None)
    return {
        "start_char": start, "end_char": end, "text": text[start:end], "value": value,
        "granularity": granularity, "start": bounds[0], "end": bounds[1], "kind": kind,
    }


def part_row(doc: Doc, index: TokenIndex, part: dtx.DatePart, ref: dt.date | None) -> dict | None:
    """A single calendar date: absolute when its year is known (written, or borrowed from
    the other end of a range), else relative to the reference date (null without one)."""
    text = doc_text(doc)
    if part.year is not None:
        parsed = dtx.part_value(part)
        return make_row(text, part.start, part.end, parsed[0], parsed[1], ABSOLUTE) if parsed else None
    value = None
    if ref is not None:
        direction = 0 if after_deadline_cue(text, part.start) else tense_direction(index.at(part.end - 1))
        year = dtx.closest_year_for(ref, part.month, part.day, part.weekday, direction)
    else:
        year = context_year(text, index, part.start)
    resolved = dtx.part_value(part._replace(year=year)) if year else None
    value = resolved[0] if resolved else None
    return make_row(text, part.start, part.end, value, "day" if part.day is not None else "month", RELATIVE)


def context_year(text: str, index: TokenIndex, char: int) -> int | None:
    """With no reference date, the year a day-month or month without one takes from the
    release: the latest year its paragraph (line) states, else the first year the release
    states (its opening names the year it speaks in). None when no year is written."""
    return index.line_year(char)


def range_row(doc: Doc, index: TokenIndex, first: dtx.DatePart, last: dtx.DatePart,
               ref: dt.date | None) -> dict | None:
    """One row for a range whose first end borrows from the last ('2-3 December', 'January
    to September 2018'): an ISO interval value, start/end the first and last day covered.
    Absolute when the year is written; else the year comes from the reference date, placed
    by the verb's tense (a past range started by the reference date: resolve its first end;
    otherwise resolve its last end). None when the ends differ in granularity or do not
    form a forward range: the caller then emits one row per end."""
    text = doc_text(doc)
    if first.month is None or last.month is None or (first.day is None) != (last.day is None):
        return None
    gran = "day" if first.day is not None else "month"
    kind = ABSOLUTE if first.year is not None and last.year is not None else RELATIVE
    if kind == RELATIVE:
        if ref is None:
            anchor = last
            year = context_year(text, index, first.start)  # never invented: written in the release
        else:
            direction = tense_direction(index.at(last.end - 1))
            anchor = first if direction < 0 else last
            year = dtx.closest_year_for(ref, anchor.month, anchor.day, anchor.weekday, direction)
        if year is None:
            return None
        first, last = dtx.range_years(first, last, year, of_first=anchor is first)
    resolved = dtx.range_value(first, last)
    if resolved is None:
        return None
    value, gran, start, end = resolved
    return make_row(text, first.start, last.end, value, gran, kind, (start, end))


def relative_row(doc: Doc, index: TokenIndex, hit: dtx.RelativeHit, ref: dt.date | None) -> dict:
    """Resolve a deictic, month or weekday expression against the reference date."""
    text = doc_text(doc)
    if hit.kind == "generic":
        return make_row(text, hit.start, hit.end, "PRESENT_REF", None, REFERENCE, (None, None))
    if hit.kind == "deictic":
        if ref is None:
            return make_row(text, hit.start, hit.end, None, hit.unit, RELATIVE)
        value, gran, start, end = dtx.shift_period(ref, hit.unit, hit.offset)
        # a week is a period of days, not a calendar day, month or year
        return make_row(text, hit.start, hit.end, value, gran, RELATIVE, (start, end))
    if hit.kind == "month":
        if ref is None:
            year = context_year(text, index, hit.start) if hit.offset is None else None
            return make_row(text, hit.start, hit.end, dtx.iso_date(year, hit.month) if year else None,
                            "month", RELATIVE)
        direction = tense_direction(index.at(hit.end - 1)) if hit.offset is None else 0
        year = dtx.month_with_modifier(ref, hit.month, hit.offset, hit.of_year, direction)
        return make_row(text, hit.start, hit.end, dtx.iso_date(year, hit.month), "month", RELATIVE)
    # weekday
    if ref is None:
        return make_row(text, hit.start, hit.end, None, "day", TIME if hit.part_of_day else RELATIVE)
    direction = hit.offset
    if direction is None:
        direction = tense_direction(index.at(hit.end - 1)) or -1  # releases mostly report the past
    day = dtx.weekday_date(ref, hit.weekday, direction)
    if hit.offset and day == ref:
        day = day + relativedelta(weeks=hit.offset)  # 'last Monday' said on a Monday
    if hit.part_of_day:
        return make_row(text, hit.start, hit.end, f"{day.isoformat()}T{hit.part_of_day}", "part_of_day",
                        TIME, (day.isoformat(), day.isoformat()))
    return make_row(text, hit.start, hit.end, day.isoformat(), "day", RELATIVE)


_PRECISE_ENOUGH = {"year": {"year", "half", "quarter", "month", "week", "day"}, "month": {"month", "day"},
                   "week": {"day"}, "day": {"day"}}


def anchor_date(value: str, granularity: str) -> dt.date:
    """The first day of a dated row's value (a year, month, ISO week or day)."""
    if granularity == "week":
        return dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
    return dt.date.fromisoformat(dtx.period_bounds(value, granularity)[0])


# A year before or after a quarter or a half is that same period in the other year, as
# TimeML has it ('profit rose in the third quarter from $5 million a year earlier': 1988-Q3).
_COMPARED_PERIODS = {"quarter", "half"}


def _year_shifted(text: str, start: int, end: int, years: int, anchor: dict, kind: str) -> dict:
    """A row for ``text[start:end]`` naming ``anchor``'s period moved by ``years`` years."""
    value = f"{int(anchor['value'][:4]) + years:04d}{anchor['value'][4:]}"
    bounds = tuple((dt.date.fromisoformat(b) + relativedelta(years=years)).isoformat()
                   if b else None for b in (anchor["start"], anchor["end"]))
    return make_row(text, start, end, value, anchor["granularity"], kind, bounds)


def _anchor(doc: Doc, index: TokenIndex, start: int, unit: str, rows: list[dict]) -> dict | None:
    """The date under discussion at ``start``: a date precise enough for ``unit`` in the same
    sentence, else the last one before."""
    s_lo, s_hi = sentence_span(doc, index, start)
    dated = [r for r in rows if r["kind"] in {ABSOLUTE, RELATIVE} and r["value"]
             and r["granularity"] in _PRECISE_ENOUGH[unit] and r["start_char"] != start]
    anchor = next((r for r in dated if s_lo <= r["start_char"] < s_hi), None)
    if anchor is None:
        before = [r for r in dated if r["end_char"] <= start]
        anchor = max(before, key=lambda r: r["end_char"]) if before else None
    return anchor


def _compared_period(anchor: dict | None, unit: str) -> bool:
    return (anchor is not None and unit == "year" and anchor["granularity"] in _COMPARED_PERIODS
            and anchor["value"][:4].isdigit())


def anaphoric_row(doc: Doc, index: TokenIndex, hit: dtx.RelativeHit, rows: list[dict],
                   ref: dt.date | None) -> dict:
    """'the previous year', 'the following week': shifted from the date under discussion,
    i.e. a date precise enough for the unit in the same sentence, else the last one before,
    else the reference date (see module doc)."""
    text = doc_text(doc)
    anchor = _anchor(doc, index, hit.start, hit.unit, rows)
    if _compared_period(anchor, hit.unit):
        return _year_shifted(text, hit.start, hit.end, hit.offset, anchor, ANAPHORIC)
    base = anchor_date(anchor["value"], anchor["granularity"]) if anchor is not None else ref
    if base is None:
        return make_row(text, hit.start, hit.end, None, hit.unit, ANAPHORIC, (None, None))
    value, gran, start, end = dtx.shift_period(base, hit.unit, hit.offset)
    return make_row(text, hit.start, hit.end, value, gran, ANAPHORIC, (start, end))


def compared_ago_row(doc: Doc, index: TokenIndex, row: dict, years: int,
                     rows: list[dict]) -> dict:
    """TimeML's reading of 'a year ago' in a report on a quarter or a half ('net income of $5
    million, up from $3 million a year ago', after 'the third quarter'): that period
    ``years`` years before, not the year. ``row`` unchanged when no such period is under
    discussion."""
    anchor = _anchor(doc, index, row["start_char"], "year", rows)
    if not _compared_period(anchor, "year"):
        return row
    return _year_shifted(doc_text(doc), row["start_char"], row["end_char"], -years, anchor,
                         row["kind"])

