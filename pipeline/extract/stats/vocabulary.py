"""The statistics vocabulary (``resources/statistics.json``) as one read-only object that
also holds its phrase lists, so no module-level cache is keyed on anything else.

The month names and the units of time are the date grammar's (``resources/dates.json``):
one vocabulary per concept, read here in the shape the statistics rules ask for (month
names, abbreviations and abbreviations with a period; time units by their unit name).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Mapping

from pipeline.resources import load_json


class PhraseList(list):
    """Phrases (lower-case token tuples, longest first) that also know their first and last
    words, so a token is compared only with the phrases that can start or end on it."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        super().__init__(phrases)
        self.by_first: dict[str, list[tuple[str, ...]]] | None = None
        self.by_last: dict[str, list[tuple[str, ...]]] | None = None
        if all(self):  # an empty phrase would match anywhere: no index then
            self.by_first, self.by_last = {}, {}
            for ph in self:
                self.by_first.setdefault(ph[0], []).append(ph)
                self.by_last.setdefault(ph[-1], []).append(ph)


def phrase_list(entries: Iterable[str]) -> PhraseList:
    """Split vocabulary phrases into lower-case token tuples, longest first."""
    out = {tuple(e.lower().split()) for e in entries}
    return PhraseList(sorted(out, key=lambda ph: (-len(ph), ph)))


class StatsVocab(dict):
    """The vocabulary entries by key, plus :meth:`phrases`, the token tuples of a phrase
    entry, built on first use and kept on this object (not in a global)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self._phrase_lists: dict[str, PhraseList] = {}

    def phrases(self, key: str) -> PhraseList:
        found = self._phrase_lists.get(key)
        if found is None:
            value = self[key]
            found = phrase_list(value.keys() if isinstance(value, Mapping) else value)
            self._phrase_lists[key] = found
        return found


def month_words(dates: Mapping[str, Any]) -> list[str]:
    """Month names and abbreviations (with and without a period) from the date vocabulary."""
    abbreviations = list(dates["month_abbreviations"])
    return list(dates["months"]) + abbreviations + [a + "." for a in abbreviations]


@lru_cache(maxsize=1)
def load_vocab() -> StatsVocab:
    """The statistics vocabulary, loaded once and shared (read-only)."""
    data = {k: v for k, v in load_json("statistics.json").items() if not k.startswith("_")}
    dates = load_json("dates.json")
    data["months"] = month_words(dates)
    # units of time: the date grammar's words, in the unit names of the statistics table
    data["duration_units"] = sorted({data["measure_units"][w] for w in dates["duration_units"]
                                     if w in data["measure_units"]})
    return StatsVocab(data)
