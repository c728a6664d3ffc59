"""Absolute calendar dates (with a year) found by the rules of the data file.

Each rule of ``dates.json`` ``rules`` has a name, a pattern, a normalized value template
and an example; this module applies them in order, most specific first. Numeric all-digit
dates (``12/07/2013``) are read day-first, as UN and European releases write them, unless
the second number cannot be a month (then the rule's fallback, month-first: 03/21/2019).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache

from dateutil.relativedelta import relativedelta

from pipeline.extract.dates.spans import YEAR_DIGITS, SpanSet, finditer_lines, lines_with
from pipeline.extract.dates.vocab import (
    expand,
    is_plausible_year,
    month_number,
    vocabulary,
)


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO string at the precision given (``2023``, ``2023-11``, ``2023-11-08``); None if invalid."""
    if not is_plausible_year(year):
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def period_bounds(value: str | None, granularity: str | None) -> tuple[str | None, str | None]:
    """First and last day (ISO) covered by a day/month/year value; (None, None) otherwise."""
    if value is None or granularity not in {"day", "month", "year"}:
        return None, None
    if granularity == "day":
        return value, value
    year = int(value[:4])
    if granularity == "year":
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    first = dt.date(year, int(value[5:7]), 1)
    return first.isoformat(), (first + relativedelta(day=31)).isoformat()


@cache
def rules() -> tuple[tuple[str, re.Pattern, str, str | None], ...]:
    """(name, compiled pattern, value template, fallback template) of each absolute rule.
    All are case-insensitive; callers that scan running text check the month's capital."""
    return tuple((r["name"], re.compile(expand(r["pattern"]), re.IGNORECASE), r["value"], r.get("fallback"))
                 for r in vocabulary()["rules"])


def _field(raw: str | None, is_month: bool) -> int | None:
    if raw is None:
        return None
    if raw.isdigit():
        return int(raw)
    return month_number(raw) if is_month else None


def apply_value(template: str, m: re.Match) -> tuple[str, str] | None:
    """ISO value and granularity of a value template ('%y-%m-%d') filled from a match.

    The fields are year, month (a name or a number) and day, in that order; a missing
    group or an invalid date gives None.
    """
    names = [f.lstrip("%") for f in template.split("-")]
    raw = [m.group(n) for n in names]
    if any(r is None for r in raw):
        return None
    year = int(raw[0])
    month = _field(raw[1], True) if len(raw) > 1 else None
    day = _field(raw[2], False) if len(raw) > 2 else None
    if len(raw) > 1 and month is None:
        return None
    value = iso_date(year, month, day)
    if value is None:
        return None
    return value, ("year", "month", "day")[len(raw) - 1]


def rule_value(template: str, fallback: str | None, m: re.Match) -> tuple[str, str] | None:
    """The value of a rule's match, by its template or else its fallback."""
    return apply_value(template, m) or (apply_value(fallback, m) if fallback else None)


def _capitalized(word: str) -> bool:
    """Month names in running text are capitalized; 'may 2018' is most likely the verb."""
    return word[:1].isupper()


def parse_date(text: str) -> tuple[str, str] | None:
    """Parse a standalone date string into ``(iso_value, granularity)``.

    Accepts '30 July 2024', 'July 30, 2024', '8 Nov. 2023', '2023-11-08',
    'Thursday, June 14, 2018', '2nd May 2018', 'Fri, Jul-12-2013', 'July 2023', '2024'.
    Surrounding whitespace and punctuation are ignored; anything else makes it not a date.
    """
    s = text.strip().strip(",;:()[]").strip()
    s = re.sub(r"\s+", " ", s)
    if re.fullmatch(r"\d{4}\.?", s):
        s = s.rstrip(".")
    if re.fullmatch(r"\d{4}", s):
        value = iso_date(int(s))
        return (value, "year") if value else None
    s = s.rstrip(".")  # 'July 2023.' ; an abbreviation dot before the year is kept inside
    for _, rx, template, fallback in rules():
        m = rx.fullmatch(s)
        if m:
            return rule_value(template, fallback, m)
    return None


# Every absolute rule needs a 4-digit year and none reads a line break, so only the lines
# with one are scanned (see spans.lines_with): find_absolute_dates went from 2.1 to 0.4 ms
# per release on the mixed benchmark corpus, and the header reader, which asks line by
# line, skips most lines at once.


def find_absolute_dates(text: str) -> list[tuple[int, int, str, str]]:
    """Every absolute date with a year at day or month granularity in ``text``.

    Returns ``(start, end, value, granularity)`` sorted by start; spans never overlap (the
    longest, most specific rule wins). Bare years and day-month without year are not
    returned here (they need context; see ``pipeline.extract.dates.component``).
    """
    taken = SpanSet()
    found: list[tuple[int, int, str, str]] = []
    windows = lines_with(YEAR_DIGITS, text)
    for _, rx, template, fallback in rules():
        for m in finditer_lines(rx, text, windows):
            start, end = m.span()
            if taken.overlaps(start, end):
                continue
            if m.groupdict().get("m") and not _capitalized(m.group("m")):
                continue
            parsed = rule_value(template, fallback, m)
            if parsed is None:
                continue
            taken.add(start, end)
            found.append((start, end, parsed[0], parsed[1]))
    found.sort()
    return found
