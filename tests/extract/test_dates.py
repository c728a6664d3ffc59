"""Tests for pipeline/extract/dates/grammar.py (pure helpers) and pipeline/extract/dates/component.py (the component)."""
from __future__ import annotations

import pytest

from pipeline.extract.dates.grammar import (
    find_absolute_dates,
    parse_date,
    period_bounds,
)

# ----------------------------------------------------------------- parse_date

PARSE_CASES = [
    ("30 July 2024", ("2024-07-30", "day")),
    ("July 30, 2024", ("2024-07-30", "day")),
    ("8 Nov. 2023", ("2023-11-08", "day")),
    ("2023-11-08", ("2023-11-08", "day")),
    ("Thursday, June 14, 2018", ("2018-06-14", "day")),
    ("2nd May 2018", ("2018-05-02", "day")),
    ("Fri, Jul-12-2013", ("2013-07-12", "day")),
    ("July 2023", ("2023-07", "month")),
    ("2024", ("2024", "year")),
    ("  Sept. 5, 2022 ", ("2022-09-05", "day")),
    ("Monday 3 March 2025", ("2025-03-03", "day")),
    ("1st of December 2021", ("2021-12-01", "day")),
    ("12-Jul-2013", ("2013-07-12", "day")),
    ("21/03/2019", ("2019-03-21", "day")),
    ("DECEMBER 2020", ("2020-12", "month")),
    ("February 29, 2024", ("2024-02-29", "day")),
    ("2016-02-09T10:00:00Z", ("2016-02-09", "day")),
    ("2016-02-09T10:00:00+01:00", ("2016-02-09", "day")),
]


@pytest.mark.parametrize("text,expected", PARSE_CASES)
def test_parse_date_accepts_release_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "hello", "May", "31 June 2023", "February 29, 2023", "12345", "1850", "2023-13-01",
     "resolution 61/180", "+35569 20 29 021", "COVID-19", "8 November", "the year 2023 ended"],
)
def test_parse_date_rejects_non_dates(text):
    assert parse_date(text) is None


# ---------------------------------------------------------- find_absolute_dates

def test_find_absolute_dates_offsets_and_values():
    text = "Signed on 8 November 2023 in Rome; talks resumed in May 2018 and on June 14, 2018."
    found = find_absolute_dates(text)
    assert [(text[s:e], v, g) for s, e, v, g in found] == [
        ("8 November 2023", "2023-11-08", "day"),
        ("May 2018", "2018-05", "month"),
        ("June 14, 2018", "2018-06-14", "day"),
    ]


def test_find_absolute_dates_needs_a_year_and_a_capitalized_month():
    text = "The board met on 29 July and Aug 26; members may 2018 agree; it ran in 2019."
    assert find_absolute_dates(text) == []


def test_find_absolute_dates_ignores_phone_numbers_and_identifiers():
    text = "Tel: +35569 20 29 021, resolution 61/180, photo UNICEF/UNI398788, ref 12.34.5678."
    assert find_absolute_dates(text) == []


def test_find_absolute_dates_iso_and_weekday_forms():
    text = "Published: Fri, Jul-12-2013. Updated 2023-11-08."
    found = find_absolute_dates(text)
    assert [(text[s:e], v) for s, e, v, _ in found] == [
        ("Fri, Jul-12-2013", "2013-07-12"),
        ("2023-11-08", "2023-11-08"),
    ]


def test_find_absolute_dates_day_range_keeps_the_full_date():
    text = "The forum runs 8-10 November 2023 in Geneva."
    found = find_absolute_dates(text)
    assert [(text[s:e], v) for s, e, v, _ in found] == [("10 November 2023", "2023-11-10")]


@pytest.mark.parametrize(
    "value,gran,bounds",
    [
        ("2024", "year", ("2024-01-01", "2024-12-31")),
        ("2024-02", "month", ("2024-02-01", "2024-02-29")),
        ("2023-02", "month", ("2023-02-01", "2023-02-28")),
        ("2023-11-08", "day", ("2023-11-08", "2023-11-08")),
        (None, "day", (None, None)),
        ("P2W", None, (None, None)),
    ],
)
def test_period_bounds(value, gran, bounds):
    assert period_bounds(value, gran) == bounds


# ------------------------------------------------------------- pure helpers (no model)

import datetime as dt

from pipeline.extract.dates.grammar import (
    YearContext,
    closest_year_for,
    find_date_parts,
    find_decades,
    find_durations,
    find_relative,
    find_sets,
    find_vague,
    find_year_numbers,
    group_ranges,
    is_year_context,
    month_with_modifier,
    range_value,
    range_years,
    shift_period,
    weekday_date,
)


@pytest.mark.parametrize(
    "ctx,expected",
    [
        (YearContext("The agency was founded in ", "."), True),
        (YearContext("Targets are set for ", " and beyond"), True),
        (YearContext("Year ", " in Focus"), True),
        (YearContext("The study (", ") found gaps"), True),
        (YearContext("the ", " work plan", "DT", "NN"), True),
        (YearContext("the Global Report on Trafficking in Persons ", ", shows", "NNP", None), True),
        (YearContext("", "", None, None), True),
        (YearContext("the General Assembly adopted resolution ", " on", "NN", "IN"), False),
        (YearContext("Tel: +41 22 917 ", ""), False),
        (YearContext("Over ", " victims were identified", "IN", "NNS"), False),
        (YearContext("", " victims were identified", None, "NNS"), False),
        (YearContext("a grant of US$ ", " per family"), False),
        (YearContext("the share rose by ", " per cent"), False),
        (YearContext("the hotline received ", " calls", "VBD", "NNS"), False),
        (YearContext("about ", " people attended", "RB", "NNS"), False),
        (YearContext("it counted ", " in total", "VBD", "IN"), False),
        (YearContext("the report said that ", " victims were found"), False),
    ],
)
def test_is_year_context(ctx, expected):
    assert is_year_context(ctx) is expected


def test_find_year_numbers_marks_written_ranges():
    text = "Plans for 2019-2020, 2024–2025 and FY 2019/20; not 2019/25 or 1850-1890."
    got = [(text[y.start:y.end], y.year, y.linked) for y in find_year_numbers(text)]
    assert ("2019", 2019, True) in got and ("2020", 2020, True) in got
    assert ("2024", 2024, True) in got and ("2025", 2025, True) in got
    assert ("20", 2020, True) in got
    assert not any(t == "25" for t, _, _ in got)
    assert not any(y < 1900 for _, y, _ in got)


def test_find_decades():
    text = "Routes changed in the 1990s and again in the 2010s, not in 1990s-style talk of 190s."
    assert [v for _, _, v in find_decades(text)][:2] == ["199", "201"]


def test_find_vague_spans():
    text = "In recent years, and over the years, progress to-date was slow."
    assert [text[s:e] for s, e in find_vague(text)] == ["recent years", "over the years", "to-date"]


def test_find_relative_strips_possessive_and_article():
    """An anaphoric phrase keeps its article: TimeML, whose dates they are, marks it."""
    text = "This year's meeting, the coming year and the previous year."
    assert [text[h.start:h.end] for h in find_relative(text)] == ["This year", "coming year",
                                                                  "the previous year"]


def test_find_relative_does_not_cross_lines():
    assert find_relative("We met this\nyear's delegates") == []


def test_find_relative_marks_generic_today():
    """'today's world', 'the workers of today': the present in general, no calendar day."""
    assert [h.kind for h in find_relative("In today's world, exploitation takes many forms.")] == ["generic"]
    assert [h.kind for h in find_relative("The farmers of today face drought.")] == ["generic"]


@pytest.mark.parametrize(
    "text,value,gran",
    [("served 12 years in office", "P12Y", "year"), ("a six-month pilot", "P6M", "month"),
     ("within 48 hours", "PT48H", "hour"), ("for several weeks", "PXW", "week"),
     ("over two decades", "P20Y", "year")],
)
def test_find_durations(text, value, gran):
    assert [(v, g) for _, _, v, g in find_durations(text)] == [(value, gran)]


def test_find_sets_flags_adjective_words():
    text = "The board meets quarterly and reports every three months; daily lives matter."
    got = [(text[s:e], v, adj) for s, e, v, _, adj in find_sets(text)]
    assert got == [("quarterly", "P3M", True), ("every three months", "P3M", False), ("daily", "P1D", True)]


def test_closest_year_for_crosses_new_year():
    ref = dt.date(2023, 1, 5)
    assert closest_year_for(ref, 12, 29) == 2022
    assert closest_year_for(ref, 1, 20) == 2023
    assert closest_year_for(dt.date(2023, 11, 20), 1, 10) == 2024


def test_closest_year_for_uses_the_weekday():
    # 15 June was a Tuesday in 2021, a Wednesday in 2022 and a Thursday in 2023
    assert closest_year_for(dt.date(2022, 6, 1), 6, 15, weekday=1) == 2021
    assert closest_year_for(dt.date(2022, 6, 1), 6, 15, weekday=None) == 2022


def test_closest_year_for_respects_the_tense_direction():
    ref = dt.date(2023, 11, 8)
    assert closest_year_for(ref, 3, 22) == 2024
    assert closest_year_for(ref, 3, 22, direction=-1) == 2023
    assert closest_year_for(ref, 11, 20, direction=-1) == 2022
    assert closest_year_for(ref, 11, 1, direction=1) == 2024
    assert closest_year_for(ref, 11, None, direction=-1) == 2023  # this month counts as past


def test_shift_period():
    ref = dt.date(2024, 1, 3)
    assert shift_period(ref, "month", -1) == ("2023-12", "month", "2023-12-01", "2023-12-31")
    assert shift_period(ref, "year", 1) == ("2025", "year", "2025-01-01", "2025-12-31")
    assert shift_period(ref, "day", -3) == ("2023-12-31", "day", "2023-12-31", "2023-12-31")
    assert shift_period(ref, "week", 0) == ("2024-W01", "week", "2024-01-01", "2024-01-07")


def test_month_with_modifier_and_weekday_date():
    ref = dt.date(2023, 11, 8)
    assert month_with_modifier(ref, 7, -1) == 2023
    assert month_with_modifier(ref, 12, -1) == 2022
    assert month_with_modifier(ref, 3, 1) == 2024
    assert month_with_modifier(ref, 12, 1) == 2023
    assert month_with_modifier(ref, 4, 0, of_year=True) == 2023
    assert weekday_date(ref, 0, -1) == dt.date(2023, 11, 6)
    assert weekday_date(ref, 2, -1) == ref
    assert weekday_date(ref, 4, 1) == dt.date(2023, 11, 10)


# --------------------------------------------------------------- the component on text

from pipeline.extract.dates.component import make_dates, parse_reference

REF = "2023-11-08"  # a Wednesday, ISO week 45
DATE_KINDS = {"absolute", "relative"}


@pytest.fixture(scope="module")
def run(nlp_base):
    comp = make_dates(nlp_base, "release_dates", durations=True, sets=True)

    def _run(text: str, ref: str | None = REF) -> list[dict]:
        doc = nlp_base(text)
        doc._.reference_date = ref
        return comp(doc)._.dates

    return _run


CASES = [
    # absolute, full dates
    ("The summit opened on 14 March 2022 in Doha.", "14 March 2022", "2022-03-14", "day", "absolute"),
    ("The agreement was signed March 14, 2022, in Doha.", "March 14, 2022", "2022-03-14", "day", "absolute"),
    ("Delegates met on 3 Feb. 2021 in Bangkok.", "3 Feb. 2021", "2021-02-03", "day", "absolute"),
    ("The dataset was updated 2021-06-30 by the secretariat.", "2021-06-30", "2021-06-30", "day", "absolute"),
    ("The forum took place on Saturday, April 2, 2016 in Lima.", "Saturday, April 2, 2016", "2016-04-02", "day", "absolute"),
    ("Registration closed on 1st March 2019 in Accra.", "1st March 2019", "2019-03-01", "day", "absolute"),
    ("They gathered on the 5th of June 2018 in Accra.", "5th of June 2018", "2018-06-05", "day", "absolute"),
    ("Posted on Mon, Mar-04-2019", "Mon, Mar-04-2019", "2019-03-04", "day", "absolute"),
    ("The talks of 12 Jan 2020 ended early.", "12 Jan 2020", "2020-01-12", "day", "absolute"),
    ("The 17 June 2013 decision set a precedent.", "17 June 2013", "2013-06-17", "day", "absolute"),
    ("Statement of 07 July 2020 by the Rapporteur", "07 July 2020", "2020-07-07", "day", "absolute"),
    ("Nairobi, 21/03/2019 – The ministers met.", "21/03/2019", "2019-03-21", "day", "absolute"),
    ("The network was launched in September 2019.", "September 2019", "2019-09", "month", "absolute"),
    ("The ruling came in Dec. 2015 after appeals.", "Dec. 2015", "2015-12", "month", "absolute"),
    # absolute, years
    ("A new strategy will run until 2027.", "2027", "2027", "year", "absolute"),
    ("Cases doubled in 2019 across the region.", "2019", "2019", "year", "absolute"),
    ("Countries pledged to end forced labour by 2030.", "2030", "2030", "year", "absolute"),
    ("The unit has existed since 2005.", "2005", "2005", "year", "absolute"),
    ("Findings of the 2021 regional survey were presented.", "2021", "2021", "year", "absolute"),
    ("Data come from the Global Estimates of Modern Slavery 2021 and other sources.", "2021", "2021", "year", "absolute"),
    ("Year 2019 in Review", "2019", "2019", "year", "absolute"),
    ("The office opened in 1998 in Nairobi.", "1998", "1998", "year", "absolute"),
    ("The report, published in mid-2020, shows a rise.", "mid-2020", "2020", "year", "absolute"),
    ("As of 2022, most States had ratified it.", "2022", "2022", "year", "absolute"),
    ("During 2018 the unit trained judges.", "2018", "2018", "year", "absolute"),
    ("The 2030 Agenda guides our work.", "2030", "2030", "year", "absolute"),
    ("The Spring 2019 edition covers labour.", "2019", "2019", "year", "absolute"),
    ("2024 marks the tenth anniversary of the law.", "2024", "2024", "year", "absolute"),
    ("The campaign runs throughout 2025.", "2025", "2025", "year", "absolute"),
    ("Results were better than in 2017.", "2017", "2017", "year", "absolute"),
    ("The fund's 2016 annual report is online.", "2016", "2016", "year", "absolute"),
    ("The study (2019) found gaps in services.", "2019", "2019", "year", "absolute"),
    ("Funding is secured for FY 2012 programmes.", "2012", "2012", "year", "absolute"),
    ("In the 1990s trafficking routes shifted.", "1990s", "199", "decade", "absolute"),
    # relative, against 2023-11-08
    ("The Director said today that funding is needed.", "today", "2023-11-08", "day", "relative"),
    # an edition's year after a name and its acronym
    ("The Harbour Safety Index (HSI) 2022, compiled by the observatory, came out.", "2022", "2022",
     "year", "absolute"),
    ("The agreement was signed yesterday in Geneva.", "yesterday", "2023-11-07", "day", "relative"),
    ("The campaign will launch tomorrow.", "tomorrow", "2023-11-09", "day", "relative"),
    # a deadline, or the day something takes effect: the verb's tense does not place it
    ("The court extended the deadline to 21 November.", "21 November", "2023-11-21", "day", "relative"),
    ("Applications were due by Nov. 1, the board said.", "Nov. 1", "2023-11-01", "day", "relative"),
    ("The ministry said the new fee was effective 2 February.", "2 February", "2024-02-02", "day", "relative"),
    ("The hearing was postponed until 10 October.", "10 October", "2023-10-10", "day", "relative"),
    ("Arrests rose sharply this year.", "this year", "2023", "year", "relative"),
    ("Arrests rose sharply last year.", "last year", "2022", "year", "relative"),
    ("Elections will be held next year.", "next year", "2024", "year", "relative"),
    ("The board will meet next month.", "next month", "2023-12", "month", "relative"),
    ("Figures were released last month.", "last month", "2023-10", "month", "relative"),
    ("The decision came last July after talks.", "last July", "2023-07", "month", "relative"),
    ("Talks will resume next March in Vienna.", "next March", "2024-03", "month", "relative"),
    ("The report was launched in April this year.", "April this year", "2023-04", "month", "relative"),
    ("The meeting in June reviewed progress.", "June", "2023-06", "month", "relative"),
    ("The ministers met on Monday in Brussels.", "Monday", "2023-11-06", "day", "relative"),
    ("The ministers will meet on Friday in Brussels.", "Friday", "2023-11-10", "day", "relative"),
    ("The centre opened last Friday.", "last Friday", "2023-11-03", "day", "relative"),
    ("This year's conference focused on children.", "This year", "2023", "year", "relative"),
    ("Plans for the coming year were adopted.", "coming year", "2024", "year", "relative"),
    ("The Protocol entered into force two years ago.", "two years ago", "2021", "year", "relative"),
    ("Source: UNODC, 2020.", "2020", "2020", "year", "absolute"),
    # day-month without a year: the year closest to the reference date
    ("The team visited the camp on 29 July.", "29 July", "2023-07-29", "day", "relative"),
    ("GENEVA, Aug 26 (UNHCR) - The agency called for action.", "Aug 26", "2023-08-26", "day", "relative"),
    ("The meeting will take place on 6 December in Vienna.", "6 December", "2023-12-06", "day", "relative"),
    ("The law enters into force on 15 January.", "15 January", "2024-01-15", "day", "relative"),
    # durations and sets
    ("She has 25 years of experience.", "25 years", "P25Y", "year", "duration"),
    ("The programme lasts two weeks.", "two weeks", "P2W", "week", "duration"),
    ("It took a month to process the files.", "a month", "P1M", "month", "duration"),
    ("The three-day workshop ended.", "three-day", "P3D", "day", "duration"),
    ("Survivors waited for a decade.", "a decade", "P10Y", "year", "duration"),
    ("The Commission meets annually in Vienna.", "annually", "P1Y", "year", "set"),
    ("Reports are published every year.", "every year", "P1Y", "year", "set"),
    ("Data are collected each month by the unit.", "each month", "P1M", "month", "set"),
    ("The Conference meets every two years.", "every two years", "P2Y", "year", "set"),
]


@pytest.mark.parametrize("sentence,text,value,granularity,kind", CASES)
def test_component_table(run, sentence, text, value, granularity, kind):
    rows = run(sentence)
    assert [r["text"] for r in rows] == [text]
    row = rows[0]
    assert (row["value"], row["granularity"], row["kind"]) == (value, granularity, kind)
    assert sentence[row["start_char"]:row["end_char"]] == text


def test_component_table_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    "sentence,start,end",
    [
        ("Funds were spent in 2019.", "2019-01-01", "2019-12-31"),
        ("It was adopted in February 2024.", "2024-02-01", "2024-02-29"),
        ("It was adopted on 3 May 2024.", "2024-05-03", "2024-05-03"),
        ("In the 1990s trafficking routes shifted.", "1990-01-01", "1999-12-31"),
        ("She has 25 years of experience.", None, None),
    ],
)
def test_component_start_end(run, sentence, start, end):
    (row,) = run(sentence)
    assert (row["start"], row["end"]) == (start, end)


# Both ends complete on their own: one row per end, atomic values.
TWO_ROW_RANGES = [
    ("Funding rose between 2003 and 2016.", [("2003", "2003"), ("2016", "2016")]),
    ("The plan covers 2019-2020.", [("2019", "2019"), ("2020", "2020")]),
    ("The 2024–2025 work plan was adopted.", [("2024", "2024"), ("2025", "2025")]),
    ("Data were gathered from 2019 to 2021.", [("2019", "2019"), ("2021", "2021")]),
    ("Initiatives ran in 2023 and 2024 with partners.", [("2023", "2023"), ("2024", "2024")]),
    ("Reviews took place in 2021, 2022 and 2023.", [("2021", "2021"), ("2022", "2022"), ("2023", "2023")]),
    ("The fiscal year 2019/20 closed with a surplus.", [("2019", "2019"), ("20", "2020")]),
    ("The pilot ran from March 2019 to June 2020.", [("March 2019", "2019-03"), ("June 2020", "2020-06")]),
    ("Hearings ran from 4 May 2021 to 9 June 2022.", [("4 May 2021", "2021-05-04"), ("9 June 2022", "2022-06-09")]),
    # an end that names its own month is a date of its own and borrows only the year
    ("A workshop ran from 29 November to 1 December 2018.",
     [("29 November", "2018-11-29"), ("1 December 2018", "2018-12-01")]),
    ("From January to September 2018, calls rose.", [("January", "2018-01"), ("September 2018", "2018-09")]),
    ("The campaign ran 28 December to 3 January 2020.",
     [("28 December", "2019-12-28"), ("3 January 2020", "2020-01-03")]),
    ("Between February and April 2021 the hotline was overwhelmed.",
     [("February", "2021-02"), ("April 2021", "2021-04")]),
    # neither end borrows anything: each resolves against the reference date
    ("Inspections were held 29 November to 1 December.",
     [("29 November", "2022-11-29"), ("1 December", "2022-12-01")]),
    # the first end borrows its year, but the ends differ in granularity
    ("Shelters stayed open from 15 December to January 2020.",
     [("15 December", "2019-12-15"), ("January 2020", "2020-01")]),
    # days out of order under one month: a list of two days, not a range
    ("Raids took place on 14 and 8 April 2019.", [("14", "2019-04-14"), ("8 April 2019", "2019-04-08")]),
]


@pytest.mark.parametrize("sentence,expected", TWO_ROW_RANGES)
def test_ranges_of_complete_ends_give_one_row_per_end(run, sentence, expected):
    rows = [r for r in run(sentence) if r["kind"] in DATE_KINDS]
    assert [(r["text"], r["value"]) for r in rows] == expected


# The first end names no month (borrows it from the other): one row, an ISO
# interval at the ends' granularity, start/end the first and last day covered.
ONE_ROW_RANGES = [
    ("The operation ran between 8 and 14 April 2019.",
     "8 and 14 April 2019", "2019-04-08/2019-04-14", "day", "2019-04-08", "2019-04-14", "absolute"),
    ("Visits are planned June 13-19, 2010 in three cities.",
     "June 13-19, 2010", "2010-06-13/2010-06-19", "day", "2010-06-13", "2010-06-19", "absolute"),
    ("The forum runs 8-10 November 2023 in Geneva.",
     "8-10 November 2023", "2023-11-08/2023-11-10", "day", "2023-11-08", "2023-11-10", "absolute"),
    ("Courses run Sept. 3–7, 2017 at the academy.",
     "Sept. 3–7, 2017", "2017-09-03/2017-09-07", "day", "2017-09-03", "2017-09-07", "absolute"),
    # the year comes from the reference date (2023-11-08), placed by the tense
    ("Talks are set for 6-10 October in Vienna.",
     "6-10 October", "2023-10-06/2023-10-10", "day", "2023-10-06", "2023-10-10", "relative"),
    ("The training was held on 2-3 December.",
     "2-3 December", "2022-12-02/2022-12-03", "day", "2022-12-02", "2022-12-03", "relative"),
    ("The training will be held on 2-3 December.",
     "2-3 December", "2023-12-02/2023-12-03", "day", "2023-12-02", "2023-12-03", "relative"),
    ("Field visits took place March 20-24 in two provinces.",
     "March 20-24", "2023-03-20/2023-03-24", "day", "2023-03-20", "2023-03-24", "relative"),
    ("Clinics are open from 2 to 5 May each spring.",
     "2 to 5 May", "2024-05-02/2024-05-05", "day", "2024-05-02", "2024-05-05", "relative"),
]


@pytest.mark.parametrize("sentence,text,value,granularity,start,end,kind", ONE_ROW_RANGES)
def test_ranges_with_an_incomplete_end_give_one_row(run, sentence, text, value, granularity, start, end, kind):
    rows = [r for r in run(sentence) if r["kind"] in DATE_KINDS]
    assert [r["text"] for r in rows] == [text]
    row = rows[0]
    assert (row["value"], row["granularity"], row["start"], row["end"], row["kind"]) == (
        value, granularity, start, end, kind)
    assert sentence[row["start_char"]:row["end_char"]] == text


@pytest.mark.parametrize("sentence,text", [("The training was held on 2-3 December.", "2-3 December"),
                                           ("Field visits took place March 20-24.", "March 20-24")])
def test_year_less_range_without_reference_is_no_date(run, sentence, text):
    assert [r for r in run(sentence, ref=None) if r["kind"] in DATE_KINDS] == []


def test_range_pure_helpers():
    text = "Runs 2-3 December 2024; 28 December to 3 January; 14 and 8 April."
    parts = find_date_parts(text)
    groups = [(text[a.start:a.end], text[b.start:b.end] if b else None) for a, b in group_ranges(parts)]
    assert groups == [("2", "3 December 2024"), ("28 December", None), ("3 January", None),
                      ("14", None), ("8 April", None)]
    first, last = group_ranges(parts)[0]
    assert range_value(first, last) == ("2024-12-02/2024-12-03", "day", "2024-12-02", "2024-12-03")
    dec, jan = parts[2], parts[3]
    assert [p.year for p in range_years(dec, jan, 2020, of_first=False)] == [2019, 2020]
    assert [p.year for p in range_years(dec, jan, 2019, of_first=True)] == [2019, 2020]
    assert range_value(*range_years(dec, jan, 2019, of_first=True)) == (
        "2019-12-28/2020-01-03", "day", "2019-12-28", "2020-01-03")


EXCLUSIONS = [
    "For details call Tel: +35569 20 29 021 or +41 22 917 2000.",
    "The Assembly adopted resolution 61/180 on the matter.",
    "See paragraph 2012 of the annex.",
    "Photo credit: UNICEF/UNI398788/Smith",
    "For the second year running, the group met in Geneva.",
    "It was the fifth annual meeting of the board.",
    "The agency works in 190 countries and territories.",
    "Over 2000 victims were identified.",
    "A total of 2019 migrants were assisted.",
    "The hotline received 2015 calls.",
    "Some 1990 people were displaced.",
    "31 organizations joined the call.",
    "The plan lists 10 action points.",
    "The COVID-19 pandemic worsened risks.",
    "Priority 1 - Capitalizing on partnerships",
    "In recent years, cases have risen.",
    "Over the years, the group has grown.",
    "Progress to-date has been uneven.",
    "Cases reported to date remain low.",
    "The past years have seen progress.",
    "In today's world, exploitation takes many forms.",
    "The budget reached $2000 for each family.",
    "The unit trained 2,019 officers.",
    "Victims may seek help at any time.",
    "Goal 8.7 calls for ending forced labour.",
    "In Vienna, 2000 people marched.",
    "Cases rose a few years ago.",
]


@pytest.mark.parametrize("sentence", EXCLUSIONS)
def test_exclusions_yield_no_date(run, sentence):
    assert [r["text"] for r in run(sentence) if r["kind"] in DATE_KINDS] == []


@pytest.mark.parametrize(
    "sentence",
    ["The Director said today that funding is needed.", "Arrests rose sharply last year.",
     "The team visited the camp on 29 July.", "The ministers met on Monday in Brussels.",
     "The decision came last July after talks.", "This year's conference focused on children."],
)
def test_relative_dates_without_reference_are_no_dates(run, sentence):
    """Nothing in the text says which day or year they name: no row, never a guessed year."""
    assert run(sentence, ref=None) == []


def test_absolute_dates_need_no_reference(run):
    (row,) = run("The summit opened on 14 March 2022 in Doha.", ref=None)
    assert row["value"] == "2022-03-14"


def test_bad_reference_is_treated_as_missing(run):
    assert parse_reference("not a date") is None
    assert run("Arrests rose sharply last year.", ref="soon") == []


@pytest.fixture(scope="module")
def run_anaphoric(nlp_base):
    comp = make_dates(nlp_base, "release_dates", durations=True, sets=True, anaphoric=True)

    def _run(text: str, ref: str | None = REF) -> list[dict]:
        doc = nlp_base(text)
        doc._.reference_date = ref
        return comp(doc)._.dates

    return _run


@pytest.fixture(scope="module")
def run_timeml(nlp_base):
    """The component on a document of TimeML's conventions (a .tml file's)."""
    comp = make_dates(nlp_base, "release_dates", durations=True, sets=True)

    def _run(text: str, ref: str | None = REF) -> list[dict]:
        doc = nlp_base(text)
        doc._.reference_date, doc._.date_convention = ref, "timeml"
        return comp(doc)._.dates

    return _run


@pytest.mark.parametrize("sentence,text,value,start,end", [
    ("Experts gather in Rome this week.", "this week", "2023-W45", "2023-11-06", "2023-11-12"),
    ("The preparatory work of next week's session is done.", "next week", "2023-W46", "2023-11-13",
     "2023-11-19"),
])
def test_a_week_is_a_timeml_date_not_a_release_date(run, run_timeml, sentence, text, value, start, end):
    """gold.md's dates name a calendar day, month or year; TimeML's weeks are dates too."""
    assert run(sentence) == []
    (row,) = run_timeml(sentence)
    assert (row["text"], row["value"], row["granularity"], row["start"], row["end"], row["kind"]) == (
        text, value, "week", start, end, "relative")


@pytest.mark.parametrize(
    "sentence,expected",
    [("Arrests rose 9 percent compared to the previous year.", []),
     ("In 2015, arrests rose 9 percent compared to the previous year.", ["2015"]),
     ("The law changed in 2012; a year later, courts applied it.", ["2012"]),
     ("Talks resumed the following week.", [])],
)
def test_anaphoric_phrases_are_not_emitted_by_default(run, sentence, expected):
    assert [r["text"] for r in run(sentence)] == expected


def test_anaphoric_year_follows_the_year_under_discussion(run_anaphoric):
    rows = run_anaphoric("In 2015, arrests rose 9 percent compared to the previous year.")
    assert [(r["text"], r["value"], r["kind"]) for r in rows] == [
        ("2015", "2015", "absolute"), ("the previous year", "2014", "anaphoric")]


def test_anaphoric_year_prefers_the_same_sentence(run_anaphoric):
    rows = run_anaphoric("The 2019 law passed.\nBuilding on the previous year, plans for 2021 were set.")
    assert [(r["text"], r["value"]) for r in rows if r["kind"] == "anaphoric"] == [("the previous year", "2020")]


def test_anaphoric_without_anchor_uses_the_reference_date(run_anaphoric):
    rows = run_anaphoric("Arrests rose 9 percent compared to the previous year.")
    assert [(r["text"], r["value"]) for r in rows] == [("the previous year", "2022")]


def test_a_year_before_a_quarter_is_that_quarter_a_year_before(run_timeml):
    rows = run_timeml("Sales rose in the second quarter, from $4 million a year earlier.")
    assert [(r["text"], r["value"], r["granularity"], r["start"], r["end"]) for r in rows] == [
        ("the second quarter", "2023-Q2", "quarter", "2023-04-01", "2023-06-30"),
        ("a year earlier", "2022-Q2", "quarter", "2022-04-01", "2022-06-30")]


@pytest.mark.parametrize("sentence,text,value", [
    ("Earnings fell in the second quarter of 2019.", "the second quarter of 2019", "2019-Q2"),
    ("The 2017 fourth quarter was the weakest.", "The 2017 fourth quarter", "2017-Q4"),
    ("Orders slowed in spring 2020.", "spring 2020", "2020-SP"),
])
def test_a_period_with_its_year_is_a_timeml_date_and_a_year_in_a_release(run, run_timeml, sentence,
                                                                         text, value):
    """A release's reader looks for the year (gold.md); TimeML marks the whole period."""
    assert [(r["text"], r["value"]) for r in run(sentence)] == [(value[:4], value[:4])]
    assert [(r["text"], r["value"]) for r in run_timeml(sentence)] == [(text, value)]


def test_a_timeml_document_gets_anaphoric_dates(nlp_base):
    """TIMEX3 marks anaphoric dates, so a document read from a .tml file gets them whatever
    the component's setting; a release does not."""
    comp = make_dates(nlp_base, "release_dates", durations=True, sets=True, anaphoric=False)
    found = {}
    for convention in (None, "timeml"):
        doc = nlp_base("In 2016, exports fell below the level of the year before.")
        doc._.reference_date, doc._.date_convention = REF, convention
        found[convention] = [(r["text"], r["value"]) for r in comp(doc)._.dates]
    assert found == {None: [("2016", "2016")],
                     "timeml": [("2016", "2016"), ("the year before", "2015")]}


def test_a_year_ago_in_a_timeml_report_on_a_quarter_is_that_quarter(nlp_base):
    """TimeML reads 'a year ago' after a quarter as the quarter compared with; a release's
    'a year ago' is the year before its reference date, and so is a TimeML one with no
    quarter under discussion."""
    comp = make_dates(nlp_base, "release_dates", durations=True, sets=True, anaphoric=False)
    texts = ["The bank reported a third-quarter loss. A year ago it earned $5 million.",
             "The clinic opened a year ago."]
    found = {}
    for convention in (None, "timeml"):
        for text in texts:
            doc = nlp_base(text)
            doc._.reference_date, doc._.date_convention = REF, convention
            found[convention, text[:10]] = [(r["text"], r["value"]) for r in comp(doc)._.dates]
    assert found == {
        (None, "The bank r"): [("A year ago", "2022")],
        ("timeml", "The bank r"): [("third-quarter", "2023-Q3"), ("A year ago", "2022-Q3")],
        (None, "The clinic"): [("a year ago", "2022")],
        ("timeml", "The clinic"): [("a year ago", "2022")]}


def test_the_date_under_discussion_is_the_nearest_one_before(run_anaphoric):
    rows = run_anaphoric("Talks began in 2018 and ended on 3 March 2021. The previous year was calm.")
    assert [(r["text"], r["value"]) for r in rows if r["kind"] == "anaphoric"] == [
        ("The previous year", "2020")]


def test_anaphoric_week_follows_the_last_day_mentioned(run_anaphoric):
    rows = run_anaphoric("The attack occurred on 22 March.\nA similar one was reported the previous week.")
    assert [(r["text"], r["value"]) for r in rows] == [("22 March", "2023-03-22"), ("the previous week", "2023-W11")]


@pytest.mark.parametrize(
    "sentence,value",
    [("The attack occurred on 22 March.", "2023-03-22"),        # past: before the reference
     ("The board will meet on 22 March.", "2024-03-22"),        # future: after it
     ("The board meets on 22 March.", "2024-03-22"),            # unknown: the closest
     ("The talks were held on 20 November.", "2022-11-20"),     # past, even if close ahead
     ("Talks were held in December.", "2022-12")],
)
def test_day_month_year_follows_the_tense(run, sentence, value):
    assert [r["value"] for r in run(sentence) if r["kind"] in DATE_KINDS] == [value]


def test_weekday_in_a_dateline_release_is_the_same_day(run):
    rows = run("GENEVA, 8 November - The Commissioner on Wednesday urged action.")
    assert [(r["text"], r["value"]) for r in rows] == [("8 November", "2023-11-08"), ("Wednesday", "2023-11-08")]


def test_durations_and_sets_can_be_switched_off(nlp_base):
    comp = make_dates(nlp_base, "release_dates", durations=False, sets=False)
    doc = nlp_base("She has 25 years of experience and meets annually since 2019.")
    doc._.reference_date = REF
    assert [r["text"] for r in comp(doc)._.dates] == ["2019"]


def test_rows_are_plain_data(run):
    rows = run("On 8 November 2023 she said today that last year 25 years ended.")
    for row in rows:
        assert set(row) == {"start_char", "end_char", "text", "value", "granularity", "start", "end", "kind"}
        assert all(v is None or isinstance(v, (str, int)) for v in row.values())


def test_multi_line_dates_do_not_cross_lines(run):
    rows = run("Signed on 8 November\n2023 Annual Report")
    assert [r["text"] for r in rows if r["kind"] in DATE_KINDS] == ["8 November", "2023"]


# ----------------------------------------------------------------------- seeds and dev

import re
from pathlib import Path

# the same paths as tests/conftest.py (RAW, DEV_CORPUS)
ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"

_ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?"
ISO_VALUE = re.compile(rf"^{_ISO}$|^\d{{3}}$|^{_ISO}/{_ISO}$")  # a date, a decade, or an interval


def _check_invariants(text: str, rows: list[dict]) -> None:
    last_end = -1
    for row in rows:
        assert text[row["start_char"]:row["end_char"]] == row["text"]
        assert row["start_char"] >= last_end, "rows overlap"
        last_end = row["end_char"]
        assert row["kind"] in {"absolute", "relative", "duration", "set", "anaphoric", "time", "reference"}
        if row["kind"] in DATE_KINDS and row["value"] is not None:
            assert ISO_VALUE.match(row["value"]), row
            assert row["start"] <= row["end"]
        if row["kind"] in {"duration", "set"}:
            assert row["value"].startswith("P") and row["start"] is None
        if row["kind"] == "reference":
            assert row["value"] in {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}
        if row["kind"] == "time":
            assert re.match(rf"^(?:{_ISO}|XXXX-XX-XX)T(?:\d{{2}}:\d{{2}}|MO|AF|EV|NI)$", row["value"]), row


@pytest.fixture(scope="module")
def seeds(run):
    out = {}
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = (text, run(text))
    return out


def _seed_with(seeds, phrase: str):
    matches = [(t, r) for t, r in seeds.values() if phrase in t]
    if not matches:
        pytest.skip(f"no seed contains {phrase!r}")
    return matches


def test_seed_rows_keep_invariants(seeds):
    assert seeds
    for text, rows in seeds.values():
        _check_invariants(text, rows)


def test_seed_phone_numbers_yield_no_date(seeds):
    for text, rows in _seed_with(seeds, "Tel:"):
        phone_lines = [m.span() for m in re.finditer(r"(?m)^Tel:.*$", text)]
        assert phone_lines
        assert not [r for r in rows if any(s <= r["start_char"] < e for s, e in phone_lines)]


def test_seed_second_year_running_yields_no_date(seeds):
    for text, rows in _seed_with(seeds, "second year running"):
        for m in re.finditer(r"second year running", text):
            assert not [r for r in rows if r["start_char"] < m.end() and m.start() < r["end_char"]]


def test_seed_identifiers_counts_and_anaphora_yield_no_date(seeds):
    for phrase in ["resolution 61/180", "UNI398788", "190 countries", "31 organizations", "10 action points",
                   "fifth annual meeting", "to-date", "the previous year", "Over the years"]:
        for text, rows in _seed_with(seeds, phrase):
            for m in re.finditer(re.escape(phrase), text):
                assert not [r for r in rows if r["start_char"] < m.end() and m.start() < r["end_char"]
                            and r["kind"] in DATE_KINDS], phrase


def test_seed_dates_a_reader_expects(seeds):
    all_rows = [(r["text"], r["value"], r["kind"]) for _, rows in seeds.values() for r in rows]
    # a day date, a month date, years in several roles, a relative phrase
    assert ("8 November 2023", "2023-11-08", "absolute") in all_rows
    assert ("May 2018", "2018-05", "absolute") in all_rows
    assert ("July 2023", "2023-07", "absolute") in all_rows
    for text, rows in _seed_with(seeds, "Trafficking in Persons 2022"):
        i = text.index("Trafficking in Persons 2022") + len("Trafficking in Persons ")
        assert [r["value"] for r in rows if r["start_char"] == i] == ["2022"]
    for text, rows in _seed_with(seeds, "the 2023 work plan"):
        i = text.index("the 2023 work plan") + 4
        assert [r["text"] for r in rows if r["start_char"] == i] == ["2023"]
    for text, rows in _seed_with(seeds, "This year’s"):
        i = text.index("This year’s")
        assert [(r["text"], r["kind"]) for r in rows if r["start_char"] == i] == [("This year", "relative")]


def test_seed_durations_are_not_dates(seeds):
    for text, rows in _seed_with(seeds, "25 years of experience"):
        i = text.index("25 years")
        assert [(r["kind"], r["value"]) for r in rows if r["start_char"] == i] == [("duration", "P25Y")]


def test_dev_corpus_rows_keep_invariants(run):
    paths = sorted(Path(DEV_CORPUS).glob("d*.txt"))
    if not paths:
        pytest.skip("dev corpus not available")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        _check_invariants(text, run(text, ref=None))


# ------------------------------------------------------------- rules as data

def test_every_absolute_rule_has_a_name_pattern_value_and_a_working_example():
    from pipeline.extract.dates.absolute import rule_value, rules
    from pipeline.extract.dates.vocab import vocabulary

    specs = vocabulary()["rules"]
    assert len({r["name"] for r in specs}) == len(specs)
    for spec, (name, rx, template, fallback) in zip(specs, rules()):
        assert set(spec) >= {"name", "pattern", "value", "example"}
        m = rx.fullmatch(spec["example"])
        assert m is not None, name
        assert rule_value(template, fallback, m) is not None, name


def test_the_engine_holds_no_calendar_words():
    """Month and weekday names live in the data file, not in the engine's code."""
    from pathlib import Path

    import pipeline.extract.dates as package
    from pipeline.extract.dates.vocab import month_table, weekday_table

    words = [w for w in (*month_table(), *weekday_table()) if len(w) > 4]
    for path in Path(package.__file__).parent.glob("*.py"):
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith(("#", "'", '"')) and '"""' not in line)
        code_strings = re.findall(r"\"([^\"\n]*)\"", code)
        for s in code_strings:
            assert not any(re.search(rf"\b{w}\b", s, re.IGNORECASE) for w in words), (path.name, s)


def test_unknown_fragment_is_an_error():
    from pipeline.extract.dates.vocab import expand

    with pytest.raises(KeyError):
        expand("@no_such_fragment_here")


def test_shift_period_crosses_year_ends_by_whole_months():
    assert shift_period(dt.date(2024, 1, 31), "month", -1)[:2] == ("2023-12", "month")
    assert shift_period(dt.date(2024, 12, 31), "month", 2)[:2] == ("2025-02", "month")
    assert shift_period(dt.date(2021, 1, 3), "week", 0)[0] == "2020-W53"


# ------------------------------------------------- TimeML classes (kinds time, reference, period)

TIMEML_CASES = [
    # weekdays against the reference date (2023-11-08, a Wednesday); the tense picks the side
    ("The minister resigned Friday after the vote.", "Friday", "2023-11-03", "relative"),
    ("The council will vote Monday on the budget.", "Monday", "2023-11-13", "relative"),
    ("Talks broke down Tuesday night in Lusaka.", "Tuesday night", "2023-11-07TNI", "time"),
    ("The ferry sank this morning off the cape.", "this morning", "2023-11-08TMO", "time"),
    ("Polls close at 8 p.m. in the capital.", "8 p.m.", "2023-11-08T20:00", "time"),
    ("The market opened at 9:30 a.m. EST after the pause.", "9:30 a.m. EST", "2023-11-08T09:30", "time"),
    ("Prices are now lower than in spring.", "now", "PRESENT_REF", "reference"),
    ("The mill was recently sold to a trust.", "recently", "PAST_REF", "reference"),
    ("The town will need more wells in the future.", "the future", "FUTURE_REF", "reference"),
    ("The farmers of today face drought.", "today", "PRESENT_REF", "reference"),
    ("Exports fell in the third quarter, the bank said.", "the third quarter", "2023-Q3", "relative"),
    ("Third-quarter profit rose at the brewery.", "Third-quarter", "2023-Q3", "relative"),
    ("Rains failed last winter in the valley.", "last winter", "2022-WI", "relative"),
    ("The bridge will reopen next summer.", "next summer", "2024-SU", "relative"),
    ("Repairs ended early next year, the plan said.", "early next year", "2024", "relative"),
    ("Sales rose by the end of 2019 in the region.", "the end of 2019", "2019", "absolute"),
    ("Demand rose over the past two months.", "the past two months", "P2M", "duration"),
    ("In recent months the river rose.", "recent months", "PXM", "duration"),
    ("For the past year the clinic stayed shut.", "the past year", "P1Y", "duration"),
]


@pytest.mark.parametrize("sentence,text,value,kind", TIMEML_CASES)
def test_timeml_classes(run_timeml, sentence, text, value, kind):
    rows = [r for r in run_timeml(sentence) if r["text"] == text]
    assert [(r["value"], r["kind"]) for r in rows] == [(value, kind)], run_timeml(sentence)


def test_new_kinds_stay_out_of_the_press_gold_kinds(run, run_timeml):
    """Times and references carry kinds the press-release scorer does not count; a part of a
    year (a week, a quarter) is a TimeML date only, relative to the reference date there, as
    the contract has no kind of its own for it (its granularity says what it is)."""
    text = "Now, at 9 a.m. on Friday, the first quarter ended; this week it rained."
    kinds = {r["text"]: r["kind"] for r in run(text)}
    assert kinds == {"Now": "reference", "9 a.m.": "time", "Friday": "relative"}
    kinds = {r["text"]: r["kind"] for r in run_timeml(text)}
    assert kinds["the first quarter"] == "relative" and kinds["this week"] == "relative"


def test_age_is_no_duration(run):
    assert [r for r in run("The 7-year-old pony won the show.") if r["kind"] == "duration"] == []


def test_year_from_the_paragraph_without_reference(run):
    text = "The 2016 festival closed.\nIn 2015 and 2016, visitors came on 12 June and in July."
    rows = {r["text"]: r["value"] for r in run(text, ref=None)}
    assert rows["12 June"] == "2016-06-12"
    assert rows["July"] == "2016-07"


def test_year_from_the_release_opening_without_reference(run):
    text = "Report on the 2011 harvest.\nThe growers met on Monday, May 9, in the hall."
    rows = {r["text"]: r["value"] for r in run(text, ref=None)}
    assert rows["Monday, May 9"] == "2011-05-09"


def test_year_of_a_labelled_quarter(run):
    rows = [(r["text"], r["value"]) for r in run("Sales report, quarter 2 2021 and Q4 2020.") if r["kind"] in DATE_KINDS]
    assert rows == [("2021", "2021"), ("2020", "2020")]


def test_last_night_is_the_day_before(run):
    (row,) = run("Storms hit the coast last night, officials said.")
    assert (row["text"], row["value"], row["kind"]) == ("last night", "2023-11-07", "relative")


def test_month_to_month_without_year_gives_two_months(run):
    rows = [(r["text"], r["value"]) for r in run("Arrests rose from January to March.") if r["kind"] in DATE_KINDS]
    assert rows == [("January", "2023-01"), ("March", "2023-03")]


def test_many_year_less_months_on_one_long_line_stay_fast(run):
    """The year of a year-less date is looked up once per line, not once per date."""
    import time

    text = "Prices rose in 2019 and fell again in May " * 600
    t0 = time.perf_counter()
    rows = run(text, ref=None)
    assert time.perf_counter() - t0 < 20
    assert {r["value"] for r in rows if r["text"] == "May"} == {"2019-05"}
