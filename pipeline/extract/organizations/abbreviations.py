"""Acronym definitions in running text, found Schwartz–Hearst style (pure; no spaCy).

Press releases define an organization once, as ``Long Form (ACR)`` or ``ACR (Long Form)``,
and from then on write the bare acronym. This module finds those definitions on plain text:

1. A short-form candidate is a bracketed acronym-like string (``UNODC``, ``OSRSG-VAC``,
   ``OSRSG VAC``, ``G/TIP``, ``CoE``); roman numerals and list markers such as ``(iv)`` are not.
2. The long-form candidate is the longest title-case name that ends right before the bracket on
   the same line: capitalized words with function words between them
   (``Office *of the* Special Representative *of the* Secretary-General *on* Violence *against*
   Children``).
3. The acronym's letters are aligned, in order, to the initials of the name's words (a word may
   also give later letters from inside it: ``UN`` gives U and N, ``Southeast`` S and E).
   Function words may be used or skipped at no cost; skipped content words cost 1, skipped parts
   of hyphenated words 0.5. The long form starts at the word that gives the first letter; among
   the starts that align, the cheapest wins, then the shortest.
4. When the letters do not align (``UN Children’s Fund (UNICEF)``), the title-case name is taken
   from its first word that starts with the acronym's first letter, else whole.

Unlike scispaCy's detector, the long form is never cut inside a name ("memoization" for
"Mindful memoization"), because it always runs to the bracket and starts at a capitalized word.
Definitions whose long form is not title case (``victims of trafficking (VoTs)``) are not
reported: in this genre they are not organizations.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from typing import Iterator

from pipeline.extract.organizations.words import (
    ReleaseText,
    Word,
    strip_possessive,
    words,
    words_in_line_before,
)
from pipeline.resources import load_json

ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
ACRONYM_PART_RE = re.compile(r"^[A-Za-z0-9&.]*[A-Z][A-Za-z0-9&.]*$")
# "(ACR)" or "[ACR]" (police and court releases bracket acronyms: "Response Team [ALERT]");
# group 1 is the content either way
BRACKET_RE = re.compile(r"(?:\((?=[^()\[\]\n]{1,60}\))|\[(?=[^()\[\]\n]{1,60}\]))"
                        r"([^()\[\]\n]{1,60})[)\]]")
INF = float("inf")


def _vocab() -> dict:
    return load_json("organizations.json")


@cache
def name_connectors() -> frozenset[str]:
    """Function words that may stand inside a name ("Office *on* Drugs *and* Crime")."""
    return frozenset(_vocab()["name_connectors"])


@dataclass(frozen=True)
class AcronymDefinition:
    """One ``Long Form (ACR)`` or ``ACR (Long Form)`` found in a text."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int
    start_char: int  # the whole definition, both forms and the brackets
    end_char: int
    aligned: bool  # False when the long form came from the title-case fallback

    def to_dict(self) -> dict:
        """Plain-data form, safe for ``Doc.to_bytes()``."""
        return asdict(self)


def is_connector(word: str) -> bool:
    """True for a function word that may join the parts of a name."""
    return word.lower() in name_connectors()


def is_name_internal_possessive(word: str) -> bool:
    """True for possessives that belong inside a name: "UN *Children’s* Fund", "*Women’s* Rights".

    Possessives of groups of people and of office holders ("Attorney’s Office") stay inside a
    name; any other possessive ("IOM’s", "Department’s") ends it.
    """
    core = strip_possessive(word)
    return core != word and core.lower() in _internal_possessives()


@cache
def _internal_possessives() -> frozenset[str]:
    v = _vocab()
    return frozenset(v["people_heads"]) | frozenset(v["office_holder_possessives"])


@lru_cache(maxsize=16384)
def is_title_word(word: str) -> bool:
    """True for a capitalized word or a word with inner capitals (``eu-LISA``)."""
    if not word:
        return False
    if word[0].isupper():
        return True
    if word.islower():  # all cased letters lower case: no capital to count (the usual word)
        return False
    return sum(c.isupper() for c in word) >= 2


@lru_cache(maxsize=16384)
def is_acronym_like(text: str) -> bool:
    """True for strings shaped like an acronym: ``UNODC``, ``OSRSG-VAC``, ``OSRSG VAC``, ``CoE``.

    At least two capitals, at most 16 characters, parts joined by ``-``, ``/`` or a space, and
    each space-separated part mostly capitals (so ``UN Women`` is a name, not an acronym).
    Roman numerals are excluded because ``(II)`` numbers a list.
    """
    s = text.strip()
    if not 2 <= len(s) <= 16 or ROMAN_RE.match(s):
        return False
    parts = re.split(r"[-/ ]", s)
    if any(not ACRONYM_PART_RE.match(p) for p in parts):
        return False
    upper = sum(c.isupper() for c in s)
    lower = sum(c.islower() for c in s)
    if upper < 2 or lower > upper:
        return False
    if " " in s and any(sum(c.islower() for c in p) > sum(c.isupper() for c in p) for p in parts):
        return False
    return sum(c.isalpha() for c in s) >= 2


@lru_cache(maxsize=16384)
def acronym_key(text: str) -> str:
    """Merge key of an acronym: letters and digits, upper case (``OSRSG VAC`` = ``OSRSG-VAC``)."""
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def _units(long_words: Sequence[str]) -> list[tuple[str, float]]:
    """Alignment units of a long form: hyphen/slash parts with the cost of skipping each."""
    units: list[tuple[str, float]] = []
    for word in long_words:
        parts = [p for p in re.split(r"[-/]", strip_possessive(word)) if p]
        for k, part in enumerate(parts):
            if is_connector(part):
                cost = 0.0
            elif k > 0:
                cost = 0.5
            else:
                cost = 1.0
            units.append((part.lower(), cost))
    return units


def alignment_cost(short: str, long_words: Sequence[str]) -> float | None:
    """Cost of aligning the acronym's letters to the long form's words, or None if they don't.

    The first letter must be the initial of the first word. Each later letter is the initial
    of a later word, or a letter further inside the word that gave the previous letter.
    Skipping a content word costs 1, a hyphen part 0.5, a function word nothing.
    """
    letters = [c.lower() for c in short if c.isalpha()]
    units = _units(long_words)
    n, m = len(letters), len(units)
    if not n or not m:
        return None
    memo: dict[tuple[int, int, bool], float] = {}

    def best(i: int, j: int, must_use: bool) -> float:
        key = (i, j, must_use)
        if key in memo:
            return memo[key]
        if i == n:
            result = sum(c for _, c in units[j:])
        elif j == m:
            result = INF
        else:
            text, cost = units[j]
            result = INF if must_use else cost + best(i, j + 1, False)
            if text and text[0] == letters[i]:
                k, pos = i + 1, 0
                result = min(result, best(k, j + 1, False))
                while k < n:
                    pos = text.find(letters[k], pos + 1)
                    if pos < 0:
                        break
                    k += 1
                    result = min(result, best(k, j + 1, False))
        memo[key] = result
        return result

    cost = best(0, 0, True)
    return None if cost == INF else cost


def long_form_window(short: str) -> int:
    """Most words a long form may have: Schwartz–Hearst's ``min(n+5, 2n)``, plus slack of 2.

    The slack admits names with an unabbreviated prefix ("Office of the United Nations High
    Commissioner for Human Rights" for OHCHR).
    """
    n = sum(c.isalpha() for c in short)
    return min(n + 5, 2 * n) + 2


def choose_long_form_start(short: str, run: Sequence[Word]) -> tuple[int, bool] | None:
    """Index in ``run`` where the long form of ``short`` starts, and whether letters aligned.

    Candidates are content words whose initial is the acronym's first letter. The cheapest
    alignment wins, then the rightmost start (the shortest long form). Without an alignment,
    the first candidate is taken (``UN Children’s Fund`` for UNICEF), else the whole run.
    """
    letters = [c.lower() for c in short if c.isalpha()]
    if not run or not letters:
        return None
    starts = [j for j, w in enumerate(run)
              if not is_connector(w.text) and w.text[:1].lower() == letters[0]]
    scored = []
    window = long_form_window(short)
    for j in starts:
        if len(run) - j > window:
            continue
        cost = alignment_cost(short, [w.text for w in run[j:]])
        if cost is not None:
            scored.append((cost, -j))
    if scored:
        return -min(scored)[1], True
    if starts:
        return starts[0], False
    first = next((j for j, w in enumerate(run) if not is_connector(w.text)), None)
    return None if first is None else (first, False)


def _only_spaces(gap: str) -> bool:
    return gap == "" or (gap.strip(" \t\u00a0") == "")


def name_run_before(text: str, pos: int, max_words: int = 20) -> list[Word]:
    """The longest title-case name ending right before ``pos`` on the same line.

    Capitalized words and function words between them, separated by spaces only; a comma,
    a bracket or a line break ends the name. Leading function words are dropped ("the").
    """
    ws = words_in_line_before(text, pos, max_words)
    if not ws or not _only_spaces(text[ws[-1].end:pos]):
        return []
    run: list[Word] = []
    for w in reversed(ws):
        if run and not _only_spaces(text[w.end:run[0].start]):
            break
        if run and w.core != w.text and not is_name_internal_possessive(w.text):
            break  # a possessive ends a name: "IOM’s Migrant Assistance Division"
        if is_title_word(w.text) or (run and is_connector(w.text)):
            run.insert(0, w)
        else:
            break
        if len(run) >= max_words:
            break
    while run and is_connector(run[0].text):
        run.pop(0)
    return run


def _short_form_in(content: str, offset: int) -> tuple[str, int, int] | None:
    """The acronym at the head of a bracket's content ("ICAT", or "UNODC, 2022" → "UNODC")."""
    head = re.split(r"[,;]", content, maxsplit=1)[0]
    stripped = head.strip()
    if not stripped or not is_acronym_like(stripped):
        return None
    start = offset + content.index(stripped)
    return stripped, start, start + len(stripped)


def _long_short(text: str, m: re.Match) -> AcronymDefinition | None:
    found = _short_form_in(m.group(1), m.start(1))
    if found is None:
        return None
    short, s_start, s_end = found
    run = name_run_before(text, m.start())
    if not run:
        return None
    if len(run) == 1 and acronym_key(run[0].core) == acronym_key(short):
        return None
    choice = choose_long_form_start(short, run)
    if choice is None:
        return None
    start, aligned = choice
    if not aligned:
        run, start, aligned = _across_comma(text, short, run, start)
    long_words = run[start:]
    if not aligned and len(long_words) > 12:
        long_words = long_words[-12:]
    l_start, l_end = long_words[0].start, long_words[-1].core_end
    return AcronymDefinition(short, text[l_start:l_end], s_start, s_end, l_start, l_end,
                             l_start, m.end(), aligned)


def _across_comma(text: str, short: str, run: list[Word], start: int) -> tuple[list[Word], int, bool]:
    """The run, start and alignment when the long form continues before a comma.

    Some official names hold a comma ("United Nations Educational, Scientific and Cultural
    Organization (UNESCO)"); the name before the bracket then stops at the comma. The name
    before the comma is joined when the acronym's letters align with the whole.
    """
    m = re.search(r",[ \t]*$", text[max(0, run[0].start - 4):run[0].start])
    if not m:
        return run, start, False
    before = name_run_before(text, run[0].start - (len(m.group())))
    if not before:
        return run, start, False
    joined = before + run
    choice = choose_long_form_start(short, joined)
    if choice is None or not choice[1]:
        return run, start, False
    return joined, choice[0], True


def _short_long(text: str, m: re.Match) -> AcronymDefinition | None:
    before = words_in_line_before(text, m.start(), 1)
    if not before or not _only_spaces(text[before[-1].end:m.start()]):
        return None
    short_word = before[-1]
    if not is_acronym_like(short_word.text):
        return None
    inner = words(text, m.start(1), m.end(1))
    while inner and inner[0].text.lower() == "the":
        inner.pop(0)
    if len(inner) < 2 or not all(is_title_word(w.text) or is_connector(w.text) for w in inner):
        return None
    if any(not _only_spaces(text[a.end:b.start]) and text[a.end:b.start].strip() != ","
           for a, b in zip(inner, inner[1:])):
        return None
    aligned = alignment_cost(short_word.text, [w.text for w in inner]) is not None
    first_letter = next((c.lower() for c in short_word.text if c.isalpha()), "")
    if not aligned and inner[0].text[:1].lower() != first_letter:
        return None  # "IOM (Geneva Office)" is a place note, not a definition
    l_start, l_end = inner[0].start, inner[-1].end
    return AcronymDefinition(short_word.text, text[l_start:l_end], short_word.start,
                             short_word.end, l_start, l_end, short_word.start, m.end(), aligned)


def find_definitions(text: str) -> list[AcronymDefinition]:
    """Every acronym definition in ``text``, both ``Long (ACR)`` and ``ACR (Long)``, in order."""
    if not isinstance(text, ReleaseText):
        text = ReleaseText(text)  # each bracket reads the words before it from the index
    found: list[AcronymDefinition] = []
    for m in BRACKET_RE.finditer(text):
        definition = _long_short(text, m) or _short_long(text, m)
        if definition is not None:
            found.append(definition)
    return found


ACRONYM_BEFORE = r"(?<![\w@#/&.-])(?<![A-Z]-)"
ACRONYM_AFTER = r"(?![\w@/&])(?!-[A-Z0-9])"


def _acronym_body(short: str) -> str:
    """Regex of the acronym's parts, joined by ``-``, a space or nothing."""
    parts = [re.escape(p) for p in re.split(r"[-\s]+", short.strip()) if p]
    return r"[-\s]?".join(parts)


@lru_cache(maxsize=1024)
def acronym_regex(short: str) -> re.Pattern:
    """Regex for bare uses of an acronym, spelled with ``-``, a space or nothing between parts.

    Whole words only, case-sensitive. ``IOM-led`` and ``IOM’s`` count; ``@ICAT_News``,
    ``UNIS/CP/900`` and the ``UN`` of ``UN-Habitat`` do not.
    """
    return re.compile(rf"{ACRONYM_BEFORE}{_acronym_body(short)}{ACRONYM_AFTER}")


def acronyms_regex(shorts: Sequence[str]) -> re.Pattern | None:
    """One regex for bare uses of any of ``shorts``, tried in the given order at each place.

    Matches exactly what the alternation of the :func:`acronym_regex` patterns matches, but
    the look-behind is written once before the alternation, and the branches are grouped by
    their first character (keeping their order within a group: branches that start with
    different characters never match at the same place), so the engine rejects a place
    after a few character tests. The alternation of whole patterns ran hundreds of
    look-behinds at every character of the text.
    """
    if not shorts:
        return None
    split = [[p for p in re.split(r"[-\s]+", a.strip()) if p] for a in shorts]
    if not all(split):  # an empty acronym matches the empty string: keep the plain form
        branches = "|".join(f"{_acronym_body(a)}{ACRONYM_AFTER}" for a in shorts)
        return re.compile(f"{ACRONYM_BEFORE}(?:{branches})")
    groups: dict[str, list[str]] = {}
    for parts in split:
        rest = re.escape(parts[0][1:]) + "".join(r"[-\s]?" + re.escape(p) for p in parts[1:])
        groups.setdefault(parts[0][0], []).append(rest + ACRONYM_AFTER)
    branches = "|".join(f"{re.escape(c)}(?:{'|'.join(g)})" for c, g in groups.items())
    return re.compile(f"{ACRONYM_BEFORE}(?:{branches})")


def iter_acronym(text: str, short: str) -> Iterator[re.Match]:
    """The matches of :func:`acronym_regex` in ``text``, as ``finditer`` gives them.

    Every match starts with the acronym's first part, so the pattern is tried only where
    ``str.find`` sees that part: scanning the whole release ran the look-behind at every
    character, once per acronym of the release.
    """
    rx = acronym_regex(short)
    first = next((p for p in re.split(r"[-\s]+", short.strip()) if p), "")
    if not first:
        yield from rx.finditer(text)
        return
    pos = 0
    while True:
        at = text.find(first, pos)
        if at < 0:
            return
        m = rx.match(text, at)
        if m is None:
            pos = at + 1
        else:
            yield m
            pos = m.end()


def find_acronym(text: str, short: str) -> list[tuple[int, int]]:
    """Offsets of every bare use of ``short`` in ``text``."""
    return [(m.start(), m.end()) for m in iter_acronym(text, short)]
