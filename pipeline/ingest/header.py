"""What the top of a release says about itself: title, dateline and stated publication date.

Why a module of its own: every reader (plain text, JSON lines, HTML) ends in the same header
reading, and the dates that resolve "today" and "last year" depend on it. Pure functions of
the normalized text; nothing here holds a document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extract.dates.grammar import find_absolute_dates, parse_date
from pipeline.ingest.dateline import (
    Dateline,
    is_place_line,
    line_dates,
    parse_dateline_prefix,
)
from pipeline.ingest.decode import settings
from pipeline.ingest.title import MAX_DATE_LINE_CHARS, is_body, is_clutter, read_title


@dataclass
class Header:
    """What the top of a release says about itself. Offsets index the normalized text."""

    title: str | None = None
    title_range: tuple[int, int] | None = None
    dateline: str | None = None
    dateline_range: tuple[int, int] | None = None
    dateline_text: str | None = None
    published: str | None = None
    widget_ranges: list[tuple[int, int]] = field(default_factory=list)  # e.g. a weather box


def split_lines(text: str) -> list[tuple[int, int, str]]:
    """Non-empty lines as (start, end, stripped text), offsets of the stripped text."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            s = m.start() + lead
            out.append((s, s + len(stripped), stripped))
    return out


def published_in_line(line: str) -> str | None:
    """The ISO day of a publication date line: a full date that opens the line, or that
    follows only a date label (``Posted on``, ``Updated``, ``Release Date:``), a genre label
    and a separator (``News | 24 November 2016``), a clock time (``10:38pm 5th Dec, 2016``)
    or a place (``Geneva, 3 May 2021``). A date inside a headline or a sentence is not one."""
    found = line_dates(line[:MAX_DATE_LINE_CHARS])
    if not found:
        return None
    start, _, iso, _ = found[0]
    head = line[:start].strip(" |•·,:–—-")
    if not head or _date_label().fullmatch(head.lower()) or (
            is_place_line(head) and head.lower() not in settings()["not_places"]):
        return iso
    return None


@lru_cache(maxsize=1)
def _date_label() -> re.Pattern:
    """What may stand before a publication date on its line (see :func:`published_in_line`)."""
    cfg = settings()
    labels = "|".join(re.escape(x) for x in sorted(cfg["date_labels"] + cfg["genre_labels"],
                                                    key=len, reverse=True))
    return re.compile(rf"(?:(?:{labels})\s*(?:on|at)?\s*[:|•·,–—-]*\s*)?"
                      r"(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?[ ,]*)?", re.IGNORECASE)


def _widget_lines(lines: list[tuple[int, int, str]]) -> set[int]:
    """Lines of a weather widget (``91 F``, then a place and today's date), whose date is the
    day the page was fetched, not the release's."""
    out: set[int] = set()
    for i, (_, _, t) in enumerate(lines[:settings()["max_title_search_lines"]]):
        if re.fullmatch(r"-?\d{1,3}\s?°?\s?[FC]", t):
            out.update(range(i, min(i + 3, len(lines))))
    return out


def _opens_with_dateline(line: str) -> Dateline | None:
    """A dateline prefix opening ``line``: on running text, or with a date in it."""
    parsed = parse_dateline_prefix(line)
    if parsed and (is_body(line) or parsed.date):
        return parsed
    return None


def parse_header(text: str) -> Header:
    """Find title, dateline and stated publication date at the top of a release.

    Scans a few lines after the headline: a place line, a short date line, and the first
    paragraph's dateline prefix. Past the first paragraph of running text (web pages put
    captions and teasers first) only an upper-case place prefix such as ``GENEVA, Aug 26
    (UNHCR) -`` or a short date line is still taken. When the headline stands below the
    body (a page that repeats it at the end), the lines above it are read the same way.
    """
    header = Header()
    lines = split_lines(text)
    cfg = settings()
    widget = _widget_lines(lines)
    header.widget_ranges = [lines[i][:2] for i in sorted(widget)]
    title = read_title(lines, _opens_with_dateline)
    ti = None
    if title is not None:
        ti = title.index
        header.title, header.title_range = title.text, (title.start, title.end)
        if title.end > lines[ti][1]:
            ti += 1  # a headline joined over two lines
    # Date lines may stand before the headline (site furniture) or after it.
    for i, (s, e, t) in enumerate(lines[:(ti or 0)]):
        if header.published is None and i not in widget and len(t.split()) <= 10:
            header.published = published_in_line(t)
    start = 0 if ti is None else ti + 1
    _scan_lead(header, lines, start, cfg["max_header_lines"], widget)
    if header.dateline is None and ti and any(is_body(t) for _, _, t in lines[:ti]):
        _scan_lead(header, lines, 0, min(ti, cfg["max_header_lines"]), widget, place_lines=False)
    return header


def _scan_lead(header: Header, lines: list[tuple[int, int, str]], start: int, count: int,
               widget: set[int], place_lines: bool = True) -> None:
    """Read the dateline and a date line from ``count`` lines from ``start`` into ``header``;
    a place on a line of its own counts only with ``place_lines``."""
    seen_body = False
    for i in range(start, min(start + count, len(lines))):
        s, e, t = lines[i]
        if i in widget:
            continue
        if (place_lines and not seen_body and header.dateline is None and is_place_line(t)
                and not is_clutter(t)):
            header.dateline, header.dateline_range, header.dateline_text = t, (s, e), t
            continue
        parsed = _opens_with_dateline(t)
        if parsed and seen_body and not (parsed.place and parsed.place.isupper()):
            parsed = None
        if parsed:
            place, date, prefix = parsed
            if place and header.dateline is None:
                off = t.find(place)
                header.dateline = place
                header.dateline_range = (s + off, s + off + len(place)) if off >= 0 else None
                header.dateline_text = prefix
            if date and header.published is None:
                header.published = date
            break
        if header.published is None and (len(t.split()) <= 10 or not seen_body):
            header.published = published_in_line(t)
            if header.published:
                continue
        seen_body = seen_body or is_body(t)


def with_metadata(header: Header, text: str, title: str | None,
                  published: str | None) -> Header:
    """The header with a title and a publication date stated outside the text (JSON fields,
    HTML metadata), which win over what the text's top suggests; a date that is not a full
    day is ignored."""
    if title:
        header.title = title
        pos = text.find(title)
        header.title_range = (pos, pos + len(title)) if pos >= 0 else None
    if published:
        parsed = parse_date(str(published)[:40]) or (
            (str(published)[:10], "day") if re.match(r"\d{4}-\d\d-\d\d", str(published)) else None)
        if parsed and parsed[1] == "day":
            header.published = parsed[0]
    return header


def infer_reference_date(text: str, published: str | None,
                         skip: list[tuple[int, int]] | None = None) -> tuple[str | None, str | None]:
    """The date relative expressions resolve against, and where it came from.

    The stated publication date wins. Otherwise the latest full date in the text (a release
    reports on events up to its own day), else nothing: a month or a year named in the text
    is more often a data period ("January to September 2018") than the release's own date.
    Dates inside ``skip`` (page widgets showing the day the page was fetched) do not count.
    """
    if published:
        return published, "published"
    skip = skip or []
    days = sorted(v for s, _, v, g in find_absolute_dates(text) if g == "day" and v
                  and not any(a <= s < b for a, b in skip))
    if days:
        return days[-1], "text:latest_day"
    return None, None


