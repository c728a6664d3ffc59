"""Organizations' vocabulary: word lists, merge keys of names, and what a name denotes.

Pure functions over strings. The word lists live in ``resources/organizations.json``; a
name's class is judged by its head word (``Office of …`` is an organization, ``Report on
…`` a document), and names are compared by keys that fold case, spelling, plurals and the
``UN``/``United Nations`` prefix.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pipeline.extract.organizations.abbreviations import (
    acronym_key,
    is_acronym_like,
    is_connector,
    is_title_word,
)
from pipeline.extract.organizations.words import strip_possessive, words
from pipeline.extract.slugs import needs_script_slug, org_script_slug, script_words
from pipeline.resources import load_json

KEY_PUNCT_RE = re.compile(r"[-'./]")


@dataclass(frozen=True)
class Vocab:
    """Word lists from ``data/organizations.json`` (lowercase)."""

    head_connectors: frozenset[str]
    determiners: frozenset[str]
    org_heads: frozenset[str]
    non_org_heads: frozenset[str]
    inner_document_heads: frozenset[str]
    people_heads: frozenset[str]
    person_titles: frozenset[str]
    topic_words: frozenset[str]
    org_class_nouns: tuple[str, ...]
    org_class_modifiers: tuple[str, ...]
    non_org_acronyms: frozenset[str]
    platforms: frozenset[str]
    places: frozenset[str]
    spelling: dict
    acronym_named_heads: frozenset[str] = frozenset()
    agent_heads: frozenset[str] = frozenset()
    motion_verbs: frozenset[str] = frozenset()
    government_heads: frozenset[str] = frozenset()
    event_openers: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    legal_instrument_heads: frozenset[str] = frozenset()
    elliptical_heads: dict = field(default_factory=dict)
    generic_names: frozenset[str] = frozenset()
    lone_generic_words: frozenset[str] = frozenset()
    scope_modifiers: frozenset[str] = frozenset()
    charge_list_cues: tuple[str, ...] = ()
    charge_list_words: frozenset[str] = frozenset()


@cache
def vocab() -> Vocab:
    """The organization vocabularies, loaded once."""
    d = load_json("organizations.json")
    low = lambda key: frozenset(x.lower() for x in d[key])  # noqa: E731
    return Vocab(
        head_connectors=low("head_connectors"), determiners=low("determiners"),
        org_heads=low("org_heads"), non_org_heads=low("non_org_heads"),
        inner_document_heads=low("inner_document_heads"),
        people_heads=low("people_heads"), person_titles=low("person_titles"),
        topic_words=low("topic_words"),
        org_class_nouns=tuple(sorted(d["org_class_nouns"], key=len, reverse=True)),
        org_class_modifiers=tuple(d["org_class_modifiers"]),
        non_org_acronyms=frozenset(acronym_key(x) for x in d["non_org_acronyms"])
        | honorific_acronyms(),
        platforms=low("platforms"), places=low("places"), spelling=dict(d["spelling"]),
        acronym_named_heads=low("acronym_named_heads"), agent_heads=low("agent_heads"),
        motion_verbs=low("motion_verbs"), government_heads=low("government_heads"),
        event_openers=low("event_openers"), weekdays=low("weekdays"),
        legal_instrument_heads=low("legal_instrument_heads"),
        elliptical_heads=dict(d["elliptical_heads"]), generic_names=low("generic_names"),
        lone_generic_words=low("lone_generic_words"), scope_modifiers=low("scope_modifiers"),
        charge_list_cues=tuple(x.lower() for x in d.get("charge_list_cues", [])),
        charge_list_words=frozenset(x.lower() for x in d.get("charge_list_words", [])),
    )


def honorific_acronyms() -> frozenset[str]:
    """Honorifics and post-nominal letters shaped like acronyms ("H.E.", "MEP"): a person's
    style, never an organization (read from the people's vocabulary of honorifics)."""
    h = load_json("honorifics.json")
    forms = [v for x in h["honorifics"] for v in x["variants"]] + list(h["post_nominals"])
    return frozenset(acronym_key(f) for f in forms if is_acronym_like(f))


# --------------------------------------------------------------------------- merge keys

def word_keys(word: str) -> list[str]:
    """Merge keys of one word: case, spelling and plural folded; ``UN`` → united nation.

    ``Co-operation``/``Cooperation``, ``Inter-Agency``/``Inter-agency``, ``Labour``/``Labor``,
    ``Organisation``/``Organization`` and ``Refugee``/``Refugees`` get one key each, so the
    variants that releases really write fall together.
    """
    return list(word_key_tuple(word))


@lru_cache(maxsize=16384)
def word_key_tuple(word: str) -> tuple[str, ...]:
    """:func:`word_keys`, memoized: every word of a release is keyed, most of them often."""
    core = strip_possessive(word)
    if core in ("UN", "U.N.", "U.N"):
        return ("united", "nation")
    if core in ("U.S.", "U.S", "US"):
        return ("united", "state")
    w = core.casefold().replace("’", "'")
    spelling = vocab().spelling
    w = spelling.get(w, w)
    w = KEY_PUNCT_RE.sub("", w)
    w = spelling.get(w, w)
    w = w.replace("isation", "ization").replace("&", "and")
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return (w,) if w else ()


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """Merge key of an organization name, independent of case, spelling and ``UN`` prefix.

    "the Inter-agency Coordination Group Against Trafficking in Persons" and
    "Inter-Agency Coordination Group against Trafficking in Persons" share a key; so do
    "UN Commission on Crime Prevention …" and "Commission on Crime Prevention …", because a
    leading "United Nations" only says whose body it is (kept when one word would remain:
    "UN Migration" is not "Migration").
    """
    keys = [k for w in words(name) for k in word_key_tuple(w.text) if k != "the"]
    if keys[:2] == ["united", "nation"] and len(keys) > 3:
        keys = keys[2:]
    return " ".join(keys)


@lru_cache(maxsize=16384)
def clean_surface(text: str) -> str:
    """A surface form without leading determiners, possessive or edge punctuation."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = re.sub(r"^\W+|[^\w)]+$", "", s)
    while True:
        first, _, rest = s.partition(" ")
        if rest and first.lower() in vocab().determiners:
            s = rest.strip()
        else:
            break
    return strip_possessive(s)


def is_well_formed_name(text: str) -> bool:
    """True for a long form fit to be a canonical name: capitalized, not an acronym, complete."""
    s = text.strip()
    if not s or "\n" in s or is_acronym_like(s) or not s[0].isupper():
        return False
    ws = words(s)
    if not ws or ws[0].text.lower() == "the" or is_connector(ws[-1].text):
        return False
    if len(ws) == 1 and any(c.isdigit() for c in s) and sum(c.isalpha() for c in s) <= 2:
        return False  # a short form of a letter and a number ("G20") is no long form
    return True


def slugify(text: str) -> str:
    """Stable slug for ids: "OSRSG-VAC" → "osrsg-vac"; a name with a word of another script
    keeps its letters ("Фонд Развития" → "фонд-развития", pipeline/extract/slugs.py)."""
    if needs_script_slug(script_words(text)):
        return org_script_slug(text) or "org"
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "org"


# --------------------------------------------------------------------------- classification

def _content(ws: Sequence[str]) -> list[str]:
    v = vocab()
    i = 0
    while i < len(ws) and ws[i].lower() in v.determiners:
        i += 1
    return [strip_possessive(w) for w in ws[i:]]


def name_head(name: str) -> tuple[str, str]:
    """(head, last) words of a name: the head stands before the first "of/for/on/…"
    ("*Office* of the …", "*Call* for Accelerated Action …"), else it is the last word."""
    ws = _content([w.text for w in words(name)])
    if not ws:
        return "", ""
    v = vocab()
    for i in range(1, len(ws)):
        if ws[i].lower() in v.head_connectors:
            return ws[i - 1], ws[-1]
    return ws[-1], ws[-1]


@lru_cache(maxsize=16384)
def classify_name(name: str) -> str:
    """What a capitalized name denotes, judged by its head word.

    Returns ``org`` (head is an organization word: Office, Section, Commission, Fund …),
    ``government`` (a national government as such: "the Austrian Government"),
    ``document`` (reports, laws, conventions, calls, campaigns, events, programmes …),
    ``people`` (Principals, leaders …), ``title`` (a person's role), ``topic`` (Trafficking,
    Development …), ``place``, ``platform``, ``generic`` (a lone head word such as
    "Organization"), or ``neutral`` (a proper name with no telling head: "Walk Free").
    """
    v = vocab()
    ws = _content([w.text for w in words(name)])
    if not ws:
        return "generic"
    low = " ".join(ws).lower()
    if low in v.platforms:
        return "platform"
    if low in v.places:
        return "place"
    if low in v.generic_names:
        return "generic"
    if len(ws) == 1:
        w = ws[0].lower()
        if is_acronym_like(ws[0]):
            return "neutral"
        if w in (v.org_heads | v.non_org_heads | v.people_heads | v.person_titles
                 | v.topic_words | v.lone_generic_words):
            return "generic"
        return "neutral"
    generic_words = v.org_heads | v.scope_modifiers
    if all(w.lower() in generic_words for w in ws):
        return "generic"  # "The Trust Fund", "the Organization": an anaphor, not a name
    for i in range(1, len(ws)):
        nxt = ws[i + 1].lower() if i + 1 < len(ws) else None
        if ws[i].lower() in v.inner_document_heads and (nxt is None or nxt in v.head_connectors):
            return "document"  # "Office to Monitor … Persons Informational *Meeting* for …"
    if ws[0].lower() in v.event_openers:
        return "document"  # "Operation Northern Star" is an action, not a body
    head, last = (x.lower() for x in name_head(name))
    if head in v.government_heads and (head != "administration" or len(ws) == 2):
        return "government"  # a national government as such is its country
    if head in v.org_heads:
        return "org"
    if head in v.agent_heads:
        return "agent"
    if head in v.non_org_heads or last in v.non_org_heads:
        return "document"
    if head in v.people_heads:
        return "people"
    if head in v.person_titles:
        return "title"
    if last in v.people_heads:
        return "people"
    if last in v.government_heads and (last != "administration" or len(ws) == 2):
        return "government"  # "… for the Government"
    if last in v.org_heads:
        return "org"
    if head in v.topic_words:
        return "topic"
    if head.rstrip("s") in v.org_heads or head[:-3] + "y" in v.org_heads:
        return "people"  # plural heads name several bodies: "EU Agencies", "UN entities"
    if ws[-1].lower() in v.places and len(ws) <= 2:
        return "place"
    if ws[0].lower() in v.org_heads and is_title_word(ws[1]) and not is_connector(ws[1]):
        return "org"  # head first, as in names from other languages: "Alliance Anti-Traffic"
    return "neutral"


def is_role_word(word: str) -> bool:
    """A person's title or role word ("Director", "Founder", "Survivor")."""
    w = word.lower()
    v = vocab()
    return w in v.person_titles or w in v.people_heads or w + "s" in v.people_heads



class UnionFind:
    """Disjoint sets of string keys: names that share a key are one organization."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra

