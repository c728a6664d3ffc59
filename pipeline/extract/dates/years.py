"""Bare years: 4-digit numbers, written year ranges, the context that makes a number a
year ('in 2023', 'the 2023 work plan') and decades ('the 1990s')."""
from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from pipeline.extract.dates.spans import YEAR_DIGITS, SpanSet, finditer_lines, lines_with
from pipeline.extract.dates.vocab import is_plausible_year, pattern, vocabulary


class YearNumber(NamedTuple):
    """A 4-digit number that may be a year; ``linked`` marks a written range ('2019-2020')."""

    start: int
    end: int
    year: int
    linked: bool = False



def find_year_numbers(text: str) -> list[YearNumber]:
    """4-digit numbers in the plausible year range, and both ends of written year ranges.

    '2019-2020', '2024–2025' and '2019/20' (the second a year after the first) are
    ranges: both ends are years, whatever the context. Others need ``is_year_context``.
    """
    found: list[YearNumber] = []
    taken = SpanSet()
    # both patterns read four digits and no line break: only lines with a year are scanned
    windows = lines_with(YEAR_DIGITS, text)
    for m in finditer_lines(pattern("year_range"), text, windows):
        a = int(m.group("a"))
        b_text = m.group("b")
        b = int(b_text) if len(b_text) == 4 else (a // 100) * 100 + int(b_text)
        if not (is_plausible_year(a) and is_plausible_year(b) and a < b):
            continue
        if m.group("sep") == "/" and b != a + 1:
            continue
        if len(b_text) == 2 and b - a > 10:
            continue
        found.append(YearNumber(m.start("a"), m.end("a"), a, True))
        found.append(YearNumber(m.start("b"), m.end("b"), b, True))
        taken.add(*m.span())
    for m in finditer_lines(pattern("year"), text, windows):
        y = int(m.group(1))
        if is_plausible_year(y) and not taken.overlaps(m.start(), m.end()):
            found.append(YearNumber(m.start(), m.end(), y))
    found.sort()
    return found


class YearContext(NamedTuple):
    """What surrounds a 4-digit number: the line text before and after it, and the
    parser's fine-grained tags (Penn) of the previous and next tokens, when known."""

    left: str
    right: str
    prev_tag: str | None = None
    next_tag: str | None = None


_WORD_CHAR = re.compile(r"\w")


@cache
def _longest_first(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Phrases sorted longest first (stable), once per phrase list."""
    return tuple(sorted(phrases, key=len, reverse=True))


def _ends_with_phrase(left: str, phrases) -> str | None:
    """The longest phrase that ends ``left`` (case-folded) on a word boundary.

    String tests, not a regex per phrase: every candidate year asks this of several lists,
    and compiling a pattern per phrase and call cost more than the rest of the year step.
    """
    low = left.lower().rstrip()
    for p in _longest_first(tuple(phrases)):
        if low.endswith(p) and (len(low) == len(p)
                                or not _WORD_CHAR.match(low, len(low) - len(p) - 1)):
            return p
    return None


def is_excluded_number(left: str) -> bool:
    """Whether the text before a number makes it an identifier, an amount or part of a
    digit group ('resolution 2100', 'Tel. +41 22 917 2000', 'US$ 2000')."""
    left_s = left.rstrip()
    if _ends_with_phrase(left_s, vocabulary()["exclusion_cues"]):
        return True
    if pattern("currency_before").search(left_s):
        return True
    return bool(re.search(r"\d[^\S\n]*$", left)) and not re.search(r"\d{4}[^\S\n]*$", left_s)


_NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS", "JJ", "VBG", "CD"}


def is_year_context(ctx: YearContext) -> bool:
    """Whether a plausible 4-digit number is used as a year, from its context.

    Not a year: after an identifier cue ('resolution 2100', 'Tel.'), a currency sign or
    another number (phone digits), before a unit or a percent, after a count qualifier
    ('over 2000'), or before a plural noun it counts ('2000 victims'). A year: after a
    temporal cue ('in', 'by', 'since', 'Year', 'FY'), in modifier position after a
    determiner or a proper noun ('the 2023 work plan', 'Persons 2022', 'ICAT 2024
    co-chairs'), before a possessive or a verb ('2023's', '2024 marks'), in parentheses,
    or alone on its line.
    """
    v = vocabulary()
    left, right = ctx.left, ctx.right
    left_s = left.rstrip()
    prev_m = re.search(r"([\w.'’#\-]+)$", left_s)
    prev_raw = prev_m.group(1) if prev_m else ""
    prev = prev_raw.lower()
    next_m = re.match(r"[^\S\n]*([\w'’\-]+)", right)
    next_word = next_m.group(1).lower() if next_m else ""

    if pattern("quarter_label_before").search(left_s):
        return True  # 'quarter 1 2024', 'Q3 2019': the year of a labelled quarter
    # --- never a year
    if is_excluded_number(left) or re.match(r"[^\S\n]*\d", right):
        return False
    if _starts_with_phrase(right, v["measure_units"]):
        return False
    noun_next = ctx.next_tag in _NOUN_TAGS if ctx.next_tag else next_word.isalpha()
    qualifier = _ends_with_phrase(left_s, v["count_qualifiers"])
    if qualifier and (qualifier not in v["weak_count_qualifiers"] or noun_next):
        return False
    plural_next = ctx.next_tag == "NNS" if ctx.next_tag else next_word in v["count_nouns"]
    determiner = prev in v["determiners"] or left_s.endswith(("'s", "’s"))
    cue = prev in v["year_cues_before"] or bool(_ends_with_phrase(
        left_s, v["year_cue_phrases"]))
    proper_before = (prev_raw[:1].isupper() and not cue
                     and (ctx.prev_tag is None or ctx.prev_tag in {"NNP", "NNPS", "NN"}))
    if plural_next and not (determiner or proper_before or prev in v["strong_year_cues"]):
        return False  # '2000 victims', 'in 2000 cases'
    # --- evidence for a year
    if cue or proper_before:
        return True  # 'in 2023', 'by 2025', 'Year 2024', 'FY 2011', 'Persons 2022', 'ICAT 2024 co-chairs'
    if re.match(r"[^\S\n]*['’]s\b", right):
        return True  # "2023's priorities"
    if re.search(r"\b[A-Z][\w.\-]*,$", left_s) and re.match(r"[^\S\n]*(?:$|[.;:)\]])", right):
        return True  # a citation: 'Source: UNODC, 2020.'

    if left_s.endswith("(") and re.match(r"[^\S\n]*\)", right):
        return True  # '(2019)'
    if re.search(r"[A-Z][\w.\-]*[^\S\n]+\([A-Z][A-Z0-9&\-]+\)$", left_s):
        return True  # an edition after a name and its acronym: 'the Global Slavery Index (GSI) 2023'
    line_start = not left_s.strip(" \t-–—•*·>|")
    if line_start and (not right.strip() or re.match(r"[^\S\n]*[:.\-–—]", right)):
        return True  # a year alone on its line, or heading a line
    if (determiner or line_start) and noun_next:
        return True  # 'the 2023 work plan', '- 2030 Agenda'
    if line_start and ctx.next_tag in {"VBD", "VBZ", "VBP", "MD"}:
        return True  # '2024 marks the tenth anniversary'
    return False


def _starts_with_phrase(right: str, phrases) -> str | None:
    low = right.lower().lstrip()
    for p in _longest_first(tuple(phrases)):
        if low.startswith(p) and (not p[-1].isalnum() or not low[len(p):len(p) + 1].isalnum()):
            return p
    return None


def propagate_years(years: list[YearNumber], accepted: list[bool], text: str) -> list[bool]:
    """Years joined by 'and', 'or', 'to', commas share their status: in 'between 2003 and
    2016' or 'in 2021, 2022 and 2023' the first has the cue, the others follow it."""
    out = list(accepted)
    # A chain of linked years is all accepted when one of its years is. One pass over the
    # chains (not passes until nothing changes, which is quadratic in a long list of years).
    i = 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and pattern("year_link").fullmatch(text[years[j].end:years[j + 1].start]):
            j += 1
        if any(out[i:j + 1]):
            out[i:j + 1] = [True] * (j + 1 - i)
        i = j + 1
    return out


def find_decades(text: str) -> list[tuple[int, int, str]]:
    """'the 1990s' -> (start, end, '199'), the ISO decade value (its first three digits)."""
    windows = lines_with(YEAR_DIGITS, text)  # a decade is four digits, on one line
    return [(m.start(), m.end(), m.group("d")[:3])
            for m in finditer_lines(pattern("decade"), text, windows)]


