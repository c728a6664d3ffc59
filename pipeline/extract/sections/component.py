"""Release structure: paragraphs, headings, list items, boilerplate, and sentence spans.

Why: press releases are line-structured. A heading glued to the next sentence, or a media
contact read as prose, poisons every extractor downstream. Line breaks are therefore hard
sentence boundaries (set before the parser, which respects them), and spaCy only splits
within a line. Line analysis is a pure function of the text; the ``release_sections``
component sets ``Doc._.lines`` and the sentence starts.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.dates.grammar import parse_date
from pipeline.extract.extensions import doc_text, register
from pipeline.ingest.dateline import parse_dateline_prefix
from pipeline.ingest.header import split_lines
from pipeline.resources import load_json

VOCABULARY = "sections.json"

register("lines", default=None)
register("title_range", default=None)  # [start, end] of the headline, set by the runner
register("dateline_range", default=None)


@lru_cache(maxsize=4)
def _vocab(name: str = VOCABULARY) -> dict:
    """The structure vocabulary with its patterns compiled, once per resource file."""
    data = dict(load_json(name))
    data["boilerplate_headings_re"] = [re.compile(p, re.IGNORECASE) for p in data["boilerplate_headings"]]
    data["boilerplate_lines_re"] = [re.compile(p, re.IGNORECASE) for p in data["boilerplate_lines"]]
    data["list_item_re"] = re.compile(data["list_item"])
    return data


@dataclass
class Line:
    """One non-empty line of a release (a paragraph), offsets of its stripped text."""

    start: int
    end: int
    text: str
    paragraph_id: int
    is_title: bool = False
    is_dateline: bool = False
    is_heading: bool = False
    is_list_item: bool = False
    is_boilerplate: bool = False
    section: str | None = None


def is_list_item(line: str, vocabulary: str = VOCABULARY) -> bool:
    """``- item``, ``• item``, ``1. item``, ``(a) item``."""
    return bool(_vocab(vocabulary)["list_item_re"].match(line))


def is_boilerplate_heading(line: str, vocabulary: str = VOCABULARY) -> bool:
    """Headings that open standing text: About …, Media contacts, For more information …"""
    return any(p.match(line) for p in _vocab(vocabulary)["boilerplate_headings_re"])


def is_boilerplate_line(line: str, vocabulary: str = VOCABULARY) -> bool:
    """Lines that are standing text on their own: contact details, social footers, rules."""
    return any(p.match(line) for p in _vocab(vocabulary)["boilerplate_lines_re"])


def is_body_line(line: str) -> bool:
    """Running text: long enough, or closed by sentence punctuation."""
    return len(line.split()) >= 8 or bool(re.search(r"[.!?:;][\"”’)]?$", line))


def looks_like_heading(line: str, next_line: str | None, next_is_heading: bool = False,
                       vocabulary: str = VOCABULARY) -> bool:
    """A short line without closing punctuation that introduces body text.

    Known boilerplate headings ("Media contacts") qualify on their own; any other short line
    must be followed by running text, a list or another heading, so that the name, title and
    organization lines of a contact block are not taken for headings.
    """
    v = _vocab(vocabulary)
    words = line.split()
    if (len(words) > v["heading_max_words"] or len(line) > v["heading_max_chars"]
            or is_list_item(line, vocabulary) or line[0] in "“\"‘'(["
            or not (line[0].isupper() or line[0].isdigit())):
        return False
    if is_boilerplate_heading(line, vocabulary) and not re.search(r"[.!;,]$", line):
        return True
    if re.search(r"[.!;,:]$", line):
        return False
    if line.endswith("?") and len(words) > v["question_heading_max_words"]:
        return False
    if not re.search(r"[A-Za-z]{3}", line) or re.search(r"@|\S/\S*\d", line):
        return False
    if is_boilerplate_line(line, vocabulary) or parse_date(line) is not None:
        return False
    return next_line is not None and (is_body_line(next_line)
                                      or is_list_item(next_line, vocabulary) or next_is_heading)


def analyse_lines(text: str, title_range: tuple[int, int] | None = None,
                  dateline_range: tuple[int, int] | None = None,
                  vocabulary: str = VOCABULARY) -> list[Line]:
    """Classify every line; carry the current heading and the boilerplate state forward."""
    raw = split_lines(text)
    lines = [Line(s, e, t, paragraph_id=i) for i, (s, e, t) in enumerate(raw)]
    for line in lines:
        if title_range and line.start < title_range[1] and title_range[0] < line.end:
            line.is_title = True  # every line of a headline broken over two
        elif (dateline_range and line.start <= dateline_range[0] < line.end
              and line.end <= dateline_range[1]):
            line.is_dateline = True
    # Bottom-up, so a heading directly above a sub-heading is recognised.
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        line.is_heading = not (line.is_title or line.is_dateline) and looks_like_heading(
            line.text, nxt.text if nxt else None, bool(nxt and nxt.is_heading), vocabulary)
    section: str | None = None
    in_boilerplate = False
    for line in lines:
        t = line.text
        if line.is_heading:
            section = t
            in_boilerplate = is_boilerplate_heading(t, vocabulary)
        line.is_list_item = is_list_item(t, vocabulary)
        line.is_boilerplate = in_boilerplate or is_boilerplate_line(t, vocabulary)
        line.section = None if line.is_title else section
    return lines


def sentence_spans(text: str, sent_ranges: list[tuple[int, int]],
                   lines: list[Line]) -> list[tuple[int, int, Line]]:
    """Sentences cut at every line break and trimmed, each with the line it stands on.

    ``sent_ranges`` are the parser's sentences; cutting them again at line ends makes the
    hard boundaries hold even if a model ignored the preset starts.
    """
    starts = [ln.start for ln in lines]
    out: list[tuple[int, int, Line]] = []
    for s, e in sent_ranges:
        for m in re.finditer(r"[^\n]+", text[s:e]):
            piece = m.group()
            if not piece.strip():
                continue
            ps = s + m.start() + (len(piece) - len(piece.lstrip()))
            pe = s + m.start() + len(piece.rstrip())
            idx = bisect.bisect_right(starts, ps) - 1
            if idx >= 0:
                out.append((ps, pe, lines[idx]))
    return out


SENTENCE_END = frozenset({".", "!", "?"})


def line_start_flags(texts: Sequence[str], spaces: Sequence[str],
                     is_space: Sequence[bool]) -> dict[int, bool]:
    """Token index → preset sentence start (True) or non-start (False), from token texts.

    Pure, so the rule is testable without a model: the first token after a line break starts a
    sentence; within a line, an editorial bracket, a lower-case word or a closing quote mark
    does not, unless a full stop comes first. ``spaces`` are the tokens' trailing whitespace.
    """
    flags: dict[int, bool] = {}
    after_break = False
    for i, text in enumerate(texts):
        if is_space[i]:
            if "\n" in text:
                after_break = True
            continue
        if i > 0:
            prev = texts[i - 1]
            if after_break or "\n" in spaces[i - 1]:
                flags[i] = True
            elif text[0] in "”’\"" and prev in SENTENCE_END:
                flags[i] = False
            elif (text[0] == "[" or text[0].islower()) and prev not in SENTENCE_END:
                flags[i] = False
        after_break = False
    return flags


def unbroken_openings(text: str) -> list[tuple[int, int]]:
    """Character ranges ``(start, end)`` of line openings that hold no sentence start after
    their first character, up to and including the first word after them.

    A dateline prefix opens the lead paragraph (``VIENNA, 11 December 2024 – UNODC said``,
    ``GENEVA (20 June 2024) –``, ``12 April, GENEVA –``): it belongs to the lead's first
    sentence, which the model would otherwise cut after the place. A line that is only a
    date (``3 March 2024``) is one unit too.
    """
    out: list[tuple[int, int]] = []
    for start, end, line in split_lines(text):
        if len(line.split()) <= 6 and parse_date(line) is not None:
            out.append((start, end))
            continue
        found = parse_dateline_prefix(line)
        if found and (found.place or found.date) and len(found.prefix) < len(line):
            after = len(found.prefix)
            while after < len(line) and line[after].isspace():
                after += 1
            out.append((start, start + after + 1))
    return out


def set_line_starts(doc: Doc) -> Doc:
    """Preset sentence starts for the parser, which respects them (see :func:`line_start_flags`
    and :func:`unbroken_openings`).

    The small model otherwise cuts quotes at ``[on human trafficking]`` and the lead after
    its dateline's place. The values are written with one ``Doc.from_array``: spaCy's
    ``Token.is_sent_start`` setter scans the whole Doc on every call, which made this step
    quadratic in the release length.
    """
    tokens = [(t.text, t.whitespace_, t.is_space) for t in doc]
    flags = line_start_flags(*zip(*tokens)) if tokens else {}
    openings = unbroken_openings(doc_text(doc)) if tokens else []
    if openings:
        idx = [t.idx for t in doc]
        for start, end in openings:
            for i in range(bisect.bisect_right(idx, start), bisect.bisect_left(idx, end)):
                if not doc[i].is_space:
                    flags[i] = False
    if not flags:
        return doc
    first = min(flags)
    doc[first].is_sent_start = flags[first]  # spaCy's own error if the Doc is already parsed
    values = doc.to_array(SENT_START).astype(numpy.int64)
    for i, value in flags.items():
        values[i] = 1 if value else -1
    doc.from_array([SENT_START], values.astype(numpy.uint64))
    return doc


def _line_dict(line: Line) -> dict:
    """``dataclasses.asdict`` without its deep copy: a Line's fields are plain values."""
    return dict(vars(line))


class ReleaseSections:
    """Sets hard sentence starts at line breaks and ``Doc._.lines`` (one dict per line).

    Reads ``Doc._.title_range`` and ``Doc._.dateline_range`` when the runner has set them
    (they come from ingest, not from a component, so they are not declared as requires).
    """

    def __init__(self, nlp: Language, name: str = "release_sections", *,
                 vocabulary: str = VOCABULARY):
        self.name = name
        self.vocabulary = vocabulary
        _vocab(vocabulary)  # fail at construction on a missing or broken resource

    def __call__(self, doc: Doc) -> Doc:
        set_line_starts(doc)
        title = tuple(doc._.title_range) if doc._.title_range else None
        dateline = tuple(doc._.dateline_range) if doc._.dateline_range else None
        doc._.lines = [_line_dict(ln) for ln in analyse_lines(doc_text(doc), title, dateline,
                                                               self.vocabulary)]
        return doc


@Language.factory(
    "release_sections",
    default_config={"vocabulary": VOCABULARY},
    assigns=["token.is_sent_start", "doc._.lines"],
)
def make_release_sections(nlp: Language, name: str, vocabulary: str) -> ReleaseSections:
    """``vocabulary``: the resource file (in ``pipeline/resources/``) of headings, boilerplate
    lines and list markers."""
    return ReleaseSections(nlp, name, vocabulary=vocabulary)
