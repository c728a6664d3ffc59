"""Which line at the top of a release is its headline.

Why a module of its own: scraped pages put site furniture above the headline (skip links,
menus, banners, breadcrumbs, site names, kickers, date and byline lines), and a wrong title
poisons the documents table and lets a headline be read as a sentence of the body. The
rules are about the shape of a page, never about a site: the vocabulary of furniture lives
in ``resources/ingest.json``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.dates.grammar import parse_date
from pipeline.ingest.dateline import line_dates
from pipeline.ingest.decode import settings
from pipeline.resources import load_jsonl

Line = tuple[int, int, str]  # start, end, stripped text (offsets into the release text)
DatelineTest = Callable[[str], object]  # truthy when a line opens with a dateline prefix
# A line longer than this is no date line, and a publication date stands within this many
# characters of its line's start; the bound keeps the date grammar off long paragraphs.
MAX_DATE_LINE_CHARS = 100


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """The ingest vocabulary's phrase lists as compiled patterns."""
    cfg = settings()
    words = "|".join(re.escape(p) for p in cfg["clutter_phrases"])
    labels = "|".join(re.escape(p) for p in sorted(cfg["genre_labels"], key=len, reverse=True))
    return {
        "phrase": re.compile(rf"(?<![\w])(?:{words})(?![\w])", re.IGNORECASE),
        "label_prefix": re.compile(rf"^(?:{labels})\s*[:|–—-]\s+(?=\S)", re.IGNORECASE),
        "label_suffix": re.compile(rf"(?:^|\s)(?:{labels})$", re.IGNORECASE),
        "byline": re.compile(r"^(?:by|written by|posted by|author:?)\s", re.IGNORECASE),
        "list_item": re.compile(r"^[-–•*·▪◦●]\s"),
    }


def is_clutter(line: str) -> bool:
    """Site furniture that is never a title: menus, labels, banners, bylines, widgets, dates.

    Covered shapes: a known menu or label line; a line holding a site notice or call to
    action (cookies, "please visit our", "join now"); a byline; a bullet of a menu or a
    metadata list; an identifier (``UNIS/CP/900``); a line of one repeated word
    (``news News``), a menu or breadcrumb from ``Home``, a run of single capitals (font-size buttons ``A A A``); a teaser cut with
    an ellipsis; a genre label after a short site name (``<Agency> News Release``); a date.
    """
    low = line.lower().strip(" :|•·*")
    cfg = settings()
    pat = _patterns()
    if low in cfg["clutter_lines"] or any(low.startswith(p) for p in cfg["clutter_prefixes"]):
        return True
    if not re.search(r"[A-Za-z]{2}", line):
        return True
    if " " not in line and "/" in line and re.search(r"\d", line):  # UNIS/CP/900
        return True
    if pat["phrase"].search(line) or pat["byline"].match(line) or pat["list_item"].match(line):
        return True
    words = low.split()
    if len(words) > 1 and len(set(words)) == 1:
        return True
    if is_menu(line):
        return True
    if re.search(r"(?<!\S)[A-Z](?: [A-Z]){2,}(?!\S)", line):
        return True
    if re.search(r"(?:\.\.\.|…)$", line):
        return True
    if len(words) <= 4 and pat["label_suffix"].search(line) and low not in cfg["genre_labels"]:
        return True
    return len(line) <= MAX_DATE_LINE_CHARS and parse_date(line) is not None


_CRUMB = re.compile(r"\s*(?:[>›»|/]|\s-\s)\s*")


def is_menu(line: str) -> bool:
    """A navigation line: a breadcrumb or menu that starts at ``Home``
    (``Home › News › Press releases``, ``Home About Us Newsroom Contact``), its items
    separated by marks or written as capitalized words only."""
    if not re.match(r"home\b", line, re.IGNORECASE):
        return False
    items = [w for w in _CRUMB.split(line) if w]
    if len(items) >= 3:
        return True
    words = line.split()
    return len(words) >= 3 and all(w[0].isupper() or w.lower() in _SMALL for w in words)


def is_body(line: str) -> bool:
    """A paragraph of running text rather than a label or headline."""
    return len(line.split()) >= 8 and bool(re.search(r"[.!?][\"”’]?$|[.!?]\s", line))


_SMALL = frozenset({"and", "of", "the", "for", "on", "in", "&", "de", "du", "des", "la", "le"})


def is_name_like(line: str) -> bool:
    """A short line of capitalized words, as a site, section or place name is written
    (``Official Statistics``, ``Ministry of Labour``), rather than a headline."""
    words = line.split()
    return (0 < len(words) <= 4 and not re.search(r"\d|[.!?:;]$", line)
            and all(w[0].isupper() or w.lower() in _SMALL for w in words))


def repeats(other: str, line: str) -> bool:
    """``other`` repeats ``line``: the same text, a breadcrumb ending in it, or a cut copy
    (``Home › World › <first words of line>...``), as pages repeat their headline."""
    if other == line:
        return True
    if other.endswith(" " + line) and not is_body(other):
        return True
    stem = re.sub(r"(?:\.\.\.|…)$", "", other).rstrip()
    probe = line[:24]
    if len(line) < 24 or len(stem) < 24 or stem == line or (stem == other and is_body(other)):
        return False
    at = stem.find(probe)
    return at >= 0 and line.startswith(stem[at:]) and len(stem) - at >= 24


@dataclass
class Title:
    """The headline as read (label prefix dropped, a broken line joined) and its range."""

    text: str
    start: int
    end: int
    index: int  # index of its (first) line


def _headline_like(text: str) -> bool:
    """Not furniture, not a long paragraph of running text, not longer than a headline."""
    n_words = len(text.split())
    return (not is_clutter(text) and not (is_body(text) and n_words > 20)
            and n_words <= settings()["max_title_words"])


def _ends_sentence(text: str) -> bool:
    """Closed by sentence punctuation (a quote mark after it allowed), not by an initial's
    full stop (``Washington D.C.``)."""
    return bool(re.search(r"[.;:,!?][\"”’')]*$", text)) and not re.search(r"\b[A-Z]\.$", text)


def _lead_index(texts: list[str]) -> int:
    """Index of the first paragraph of running text (the lead), or the number of lines."""
    return next((i for i, t in enumerate(texts) if is_body(t) and not is_clutter(t)), len(texts))


def pick_title_index(lines: list[Line], opens_with_dateline: DatelineTest) -> int | None:
    """Index of the headline among the first lines, or None when the page starts mid-body.

    In order: a line that stands again elsewhere on the page (whole, at the end of a
    breadcrumb, or cut short); a headline-like line followed, past byline lines, by a
    publication date line and then the lead; else the first line that is not furniture,
    unless it is short (a site name, section name or kicker) and a longer headline-like line
    stands between it and the lead. A line that opens with a dateline prefix
    (``opens_with_dateline``), or a long body paragraph, is not a headline.
    """
    cfg = settings()
    window = lines[:cfg["max_title_search_lines"]]
    texts = [t for _, _, t in window]
    for i, t in enumerate(texts):
        if (len(t.split()) >= 4 and _headline_like(t) and not is_name_like(t)
                and any(j != i and repeats(u, t) for j, u in enumerate(texts))):
            return i
    first = next((i for i, t in enumerate(texts) if not is_clutter(t)), None)
    page = [t for _, _, t in lines[:cfg["max_title_dated_lines"]]]
    dated = _title_above_date_line(page, opens_with_dateline)
    if dated is not None and (first is None or any(
            is_body(t) for t in page[first:dated] if not is_clutter(t))):
        return dated
    if first is None:
        return None
    t = texts[first]
    if opens_with_dateline(t) or not _headline_like(t):
        return None
    n_words = len(t.split())
    if n_words <= cfg["max_site_name_words"] and not _ends_sentence(t):
        lead = _lead_index(texts)
        longer = [i for i in range(first + 1, lead)
                  if _headline_like(texts[i]) and not opens_with_dateline(texts[i])
                  and len(texts[i].split()) > max(n_words, 4) and not is_body(texts[i])
                  and not _ends_sentence(texts[i]) and not texts[i][0].islower()]
        if longer:
            return max(longer, key=lambda i: len(texts[i].split()))
    return first


def _title_above_date_line(texts: list[str], opens_with_dateline: DatelineTest) -> int | None:
    """A headline-like line directly above the page's first date line (bylines between are
    allowed), which is itself directly above the lead: the ``headline / date / lead`` block
    that pages show below their site-wide text."""
    i = next((k for k, t in enumerate(texts) if line_dates(t[:MAX_DATE_LINE_CHARS])), None)
    if not i or len(texts[i]) > MAX_DATE_LINE_CHARS or parse_date(texts[i]) is None:
        return None
    nxt = texts[i + 1] if i + 1 < len(texts) else ""
    if not (is_body(nxt) or opens_with_dateline(nxt)):
        return None
    j = i - 1
    while j >= 0 and _patterns()["byline"].match(texts[j]):
        j -= 1
    t = texts[j] if j >= 0 else ""
    if len(t.split()) >= 4 and _headline_like(t) and not is_body(t) and not opens_with_dateline(t):
        return j
    return None


def read_title(lines: list[Line], opens_with_dateline: DatelineTest) -> Title | None:
    """The headline: its line chosen by :func:`pick_title_index`, a genre label prefix
    (``Media Release: ``) dropped, and a headline broken over two adjacent lines joined by a
    space (so its range, with the line break read as a space, is the title)."""
    i = pick_title_index(lines, opens_with_dateline)
    if i is None:
        return None
    s, e, t = lines[i]
    m = _patterns()["label_prefix"].match(t)
    if m and len(t[m.end():].split()) >= 3:
        s, t = s + m.end(), t[m.end():]
    if (i + 1 < len(lines) and lines[i + 1][0] == e + 1 and len(t.split()) >= 3
            and continues_headline(t, lines[i + 1][2], opens_with_dateline)):
        e = lines[i + 1][1]
        t = f"{t} {lines[i + 1][2]}"
    cut = site_name_suffix(t)
    if cut is not None:
        t = t[:cut]
        e = s + cut if e == lines[i][1] else e
    return Title(t, s, e, i)


@lru_cache(maxsize=1)
def _organization_names() -> frozenset[str]:
    """Names, variants and acronyms of the organization gazetteer, in lower case."""
    names: set[str] = set()
    for rec in load_jsonl("org_gazetteer.jsonl"):
        for name in [rec.get("name"), rec.get("acronym"), *(rec.get("variants") or [])]:
            if isinstance(name, str) and name:
                names.add(name.lower())
    return frozenset(names)


def site_name_suffix(title: str) -> int | None:
    """Where a trailing site or publisher name starts to be cut (``<headline> | UNODC``,
    ``<headline>, International Labour Organization``): after a comma, bar or spaced dash,
    a known organization's name standing last. None when there is none."""
    m = re.search(r"\s*(?:,|\||\s[-–—])\s*([^,|–—]+)$", title)
    if not m or m.start() < 10 or m.group(1).strip().lower() not in _organization_names():
        return None
    return m.start()


_CONNECTOR_END = re.compile(r"(?:[,:–—-]|\b(?:and|or|of|to|for|in|on|at|with|from|by|as|the|a|an|"
                            r"its|their|after|amid|over|into))$", re.IGNORECASE)


def continues_headline(line: str, nxt: str, opens_with_dateline: DatelineTest) -> bool:
    """``nxt`` is the second half of a headline broken over two lines: the first ends on
    a connecting word or mark, or the next starts in lower case, and the next is neither
    running text, furniture, a place line nor a dateline."""
    if is_body(nxt) or is_clutter(nxt) or opens_with_dateline(nxt) or is_body(line):
        return False
    if re.search(r"[.!?]$", line) or len(nxt.split()) > 15:
        return False
    return bool(_CONNECTOR_END.search(line)) or nxt[0].islower()
