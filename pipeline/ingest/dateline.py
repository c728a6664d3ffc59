"""The dateline: the place (and often the date) that opens a release's lead paragraph.

Why a module of its own: the same prefix is read by the header (documents.dateline and the
publication date) and by the sentence splitter, which must keep ``VIENNA, 11 December 2024
– UNODC said …`` one sentence. Forms read, with or without a date, any dash:
``VIENNA, 29 July (UN Information Service) –``, ``GENEVA (20 June 2024) –``,
``12 April, GENEVA –``, ``LONDON, June 2 (Wire) –``, ``NEW YORK: The …``,
``Brussels, (Morning Paper) The …`` and place and date run together in scraped text
(``VIENNA, 11 December 2024UNODC said``). Pure functions of one line; the forms without
a dash or a date need a place of the places vocabulary (``resources/organizations.json``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipeline.extract.dates.grammar import find_absolute_dates, parse_date
from pipeline.ingest.decode import settings
from pipeline.resources import load_json


class Dateline(NamedTuple):
    """A dateline prefix: its place (or None), its date as ISO day (or None), and the prefix
    text as written (``VIENNA, 11 December 2024 –``), which opens the line."""

    place: str | None
    date: str | None
    prefix: str


def line_dates(line: str) -> list[tuple[int, int, str, str]]:
    """Full dates (day precision) in ``line``: (start, end, ISO, "day")."""
    return [d for d in find_absolute_dates(line) if d[3] == "day"]


def is_place_line(line: str) -> bool:
    """A standalone place line such as ``Vienna`` or ``Washington, DC``."""
    words = re.findall(r"[^\s,]+", line)
    if not words or len(words) > settings()["max_dateline_words"]:
        return False
    if line.lower() in settings()["genre_labels"] or re.search(r"\d|/|[.!?:;]$", line):
        return False
    if re.search(r"[.!?:;]\s", line):
        return False
    return all(w[0].isupper() for w in words)


_DASH_PREFIX = re.compile(r"^(?P<prefix>[^\n]{2,90}?)\s+[-–—]+\s*(?=\S)")
_DAY_MONTH = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?"
_YEARLESS_EDGE = re.compile(rf"^(?:{_DAY_MONTH})\b[,\s]*|[,\s]*\b(?:{_DAY_MONTH})$")
_LETTER = r"(?:[^\W\d_]|[.'’-])"  # a letter of any script, or a mark inside a place name
_PLACE = rf"[A-Z]{_LETTER}*(?:(?:, ?| |/|-)[A-Z]{_LETTER}*){{0,3}}"
_COLON_PREFIX = re.compile(r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+){0,3}):\s+(?=[A-Z“\"])")
_SOURCE_PREFIX = re.compile(rf"^(?P<place>{_PLACE}),\s*\((?P<source>[^()]{{3,60}})\)\s+(?=[A-Z“\"])")
_GLUED_PREFIX = re.compile(
    rf"^(?P<place>{_PLACE})(?:,\s*|\s+|(?=\d))"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})"
    r"\s*(?:[-–—:]+\s*)?(?=[A-Z“\"])")


@lru_cache(maxsize=1)
def _known_places() -> frozenset[str]:
    """Countries, regions and cities of the places vocabulary, in lower case."""
    return frozenset(p.lower() for p in load_json("organizations.json")["places"])


def is_known_place(name: str) -> bool:
    """A place of the places vocabulary, or several joined by ``/`` (``NEW YORK/VIENNA``).
    The forms without a dash or a date (``NEW YORK: …``) need it: a name in capitals before
    a colon is as often a label or a speaker."""
    parts = [p.strip(" ,.").lower() for p in name.split("/")]
    return all(p in _known_places() for p in parts)


def _clean_place(bare: str) -> str | None:
    """The place left in a prefix once its dates are removed, or None if nothing is left."""
    place = bare
    for start, end, _, _ in sorted(find_absolute_dates(bare), reverse=True):
        place = place[:start] + place[end:]
    place = place.strip(" ,")
    for _ in range(2):  # a year-less day and month on either side: "12 April, GENEVA"
        place = _YEARLESS_EDGE.sub("", place).strip(" ,")
    if not place or parse_date(place) is not None or not re.search(r"[A-Za-z]", place):
        return None
    if place.lower() in settings()["not_places"]:
        return None
    return place


def _dash_prefix(paragraph: str) -> Dateline | None:
    """``<place and/or date, agency in brackets> –``: every word outside brackets and
    ``/agency/`` tags starts with a capital or a digit, so ordinary openings ("Child
    trafficking - a crime") are left alone."""
    m = _DASH_PREFIX.match(paragraph)
    if not m:
        return None
    prefix = m.group("prefix")
    bare = re.sub(r"\([^)]*\)|/[^/\s][^/]*/", " ", prefix)
    if "(" in bare or ")" in bare:
        return None
    words = re.findall(r"[^\s,]+", bare)
    if not words or len(words) > 8 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return None
    date = None
    for span in [prefix, *re.findall(r"\(([^)]*)\)", prefix)]:
        found = line_dates(span)
        if found:
            date = found[0][2]
            break
    return Dateline(_clean_place(bare), date, m.group(0).rstrip())


def _colon_prefix(paragraph: str) -> Dateline | None:
    """``NEW YORK: The agency said …``: a place in capitals and a colon before running text."""
    m = _COLON_PREFIX.match(paragraph)
    if not m or not is_known_place(m.group("place")):
        return None
    return Dateline(m.group("place"), None, m.group(0).rstrip())


def _source_prefix(paragraph: str) -> Dateline | None:
    """``Brussels, (Morning Paper) The agency said …``: a place, a comma and the bracketed
    name of a news source of two words or more, no dash."""
    m = _SOURCE_PREFIX.match(paragraph)
    if not m or len(m.group("source").split()) < 2 or not is_known_place(m.group("place")):
        return None
    return Dateline(m.group("place"), None, m.group(0).rstrip())


def _glued_prefix(paragraph: str) -> Dateline | None:
    """Place and full date run together with the lead, as scraped text leaves them
    (``VIENNA, 11 December 2024UNODC said``, ``Geneva12 May 2023 The …``)."""
    m = _GLUED_PREFIX.match(paragraph)
    if not m:
        return None
    found = line_dates(m.group("date"))
    if not found:
        return None
    place = _clean_place(m.group("place"))
    return Dateline(place, found[0][2], m.group(0).rstrip()) if place else None


def parse_dateline_prefix(paragraph: str) -> Dateline | None:
    """The dateline prefix opening ``paragraph``, in any of the forms the module names."""
    for read in (_dash_prefix, _colon_prefix, _source_prefix, _glued_prefix):
        found = read(paragraph)
        if found:
            return found
    return None
