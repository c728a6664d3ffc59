"""Relative expressions ('today', 'last July', 'on Monday', 'the previous year') and vague
spans ('recent years'), found by the data file's patterns; resolution is the component's."""
from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.extract.dates.absolute import _capitalized
from pipeline.extract.dates.classes import part_of_day_after
from pipeline.extract.dates.spans import SpanSet
from pipeline.extract.dates.vocab import (
    month_number,
    pattern,
    vocabulary,
    weekday_number,
)


class RelativeHit(NamedTuple):
    """A relative expression. ``kind``: 'deictic' (unit/offset from the reference date),
    'anaphoric' (unit/offset from the date under discussion), 'month' (month with a
    modifier, or a bare cued month when modifier is None; ``of_year`` for 'April this
    year'), 'weekday' (modifier None = let the verb's tense decide)."""

    start: int
    end: int
    kind: str
    unit: str | None = None
    offset: int | None = None
    month: int | None = None
    weekday: int | None = None
    of_year: bool = False
    part_of_day: str | None = None  # TimeML code of a part of the day after a weekday ('NI')



def find_relative(text: str) -> list[RelativeHit]:
    """Relative and anaphoric expressions in ``text`` (not yet resolved; not overlapping).

    The text of a hit excludes a trailing possessive ('this year' of "this year's") and a
    leading article ('coming year' of 'the coming year', as the scorer drops 'the' too).
    """
    v = vocabulary()
    hits: list[RelativeHit] = []
    taken = SpanSet()

    def add(hit: RelativeHit) -> None:
        if taken.overlaps(hit.start, hit.end):
            return
        taken.add(hit.start, hit.end)
        hits.append(hit)

    def strip_article(m: re.Match, group: str = "p") -> tuple[int, int]:
        start, end = m.span(group)
        article = pattern("leading_article").match(text[start:end])
        if article:
            start += article.end()
        return start, end

    def key(phrase: str) -> str:
        return re.sub(r"[\s\-]+", " ", phrase.lower())

    for m in pattern("relative_month_of_year").finditer(text):
        if _capitalized(m.group("m")):
            add(RelativeHit(m.start(), m.end() - _poss_len(m.group(0)), "month", month=month_number(m.group("m")),
                            offset=v["month_modifiers"][m.group("mod").lower()], of_year=True))
    for m in pattern("relative_anaphoric").finditer(text):
        unit, offset = v["anaphoric_phrases"][key(m.group("p"))]
        s, e = m.span("p")  # with its article, as TimeML (whose dates these are) has it
        add(RelativeHit(s, e, "anaphoric", unit, offset))
    for m in pattern("relative_deictic").finditer(text):
        phrase = key(m.group("p"))
        unit, offset = v["relative_phrases"][phrase]
        if phrase in v["generic_present_phrases"] and _generic_today(text, m.start("p"), m.end("p")):
            add(RelativeHit(m.start("p"), m.end("p"), "generic"))  # the present in general
            continue
        s, e = strip_article(m)
        add(RelativeHit(s, e, "deictic", unit, offset))
    for m in pattern("relative_month_mod").finditer(text):
        if _capitalized(m.group("m")):
            add(RelativeHit(m.start(), m.end(), "month", month=month_number(m.group("m")),
                            offset=v["month_modifiers"][m.group("mod").lower()]))
    for m in pattern("relative_month_cued").finditer(text):
        if _capitalized(m.group("m")):
            add(RelativeHit(m.start("m"), m.end("m"), "month", month=month_number(m.group("m"))))
    for m in pattern("relative_weekday").finditer(text):
        mod = m.group("mod").lower()
        offset = v["weekday_modifiers"][mod]
        start = m.start("w") if offset is None else m.start()
        add(_weekday_hit(text, start, m.end("w"), offset, m.group("w")))
    for m in pattern("weekday_bare").finditer(text):  # 'Friday': the verb's tense decides
        if _capitalized(m.group("w")):
            add(_weekday_hit(text, m.start("w"), m.end("w"), None, m.group("w")))
    hits.sort()
    return hits


def _weekday_hit(text: str, start: int, end: int, offset: int | None, name: str) -> RelativeHit:
    """A weekday hit, with the part of the day written after it ('Wednesday night')."""
    after = part_of_day_after(text, end)
    end, code = after if after else (end, None)
    return RelativeHit(start, end, "weekday", offset=offset, weekday=weekday_number(name), part_of_day=code)


def _poss_len(s: str) -> int:
    return 2 if s.endswith(("'s", "’s")) else 0


def _generic_today(text: str, start: int, end: int) -> bool:
    """"today's world", "in today's society", "the young people of today": the generic
    present, not a calendar day."""
    if pattern("generic_present_before").search(text, max(0, start - 20), start):
        return True
    m = pattern("possessive_next_word").match(text, end)  # matched in place: a slice to the end was O(text)
    return bool(m) and m.group(1).lower() in vocabulary()["generic_today_nouns"]


def find_vague(text: str) -> list[tuple[int, int]]:
    """Spans of vague time expressions ('recent years', 'to-date'); nothing inside is a date."""
    return [m.span() for m in pattern("vague").finditer(text)]

