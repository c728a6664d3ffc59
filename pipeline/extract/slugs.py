"""Ids of names written in scripts other than Latin.

People and organizations get ids that are slugs of their names, folded to ASCII
(``Amira Ben M’barek`` → ``amira-ben-mbarek``). A name in Cyrillic, Arabic, Chinese or
Devanagari has no ASCII spelling: folded, each of its words was dropped, the slug came out
empty, and every such person was ``unknown``, told apart as ``unknown-2``, ``unknown-3``…
in the order the names sort. A new release naming one more person could then change the id
of a person already in the tables, which an analysis joined on yesterday.

So a name with a word in another script gets a slug of its words as the resolvers compare
them: composed, lower-cased, without the marks that stack on a letter (accents, the vowel
points of Arabic and Hebrew, which writers may leave out), with the marks that are part of
a letter (Devanagari vowel signs) kept: ``Владимир Путин`` → ``владимир-путин``,
``مُحَمَّد عَلِي`` → ``محمد-علي``, ``김정은`` → ``김정은``. Two spellings the resolvers
take for one name give one id, whichever of them is the more common. A name whose words are
all Latin (``Łukasz``, ``Øystein`` included) keeps exactly the slug it had.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_HYPHENS = re.compile(r"[-_]+")


def has_latin_spelling(word: str) -> bool:
    """Whether ``word`` keeps a letter or digit once folded to ASCII (``Núñez``, ``Ｊｏｈｎ``),
    or is written in Latin letters that do not fold (``Ł``, ``Ø``, ``ß``); ``Путин`` is not."""
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return (_ASCII_WORD.search(folded) is not None
            or any("LATIN" in unicodedata.name(c, "") for c in word))


def needs_script_slug(words: Iterable[str]) -> bool:
    """Whether a name of these words has one in another script."""
    return any(not has_latin_spelling(w) for w in words)


def without_stacked_marks(text: str) -> str:
    """``text`` decomposed (NFKD) without the marks that stack on a letter (a nonzero
    combining class: accents, Arabic and Hebrew vowel points); spacing marks stay."""
    s = unicodedata.normalize("NFKD", text)
    return "".join(c for c in s if not unicodedata.combining(c))


def script_words(text: str) -> list[str]:
    """The words of ``text``: runs of letters, digits, marks, ``_`` and ``-`` (a mark is
    part of its word: ``सुनीता`` is one word, not three letters)."""
    return "".join(c if c.isalnum() or c in "_-" or unicodedata.category(c)[0] == "M"
                   else " " for c in text).split()


def script_slug(words: Iterable[str]) -> str:
    """Words, as the resolvers compare them, joined into an id: ``иван-петров``; empty when
    there are none."""
    return _HYPHENS.sub("-", "-".join(words)).strip("-")


def org_script_slug(text: str) -> str:
    """``script_slug`` of an organization's name: its words without stacked marks,
    composed and case-folded (``Фонд Развития`` → ``фонд-развития``)."""
    s = unicodedata.normalize("NFKC", without_stacked_marks(text)).casefold()
    return script_slug(script_words(s))
