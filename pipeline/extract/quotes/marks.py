"""Quotation marks in plain text: pairing them paragraph by paragraph, datelines, titles and
scare quotes. Pure functions, no model needed.

Why not pair marks over the whole text like textacy: one stray or nested mark shifts every
later pair, and an odd count makes it give up on the release. Here marks are paired inside
one paragraph (a line, or lines joined by a hard wrap), by direction where the typography or
the neighbouring characters tell it, and an unclosed mark never runs past its paragraph
except for the journalistic convention of a quote that continues into the next paragraph.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

OPEN, CLOSE, AMBIG = 1, 2, 3
DOUBLE_MARKS = {"“": OPEN, "„": OPEN, "«": OPEN, "”": CLOSE, "»": CLOSE, '"': AMBIG}
SINGLE_MARKS = {"‘": OPEN, "’": CLOSE, "'": AMBIG}
ALL_MARKS = set(DOUBLE_MARKS) | set(SINGLE_MARKS)
# the marks found with a regex scan, not a Python test of every character of a release
DOUBLE_MARK_RE = re.compile("[" + re.escape("".join(DOUBLE_MARKS)) + "]")
SINGLE_MARK_RE = re.compile("[" + re.escape("".join(SINGLE_MARKS)) + "]")
# two closing single marks typed for one closing double mark (``“… 21,’’ he said``)
DOUBLED_CLOSE_RE = re.compile("’’|''")
PAIR_CLOSE = 4  # the role of a doubled closing single mark
OPEN_BEFORE = set("([{―—–-/:;") | {"“", "‘", "«", "„"}
CLOSE_AFTER = set(".,;:!?)]}―—–-…") | {"”", "’", "»", '"', "'"}
DASHES = {"-", "–", "—", "―", "--"}  # hyphen, en and em dash, horizontal bar (a signature's)


# --------------------------------------------------------------------------- pure: quote marks
@dataclass(frozen=True)
class QuoteSpan:
    """A pair of quotation marks found in the text."""

    open: int          # offset of the opening mark
    close: int         # offset of the closing mark (== block end when unclosed)
    start: int         # inner text start (after the mark, whitespace stripped)
    end: int           # inner text end (exclusive)
    closed: bool
    single: bool
    block: int         # index of the paragraph block


def text_blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph blocks: lines, joined where a line break is only a hard wrap (the line does
    not end a sentence and the next one starts lowercase). Blank lines are dropped."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if line.strip():
            lines.append((s, e))
    blocks: list[tuple[int, int]] = []
    last_line = 0  # start of the last line of the last block: its end is read, not the block
    for s, e in lines:
        if blocks:
            ps, pe = blocks[-1]
            prev = text[last_line:pe].rstrip()
            nxt = text[s:e].lstrip()
            gap = text[pe:s]
            if gap.count("\n") == 1 and prev and nxt and nxt[0].islower() and prev[-1] not in ".!?:;”\"":
                blocks[-1] = (ps, e)
                last_line = s
                continue
        blocks.append((s, e))
        last_line = s
    return blocks


def _mark_role(text: str, p: int, bs: int, be: int, table: dict[str, int]) -> int:
    """OPEN / CLOSE / AMBIG for the mark at p, from its type and its neighbours."""
    ch = text[p]
    prev = text[p - 1] if p > bs else " "
    nxt = text[p + 1] if p + 1 < be else " "
    open_ctx = (prev.isspace() or prev in OPEN_BEFORE) and not nxt.isspace()
    close_ctx = not prev.isspace() and (nxt.isspace() or nxt in CLOSE_AFTER)
    role = table[ch]
    if role == OPEN and close_ctx and not open_ctx:
        return CLOSE
    if role == CLOSE and open_ctx and not close_ctx:
        return OPEN
    if role == AMBIG:
        if open_ctx and not close_ctx:
            return OPEN
        if close_ctx and not open_ctx:
            return CLOSE
    return role


def _strip_inner(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Pair quotation marks paragraph by paragraph; never raises.

    Double marks (“ ” " « » „) are paired first; a closing mark with nothing open is a stray
    and skipped; an opening mark while one is open restarts the quote there (the first was a
    stray). An unclosed quote is kept only when it opens a sentence and the next paragraph
    opens with a quotation mark (a quote running over paragraphs), or when it is in the last
    paragraph (a text cut short) after its attribution (``X said, “…``, ``X said: “…``);
    otherwise it is dropped, never swallowing text.
    Single marks (‘ ’ ') pair only outside double quotes, and only a ‘/' that opens a word
    with a ’/' that ends one within 300 characters (apostrophes never pair).
    """
    blocks = text_blocks(text)
    spans: list[QuoteSpan] = []
    for b, (bs, be) in enumerate(blocks):
        marks = [(p, _mark_role(text, p, bs, be, DOUBLE_MARKS))
                 for p in (m.start() for m in DOUBLE_MARK_RE.finditer(text, bs, be))]
        doubled = [(m.start(), PAIR_CLOSE) for m in DOUBLED_CLOSE_RE.finditer(text, bs, be)]
        if doubled:
            marks = sorted(marks + doubled)
        opened: int | None = None
        doubles: list[tuple[int, int, bool]] = []
        ends: dict[int, int] = {}  # close -> where the quoted words end, for a doubled close
        for p, role in marks:
            if role == PAIR_CLOSE:  # closes an open double quote; else left to the single marks
                if opened is not None:
                    doubles.append((opened, p + 1, True))
                    ends[p + 1] = p
                    opened = None
                continue
            if opened is None:
                if role in (OPEN, AMBIG):
                    opened = p
            elif role in (CLOSE, AMBIG):
                doubles.append((opened, p, True))
                opened = None
            else:
                opened = p
        if opened is not None:
            before = text[bs:opened].rstrip()
            starts_sentence = not before or before[-1] in ".!?:"
            nxt_open = b + 1 < len(blocks) and text[blocks[b + 1][0]:blocks[b + 1][1]].lstrip()[:1] in ("“", '"', "«", "„")
            last = b == len(blocks) - 1
            inner = text[opened + 1:be]
            # a text cut short: the quote's words are its own only when its attribution came
            # before it (``the inspector told us, “…``); one opening its paragraph would be
            # attributed after the cut
            attributed = bool(before) and before[-1] in ",:"
            if ((starts_sentence and nxt_open) or (last and attributed)) and len(inner.split()) >= 3:
                doubles.append((opened, be, False))
        for o, c, closed in doubles:
            s, e = _strip_inner(text, o + 1, ends.get(c, c))
            if e > s:
                spans.append(QuoteSpan(o, c, s, e, closed, False, b))
        # single marks outside double quotes (the pairs are in text order and never overlap,
        # so the pair that could hold a mark is the last one opened before it)
        opens = [o for o, _, _ in doubles]
        opened = None
        for m in SINGLE_MARK_RE.finditer(text, bs, be):
            p, ch = m.start(), m.group()
            k = bisect.bisect_right(opens, p) - 1
            if k >= 0 and p <= doubles[k][1]:
                continue
            prev = text[p - 1] if p > bs else " "
            nxt = text[p + 1] if p + 1 < be else " "
            is_open = (prev.isspace() or prev in OPEN_BEFORE) and nxt.isalnum() and ch in "‘'"
            is_close = (not prev.isspace()) and (nxt.isspace() or nxt in CLOSE_AFTER) and ch in "’'"
            if opened is not None and is_close and p - opened <= 300:
                s, e = _strip_inner(text, opened + 1, p)
                if e > s:
                    spans.append(QuoteSpan(opened, p, s, e, True, True, b))
                opened = None
            elif is_open:
                opened = p
    spans.sort(key=lambda q: q.open)
    return spans


DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][\w’'.\-]*(?:[ /][A-Z][\w’'.\-]*){0,4})"  # GENEVA / New York/Vienna
    r"(?:,[^–—\n()]{0,40}?)?"                                     # , 17 March 2006
    r"(?:\s*\([^()\n]{0,60}\))?"                                  # (2 July 2020) / (UNHCR)
    r"\s*(?:–|—|--|-)\s+(?=[A-Z“\"‘])")


def dateline_length(text: str) -> int:
    """Length of a dateline opening ``text`` (``GENEVA (2 July 2020) – ``, ``VIENNA, 17 March
    2006 - ``), else 0. A capitalised word before a dash is a dateline only with a date in it
    or in capitals (a place line), so ``Ms. Ruiz – the new Director – said`` is left alone."""
    m = DATELINE_RE.match(text)
    if not m:
        return 0
    place = m.group("place")
    if any(c.isdigit() for c in m.group(0)) or (place.isupper() and len(place) >= 3):
        return m.end()
    return 0


_SMALL = frozenset("a an and as at but by for from in into of on or the to vs with against via per nor".split())


def is_title_like(s: str) -> bool:
    """Whether quoted words read as a title (most content words capitalised, no sentence end):
    ``Roadmap for Faster Action to End Forced Labour by 2030``."""
    s = s.strip()
    if not s or s[-1] in ".!?":
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", s) if w.lower() not in _SMALL]
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6 and (len(words) >= 2 or caps == len(words))


def preceded_by_cue(text: str, pos: int, cues: Sequence[str] | frozenset[str], words: int = 3) -> bool:
    """Whether one of ``cues`` stands among the few words right before ``pos``
    (``the report titled “…”``, ``so-called ‘…’``).

    One compiled regex over the last few words, not a PhraseMatcher: only the words before
    a quote mark are read, a handful per release, and they are no Doc of their own."""
    before = text[max(0, pos - 80):pos].split("\n")[-1].lower()
    before = re.sub(r"[\s,:]+$", "", before)
    tail = " ".join(re.findall(r"[\w\-’']+", before)[-words:])
    return bool(_cue_regex(tuple(cues)).search(tail))


@lru_cache(maxsize=16)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern:
    """One compiled pattern for "a cue ends the text, after a space or at its start": the
    cues were compiled one by one for every quote."""
    return re.compile(rf"(?:^|\s)(?:{'|'.join(re.escape(c) for c in cues)})$") if cues else re.compile(r"(?!)")
