"""The speech-verb lexicon (``speech_verbs.json``): reporting verbs and their complements,
title and scare-quote cues, and the nouns that may or may not speak.

Read by the people step (a proper-noun run that is a speech verb's subject is a name) and by
the quote finder, so neither imports the other.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from pipeline.resources import load_json


@dataclass(frozen=True)
class SpeechData:
    """Speech verbs and quote cues, loaded once from speech_verbs.json."""

    verbs: dict[str, dict]
    title_cues: frozenset[str]
    scare_cues: tuple[str, ...]
    wh_words: frozenset[str]
    unfinished: frozenset[str]
    org_nouns: frozenset[str]
    collective_org_nouns: frozenset[str]
    not_speakers: frozenset[str]
    documents: frozenset[str]
    joining_verbs: frozenset[str]
    occasions: frozenset[str]


def fold_word(w: str) -> str:
    """Casefold with straight apostrophes, for word-list look-ups."""
    return w.replace("’", "'").casefold()


@lru_cache(maxsize=1)
def speech_data() -> SpeechData:
    """The lexicon, built once per process."""
    raw = load_json("speech_verbs.json")
    orgs = raw.get("organization_speakers", {})
    return SpeechData(
        verbs={k.lower(): v for k, v in raw["verbs"].items()},
        title_cues=frozenset(w.lower() for w in raw["title_cues"]),
        scare_cues=tuple(sorted((w.lower() for w in raw["scare_cues"]), key=len, reverse=True)),
        wh_words=frozenset(w.lower() for w in raw.get("wh_words", [])),
        unfinished=frozenset(fold_word(w) for w in raw.get("unfinished_line_words", [])),
        org_nouns=frozenset(fold_word(w) for w in orgs.get("nouns", [])),
        collective_org_nouns=frozenset(fold_word(w) for w in orgs.get("collective", [])),
        not_speakers=frozenset(fold_word(w) for ws in orgs.get("not_speakers", {}).values() for w in ws),
        documents=frozenset(fold_word(w) for w in orgs.get("not_speakers", {}).get("documents", [])),
        joining_verbs=frozenset(w.lower() for w in raw.get("joining_verbs", [])),
        occasions=frozenset(fold_word(w) for w in raw.get("occasions", {}).get("nouns", [])),
    )


@lru_cache(maxsize=8)
def with_extra_verbs(extra: tuple[str, ...]) -> SpeechData:
    """The lexicon plus a user's own reporting verbs (lemmas), each taking a reported clause."""
    data = speech_data()
    if not extra:
        return data
    added = {v.strip().lower(): {"complements": ["clause"]} for v in extra if v.strip()}
    return replace(data, verbs={**added, **data.verbs})


def is_speech_lemma(lemma: str) -> bool:
    """Whether a lemma is a reporting verb of the lexicon."""
    return lemma.lower() in speech_data().verbs


def is_org_noun(word: str) -> bool:
    """Whether a common noun heads a description of an organization (``the agency``,
    ``our office``), which can speak with no person named."""
    return fold_word(word) in speech_data().org_nouns


def is_collective_org_noun(lemma: str) -> bool:
    """Whether an organization noun names a state's body as a whole, in the plural too
    (``police``, ``authorities``): a nationality or place before it names that body."""
    return fold_word(lemma) in speech_data().collective_org_nouns


def is_non_speaker_noun(word: str) -> bool:
    """Whether a head noun names something that never speaks, even when a tagger calls it an
    organization: a document or law (``the report says``), an event, a group of people."""
    return fold_word(word) in speech_data().not_speakers
