"""Pure helpers for personal names: honorifics, post-nominals, name keys, slugs, sub-names and
the shape of a plausible name. No model needed."""
from __future__ import annotations

import re
from typing import Sequence

from pipeline.extract.people.vocabulary import fold, vocab
from pipeline.extract.slugs import (needs_script_slug, script_slug, script_words,
                                    without_stacked_marks)
from pipeline.resources.speech import speech_data


# --------------------------------------------------------------------------- pure helpers: names
def honorific_form(word: str) -> str | None:
    """Canonical honorific for a written one (``Ms`` -> ``Ms.``), else None."""
    return vocab().honorific_forms.get(fold(word).rstrip("."))


def honorific_gender(honorific: str | None) -> str | None:
    """'female' / 'male' / None, from a canonical or written honorific."""
    if not honorific:
        return None
    form = honorific_form(honorific) or honorific
    return vocab().honorific_gender.get(form)


def genders_compatible(a: str | None, b: str | None) -> bool:
    """Unknown gender fits anything; known genders must agree."""
    return a is None or b is None or a == b


def split_honorific(text: str) -> tuple[str | None, str]:
    """Split leading honorifics off a written name: ``H.E. Mr. John Doe`` -> (``H.E.``, ``John Doe``).

    The first honorific is the one reported; any further ones are dropped from the name.
    """
    words = text.split()
    first: str | None = None
    i = 0
    v = vocab()
    while i < len(words) - 1:
        matched = 0
        for mw in v.multiword_honorifics:
            n = len(mw)
            if tuple(fold(w).rstrip(".") for w in words[i:i + n]) == mw and i + n < len(words):
                matched = n
                break
        if matched:
            form = v.honorific_forms.get(" ".join(fold(w).rstrip(".") for w in words[i:i + matched]))
            first = first or form
            i += matched
            continue
        form = honorific_form(words[i])
        if form is None:
            break
        first = first or form
        i += 1
    return first, " ".join(words[i:])


def strip_post_nominals(name: str) -> str:
    """Drop post-nominal letters (``AO``, ``OBE``, ``PhD``) and a trailing comma before them."""
    words = name.split()
    while len(words) > 1 and fold(words[-1]).strip(",").rstrip(".") in vocab().post_nominals:
        words.pop()
    return " ".join(words).rstrip(",")


def clean_name(text: str) -> tuple[str | None, str]:
    """Written mention -> (honorific, bare name): ``Ms. Ana Lopes`` -> (``Ms.``, ``Ana Lopes``)."""
    text = " ".join(text.split())
    text = re.sub(r"[’']s$", "", text)
    hon, rest = split_honorific(text)
    return hon, strip_post_nominals(rest)


def name_key_tokens(name: str) -> tuple[str, ...]:
    """Tokens a name is compared by: ASCII-folded, casefolded, apostrophes and dots dropped.

    ``Amira Ben M’barek`` and ``Amira Ben M'barek`` give the same tuple. A mark that is part
    of a letter stays in its word (``सुनीता`` is one token, pipeline/extract/slugs.py).
    """
    s = fold(without_stacked_marks(name)).replace("'", "").replace(".", " ")
    return tuple(t for t in script_words(s) if t != "-")


def slugify(name: str) -> str:
    """Stable person id from a name: ``Amira Ben M’barek`` -> ``amira-ben-mbarek``; a name
    with a word in another script keeps its letters (``Иван Петров`` -> ``иван-петров``,
    pipeline/extract/slugs.py)."""
    tokens = name_key_tokens(name)
    if needs_script_slug(tokens):
        return script_slug(tokens) or "unknown"
    slug = "-".join(tokens)
    slug = re.sub(r"[^a-z0-9\-]+", "-", slug.encode("ascii", "ignore").decode())
    return re.sub(r"-{2,}", "-", slug).strip("-") or "unknown"


def is_subname(short: Sequence[str], full: Sequence[str]) -> bool:
    """Whether ``short`` names the same person as ``full``: its tokens occur in ``full`` in order
    and it keeps the first name or the surname (``Ben M’barek``, ``Amira Ben``, ``M’barek``).

    A single token must be one of the surname tokens (not the first name alone: ``Amira`` is
    too weak to link).
    """
    if not short or len(short) > len(full):
        return False
    it = iter(full)
    if not all(tok in it for tok in short):
        return False
    if len(short) == 1:
        return short[0] in full[1:]
    return short[0] == full[0] or short[-1] == full[-1]


def is_cap_word(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word)


def looks_like_name(words: Sequence[str]) -> bool:
    """A plausible personal name: 1-5 capitalised words or particles, none of them a title,
    organization word, honorific, acronym or number, and not ending in a document noun."""
    v = vocab()
    if not 1 <= len(words) <= 5:
        return False
    if not (is_cap_word(words[0]) and is_cap_word(words[-1])):
        return False
    last = fold(words[-1]).rstrip(".")
    if len(words) > 1 and len(last) >= 5 and last in speech_data().documents:
        return False  # ``Framework Convention``, ``Global Report``: a document, never a person
    for w in words:
        f = fold(w).rstrip(".")
        if f in v.particles:
            continue
        if not is_cap_word(w) or any(c.isdigit() for c in w) or "@" in w or "_" in w:
            return False
        if f in v.role_head_words or f in v.org_head_words or f in v.role_modifiers:
            return False
        if f in v.honorific_forms or f in v.post_nominals:
            return False
        letters = [c for c in w if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters) and len(words) == 1:
            return False  # a lone acronym
    return True
