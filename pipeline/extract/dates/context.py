"""What the parse says around a date: neighbouring tokens and tags, the line and sentence
holding a character, and the tense of the governing verb."""
from __future__ import annotations

import bisect
import re

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Token

from pipeline.extract.dates.vocab import is_plausible_year, pattern, vocabulary
from pipeline.extract.dates.years import YearContext
from pipeline.extract.extensions import doc_text


class TokenIndex:
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
        self._years: tuple[list[int], list[int]] | None = None  # positions and values of stated years
        self._line_years: dict[int, int | None] = {}

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

    def line_year(self, char: int) -> int | None:
        """The latest plausible year written on the line of ``char``, else the first one
        written in the text; None when there is none. The years are found once per text and
        each line's answer kept, so a long line with many year-less dates stays linear."""
        if self._years is None:
            found = [(m.start(), int(m.group(1))) for m in pattern("year").finditer(self.text)
                     if is_plausible_year(int(m.group(1)))]
            self._years = ([pos for pos, _ in found], [year for _, year in found])
        positions, years = self._years
        lo, hi = self.line(char)
        if lo not in self._line_years:
            on_line = years[bisect.bisect_left(positions, lo):bisect.bisect_left(positions, hi)]
            self._line_years[lo] = max(on_line) if on_line else (years[0] if years else None)
        return self._line_years[lo]

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


def year_context(doc: Doc, index: TokenIndex, start: int, end: int) -> YearContext:
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
    return YearContext(left, right, prev_tag or None, next_tag or None)


def after_deadline_cue(text: str, start: int) -> bool:
    """Whether the date at ``start`` is a deadline or the day something takes effect
    ('extended to Nov. 20', 'payable Dec. 7'): then the governing verb's tense does not
    place it (data file: ``deadline_cues``)."""
    return pattern("deadline_before").search(text, max(0, start - 40), start) is not None


def tense_direction(token: Token | None) -> int:
    """-1 if the verb governing ``token`` is past ('met on Monday', 'was held on 6 May'),
    +1 if future ('will meet', 'is to meet'), 0 if present or no verb is found. Used to
    place a weekday, a day-month or a bare month before or after the reference date."""
    v = vocabulary()
    node = token
    for _ in range(5):
        if node is None:
            return 0
        if node.pos_ in {"VERB", "AUX"}:
            aux = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
            if aux & set(v["future_auxiliaries"]) or (node.tag_ == "VB" and aux & set(v["infinitive_markers"])):
                return 1
            if node.tag_ == "VBD" or aux & set(v["past_auxiliaries"]) or (node.tag_ == "VBN" and not aux):
                return -1
            return 0
        if node.head is node:
            return 0
        node = node.head
    return 0


def sentence_span(doc: Doc, index: TokenIndex, char: int) -> tuple[int, int]:
    tok = index.at(char) or index.after(char)
    if tok is None or not doc.has_annotation("SENT_START"):
        return index.line(char)
    sent = tok.sent
    return sent.start_char, sent.end_char

