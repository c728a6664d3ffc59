"""Finders of TimeML's further classes: present/past/future references ('now',
'recently'), seasons ('last winter'), quarters and halves ('the third quarter', 'the first
half of 1990'), clock times ('9 a.m. EDT', 'noon'), parts of the day ('this morning'),
vague durations ('recent months', 'years'), and the modifier words TimeML keeps inside an
expression ('early next year', 'the past two months'). Pure functions over text; the words
and patterns are the data file's."""
from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.extract.dates.vocab import pattern, vocabulary


def _key(phrase: str) -> str:
    return re.sub(r"[\s]+", " ", phrase.lower())


def find_references(text: str) -> list[tuple[int, int, str]]:
    """'now' -> PRESENT_REF, 'recently' -> PAST_REF, 'the future' -> FUTURE_REF."""
    table = vocabulary()["reference_phrases"]
    return [(m.start("p"), m.end("p"), table[_key(m.group("p"))])
            for m in pattern("reference").finditer(text) if _key(m.group("p")) in table]


class SeasonHit(NamedTuple):
    start: int
    end: int
    code: str          # SP, SU, FA, WI
    start_month: int   # the month the season begins in
    offset: int | None  # season modifier (None: none written)
    year: int | None    # year written


def find_seasons(text: str) -> list[SeasonHit]:
    """Seasons named with a modifier or a year ('last winter', 'summer 1998')."""
    v = vocabulary()
    out = []
    for m in pattern("season").finditer(text):
        if m.group("mod") is None and m.group("y") is None:
            continue  # a bare season is seldom a date ('summer camps')
        code, month = v["seasons"][m.group("s").lower()]
        offset = v["season_modifiers"][_key(m.group("mod"))] if m.group("mod") else None
        out.append(SeasonHit(m.start(), m.end(), code, month, offset, int(m.group("y")) if m.group("y") else None))
    return out


class PeriodHit(NamedTuple):
    start: int
    end: int
    letter: str          # Q (quarter) or H (half)
    number: int | None   # 1-4 (quarter) or 1-2 (half); None: the latest one
    year_offset: int     # from a modifier ('year-earlier' -> -1)
    year: int | None     # year written


def find_year_periods(text: str) -> list[PeriodHit]:
    """Quarters and halves: 'the third quarter', 'third-quarter', 'the latest quarter',
    'the first half of 1990', 'fiscal 1989 fourth quarter'. A bare 'half' needs an ordinal."""
    v = vocabulary()
    out = []
    for m in pattern("quarter").finditer(text):
        letter, _ = v["period_units"][m.group("u").lower()]
        number = v["quarter_ordinals"][m.group("ord").lower()] if m.group("ord") else None
        if number is None and (letter == "H" or not (m.group("the") or m.group("mod"))):
            continue  # 'half' alone, or 'quarter' with no determiner (a fraction)
        if number is not None and number > (4 if letter == "Q" else 2):
            continue
        year_text = m.group("y1") or m.group("y2")
        offset = v["quarter_modifiers"].get(_key(m.group("mod") or ""), 0)
        out.append(PeriodHit(m.start(), m.end(), letter, number, offset, int(year_text) if year_text else None))
    return out


def find_clock_times(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, hour 0-24, minute): '9 a.m.', '10:35 p.m.', '4 a.m. EDT', '14:30 CET', 'noon'."""
    v = vocabulary()
    out = []
    for m in pattern("clock").finditer(text):
        if m.group("cw"):
            hh, mm = v["clock_words"][m.group("cw").lower()].split(":")
            out.append((m.start(), m.end(), int(hh), int(mm)))
            continue
        hour, minute = int(m.group("h")), int(m.group("mi") or 0)
        mer = v["meridians"].get(m.group("mer").lower()) if m.group("mer") else None
        if mer and not 1 <= hour <= 12:
            continue
        if mer == "pm" and hour < 12:
            hour += 12
        elif mer == "am" and hour == 12:
            hour = 0
        out.append((m.start(), m.end(), hour, minute))
    return out


def find_parts_of_day(text: str) -> list[tuple[int, int, str]]:
    """'this morning' -> MO, 'tonight' -> NI: parts of the reference day."""
    codes = vocabulary()["parts_of_day"]
    return [(m.start(), m.end(), codes[m.group("pod").lower()]) for m in pattern("part_of_day_this").finditer(text)
            if m.group("to") is None or m.group("pod").lower() == "night"]


def part_of_day_after(text: str, end: int) -> tuple[int, str] | None:
    """('Wednesday') 'night' right after ``end``: (its end, TimeML code) or None."""
    m = pattern("part_of_day_after").match(text, end)
    return (m.end(), vocabulary()["parts_of_day"][m.group("pod").lower()]) if m else None


def find_vague_durations(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, value, unit granularity): 'recent months' -> PXM, 'years' -> PXY."""
    v = vocabulary()
    out = []
    for m in pattern("vague_duration").finditer(text):
        letter, mult = v["duration_units"][m.group("u").lower()]
        suffix = "M" if letter == "MIN" else letter
        value = (f"PTX{suffix}" if letter in {"H", "MIN"} else f"PX{'Y' if mult > 1 else letter}")
        if mult == 10:
            value = "PXE"
        elif mult == 100:
            value = "PXC"
        out.append((m.start(), m.end(), value, v["unit_granularity"][letter]))
    return out


def lead_start(text: str, start: int, name: str, limit: int = 40) -> tuple[int, str | None]:
    """Where an expression starting at ``start`` begins when the words before it belong to
    it (pattern ``name``: date modifiers or duration leads), and the phrase found."""
    lo = max(0, start - limit)
    m = pattern(name).search(text, lo, start)
    if not m:
        return start, None
    return m.start("p"), _key(m.group("p")).rstrip("- ")



def find_period_phrases(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, value, unit granularity): 'the past year' -> P1Y, a stretch ending now."""
    v = vocabulary()
    out = []
    for m in pattern("period_phrase").finditer(text):
        value = v["period_phrases"][_key(m.group("p"))]
        letter = value[-1]
        out.append((m.start(), m.end(), value, v["unit_granularity"][letter]))
    return out
