"""Pure helpers that read numbers written in words or digits.

No spaCy here: every function takes strings (or sequences of token strings) and returns
plain values, so each rule can be tested on a one-word input. English numeral grammar
("twenty-five", "one hundred and five", "three hundred thousand") is left to the
text2num library (``text_to_num.text2num``); this module only adds what it lacks:
digit strings with thousands separators (including the European ``50.000``), scale words
and abbreviations after digits (``2.4 million``, ``5m``, ``3bn``), fractions, ratios,
and the normalization of qualifier phrases to the output contract's vocabulary.

The vocabularies (scale words, fractions, qualifiers ...) live in
``pipeline/resources/statistics.json`` and are loaded once by :func:`load_vocab`
(:mod:`vocabulary`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Sequence

from text_to_num import text2num
from pipeline.extract.stats.vocabulary import load_vocab


# 1,234,567 / 1,234.5 (English thousands separators)
_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# 50.000 / 1.234.567 (European thousands separators; ambiguous with decimals)
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
# 1 234 567 written with thin or no-break spaces inside one token
_SPACE_THOUSANDS = re.compile(r"^\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")  # 3,5 (European decimal comma)
_GLUED_SCALE = re.compile(r"^(\d+(?:[.,]\d+)?)([a-z]{1,3})$", re.IGNORECASE)
_ORDINAL_DIGITS = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
# a range inside one token: 10-15, 10–15, 2,000-3,000
_RANGE_TOKEN = re.compile(r"^(\d[\d.,]*)[\u2013\u2014-](\d[\d.,]*)$")
_DIGIT_FOLD = re.compile(r"^(\d+(?:\.\d+)?)[-\u2013]?fold$")  # 2-fold, 2.5fold
_WORD_FOLD = re.compile(r"^([a-z]+)-fold$")  # two-fold


def parse_digits(text: str, *, dot_thousands: bool = True) -> float | None:
    """Value of a digit string, or None if it is not a plain number.

    ``100,000`` -> 100000; ``2.4`` -> 2.4; ``50.000`` -> 50000 when *dot_thousands* (the
    caller decides: a count followed by no scale word), else 50.0. Strings with a
    leading zero such as ``021`` are codes, not quantities, and give None.
    """
    s = text.strip()
    if not s or not s[0].isdigit():
        return None
    if len(s) > 1 and s[0] == "0" and s[1].isdigit():
        return None
    if _COMMA_THOUSANDS.match(s):
        return float(s.replace(",", ""))
    if _DOT_THOUSANDS.match(s):
        return float(s.replace(".", "")) if dot_thousands else float(s)
    if _SPACE_THOUSANDS.match(s):
        return float(re.sub(r"\D", "", s))
    if _PLAIN.match(s):
        return float(s)
    if _DECIMAL_COMMA.match(s):
        return float(s.replace(",", "."))
    return None


def is_dot_thousands(text: str) -> bool:
    """True for ``50.000``-style strings, which are thousands in European usage."""
    return bool(_DOT_THOUSANDS.match(text.strip()))


def split_glued_scale(text: str, abbreviations: Mapping[str, float] | None = None) -> float | None:
    """Value of a number with a glued scale abbreviation (``5m`` -> 5e6, ``3bn`` -> 3e9)."""
    m = _GLUED_SCALE.match(text.strip())
    if not m:
        return None
    abbreviations = abbreviations if abbreviations is not None else load_vocab()["scale_abbreviations"]
    factor = abbreviations.get(m.group(2).lower())
    base = parse_digits(m.group(1), dot_thousands=False)
    if factor is None or base is None:
        return None
    return base * factor


def split_range(text: str) -> tuple[float, float] | None:
    """Both ends of a range written as one token (``10-15``, ``10–15``), else None."""
    m = _RANGE_TOKEN.match(text.strip())
    if not m:
        return None
    low, high = parse_digits(m.group(1)), parse_digits(m.group(2))
    if low is None or high is None:
        return None
    return low, high


def range_cut(text: str) -> tuple[int, int] | None:
    """Character offsets inside a one-token range where the low end stops and the high end
    starts (``10-15`` -> (2, 3)), so each end can be given its own row; else None."""
    m = _RANGE_TOKEN.match(text)
    return (m.end(1), m.start(2)) if m else None


def is_ordinal(text: str) -> bool:
    """True for ordinals written with digits (``10th``, ``21st``); words are checked by
    :func:`word_number`, which rejects them."""
    return bool(_ORDINAL_DIGITS.match(text.strip()))


@lru_cache(maxsize=4096)
def word_number(word: str) -> float | None:
    """Value of one cardinal number word (``thirty`` -> 30, ``twenty-five`` -> 25).

    Ordinals (``fifth``), ``a``, ``half`` and other words give None. Plural scale words
    (``thousands``) also give None here: they are vague and handled as such by the caller.
    One reader for number words: this is :func:`words_to_number` on one word.
    """
    w = word.strip().lower()
    if len(w) < 3 or not w.replace("-", "").isalpha():
        return None
    return words_to_number([w])


def words_to_number(words: Sequence[str]) -> float | None:
    """Value of a run of number words (``["one", "hundred", "and", "five"]`` -> 105).

    Hyphens may be separate items (``["twenty", "-", "five"]``). Returns None if the
    whole run is not one number; callers shorten the run and try again.
    """
    parts = [w for w in words if w.strip()]
    if not parts:
        return None
    if any(p.lower().endswith("s") for p in parts):
        # No English cardinal ends in "s"; text2num reads "thousands" as 1000, but plurals
        # are vague magnitudes and the caller handles them as such.
        return None
    text = " ".join(parts).replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    try:
        return float(text2num(text.lower(), "en"))
    except (ValueError, TypeError, AttributeError):
        return None


def scale_value(word: str, vocab: Mapping[str, Any] | None = None) -> float | None:
    """Factor of a written scale word (``million`` -> 1e6); None for anything else."""
    vocab = vocab if vocab is not None else load_vocab()
    return vocab["scale_words"].get(word.strip().lower())


def abbreviation_value(word: str, vocab: Mapping[str, Any] | None = None) -> float | None:
    """Factor of a scale abbreviation (``m`` -> 1e6, ``bn`` -> 1e9); None otherwise."""
    vocab = vocab if vocab is not None else load_vocab()
    return vocab["scale_abbreviations"].get(word.strip().lower())


def fraction_denominator(word: str, vocab: Mapping[str, Any] | None = None) -> int | None:
    """Denominator named by a fraction word (``third`` / ``thirds`` -> 3)."""
    vocab = vocab if vocab is not None else load_vocab()
    value = vocab["fractions"].get(word.strip().lower())
    return int(value) if value is not None else None


def ratio(numerator: float, denominator: float, places: int = 4) -> float | None:
    """``numerator / denominator`` rounded (one in three -> 0.3333); None if undefined."""
    if not denominator:
        return None
    return round(numerator / denominator, places)


def multiple_value(word: str, vocab: Mapping[str, Any] | None = None) -> float | None:
    """Factor stated by a multiple word (``doubled`` -> 2, ``halved`` -> 0.5, ``2-fold`` -> 2)."""
    vocab = vocab if vocab is not None else load_vocab()
    w = word.strip().lower()
    if w in vocab["multiples"]:
        return float(vocab["multiples"][w])
    if not w.endswith("fold"):  # every token of a release is asked: answer most at once
        return None
    m = _DIGIT_FOLD.match(w)
    if m:
        return float(m.group(1))
    m = _WORD_FOLD.match(w)
    if m:
        return word_number(m.group(1))
    return None


def normalize_qualifier(phrase: str | None, vocab: Mapping[str, Any] | None = None) -> str | None:
    """Map a qualifier phrase to the contract's vocabulary.

    ``more than`` -> ``over``; ``some`` -> ``approximately``; ``fewer than`` -> ``under``;
    ``or more`` (after the number) -> ``at least``. Unknown phrases give None.
    """
    if not phrase:
        return None
    vocab = vocab if vocab is not None else load_vocab()
    key = " ".join(phrase.lower().split())
    return vocab["qualifiers"].get(key) or vocab["postposed_qualifiers"].get(key)


def is_year_like(value: float | None, raw: str, vocab: Mapping[str, Any] | None = None) -> bool:
    """True for a bare four-digit integer in the year range (``2023``, not ``2,023``)."""
    vocab = vocab if vocab is not None else load_vocab()
    low, high = vocab["year_range"]
    return (value is not None and re.fullmatch(r"\d{4}", raw.strip()) is not None
            and low <= value <= high)


def round_value(value: float) -> float:
    """Round away float noise (2.4 * 1e6 -> 2400000.0) without losing stated decimals."""
    return float(round(value, 6)) if abs(value) < 1e6 else float(round(value))
