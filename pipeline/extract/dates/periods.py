"""Durations ('25 years' -> P25Y), counts back from the reference date ('two years ago')
and sets ('annually' -> P1Y), with TimeML period values."""
from __future__ import annotations

import re

from pipeline.extract.dates.vocab import pattern, vocabulary


def _number_value(word: str) -> float | str | None:
    """Digits or an English number word ('twenty-five') -> number; fuzzy words -> 'X'."""
    w = word.lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    nums = vocabulary()["number_words"]
    if w in nums:
        return float(nums[w])
    if w in vocabulary()["fuzzy_number_words"]:
        return "X"
    total = 0.0
    for piece in re.split(r"[\s\-]+", w):
        if piece not in nums:
            return None
        total += nums[piece]
    return total


def _format_period(amount: float | str, letter: str, multiplier: int) -> str:
    if amount == "X":
        n = "X"
    else:
        value = amount * multiplier
        n = str(int(value)) if float(value).is_integer() else f"{value:g}"
    if letter in {"H", "MIN"}:
        return f"PT{n}{'M' if letter == 'MIN' else 'H'}"
    return f"P{n}{letter}"


def find_durations(text: str) -> list[tuple[int, int, str, str]]:
    """Durations as (start, end, TimeML value, unit granularity): '25 years' -> P25Y,
    'a month' -> P1M, 'two weeks' -> P2W, 'three-day' -> P3D, 'a few days' -> PXD."""
    v = vocabulary()
    out = []
    for m in pattern("duration").finditer(text):
        amount = _number_value(m.group("n"))
        if amount is None or amount == 0:
            continue
        letter, mult = v["duration_units"][m.group("u").lower()]
        out.append((m.start(), m.end(), _format_period(amount, letter, mult), v["unit_granularity"][letter]))
    return out


def find_ago(text: str, durations: list | None = None) -> list[tuple[int, int, str, int]]:
    """'two years ago' -> (start, end, 'year', 2): a relative date, not a duration. Only
    whole day/week/month/year counts ('a few years ago' is vague and skipped).

    ``durations``: ``find_durations(text)`` when the caller has it already. A text without
    "ago" (the pattern is case-sensitive) has none, and is not read for durations at all.
    """
    if "ago" not in text:
        return []
    out = []
    for start, end, value, gran in (find_durations(text) if durations is None else durations):
        m = pattern("ago_after").match(text, end)
        if not m or gran not in {"day", "week", "month", "year"}:
            continue
        n = re.fullmatch(r"PT?(\d+)[A-Z]+", value)
        if n:
            out.append((start, m.end(), gran, int(n.group(1))))
    return out



def find_sets(text: str) -> list[tuple[int, int, str, str, bool]]:
    """Frequencies as (start, end, TimeML value, unit granularity, is_adjective_word):
    'annually' -> P1Y, 'every two years' -> P2Y, 'each month' -> P1M. The flag marks words
    ('daily', 'yearly') that are sets only when used adverbially; the caller checks."""
    v = vocabulary()
    out = []
    for m in pattern("set").finditer(text):
        if m.group("adv"):
            phrase = re.sub(r"[\s\-]+", " ", m.group("adv").lower())
            value, gran = v["set_adverbs"][phrase]
            out.append((m.start(), m.end(), value, gran, phrase in v["adjective_sets"]))
            continue
        letter, mult = v["duration_units"][m.group("u").lower()]
        n = _number_value(m.group("n")) if m.group("n") else 1.0
        if n is None:
            continue
        if m.group("q").lower().startswith(tuple(v["multi_frequency_quantifiers"])):
            continue  # 'twice a year' is a frequency of 2 per year: no single period value
        out.append((m.start(), m.end(), _format_period(n, letter, mult), v["unit_granularity"][letter], False))
    return out
