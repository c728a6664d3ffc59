"""Ids of names written in scripts that have no ASCII spelling.

People and organizations get ids that are slugs of their names, folded to ASCII
(``Amira Ben M’barek`` → ``amira-ben-mbarek``). A name in Cyrillic, Arabic, Chinese or
Devanagari has no ASCII spelling: folded, each of its words was dropped, the slug came out
empty, and every such person was ``unknown``, told apart as ``unknown-2``, ``unknown-3``…
in the order the names sort. A new release naming one more person could then change the id
of a person already in the tables, which an analysis joined on yesterday.

So a name with a word that folds to nothing keeps its letters, lower-cased, without the
vowel points that Hebrew and Arabic writers may leave out: ``Владимир Путин`` →
``владимир-путин``, ``مُحَمَّد عَلِي`` → ``محمد-علي``, ``김정은`` → ``김정은``. Names spelled
in ASCII keep exactly the slug they had.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits
# Canonical combining classes 10-36: the vowel points of Hebrew (10-26), Arabic (27-35) and
# Syriac (36) in the Unicode Character Database, written or not for the same word.
OPTIONAL_POINTS = range(10, 37)


def has_ascii_spelling(word: str) -> bool:
    """Whether ``word`` keeps a letter or digit once folded to ASCII (``Núñez`` does,
    ``Путин`` does not)."""
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return _ASCII_WORD.search(folded) is not None


def needs_script_slug(words: Iterable[str]) -> bool:
    """Whether a name of these words loses one of them when folded to ASCII."""
    return any(not has_ascii_spelling(w) for w in words)


def words_of(text: str) -> list[str]:
    """The words of ``text``: runs of letters and digits (``UN-Habitat``: UN, Habitat)."""
    return _WORD.findall(text)


def script_slug(text: str) -> str:
    """``text`` as an id in its own script: composed (NFC), lower-cased, without the vowel
    points that writers of Hebrew and Arabic may leave out, every run of characters that are
    neither letters, digits nor marks one hyphen; empty when no letter is left."""
    s = unicodedata.normalize("NFC", text)
    s = "".join(c for c in s if unicodedata.combining(c) not in OPTIONAL_POINTS).casefold()
    s = "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in s)
    return "-".join(s.split())
