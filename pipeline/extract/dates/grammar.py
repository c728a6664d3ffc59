"""Pure date-text helpers: regex detection and ISO normalization of calendar dates.

No spaCy here, so ingest (publication date, dateline date) and tests can use these on plain
strings. The vocabulary (month and weekday names, abbreviations, the plausible year range)
lives in ``pipeline/resources/dates.json``.

Public functions
- ``parse_date(text)``: a standalone date string -> ``(iso_value, granularity)`` or None.
- ``find_absolute_dates(text)``: every day- or month-granularity date *with a year* in a text,
  as ``(start, end, value, granularity)``; no model needed.
- ``period_bounds(value, granularity)``: first and last day an ISO value covers.
- Detectors used by ``pipeline.extract.dates.component`` (each pure, each testable on a line of text):
  ``find_date_parts`` (dates with or without year, range ends) + ``group_ranges``,
  ``range_years`` and ``range_value`` (a range one end of which borrows from the other is
  one expression with an ISO interval value), ``find_relative``
  ('today', 'last July', 'on Monday', 'the previous year'), ``find_vague``,
  ``find_year_numbers`` + ``is_year_context`` + ``propagate_years`` (bare years),
  ``find_decades``, ``find_durations``, ``find_ago``, ``find_sets``.
- Resolvers: ``closest_year_for``, ``shift_period``, ``month_with_modifier``, ``weekday_date``.
- Small pieces: ``iso_date``, ``month_number``, ``weekday_number``, ``is_plausible_year``.

Numeric all-digit dates (``12/07/2013``) are read day-first, as UN and European releases
write them, unless the second number cannot be a month (then month-first: 03/21/2019).
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from pipeline.resources import RESOURCES

DATA_FILE = RESOURCES / "dates.json"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The dates vocabulary, loaded once (months, weekdays, cue words...)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def _month_table() -> dict[str, int]:
    vocab = vocabulary()
    return {**vocab["months"], **vocab["month_abbreviations"]}


def _weekday_table() -> dict[str, int]:
    vocab = vocabulary()
    return {**vocab["weekdays"], **vocab["weekday_abbreviations"]}


def month_number(name: str) -> int | None:
    """1-12 for an English month name or abbreviation (any case, trailing dot allowed)."""
    return _month_table().get(name.lower().rstrip("."))


def weekday_number(name: str) -> int | None:
    """0 (Monday) - 6 (Sunday) for an English weekday name or abbreviation."""
    return _weekday_table().get(name.lower().rstrip("."))


def is_plausible_year(year: int) -> bool:
    """Whether a 4-digit number may be a calendar year in a press release (1900-2100 by default)."""
    low, high = vocabulary()["year_range"]
    return low <= year <= high


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
    month = int(value[5:7])
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


# --------------------------------------------------------------------------- span sets

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


# --------------------------------------------------------------------------- regexes

_SP = r"[^\S\n]"  # whitespace that does not cross a line: every line is its own sentence


def _alternation(words) -> str:
    """Regex alternation, longest first so 'Sept' wins over 'Sep'.

    The words are grouped by their first character ('j(?:anuary|une|uly|an)|f(?:ebruary|eb)'),
    keeping their order within a group: words that start with different letters never
    match at the same place, so the matches are those of the flat alternation, but the
    engine rejects a place after one test per group instead of one per word (every date
    pattern tries the month names at every word of a release). When two first characters
    could match the same character (case variants, non-ASCII), the flat form is kept.
    """
    ordered = sorted(((w, re.escape(w)) for w in words), key=lambda p: len(p[1]), reverse=True)
    firsts = {w[:1] for w, _ in ordered}
    if "" in firsts or not all(c.isascii() for c in firsts) \
            or len({c.lower() for c in firsts}) != len(firsts):
        return "|".join(e for _, e in ordered)
    groups: dict[str, list[str]] = {}
    for w, _ in ordered:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in groups.items())


def _month_rx() -> str:
    """A month name as group 'm'; only an abbreviation takes a dot ('Nov.', not 'July.')."""
    vocab = vocabulary()
    full = _alternation(vocab["months"])
    abbr = _alternation(vocab["month_abbreviations"])
    return rf"(?P<m>\b(?:{full})\b|\b(?:{abbr})\b\.?)"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Compiled absolute-date patterns, most specific first. All are case-insensitive;
    callers that scan running text check capitalization of the month themselves."""
    wd = _alternation(_weekday_table())
    left = r"(?<![\w/.\-])"      # not glued to a word, an identifier or a number
    right = r"(?![\w/]|[.\-]\d)"  # nor followed by one
    weekday = rf"(?:(?P<wd>\b(?:{wd}))\.?,?{_SP}+)?"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    month = _month_rx()
    year = r"(?P<y>\d{4})"
    specs = [
        # 8 November 2023 / 2nd May 2018 / 8 Nov. 2023 / Thursday, 14 June, 2018 / 8 of May 2018
        ("dmy", rf"(?<![\w/.]){weekday}{day}{_SP}+(?:of{_SP}+)?{month},?{_SP}+{year}{right}"),
        # June 14, 2018 / Thursday, June 14th, 2018
        ("mdy", rf"{left}{weekday}{month}{_SP}+{day},?{_SP}+{year}{right}"),
        # Jul-12-2013 / Fri, Jul-12-2013 / Jul/12/2013
        ("mdy_dash", rf"{left}{weekday}{month}[-/]{day}[-/,]{_SP}?{year}{right}"),
        # 12-Jul-2013
        ("dmy_dash", rf"{left}{weekday}{day}[-/]{month}[-/]{year}{right}"),
        # 2023-11-08, and ISO datetimes of web metadata: 2023-11-08T10:00:00Z (a day)
        ("iso", r"(?<![\w/.\-])(?P<y>\d{4})-(?P<mm>\d{2})-(?P<dd>\d{2})"
                r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?(?![\w/]|[.\-]\d)"),
        # 08/11/2023, 8.11.2023 (day-first)
        ("numeric", r"(?<![\w/.\-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/]|[.\-]\d)"),
        # July 2023 / Jul. 2023 / July of 2023 / July, 2023
        ("my", rf"{left}{month},?{_SP}+(?:of{_SP}+)?{year}{right}"),
    ]
    return [(name, re.compile(rx, re.IGNORECASE)) for name, rx in specs]


def _value_of(name: str, m: re.Match) -> tuple[str, str] | None:
    """ISO value and granularity of one pattern match, or None if it is no valid date."""
    gd = m.groupdict()
    year = int(gd["y"])
    if name == "iso":
        value = iso_date(year, int(gd["mm"]), int(gd["dd"]))
        return (value, "day") if value else None
    if name == "numeric":
        a, b = int(gd["a"]), int(gd["b"])
        day_, month_ = (a, b) if b <= 12 else (b, a)
        value = iso_date(year, month_, day_)
        return (value, "day") if value else None
    month_ = month_number(gd["m"])
    if month_ is None:
        return None
    if gd.get("d") is None:
        value = iso_date(year, month_)
        return (value, "month") if value else None
    value = iso_date(year, month_, int(gd["d"]))
    # A weekday that contradicts the date is not checked: the date as written is what the
    # text states.
    return (value, "day") if value else None


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
    for name, rx in _patterns():
        m = rx.fullmatch(s)
        if m:
            return _value_of(name, m)
    return None


def find_absolute_dates(text: str) -> list[tuple[int, int, str, str]]:
    """Every absolute date with a year at day or month granularity in ``text``.

    Returns ``(start, end, value, granularity)`` sorted by start; spans never overlap (the
    longest, most specific pattern wins). Bare years and day-month without year are not
    returned here (they need context; see ``pipeline.extract.dates.component``).
    """
    taken = SpanSet()
    found: list[tuple[int, int, str, str]] = []
    for name, rx in _patterns():
        for m in rx.finditer(text):
            start, end = m.span()
            if taken.overlaps(start, end):
                continue
            if m.groupdict().get("m") and not _capitalized(m.group("m")):
                continue
            parsed = _value_of(name, m)
            if parsed is None:
                continue
            taken.add(start, end)
            found.append((start, end, parsed[0], parsed[1]))
    found.sort()
    return found


# =========================================================================== date parts
# Calendar expressions that may lack a year ('29 July', 'Aug 26') or a month ('8' in
# '8-10 November 2023'), linked to a neighbour in a range to borrow what they lack.

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


@lru_cache(maxsize=1)
def _part_patterns() -> dict[str, re.Pattern]:
    """Patterns for day-month without year, bare range ends and cue-introduced months."""
    mon = _alternation(_month_table())
    wd = _alternation(_weekday_table())
    month = _month_rx()
    weekday = rf"(?:(?P<wd>\b(?:{wd}))\.?,?{_SP}+)?"
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    no_year_after = rf"(?!,?{_SP}*(?:of{_SP}+)?\d)(?![\w])"
    conn = rf"{_SP}*(?:-|–|—|to|until|till|through|and|&){_SP}*"
    return {
        # 29 July / Tuesday, 15 June / 1st of May
        "dm": re.compile(rf"(?<![\w/.,]){weekday}{day}{_SP}+(?:of{_SP}+)?{month}{no_year_after}", re.I),
        # July 29 / Tuesday, June 15 / Aug 26
        "md": re.compile(rf"(?<![\w/.]){weekday}{month}{_SP}+{day}(?![\w:]|[.,]\d|{_SP}*[-–—]?{_SP}*\d)"
                         rf"(?!,?{_SP}+\d{{4}})", re.I),
        # the '8' of '8-10 November' / '8 and 14 April' (the second end is found by the others)
        "day_before": re.compile(rf"(?<![\w/.,]){day}(?={conn}[0-3]?\d(?:st|nd|rd|th)?{_SP}+(?:of{_SP}+)?(?:{mon})\b)", re.I),
        # 'June 13-19, 2010' / 'June 13-19'
        "md_range": re.compile(rf"(?<![\w/.]){weekday}{month}{_SP}+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?{_SP}*[-–—]{_SP}*"
                               rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?{_SP}+(?P<y>\d{{4}}))?(?![\w/])", re.I),
        # the 'January' of 'from January to September 2018'
        "month_before": re.compile(rf"(?<![\w/.]){month}(?={conn}(?:{mon})\b\.?,?{_SP}+(?:of{_SP}+)?\d{{4}}(?!\d))", re.I),
    }


@lru_cache(maxsize=1)
def _weekday_prefix_regex() -> re.Pattern:
    """A weekday name opening a date ('Thursday, 14 June 2018'), compiled once."""
    return re.compile(rf"({_alternation(_weekday_table())})\b", re.I)


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

    pats = _part_patterns()
    # 'June 13-19, 2010' first: two parts, the second borrowing the month
    for m in pats["md_range"].finditer(text):
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
        wd_m = _weekday_prefix_regex().match(text[start:end])
        add(DatePart(start, end, y, mo, d, weekday_number(wd_m.group(1)) if wd_m else None))
    for key in ("dm", "md"):
        for m in pats[key].finditer(text):
            if not _capital_month(m) or not free(*m.span()):
                continue
            d = int(m.group("d"))
            if not 1 <= d <= 31:
                continue
            wd_ = weekday_number(m.group("wd")) if m.group("wd") else None
            add(DatePart(m.start(), m.end(), None, month_number(m.group("m")), d, wd_))
    for m in pats["day_before"].finditer(text):
        d = int(m.group("d"))
        if 1 <= d <= 31 and free(*m.span()):
            add(DatePart(m.start(), m.end(), None, None, d, None))
    for m in pats["month_before"].finditer(text):
        if _capital_month(m) and free(*m.span()):
            add(DatePart(m.start(), m.end(), None, month_number(m.group("m")), None, None))
    parts.sort()
    return link_ranges(parts, text)


_RANGE_CONNECTOR = re.compile(r"[^\S\n]*(?:-|–|—|to|until|till|through|and|&)[^\S\n]*$", re.I)


def _runs_backward(month: int, day: int | None, last: DatePart) -> bool:
    """Whether month/day falls later in the calendar year than ``last``: a range from it
    to ``last`` then crosses a new year ('28 December to 3 January')."""
    return (month, day or 0) > (last.month, last.day or 99)


def link_ranges(parts: list[DatePart], text: str) -> list[DatePart]:
    """Let the first end of a range borrow month and year from the second end, and mark
    it ``joined`` when it borrowed something (it was incomplete on its own).

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
        if not _RANGE_CONNECTOR.fullmatch(text[a.end:b.start]) or b.month is None:
            continue
        month_ = a.month if a.month is not None else b.month
        forward = a.month is not None or a.day is None or b.day is None or a.day < b.day
        year_ = b.year
        if year_ is not None and a.month is not None and _runs_backward(month_, a.day, b):
            year_ -= 1
        borrowed = a.month is None or (a.year is None and year_ is not None)
        out[i] = a._replace(month=month_, year=year_ if a.year is None else a.year,
                            joined=a.joined or (borrowed and forward))
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


# ====================================================================== year resolution

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
        d = ref + dt.timedelta(days=offset)
        return d.isoformat(), "day", d.isoformat(), d.isoformat()
    if unit == "week":
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=offset)
        iso = monday.isocalendar()
        sunday = monday + dt.timedelta(days=6)
        return f"{iso[0]:04d}-W{iso[1]:02d}", "week", monday.isoformat(), sunday.isoformat()
    if unit == "month":
        index = ref.year * 12 + (ref.month - 1) + offset
        value = f"{index // 12:04d}-{index % 12 + 1:02d}"
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
        return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)
    if direction > 0:
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7)
    return ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=weekday)


# ================================================================= relative expressions

class RelativeHit(NamedTuple):
    """A relative expression. ``kind``: 'deictic' (unit/offset from the reference date),
    'anaphoric' (unit/offset from the date under discussion), 'month' (month with a
    modifier, or a bare cued month when modifier is None; ``of_year`` for 'April this
    year'), 'weekday' (modifier None = let the verb's tense decide)."""

    start: int
    end: int
    kind: str
    unit: str | None = None
    offset: int | None = None
    month: int | None = None
    weekday: int | None = None
    of_year: bool = False


def _phrase_regex(phrases) -> str:
    """Alternation of vocabulary phrases with flexible spaces and hyphens ('to-date')."""
    alts = []
    for p in sorted(phrases, key=len, reverse=True):
        alts.append(r"(?:[^\S\n]|-)+".join(re.escape(w) for w in p.split()))
    return "|".join(alts)


@lru_cache(maxsize=1)
def _relative_patterns() -> dict[str, re.Pattern]:
    v = vocabulary()
    mon = _alternation(v["months"])  # full names only: 'last Jan' is rare, 'Jan' is also a name
    wd = _alternation(v["weekdays"])
    mm = _alternation(v["month_modifiers"])
    wm = _alternation(v["weekday_modifiers"])
    cues = _phrase_regex(v["month_cues_before"])
    poss = r"(?:['’]s)?"
    return {
        "deictic": re.compile(rf"(?<![\w\-])(?P<p>{_phrase_regex(v['relative_phrases'])})(?![\w\-]){poss}", re.I),
        "anaphoric": re.compile(rf"(?<![\w\-])(?P<p>{_phrase_regex(v['anaphoric_phrases'])})(?![\w\-]){poss}", re.I),
        # 'April this year', 'July last year'
        "month_of_year": re.compile(rf"(?<![\w\-])(?P<m>{mon}){_SP}+(?:of{_SP}+)?(?P<mod>this|last|next){_SP}+year(?![\w\-]){poss}", re.I),
        # 'last July', 'next March'
        "month_mod": re.compile(rf"(?<![\w\-])(?P<mod>{mm}){_SP}+(?P<m>{mon})(?![\w\-])", re.I),
        # 'in July', 'since March' (the cue is not part of the text)
        "month_cued": re.compile(rf"(?<![\w\-])(?:{cues}){_SP}+(?:the{_SP}+month{_SP}+of{_SP}+)?(?P<m>{mon})(?![\w\-])(?!{_SP}*,?{_SP}*\d)", re.I),
        # 'on Monday', 'last Friday' ('on' is not part of the text; 'last' is)
        "weekday": re.compile(rf"(?<![\w\-])(?P<mod>{wm}){_SP}+(?P<w>{wd})(?![\w\-])(?!,?{_SP}+(?:\d|(?:{mon})\b))", re.I),
    }


def find_relative(text: str) -> list[RelativeHit]:
    """Relative and anaphoric expressions in ``text`` (not yet resolved; not overlapping).

    The text of a hit excludes a trailing possessive ('this year' of "this year's") and a
    leading article ('coming year' of 'the coming year', as the scorer drops 'the' too).
    """
    v = vocabulary()
    pats = _relative_patterns()
    hits: list[RelativeHit] = []
    taken = SpanSet()

    def add(hit: RelativeHit) -> None:
        if taken.overlaps(hit.start, hit.end):
            return
        taken.add(hit.start, hit.end)
        hits.append(hit)

    def strip_article(m: re.Match, group: str = "p") -> tuple[int, int]:
        start, end = m.span(group)
        article = re.match(r"the[^\S\n]+", text[start:end], re.I)
        if article:
            start += article.end()
        return start, end

    def key(phrase: str) -> str:
        return re.sub(r"[\s\-]+", " ", phrase.lower())

    for m in pats["month_of_year"].finditer(text):
        if _capitalized(m.group("m")):
            add(RelativeHit(m.start(), m.end() - _poss_len(m.group(0)), "month", month=month_number(m.group("m")),
                            offset=v["month_modifiers"][m.group("mod").lower()], of_year=True))
    for m in pats["anaphoric"].finditer(text):
        unit, offset = v["anaphoric_phrases"][key(m.group("p"))]
        s, e = strip_article(m)
        add(RelativeHit(s, e, "anaphoric", unit, offset))
    for m in pats["deictic"].finditer(text):
        phrase = key(m.group("p"))
        unit, offset = v["relative_phrases"][phrase]
        if phrase == "today" and _generic_today(text, m.end("p")):
            continue
        s, e = strip_article(m)
        add(RelativeHit(s, e, "deictic", unit, offset))
    for m in pats["month_mod"].finditer(text):
        if _capitalized(m.group("m")):
            add(RelativeHit(m.start(), m.end(), "month", month=month_number(m.group("m")),
                            offset=v["month_modifiers"][m.group("mod").lower()]))
    for m in pats["month_cued"].finditer(text):
        if _capitalized(m.group("m")):
            add(RelativeHit(m.start("m"), m.end("m"), "month", month=month_number(m.group("m"))))
    for m in pats["weekday"].finditer(text):
        mod = m.group("mod").lower()
        offset = v["weekday_modifiers"][mod]
        start = m.start("w") if offset is None else m.start()
        add(RelativeHit(start, m.end("w"), "weekday", offset=offset, weekday=weekday_number(m.group("w"))))
    hits.sort()
    return hits


def _poss_len(s: str) -> int:
    return 2 if s.endswith(("'s", "’s")) else 0


_POSSESSIVE_NEXT_RE = re.compile(r"['’]s[^\S\n]+(\w+)")
_AGO_RE = re.compile(r"[^\S\n]+ago\b")


def _generic_today(text: str, end: int) -> bool:
    """"today's world", "in today's society": the generic present, not a calendar day."""
    m = _POSSESSIVE_NEXT_RE.match(text, end)  # matched in place: a slice to the end was O(text)
    return bool(m) and m.group(1).lower() in vocabulary()["generic_today_nouns"]


@lru_cache(maxsize=1)
def _vague_regex() -> re.Pattern:
    return re.compile(rf"(?<![\w\-])(?:{_phrase_regex(vocabulary()['vague'])})(?![\w\-])", re.I)


def find_vague(text: str) -> list[tuple[int, int]]:
    """Spans of vague time expressions ('recent years', 'to-date'); nothing inside is a date."""
    return [m.span() for m in _vague_regex().finditer(text)]


# ================================================================================ years

class YearNumber(NamedTuple):
    """A 4-digit number that may be a year; ``linked`` marks a written range ('2019-2020')."""

    start: int
    end: int
    year: int
    linked: bool = False


_YEAR_RX = re.compile(r"(?:(?<=\bmid-)|(?<![\w$€£¥#/.,:+\-–]))(\d{4})(?![\w%/]|[.,]\d|[-–]\d)")
_YEAR_RANGE_RX = re.compile(
    r"(?<![\w$€£¥#/.,:+\-])(?P<a>\d{4})[^\S\n]*(?P<sep>[-–—/])[^\S\n]*(?P<b>\d{4}|\d{2})(?![\w%/]|[.,]\d|[-–]\d)")


def find_year_numbers(text: str) -> list[YearNumber]:
    """4-digit numbers in the plausible year range, and both ends of written year ranges.

    '2019-2020', '2024–2025' and '2019/20' (the second a year after the first) are
    ranges: both ends are years, whatever the context. Others need ``is_year_context``.
    """
    found: list[YearNumber] = []
    taken = SpanSet()
    for m in _YEAR_RANGE_RX.finditer(text):
        a = int(m.group("a"))
        b_text = m.group("b")
        b = int(b_text) if len(b_text) == 4 else (a // 100) * 100 + int(b_text)
        if not (is_plausible_year(a) and is_plausible_year(b) and a < b):
            continue
        if m.group("sep") == "/" and b != a + 1:
            continue
        if len(b_text) == 2 and b - a > 10:
            continue
        found.append(YearNumber(m.start("a"), m.end("a"), a, True))
        found.append(YearNumber(m.start("b"), m.end("b"), b, True))
        taken.add(*m.span())
    for m in _YEAR_RX.finditer(text):
        y = int(m.group(1))
        if is_plausible_year(y) and not taken.overlaps(m.start(), m.end()):
            found.append(YearNumber(m.start(), m.end(), y))
    found.sort()
    return found


class YearContext(NamedTuple):
    """What surrounds a 4-digit number: the line text before and after it, and the
    parser's fine-grained tags (Penn) of the previous and next tokens, when known."""

    left: str
    right: str
    prev_tag: str | None = None
    next_tag: str | None = None


_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=64)
def _longest_first(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Phrases sorted longest first (stable), once per phrase list."""
    return tuple(sorted(phrases, key=len, reverse=True))


def _ends_with_phrase(left: str, phrases) -> str | None:
    """The longest phrase that ends ``left`` (case-folded) on a word boundary.

    String tests, not a regex per phrase: every candidate year asks this of several lists,
    and compiling a pattern per phrase and call cost more than the rest of the year step.
    """
    low = left.lower().rstrip()
    for p in _longest_first(tuple(phrases)):
        if low.endswith(p) and (len(low) == len(p)
                                or not _WORD_CHAR.match(low, len(low) - len(p) - 1)):
            return p
    return None


def is_excluded_number(left: str) -> bool:
    """Whether the text before a number makes it an identifier, an amount or part of a
    digit group ('resolution 2100', 'Tel. +41 22 917 2000', 'US$ 2000')."""
    left_s = left.rstrip()
    if _ends_with_phrase(left_s, vocabulary()["exclusion_cues"]):
        return True
    if re.search(r"[$€£¥]\s*$|\b(?:us|usd|eur|chf)\s*\$?\s*$", left_s, re.I):
        return True
    return bool(re.search(r"\d[^\S\n]*$", left)) and not re.search(r"\d{4}[^\S\n]*$", left_s)


_NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS", "JJ", "VBG", "CD"}


def is_year_context(ctx: YearContext) -> bool:
    """Whether a plausible 4-digit number is used as a year, from its context.

    Not a year: after an identifier cue ('resolution 2100', 'Tel.'), a currency sign or
    another number (phone digits), before a unit or a percent, after a count qualifier
    ('over 2000'), or before a plural noun it counts ('2000 victims'). A year: after a
    temporal cue ('in', 'by', 'since', 'Year', 'FY'), in modifier position after a
    determiner or a proper noun ('the 2023 work plan', 'Persons 2022', 'ICAT 2024
    co-chairs'), before a possessive or a verb ('2023's', '2024 marks'), in parentheses,
    or alone on its line.
    """
    v = vocabulary()
    left, right = ctx.left, ctx.right
    left_s = left.rstrip()
    prev_m = re.search(r"([\w.'’#\-]+)$", left_s)
    prev_raw = prev_m.group(1) if prev_m else ""
    prev = prev_raw.lower()
    next_m = re.match(r"[^\S\n]*([\w'’\-]+)", right)
    next_word = next_m.group(1).lower() if next_m else ""

    # --- never a year
    if is_excluded_number(left) or re.match(r"[^\S\n]*\d", right):
        return False
    if _starts_with_phrase(right, v["measure_units"]):
        return False
    noun_next = ctx.next_tag in _NOUN_TAGS if ctx.next_tag else next_word.isalpha()
    qualifier = _ends_with_phrase(left_s, v["count_qualifiers"])
    if qualifier and (qualifier not in v["weak_count_qualifiers"] or noun_next):
        return False
    plural_next = ctx.next_tag == "NNS" if ctx.next_tag else next_word in v["count_nouns"]
    determiner = prev in v["determiners"] or left_s.endswith(("'s", "’s"))
    cue = prev in v["year_cues_before"] or bool(_ends_with_phrase(
        left_s, ["end of", "beginning of", "start of", "first half of", "second half of", "as of", "fiscal year"]))
    proper_before = (prev_raw[:1].isupper() and not cue
                     and (ctx.prev_tag is None or ctx.prev_tag in {"NNP", "NNPS", "NN"}))
    if plural_next and not (determiner or proper_before or prev in v["strong_year_cues"]):
        return False  # '2000 victims', 'in 2000 cases'
    # --- evidence for a year
    if cue or proper_before:
        return True  # 'in 2023', 'by 2025', 'Year 2024', 'FY 2011', 'Persons 2022', 'ICAT 2024 co-chairs'
    if re.match(r"[^\S\n]*['’]s\b", right):
        return True  # "2023's priorities"
    if re.search(r"\b[A-Z][\w.\-]*,$", left_s) and re.match(r"[^\S\n]*(?:$|[.;:)\]])", right):
        return True  # a citation: 'Source: UNODC, 2020.'

    if left_s.endswith("(") and re.match(r"[^\S\n]*\)", right):
        return True  # '(2019)'
    line_start = not left_s.strip(" \t-–—•*·>|")
    if line_start and (not right.strip() or re.match(r"[^\S\n]*[:.\-–—]", right)):
        return True  # a year alone on its line, or heading a line
    if (determiner or line_start) and noun_next:
        return True  # 'the 2023 work plan', '- 2030 Agenda'
    if line_start and ctx.next_tag in {"VBD", "VBZ", "VBP", "MD"}:
        return True  # '2024 marks the tenth anniversary'
    return False


def _starts_with_phrase(right: str, phrases) -> str | None:
    low = right.lower().lstrip()
    for p in _longest_first(tuple(phrases)):
        if low.startswith(p) and (not p[-1].isalnum() or not low[len(p):len(p) + 1].isalnum()):
            return p
    return None


_YEAR_LINK = re.compile(r"[^\S\n]*(?:,|and|or|&|to|until|till|through|,[^\S\n]*and|,[^\S\n]*or)[^\S\n]*$", re.I)


def propagate_years(years: list[YearNumber], accepted: list[bool], text: str) -> list[bool]:
    """Years joined by 'and', 'or', 'to', commas share their status: in 'between 2003 and
    2016' or 'in 2021, 2022 and 2023' the first has the cue, the others follow it."""
    out = list(accepted)
    # A chain of linked years is all accepted when one of its years is. One pass over the
    # chains (not passes until nothing changes, which is quadratic in a long list of years).
    i = 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and _YEAR_LINK.fullmatch(text[years[j].end:years[j + 1].start]):
            j += 1
        if any(out[i:j + 1]):
            out[i:j + 1] = [True] * (j + 1 - i)
        i = j + 1
    return out


_DECADE_RX = re.compile(r"(?<![\w'’\-])(?P<d>(?:1[89]|20)\d0)['’]?s\b")


def find_decades(text: str) -> list[tuple[int, int, str]]:
    """'the 1990s' -> (start, end, '199'), the ISO decade value (its first three digits)."""
    return [(m.start(), m.end(), m.group("d")[:3]) for m in _DECADE_RX.finditer(text)]


# ==================================================================== durations and sets

def _number_value(word: str) -> float | str | None:
    """Digits or an English number word ('twenty-five') -> number; fuzzy words -> 'X'."""
    w = word.lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    nums = vocabulary()["number_words"]
    if w in nums:
        return float(nums[w])
    if w in vocabulary()["fuzzy_number_words"]:
        return "X"
    total = 0.0
    for piece in re.split(r"[\s\-]+", w):
        if piece not in nums:
            return None
        total += nums[piece]
    return total


def _format_period(amount: float | str, letter: str, multiplier: int) -> str:
    if amount == "X":
        n = "X"
    else:
        value = amount * multiplier
        n = str(int(value)) if float(value).is_integer() else f"{value:g}"
    if letter in {"H", "MIN"}:
        return f"PT{n}{'M' if letter == 'MIN' else 'H'}"
    return f"P{n}{letter}"


@lru_cache(maxsize=1)
def _duration_regex() -> re.Pattern:
    v = vocabulary()
    nums = v["number_words"]
    tens = [w for w, n in nums.items() if n in {20, 30, 40, 50, 60, 70, 80, 90}]
    units = [w for w, n in nums.items() if n in range(1, 10) and w not in {"a", "an"}]
    singles = [w for w in nums if " " not in w]
    fuzzy = _phrase_regex(v["fuzzy_number_words"])
    num_word = rf"(?:{_alternation(tens)})(?:[\-\s]+(?:{_alternation(units)}))?|{_alternation(singles)}"
    number = rf"(?:\d+(?:\.\d+)?|{num_word}|{fuzzy}|half[^\S\n]+a|a[^\S\n]+half)"
    units = _alternation(v["duration_units"])
    return re.compile(rf"(?<![\w\-.,])(?P<n>{number})(?:[^\S\n]*-[^\S\n]*|[^\S\n]+)(?:(?:more|additional|further|full|long)[^\S\n]+)?"
                      rf"(?P<u>{units})(?![\w])", re.I)


def find_durations(text: str) -> list[tuple[int, int, str, str]]:
    """Durations as (start, end, TimeML value, unit granularity): '25 years' -> P25Y,
    'a month' -> P1M, 'two weeks' -> P2W, 'three-day' -> P3D, 'a few days' -> PXD."""
    v = vocabulary()
    out = []
    for m in _duration_regex().finditer(text):
        amount = _number_value(m.group("n"))
        if amount is None or amount == 0:
            continue
        letter, mult = v["duration_units"][m.group("u").lower()]
        out.append((m.start(), m.end(), _format_period(amount, letter, mult), v["unit_granularity"][letter]))
    return out


def find_ago(text: str) -> list[tuple[int, int, str, int]]:
    """'two years ago' -> (start, end, 'year', 2): a relative date, not a duration. Only
    whole day/week/month/year counts ('a few years ago' is vague and skipped)."""
    v = vocabulary()
    out = []
    for start, end, value, gran in find_durations(text):
        m = _AGO_RE.match(text, end)
        if not m or gran not in {"day", "week", "month", "year"}:
            continue
        n = re.fullmatch(r"PT?(\d+)[A-Z]+", value)
        if n:
            out.append((start, m.end(), gran, int(n.group(1))))
    return out


@lru_cache(maxsize=1)
def _set_regex() -> re.Pattern:
    v = vocabulary()
    units = _alternation(v["duration_units"])
    quant = _phrase_regex(v["set_quantifiers"])
    return re.compile(
        rf"(?<![\w\-])(?:(?P<adv>{_phrase_regex(v['set_adverbs'])})"
        rf"|(?P<q>{quant})[^\S\n]+(?:(?P<n>\d+|{_alternation(v['number_words'])})[^\S\n]+)?(?P<u>{units}))(?![\w\-])", re.I)


def find_sets(text: str) -> list[tuple[int, int, str, str, bool]]:
    """Frequencies as (start, end, TimeML value, unit granularity, is_adjective_word):
    'annually' -> P1Y, 'every two years' -> P2Y, 'each month' -> P1M. The flag marks words
    ('daily', 'yearly') that are sets only when used adverbially; the caller checks."""
    v = vocabulary()
    out = []
    for m in _set_regex().finditer(text):
        if m.group("adv"):
            phrase = re.sub(r"[\s\-]+", " ", m.group("adv").lower())
            value, gran = v["set_adverbs"][phrase]
            out.append((m.start(), m.end(), value, gran, phrase in v["adjective_sets"]))
            continue
        letter, mult = v["duration_units"][m.group("u").lower()]
        n = _number_value(m.group("n")) if m.group("n") else 1.0
        if n is None:
            continue
        if m.group("q").lower().startswith("twice"):
            continue  # 'twice a year' is a frequency of 2 per year: no single period value
        out.append((m.start(), m.end(), _format_period(n, letter, mult), v["unit_granularity"][letter], False))
    return out
