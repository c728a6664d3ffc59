"""The ``release_dates`` component: date expressions of a release, normalized (issue 6).

Fills ``doc._.dates`` with one plain dict per date expression::

    {start_char, end_char, text, value, granularity, start, end, kind}

``text == doc.text[start_char:end_char]`` is the minimal expression ('8 November 2023' of
'On 8 November 2023'; '2023' of 'in 2023' or 'the 2023 work plan'; 'this year' of "this
year's"). Detection is our own regexes over ``doc.text`` (``pipeline.extract.dates.grammar``), refined
with the parse (tags of the words around a 4-digit number; the tense of the verb governing a
weekday); spaCy's DATE entities are not used.

Design choices
- kind ``absolute``: the text states the whole date ('8 Nov. 2023', 'May 2018', '2024').
- kind ``relative``: deictic only, the value comes from ``doc._.reference_date`` ('today',
  'this year', 'last July', 'on Monday', 'two years ago').
- Anaphoric phrases ('the previous year', 'the following week') take their date from
  another date in the text, so they are not dates for the gold (tests/gold/README.md,
  decision 24) and are not emitted by default. With ``anaphoric=True`` they come out with
  kind ``anaphoric`` (an extra value of ``kind``), resolved from the date under discussion:
  a date precise enough for the unit in the same sentence, else the last one mentioned
  before, else the reference date.
- A day-month without a year ('29 July', 'Aug 26') is ``relative``: the text names the
  day, but the year is the reference date's, the one before or the one after: on the side
  the governing verb's tense points to (past: on or before the reference date; future: on
  or after), the closest one; a stated weekday picks the year it fits. With no reference
  date its value, start and end are null: we never invent a year.
- Ranges. When one end is incomplete on its own and borrows its month and/or year from the
  other end ('2-3 December', 'June 13-19, 2010', '8 and 14 April 2019', 'January to
  September 2018', '28 December to 3 January 2020', where the first end borrows the
  year), the range is ONE row: text the whole minimal expression, value the ISO interval
  'start/end' at the ends' granularity ('2018-01/2018-09'), start/end the first and last
  day covered, kind absolute if the year is written, relative if it comes from the
  reference date (null value without one). A reader of '2-3 December' sees one date, and
  the first end is no date at all without the second. When both ends are complete on their
  own ('2019-2020', 'between 2003 and 2016', '2023 and 2024', 'from March 2019 to June
  2020', '29 November to 1 December'), each end is its own row with atomic ISO values: each
  names a date by itself (the gold counts '2023 and 2024' as two dates). Ends of different
  granularities ('15 December to January 2020') also stay two rows.
- Durations ('25 years' -> P25Y, 'two weeks' -> P2W) and sets ('annually' -> P1Y, 'every
  two years' -> P2Y) have TimeML values, null start/end, and their unit as granularity
  ('year', 'month', 'week', 'day', 'hour', 'minute'), so '25 years' is granularity 'year'.
  They are not dates for the gold; filter on ``kind``.
- Granularities of dates: 'day', 'week' (ISO week value '2024-W31'), 'month', 'year',
  'decade' ('the 1990s' -> '199').
- A 4-digit number is a year only in the plausible range (data file) and a year context
  (``datetext.is_year_context``); vague spans ('recent years', 'to-date') hide everything
  inside them.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.extract.dates import grammar as dtx
from pipeline.extract.extensions import doc_text, register

register("dates", default=None)

ABSOLUTE, RELATIVE, DURATION, SET = "absolute", "relative", "duration", "set"
ANAPHORIC = "anaphoric"  # only with anaphoric=True; not a date for the gold
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "going"}
_PAST_AUX = {"was", "were", "had", "has", "have", "did"}


# ------------------------------------------------------------------------ small helpers

def parse_reference(value: Any) -> dt.date | None:
    """The reference date as a ``date``; None when missing or not ISO 'YYYY-MM-DD'."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def make_row(text: str, start: int, end: int, value: str | None, granularity: str | None,
             kind: str, bounds: tuple[str | None, str | None] | None = None) -> dict:
    """One ``dates`` row as a plain dict (start/end from the value unless given)."""
    if bounds is None:
        bounds = dtx.period_bounds(value, granularity) if kind in {ABSOLUTE, RELATIVE} else (None, None)
    return {
        "start_char": start, "end_char": end, "text": text[start:end], "value": value,
        "granularity": granularity, "start": bounds[0], "end": bounds[1], "kind": kind,
    }


class _TokenIndex:
    """Find the tokens just before and after a character span, whatever the tokenization,
    and the line around a character."""

    def __init__(self, doc: Doc):
        self.doc = doc
        columns = doc.to_array([IDX, LENGTH])  # one array read, not a Token object per word
        self.starts = columns[:, 0].tolist()
        self.ends = (columns[:, 0] + columns[:, 1]).tolist()
        self.text = doc_text(doc)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self._content: dict[int, tuple[int, int]] = {}

    def line(self, char: int) -> tuple[int, int]:
        """[start, end) of the line holding ``char`` (end at its line break)."""
        k = bisect.bisect_right(self.line_starts, char) - 1
        lo = self.line_starts[k]
        hi = self.line_starts[k + 1] - 1 if k + 1 < len(self.line_starts) else len(self.text)
        return lo, hi

    def content(self, lo: int, hi: int) -> tuple[int, int]:
        """Offsets of the first character of the line ``[lo, hi)`` that is no blank or bullet
        and of the last one that is no blank, computed once per line."""
        got = self._content.get(lo)
        if got is None:
            line = self.text[lo:hi]
            got = self._content[lo] = (lo + len(line) - len(line.lstrip(_LINE_LEAD)),
                                       lo + len(line.rstrip()) - 1)
        return got

    def before(self, char: int) -> Token | None:
        i = bisect.bisect_right(self.ends, char) - 1
        while i >= 0 and self.doc[i].is_space:
            i -= 1
        return self.doc[i] if i >= 0 else None

    def after(self, char: int) -> Token | None:
        i = bisect.bisect_left(self.starts, char)
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def at(self, char: int) -> Token | None:
        i = bisect.bisect_right(self.starts, char) - 1
        return self.doc[i] if 0 <= i < len(self.doc) and char < self.ends[i] else None


_LINE_LEAD = " \t-–—•*·>|"  # what may stand before a year that opens its line ('- 2030 Agenda')
CONTEXT_CHARS = 200  # context of a year read on each side: every cue is a few words long


def year_context(doc: Doc, index: _TokenIndex, start: int, end: int) -> dtx.YearContext:
    """The ``YearContext`` of a number at [start, end): same-line text and neighbour tags.

    The text on each side is cut to ``CONTEXT_CHARS``: passing the whole line made a long
    line with many numbers quadratic (every cue is read at the inner edge). A cut side keeps
    what the rules ask of the far part of the line: an ``x`` stands for words cut off, so
    "alone on its line" stays false.
    """
    text = index.text
    lo, hi = index.line(start)
    prev_tok, next_tok = index.before(start), index.after(end)
    same_line = (lambda t: t is not None and lo <= t.idx and t.idx + len(t.text) <= hi)
    # a token glued to the number ('2023' inside 'mid-2023') carries no tag of its own
    prev_tag = prev_tok.tag_ if same_line(prev_tok) and prev_tok.idx + len(prev_tok.text) <= start else None
    next_tag = next_tok.tag_ if same_line(next_tok) and next_tok.idx >= end else None
    if next_tok is not None and next_tag and next_tok.text in {"'s", "’s"}:
        next_tag = "POS"
    left_lo, right_hi = max(lo, start - CONTEXT_CHARS), min(hi, end + CONTEXT_CHARS)
    left, right = text[left_lo:start], text[end:right_hi]
    if left_lo > lo or right_hi < hi:
        first, last = index.content(lo, hi)
        if left_lo > lo and first < left_lo:
            left = "x " + left
        if right_hi < hi and last >= right_hi:
            right = right + " x"
    return dtx.YearContext(left, right, prev_tag or None, next_tag or None)


def tense_direction(token: Token | None) -> int:
    """-1 if the verb governing ``token`` is past ('met on Monday', 'was held on 6 May'),
    +1 if future ('will meet', 'is to meet'), 0 if present or no verb is found. Used to
    place a weekday, a day-month or a bare month before or after the reference date."""
    node = token
    for _ in range(5):
        if node is None:
            return 0
        if node.pos_ in {"VERB", "AUX"}:
            aux = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
            if aux & _FUTURE_AUX or (node.tag_ == "VB" and "to" in aux):
                return 1
            if node.tag_ == "VBD" or aux & _PAST_AUX or (node.tag_ == "VBN" and not aux):
                return -1
            return 0
        if node.head is node:
            return 0
        node = node.head
    return 0


def _sentence_span(doc: Doc, index: _TokenIndex, char: int) -> tuple[int, int]:
    tok = index.at(char) or index.after(char)
    if tok is None or not doc.has_annotation("SENT_START"):
        return index.line(char)
    sent = tok.sent
    return sent.start_char, sent.end_char


# ----------------------------------------------------------------------- the extraction

def extract_dates(doc: Doc, reference: dt.date | None, durations: bool = True,
                  sets: bool = True, anaphoric: bool = False) -> list[dict]:
    """All date, duration and set rows of ``doc``, sorted by position, never overlapping.

    Candidates are taken in order of reliability (calendar dates, relative phrases,
    decades, years, sets, durations); a later candidate overlapping an earlier one is dropped.
    """
    text = doc_text(doc)
    index = _TokenIndex(doc)
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
        joined = _range_row(doc, index, first, last, reference) if last is not None else None
        if joined is not None:
            if free(joined["start_char"], joined["end_char"]):
                add(joined)
            continue
        for part in (first, last):
            if part is not None and part.month is not None and free(part.start, part.end):
                row = _part_row(doc, index, part, reference)
                if row is not None:
                    add(row)

    # 2. relative expressions
    for hit in dtx.find_relative(text):
        if not free(hit.start, hit.end):
            continue
        if hit.kind == "anaphoric":
            taken.add(hit.start, hit.end)
            anaphoric_hits.append((hit.start, hit.end, hit))
            continue
        add(_relative_row(doc, index, hit, reference))

    # 'two years ago': relative to the reference date
    for start, end, unit, n in dtx.find_ago(text):
        if not free(start, end):
            continue
        if reference is None:
            add(make_row(text, start, end, None, unit, RELATIVE))
        else:
            value, gran, p_start, p_end = dtx.shift_period(reference, unit, -n)
            add(make_row(text, start, end, value, gran, RELATIVE, (p_start, p_end)))

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
            add(_anaphoric_row(doc, index, hit, rows, reference))

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
        for start, end, value, gran in dtx.find_durations(text):
            if free(start, end, date_like=False):
                add(make_row(text, start, end, value, gran, DURATION))

    rows.sort(key=lambda r: (r["start_char"], r["end_char"]))
    return rows


def _part_row(doc: Doc, index: _TokenIndex, part: dtx.DatePart, ref: dt.date | None) -> dict | None:
    """A single calendar date: absolute when its year is known (written, or borrowed from
    the other end of a range), else relative to the reference date (null without one)."""
    text = doc_text(doc)
    if part.year is not None:
        parsed = dtx.part_value(part)
        return make_row(text, part.start, part.end, parsed[0], parsed[1], ABSOLUTE) if parsed else None
    value = None
    if ref is not None:
        direction = tense_direction(index.at(part.end - 1))
        year = dtx.closest_year_for(ref, part.month, part.day, part.weekday, direction)
        resolved = dtx.part_value(part._replace(year=year)) if year else None
        value = resolved[0] if resolved else None
    return make_row(text, part.start, part.end, value, "day" if part.day is not None else "month", RELATIVE)


def _range_row(doc: Doc, index: _TokenIndex, first: dtx.DatePart, last: dtx.DatePart,
               ref: dt.date | None) -> dict | None:
    """One row for a range whose first end borrows from the last ('2-3 December', 'January
    to September 2018'): an ISO interval value, start/end the first and last day covered.
    Absolute when the year is written; else the year comes from the reference date, placed
    by the verb's tense (a past range started by the reference date: resolve its first end;
    otherwise resolve its last end). None when the ends differ in granularity or do not
    form a forward range: the caller then emits one row per end."""
    text = doc_text(doc)
    if first.month is None or last.month is None or (first.day is None) != (last.day is None):
        return None
    gran = "day" if first.day is not None else "month"
    kind = ABSOLUTE if first.year is not None and last.year is not None else RELATIVE
    if kind == RELATIVE:
        if ref is None:
            return make_row(text, first.start, last.end, None, gran, RELATIVE)  # never invent a year
        direction = tense_direction(index.at(last.end - 1))
        anchor = first if direction < 0 else last
        year = dtx.closest_year_for(ref, anchor.month, anchor.day, anchor.weekday, direction)
        if year is None:
            return None
        first, last = dtx.range_years(first, last, year, of_first=anchor is first)
    resolved = dtx.range_value(first, last)
    if resolved is None:
        return None
    value, gran, start, end = resolved
    return make_row(text, first.start, last.end, value, gran, kind, (start, end))


def _relative_row(doc: Doc, index: _TokenIndex, hit: dtx.RelativeHit, ref: dt.date | None) -> dict:
    """Resolve a deictic, month or weekday expression against the reference date."""
    text = doc_text(doc)
    if hit.kind == "deictic":
        if ref is None:
            return make_row(text, hit.start, hit.end, None, hit.unit, RELATIVE)
        value, gran, start, end = dtx.shift_period(ref, hit.unit, hit.offset)
        return make_row(text, hit.start, hit.end, value, gran, RELATIVE, (start, end))
    if hit.kind == "month":
        if ref is None:
            return make_row(text, hit.start, hit.end, None, "month", RELATIVE)
        direction = tense_direction(index.at(hit.end - 1)) if hit.offset is None else 0
        year = dtx.month_with_modifier(ref, hit.month, hit.offset, hit.of_year, direction)
        return make_row(text, hit.start, hit.end, dtx.iso_date(year, hit.month), "month", RELATIVE)
    # weekday
    if ref is None:
        return make_row(text, hit.start, hit.end, None, "day", RELATIVE)
    direction = hit.offset
    if direction is None:
        direction = tense_direction(index.at(hit.end - 1)) or -1  # releases mostly report the past
    day = dtx.weekday_date(ref, hit.weekday, direction)
    if hit.offset and day == ref:
        day = day + dt.timedelta(days=7 * hit.offset)  # 'last Monday' said on a Monday
    return make_row(text, hit.start, hit.end, day.isoformat(), "day", RELATIVE)


_PRECISE_ENOUGH = {"year": {"year", "month", "week", "day"}, "month": {"month", "day"},
                   "week": {"day"}, "day": {"day"}}


def anchor_date(value: str, granularity: str) -> dt.date:
    """The first day of a dated row's value (a year, month, ISO week or day)."""
    if granularity == "week":
        return dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
    return dt.date.fromisoformat(dtx.period_bounds(value, granularity)[0])


def _anaphoric_row(doc: Doc, index: _TokenIndex, hit: dtx.RelativeHit, rows: list[dict],
                   ref: dt.date | None) -> dict:
    """'the previous year', 'the following week': shifted from the date under discussion,
    i.e. a date precise enough for the unit in the same sentence, else the last one before,
    else the reference date (see module doc)."""
    text = doc_text(doc)
    s_lo, s_hi = _sentence_span(doc, index, hit.start)
    dated = [r for r in rows if r["kind"] in {ABSOLUTE, RELATIVE} and r["value"]
             and r["granularity"] in _PRECISE_ENOUGH[hit.unit]]
    anchor = next((r for r in dated if s_lo <= r["start_char"] < s_hi), None)
    if anchor is None:
        before = [r for r in dated if r["end_char"] <= hit.start]
        anchor = before[-1] if before else None
    base = anchor_date(anchor["value"], anchor["granularity"]) if anchor is not None else ref
    if base is None:
        return make_row(text, hit.start, hit.end, None, hit.unit, ANAPHORIC, (None, None))
    value, gran, start, end = dtx.shift_period(base, hit.unit, hit.offset)
    return make_row(text, hit.start, hit.end, value, gran, ANAPHORIC, (start, end))


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
        doc._.dates = extract_dates(doc, reference, self.durations, self.sets, self.anaphoric)
        return doc


@Language.factory(
    "release_dates",
    default_config={"durations": True, "sets": True, "anaphoric": False},
    requires=["token.tag", "token.pos", "token.dep"],
    assigns=["doc._.dates"],
)
def make_dates(nlp: Language, name: str, durations: bool, sets: bool,
               anaphoric: bool = False) -> DatesComponent:
    """Factory of the ``release_dates`` component: durations/sets rows can be switched off,
    anaphoric rows ('the previous year', kind 'anaphoric') switched on."""
    return DatesComponent(nlp, name, durations=durations, sets=sets, anaphoric=anaphoric)
