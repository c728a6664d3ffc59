"""The date grammar's data, and the engine that turns it into compiled patterns.

Every English word, name and pattern lives in ``pipeline/resources/dates.json``; this module
holds none. A pattern there is a regex in which ``@name`` stands for a fragment: either one
of the file's ``fragments`` or an alternation built from one of its word lists (months,
weekdays, cue phrases...). Patterns are compiled once per process.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pipeline.resources import load_json

SP = r"[^\S\n]"  # whitespace that does not cross a line: every line is its own sentence


def vocabulary() -> dict:
    """The dates vocabulary and rules, loaded once (read-only)."""
    return load_json("dates.json")


@cache
def month_table() -> dict[str, int]:
    """Month names and abbreviations (lower case) -> 1-12."""
    v = vocabulary()
    return {**v["months"], **v["month_abbreviations"]}


@cache
def weekday_table() -> dict[str, int]:
    """Weekday names and abbreviations (lower case) -> 0 (Monday) - 6."""
    v = vocabulary()
    return {**v["weekdays"], **v["weekday_abbreviations"]}


def month_number(name: str) -> int | None:
    """1-12 for a month name or abbreviation (any case, trailing dot allowed)."""
    return month_table().get(name.lower().rstrip("."))


def weekday_number(name: str) -> int | None:
    """0 (Monday) - 6 (Sunday) for a weekday name or abbreviation."""
    return weekday_table().get(name.lower().rstrip("."))


def is_plausible_year(year: int) -> bool:
    """Whether a 4-digit number may be a calendar year in a press release (data file range)."""
    low, high = vocabulary()["year_range"]
    return low <= year <= high


def alternation(words) -> str:
    """Regex alternation, longest first so 'Sept' wins over 'Sep'.

    The words are grouped by their first character ('j(?:anuary|une|uly|an)|f(?:ebruary|eb)'),
    keeping their order within a group: words that start with different letters never
    match at the same place, so the matches are those of the flat alternation, but the
    engine rejects a place after one test per group instead of one per word (every date
    pattern tries the month names at every word of a release). When two first characters
    could match the same character (case variants, non-ASCII), the flat form is kept.
    """
    ordered = sorted(((w, re.escape(w)) for w in words), key=lambda p: len(p[1]), reverse=True)
    firsts = {w[:1] for w, _ in ordered}
    if "" in firsts or not all(c.isascii() for c in firsts) \
            or len({c.lower() for c in firsts}) != len(firsts):
        return "|".join(e for _, e in ordered)
    groups: dict[str, list[str]] = {}
    for w, _ in ordered:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in groups.items())


def phrase_regex(phrases) -> str:
    """Alternation of vocabulary phrases with flexible spaces and hyphens ('to-date')."""
    alts = []
    for p in sorted(phrases, key=len, reverse=True):
        alts.append(r"(?:[^\S\n]|-)+".join(re.escape(w) for w in p.split()))
    return "|".join(alts)


def _number_words(pick: Callable[[str, float], bool]) -> list[str]:
    return [w for w, n in vocabulary()["number_words"].items() if pick(w, n)]


# '@name' fragments built from the word lists of the data file
_LIST_FRAGMENTS: dict[str, Callable[[], str]] = {
    "months": lambda: alternation(month_table()),
    "months_full": lambda: alternation(vocabulary()["months"]),
    "months_abbr": lambda: alternation(vocabulary()["month_abbreviations"]),
    "weekdays": lambda: alternation(weekday_table()),
    "weekdays_full": lambda: alternation(vocabulary()["weekdays"]),
    "month_modifiers": lambda: alternation(vocabulary()["month_modifiers"]),
    "weekday_modifiers": lambda: alternation(vocabulary()["weekday_modifiers"]),
    "month_cues": lambda: phrase_regex(vocabulary()["month_cues_before"]),
    "relative_phrases": lambda: phrase_regex(vocabulary()["relative_phrases"]),
    "anaphoric_phrases": lambda: phrase_regex(vocabulary()["anaphoric_phrases"]),
    "vague": lambda: phrase_regex(vocabulary()["vague"]),
    "duration_units": lambda: alternation(vocabulary()["duration_units"]),
    "number_words": lambda: alternation(vocabulary()["number_words"]),
    "number_tens": lambda: alternation(_number_words(lambda w, n: n in {20, 30, 40, 50, 60, 70, 80, 90})),
    "number_units": lambda: alternation(_number_words(lambda w, n: n in range(1, 10)
                                                       and w not in vocabulary()["article_numbers"])),
    "number_singles": lambda: alternation(_number_words(lambda w, n: " " not in w)),
    "fuzzy_numbers": lambda: phrase_regex(vocabulary()["fuzzy_number_words"]),
    "set_adverbs": lambda: phrase_regex(vocabulary()["set_adverbs"]),
    "set_quantifiers": lambda: phrase_regex(vocabulary()["set_quantifiers"]),
}
_TOKEN = re.compile(r"@([a-z_]+)")


def _needle(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)),
                      re.IGNORECASE)


@cache
def month_needle() -> re.Pattern:
    """Any month name or abbreviation, in any case: the lines a month pattern must scan
    (``spans.lines_with``)."""
    return _needle(month_table())


@cache
def expand(pattern: str) -> str:
    """A data-file pattern with every ``@fragment`` replaced (fragments may nest)."""
    fragments = vocabulary()["fragments"]

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name in _LIST_FRAGMENTS:
            return _LIST_FRAGMENTS[name]()
        if name in fragments:
            return expand(fragments[name])
        if isinstance(vocabulary().get(name), (list, dict)):
            return phrase_regex(vocabulary()[name])  # any word list of the file, by its key
        raise KeyError(f"unknown date pattern fragment @{name}")

    return _TOKEN.sub(sub, pattern)


@cache
def pattern(name: str) -> re.Pattern:
    """The compiled pattern ``name`` of the data file's ``patterns``."""
    spec = vocabulary()["patterns"][name]
    return re.compile(expand(spec["pattern"]), re.IGNORECASE if spec.get("ignore_case") else 0)
