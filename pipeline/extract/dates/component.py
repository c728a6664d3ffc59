"""The ``release_dates`` component: date expressions of a release, normalized.

Fills ``doc._.dates`` with one plain dict per date expression::

    {start_char, end_char, text, value, granularity, start, end, kind}

``text == doc.text[start_char:end_char]``. Detection is the data file's rules over
``doc.text`` (``pipeline.extract.dates.grammar``), refined with the parse (tags of the words
around a 4-digit number; the tense of the verb governing a weekday); spaCy's DATE entities
are not used. Values follow TimeML (TIMEX3) conventions.

Design choices
- The text is the expression without a leading preposition ('8 November 2023' of 'On 8
  November 2023', '2023' of 'in 2023', 'this year' of "this year's"), but with the
  modifier words TimeML keeps ('early next year', 'the end of 2019', 'mid-2020', 'the past
  two months'); the value is that of the date the modifier qualifies.
- kind ``absolute``: the text states the whole date ('8 Nov. 2023', 'May 2018', '2024').
- kind ``relative``: the value comes from ``doc._.reference_date`` ('today', 'this year',
  'last July', 'Friday', 'two years ago'). A day-month or month without a year takes the
  reference date's year, the one before or the one after, on the side the governing verb's
  tense points to; with no reference date, the year its paragraph states (the latest
  one), else the first year the release states. A relative expression that still has no
  value is no row: we never invent a year.
- Periods: a part of a year, no calendar day, month or year: a week ('this week' ->
  '2023-W45'), a season ('last winter' -> '2022-WI'), a quarter or a half ('the third
  quarter' -> '2023-Q3'), kind ``relative`` (the contract has no kind of its own for them;
  the granularity says what they are). They are dates of TimeML documents only: a release's
  dates name a calendar day, month or year (gold.md), so there they are dropped, their span
  still reserved. A season or quarter whose year is written ('spring 2019') is left to the year.
- kind ``time``: a clock time or a part of a day on a day ('8 p.m.' -> '2023-11-08T20:00',
  'Tuesday night' -> '2023-11-07TNI', 'this morning').
- kind ``reference``: PRESENT_REF, PAST_REF, FUTURE_REF ('now', 'currently', 'recently',
  'the future', the generic 'today' of 'the farmers of today').
- Anaphoric phrases ('the previous year', 'the following week') take their date from
  another date in the text, so they are not dates for the gold (tests/gold/README.md) and
  are not emitted by default. With ``anaphoric=True``, or in a TimeML document
  (``doc._.date_convention``: TIMEX3 marks them), they come out with kind ``anaphoric``,
  resolved from the date under discussion: a date precise enough for the unit in the same
  sentence, else the last one mentioned before, else the reference date. A year before a
  quarter or half is that period a year before ('from $4 million a year earlier' after
  'the second quarter' -> '2022-Q2').
- Ranges. When the first end names no month and borrows it from the other end ('2-3
  December', 'June 13-19, 2010', '8 and 14 April 2019'), the range is ONE row: value the
  ISO interval 'start/end' ('2024-12-02/2024-12-03'), start/end the first and last day
  covered. An end that names its own month is a date of its own and borrows only the year
  ('January to September 2018' is 'January' 2018-01 and 'September 2018'; '28 December to
  3 January 2020' gives 28 December 2019).
- Durations ('25 years' -> P25Y, 'recent months' -> PXM, 'the past year' -> P1Y) and sets
  ('annually' -> P1Y, 'every two years' -> P2Y) have TimeML values, null start/end, and
  their unit as granularity ('25 years' is granularity 'year'). An age ('6-year-old') is
  no duration.
- Granularities of dates: 'day', 'week', 'month', 'quarter', 'half', 'season', 'year',
  'decade' ('the 1990s' -> '199'); of times 'minute' and 'part_of_day'.
- The press-release gold counts kinds absolute and relative only; the other kinds are
  scored against TimeML corpora (``evaluate --format timeml``).
- A 4-digit number is a year only in the plausible range (data file) and a year context
  (``years.is_year_context``); vague spans ('to-date') hide any date inside them.
"""
from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.dates import classes, timex
from pipeline.extract.dates import grammar as dtx
from pipeline.extract.dates.context import TokenIndex, year_context
from pipeline.extract.dates.resolve import (
    ABSOLUTE,
    DURATION,
    RELATIVE,
    SET,
    anaphoric_row,
    compared_ago_row,
    make_row,
    parse_reference,
    part_row,
    range_row,
    relative_row,
)
from pipeline.extract.extensions import doc_text, register

register("dates", default=None)
UNRESOLVABLE = {RELATIVE, timex.TIME}

__all__ = ["DatesComponent", "extract_dates", "make_dates", "parse_reference"]


NOT_CALENDAR = frozenset({"week", "quarter", "half", "season"})  # granularities of periods


def extract_dates(doc: Doc, reference: dt.date | None, durations: bool = True,
                  sets: bool = True, anaphoric: bool = False, timeml: bool = False) -> list[dict]:
    """All date, duration and set rows of ``doc``, sorted by position, never overlapping.

    Candidates are taken in order of reliability (calendar dates, relative phrases,
    decades, years, sets, durations); a later candidate overlapping an earlier one is dropped.
    ``timeml``: the document follows TimeML, whose 'a year ago' in a report on a quarter is
    that quarter a year before (``compared_ago_row``).
    """
    text = doc_text(doc)
    index = TokenIndex(doc)
    rows: list[dict] = []
    taken = dtx.SpanSet()
    vague = dtx.SpanSet(dtx.find_vague(text))
    anaphoric_hits: list[tuple[int, int, dtx.RelativeHit]] = []

    def free(start: int, end: int, date_like: bool = True) -> bool:
        if taken.overlaps(start, end):
            return False
        return not (date_like and vague.inside(start, end))

    def add(row: dict) -> None:
        if not taken.overlaps(row["start_char"], row["end_char"]):  # anaphoric spans are already in
            taken.add(row["start_char"], row["end_char"])
        rows.append(row)

    # 1. calendar dates with a month (with or without a year); a range with an incomplete
    #    end is one row, other ranges one row per end
    for first, last in dtx.group_ranges(dtx.find_date_parts(text)):
        joined = range_row(doc, index, first, last, reference) if last is not None else None
        if joined is not None:
            if free(joined["start_char"], joined["end_char"]):
                add(joined)
            continue
        for part in (first, last):
            if part is not None and part.month is not None and free(part.start, part.end):
                row = part_row(doc, index, part, reference)
                if row is not None:
                    add(row)

    # 2. relative expressions ('the past year' first: a duration, not last year)
    for start, end, value, gran in classes.find_period_phrases(text):
        if free(start, end, date_like=False):
            add(make_row(text, start, end, value, gran, DURATION))
    for hit in dtx.find_relative(text):
        if not free(hit.start, hit.end):
            continue
        if hit.kind == "anaphoric":
            taken.add(hit.start, hit.end)
            anaphoric_hits.append((hit.start, hit.end, hit))
            continue
        add(relative_row(doc, index, hit, reference))

    # 'two years ago': relative to the reference date
    durations_found = dtx.find_durations(text)  # read once: 'ago' phrases and step 6
    years_ago: list[tuple[int, int]] = []  # (index in rows, years) of 'a year ago' rows
    for start, end, unit, n in dtx.find_ago(text, durations_found):
        if not free(start, end):
            continue
        if reference is None:
            add(make_row(text, start, end, None, unit, RELATIVE))
        else:
            value, gran, p_start, p_end = dtx.shift_period(reference, unit, -n)
            if unit == "year" and isinstance(n, int):
                years_ago.append((len(rows), n))
            add(make_row(text, start, end, value, gran, RELATIVE, (p_start, p_end)))

    # parts of the reference day ('this morning'), seasons, quarters and halves, clock times
    day = reference.isoformat() if reference else None
    for start, end, code in classes.find_parts_of_day(text):
        if free(start, end):
            add(timex.part_of_day_row(text, start, end, code, day))
    # in a release, a season or quarter whose year is written ('spring 2019') is left to that
    # year: the year is the date a reader of a release looks for; TimeML marks the period
    for season in classes.find_seasons(text):
        if (season.year is None or timeml) and free(season.start, season.end):
            add(timex.season_row(text, season, reference))
    for period in classes.find_year_periods(text):
        if (period.year is None or timeml) and free(period.start, period.end):
            row = timex.period_row(text, period, reference)
            if row is not None:
                add(row)
    for start, end, hour, minute in classes.find_clock_times(text):
        if free(start, end, date_like=False):
            add(timex.clock_row(text, start, end, hour, minute, day))

    # 3. decades
    for start, end, value in dtx.find_decades(text):
        if free(start, end):
            add(make_row(text, start, end, value, "decade", ABSOLUTE,
                         (f"{value}0-01-01", f"{value}9-12-31")))

    # 4. years
    years = [y for y in dtx.find_year_numbers(text) if free(y.start, y.end)]
    accepted = []
    for y in years:
        ctx = year_context(doc, index, y.start, y.end)
        accepted.append(not dtx.is_excluded_number(ctx.left) if y.linked else dtx.is_year_context(ctx))
    accepted = dtx.propagate_years(years, accepted, text)
    for y, ok in zip(years, accepted):
        if ok:
            add(make_row(text, y.start, y.end, f"{y.year:04d}", "year", ABSOLUTE))

    # anaphoric phrases need the dates found above; their spans stay reserved either way,
    # so that nothing inside ('year' of 'a year earlier') comes out as something else
    if anaphoric:
        for start, end, hit in anaphoric_hits:
            add(anaphoric_row(doc, index, hit, rows, reference))
    if timeml:
        for i, n in years_ago:
            rows[i] = compared_ago_row(doc, index, rows[i], n, rows)

    # 5. sets ('every two years' before the duration inside it) and 6. durations
    if sets:
        for start, end, value, gran, adjective_word in dtx.find_sets(text):
            if not free(start, end, date_like=False):
                continue
            tok = index.at(start)
            if adjective_word and (tok is None or tok.pos_ != "ADV"):
                continue
            add(make_row(text, start, end, value, gran, SET))
    if durations:
        for start, end, value, gran in durations_found:
            if free(start, end, date_like=False):
                add(make_row(text, start, end, value, gran, DURATION))

        for start, end, value, gran in classes.find_vague_durations(text):
            if free(start, end, date_like=False):
                add(make_row(text, start, end, value, gran, DURATION))
    lead_of = {r["start_char"] for r in rows if r["kind"] == DURATION}
    for start, end, value in classes.find_references(text):
        if free(start, end, date_like=False) and end + 1 not in lead_of:  # not 'the past' of 'the past two months'
            add(timex.reference_row(text, start, end, value))

    rows.sort(key=lambda r: (r["start_char"], r["end_char"]))
    # a relative expression that cannot be resolved (no reference date, no year in its
    # paragraph) is no date: the text alone does not say which day it names
    rows = [r for r in rows if r["value"] is not None or r["kind"] not in UNRESOLVABLE]
    if not timeml:
        # a release's dates name a calendar day, month or year (gold.md): a week, a quarter
        # or a season is TimeML's, and its span stays reserved ('week' of 'next week' is no
        # duration either)
        rows = [r for r in rows if r["granularity"] not in NOT_CALENDAR
                or r["kind"] not in (ABSOLUTE, RELATIVE)]
    return timex.with_leading_words(text, rows)



# ------------------------------------------------------------------------- the component

class DatesComponent:
    """Pipeline component: sets ``doc._.dates`` from the text and ``doc._.reference_date``."""

    def __init__(self, nlp: Language, name: str, durations: bool = True, sets: bool = True,
                 anaphoric: bool = False):
        self.name = name
        self.durations = durations
        self.sets = sets
        self.anaphoric = anaphoric

    def __call__(self, doc: Doc) -> Doc:
        reference = parse_reference(doc._.reference_date)
        # TIMEX3 marks anaphoric dates too ('a year earlier'): a TimeML document gets them
        timeml = doc._.date_convention == "timeml"
        doc._.dates = extract_dates(doc, reference, self.durations, self.sets,
                                    self.anaphoric or timeml, timeml)
        return doc


@Language.factory(
    "release_dates",
    default_config={"durations": True, "sets": True, "anaphoric": False},
    # token.pos is read too; the model's attribute_ruler sets it without declaring it, so
    # requiring it would make analyze_pipes report a problem that is not one
    requires=["token.tag", "token.dep"],
    assigns=["doc._.dates"],
)
def make_dates(nlp: Language, name: str, durations: bool, sets: bool,
               anaphoric: bool = False) -> DatesComponent:
    """Factory of the ``release_dates`` component: durations/sets rows can be switched off,
    anaphoric rows ('the previous year', kind 'anaphoric') switched on."""
    return DatesComponent(nlp, name, durations=durations, sets=sets, anaphoric=anaphoric)
