"""What the top of a release says about itself: title, dateline and stated publication date.

Why a module of its own: every reader (plain text, JSON lines, HTML) ends in the same header
reading, and the dates that resolve "today" and "last year" depend on it. Pure functions of
the normalized text; nothing here holds a document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.dates.grammar import find_absolute_dates, parse_date
from pipeline.ingest.decode import settings


@dataclass
class Header:
    """What the top of a release says about itself. Offsets index the normalized text."""

    title: str | None = None
    title_range: tuple[int, int] | None = None
    dateline: str | None = None
    dateline_range: tuple[int, int] | None = None
    dateline_text: str | None = None
    published: str | None = None


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


def is_clutter(line: str) -> bool:
    """Site furniture that is never a title: menus, labels, identifiers, separators, dates."""
    low = line.lower().strip(" :|•·*")
    cfg = settings()
    if low in cfg["clutter_lines"] or any(low.startswith(p) for p in cfg["clutter_prefixes"]):
        return True
    if not re.search(r"[A-Za-z]{2}", line):
        return True
    if " " not in line and "/" in line and re.search(r"\d", line):  # UNIS/CP/900
        return True
    return parse_date(line) is not None


def _line_dates(line: str) -> list[tuple[int, int, str, str]]:
    return [d for d in find_absolute_dates(line) if d[3] == "day"]


def is_dateline_line(line: str) -> bool:
    """A standalone place line such as ``Vienna`` or ``Washington, DC``."""
    words = re.findall(r"[^\s,]+", line)
    if not words or len(words) > settings()["max_dateline_words"]:
        return False
    if line.lower() in settings()["genre_labels"] or re.search(r"\d|/|[.!?:;]$", line):
        return False
    if re.search(r"[.!?:;]\s", line):
        return False
    return all(w[0].isupper() for w in words)


_PREFIX = re.compile(r"^(?P<prefix>[^\n]{2,90}?)\s+[-–—]+\s+(?=\S)")


def parse_dateline_prefix(paragraph: str) -> tuple[str | None, str | None, str] | None:
    """Split ``VIENNA, 29 July (UN Information Service) -`` into (place, date ISO, prefix).

    A prefix qualifies when, outside brackets and ``/agency/`` tags, every word starts with a
    capital or a digit, so ordinary openings ("Child trafficking - a crime") are left alone.
    """
    m = _PREFIX.match(paragraph)
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
    place = bare
    for span in [prefix] + re.findall(r"\(([^)]*)\)", prefix):
        found = _line_dates(span)
        if found:
            date = found[0][2]
            break
    for start, end, _, _ in sorted(find_absolute_dates(bare), reverse=True):
        place = place[:start] + place[end:]
    place = re.sub(r"\b\d{1,2}\s+[A-Z][a-z]{2,8}\.?$|\b[A-Z][a-z]{2,8}\.?\s+\d{1,2}$", "",
                   place.strip(" ,")).strip(" ,")
    if parse_date(place) is not None or not re.search(r"[A-Za-z]", place):
        place = None
    return place, date, m.group(0).rstrip()


def _is_body(line: str) -> bool:
    """A paragraph of running text rather than a label or headline."""
    return len(line.split()) >= 8 and bool(re.search(r"[.!?][\"”’]?$|[.!?]\s", line))


def _pick_title(lines: list[tuple[int, int, str]]) -> int | None:
    """Index of the headline among the first lines, or None when the page starts mid-body.

    Web pages repeat the headline, alone or at the end of a breadcrumb ("Home News Blog
    <headline>"), so a line that stands again in another line wins; otherwise the
    first line that is not site clutter. A line that opens with a dateline prefix, or reads
    like a long body paragraph, is not a headline.
    """
    window = lines[:settings()["max_title_search_lines"]]
    texts = [t for _, _, t in window]
    candidate = next((i for i, t in enumerate(texts)
                      if len(t.split()) >= 4 and not is_clutter(t)
                      and sum(u == t or (u.endswith(" " + t) and not _is_body(u)) for u in texts) > 1),
                     None)
    if candidate is None:
        candidate = next((i for i, t in enumerate(texts) if not is_clutter(t)), None)
    if candidate is None:
        return None
    t = texts[candidate]
    n_words = len(t.split())
    if _date_prefix(t) or (_is_body(t) and n_words > 20):
        return None
    return candidate


def _date_prefix(line: str) -> tuple[str | None, str | None, str] | None:
    """A dateline prefix opening ``line``: on running text, or with a date in it."""
    parsed = parse_dateline_prefix(line)
    if parsed and (_is_body(line) or parsed[1]):
        return parsed
    return None


def parse_header(text: str) -> Header:
    """Find title, dateline and stated publication date at the top of a release.

    Scans a few lines after the headline: a place line, a short date line, and the first
    paragraph's dateline prefix. Past the first paragraph of running text (web pages put
    captions and teasers first) only an upper-case place prefix such as ``GENEVA, Aug 26
    (UNHCR) -`` or a short date line is still taken.
    """
    header = Header()
    lines = split_lines(text)
    cfg = settings()
    ti = _pick_title(lines)
    if ti is not None:
        s, e, t = lines[ti]
        header.title, header.title_range = t, (s, e)
    # Date lines may stand before the headline (site furniture) or after it.
    for s, e, t in lines[:(ti or 0)]:
        if header.published is None and len(t.split()) <= 10 and _line_dates(t):
            header.published = _line_dates(t)[0][2]
    start = 0 if ti is None else ti + 1
    seen_body = False
    for s, e, t in lines[start:start + cfg["max_header_lines"]]:
        if not seen_body and header.dateline is None and is_dateline_line(t) and not is_clutter(t):
            header.dateline, header.dateline_range, header.dateline_text = t, (s, e), t
            continue
        parsed = _date_prefix(t)
        if parsed and seen_body and not (parsed[0] and parsed[0].isupper()):
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
        if header.published is None and len(t.split()) <= 10 and _line_dates(t):
            header.published = _line_dates(t)[0][2]
            continue
        seen_body = seen_body or _is_body(t)
    return header


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


def infer_reference_date(text: str, published: str | None) -> tuple[str | None, str | None]:
    """The date relative expressions resolve against, and where it came from.

    The stated publication date wins. Otherwise the latest full date in the text (a release
    reports on events up to its own day), else nothing: a month or a year named in the text
    is more often a data period ("January to September 2018") than the release's own date.
    """
    if published:
        return published, "published"
    days = sorted(v for _, _, v, g in find_absolute_dates(text) if g == "day" and v)
    if days:
        return days[-1], "text:latest_day"
    return None, None


