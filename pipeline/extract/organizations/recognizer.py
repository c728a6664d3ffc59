"""Organizations: mentions in a release (component ``release_orgs``) and the corpus resolve.

The small English model truncates long agency names, tags documents, groups and platforms as
ORG, and misses acronyms. This module repairs that in four steps, each a small pure function
over text where it can be, then a thin spaCy component:

1. **Definitions** (:mod:`pipeline.extract.organizations.abbreviations`): ``Long Form (ACR)`` and ``ACR (Long Form)``.
   A definition whose long form names an organization yields two mentions, one for the long
   form and one for the bracketed acronym (so each maps to its own words and sentence); later
   bare uses of the acronym and repeats of the long form are mentions too.
2. **Gazetteer** (``data/org_gazetteer.jsonl``): UN-system and other international
   organizations found by name (case, spelling and ``UN``/``United Nations`` variants folded)
   or by acronym. A prior: a release's own definition always wins.
3. **NER repair**: ORG spans are cut at line breaks, punctuation and possessives, lose a
   leading "the" and person titles ("Founder of the …"), are extended when truncated ("…
   Group against" → "… Group against Trafficking in Persons") and are classified by their
   head word (``data/organizations.json``): documents, laws, events, campaigns, groups of
   people, titles, topics, places and platforms are rejected.
4. **Patterns**: capitalized names headed by an organization word ("… Smuggling Section",
   "Office of the …"), and appositions such as "X, a survivor-led non-profit organization".

Decisions:
- Umbrella organizations (UN, EU, AU) used attributively ("UN agencies", "EU countries",
  "a UN policy forum", "UN leaders") are not mentions: they describe membership, not the
  organization. "to the UN in Vienna", "the UN’s goals" are mentions.
- Names headed by Platform, Hotline or Helpline (``agent_heads``) are organizations only
  when the body acts somewhere in the release (a subject, the body of a person's title, a
  conjunct of an organization); otherwise they are services or websites.
- The UN General Assembly (a principal organ) is an organization; so are commissions,
  offices, sections, secretariats and governments' bodies.
- A mention's ``name`` is the best long form known in its release: the release's definition,
  else the release's own longest well-formed long form, else the gazetteer's name, else the
  surface. (The release's wording beats the gazetteer because gold names follow the release.)
- ``source`` is one of ``definition`` (either part of a definition), ``acronym`` (a bare use of
  an acronym defined or known in the release), ``long_form`` (a repeat of a defined long
  form), ``gazetteer``, ``ner`` and ``pattern``.

The corpus step :func:`resolve_organizations` works on mention rows alone (no model, no
re-parse) and assigns stable org ids.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from spacy.attrs import IDX, POS
from spacy.language import Language
from spacy.parts_of_speech import NOUN
from spacy.tokens import Doc

from pipeline.extract import extensions
from pipeline.extract.dates.grammar import SpanSet
from pipeline.resources import RESOURCES
from pipeline.extract.organizations.abbreviations import (
    AcronymDefinition,
    Word,
    acronym_key,
    acronyms_regex,
    find_definitions,
    is_acronym_like,
    is_connector,
    is_name_internal_possessive,
    is_title_word,
    iter_acronym,
    strip_possessive,
    text_words,
    words,
    words_in_line_after,
)

DATA_DIR = RESOURCES
VOCAB_FILE = DATA_DIR / "organizations.json"
GAZETTEER_FILE = DATA_DIR / "org_gazetteer.jsonl"

extensions.register("org_mentions", default=None)
extensions.register("acronyms", default=None)

ORDINAL_RE = re.compile(r"^(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|"
                        r"eighth|ninth|tenth|eleventh|twelfth|annual)$", re.I)
HONORIFIC_RE = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|Prof|H\.E)\.?|Sir|Dame)\s*$")
IDENTIFIER_RE = re.compile(r"\w/\w*\d|\d/\w")  # document symbols: "UNIS/CP/900", "61/180"
SPLIT_RE = re.compile(r"[\n:;,()“”\"|•]")
SPLIT_SLASH_RE = re.compile(r"[\n:;,()“”\"|•/]")
KEY_PUNCT_RE = re.compile(r"[-'./]")


# --------------------------------------------------------------------------- vocabularies

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


@cache
def vocab() -> Vocab:
    """The organization vocabularies, loaded once."""
    d = json.loads(VOCAB_FILE.read_text(encoding="utf-8"))
    low = lambda key: frozenset(x.lower() for x in d[key])  # noqa: E731
    return Vocab(
        head_connectors=low("head_connectors"), determiners=low("determiners"),
        org_heads=low("org_heads"), non_org_heads=low("non_org_heads"),
        inner_document_heads=low("inner_document_heads"),
        people_heads=low("people_heads"), person_titles=low("person_titles"),
        topic_words=low("topic_words"),
        org_class_nouns=tuple(sorted(d["org_class_nouns"], key=len, reverse=True)),
        org_class_modifiers=tuple(d["org_class_modifiers"]),
        non_org_acronyms=frozenset(acronym_key(x) for x in d["non_org_acronyms"]),
        platforms=low("platforms"), places=low("places"), spelling=dict(d["spelling"]),
        acronym_named_heads=low("acronym_named_heads"), agent_heads=low("agent_heads"),
        motion_verbs=low("motion_verbs"),
    )


# --------------------------------------------------------------------------- merge keys

def word_keys(word: str) -> list[str]:
    """Merge keys of one word: case, spelling and plural folded; ``UN`` → united nation.

    ``Co-operation``/``Cooperation``, ``Inter-Agency``/``Inter-agency``, ``Labour``/``Labor``,
    ``Organisation``/``Organization`` and ``Refugee``/``Refugees`` get one key each, so the
    variants that releases really write fall together.
    """
    return list(_word_keys(word))


@lru_cache(maxsize=16384)
def _word_keys(word: str) -> tuple[str, ...]:
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
    keys = [k for w in words(name) for k in _word_keys(w.text) if k != "the"]
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
    return True


def slugify(text: str) -> str:
    """Stable ASCII slug for ids: "OSRSG-VAC" → "osrsg-vac"."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "org"


# --------------------------------------------------------------------------- gazetteer

@dataclass(frozen=True)
class GazEntry:
    """One organization of the gazetteer."""

    id: str
    name: str
    acronym: str | None
    variants: tuple[str, ...]
    umbrella: bool
    region: bool = False  # a union of states also named as a place ("across the EU")
    name_like: bool = False  # the acronym in title case is a personal name ("Greta")


def _key_sequence(text: str) -> list[tuple[str, bool]]:
    """(key, capitalized) pairs of a name, with "," kept and "the" dropped, for matching."""
    out: list[tuple[str, bool]] = []
    ws = words(text)
    for i, w in enumerate(ws):
        if i and text[ws[i - 1].end:w.start].strip() == ",":
            out.append((",", False))
        for k in word_keys(w.text):
            if k != "the":
                out.append((k, is_title_word(w.text)))
    return out


def title_case_acronym(acronym: str) -> str | None:
    """The acronym as house styles that treat it as a word write it ("Unicef", "eu-Lisa").

    British and EU house styles write an acronym of four or more letters that is said as a
    word in title case. Returns None when no part changes (short or already mixed case).
    """
    parts = re.split(r"([-/ ])", acronym)
    out = [p[0] + p[1:].lower() if len(p) >= 4 and p.isalpha() and p.isupper() else p
           for p in parts]
    variant = "".join(out)
    return variant if variant != acronym else None


@dataclass
class TextKeys:
    """Keys of a text's words, with separators, for phrase matching by key sequence."""

    keys: list[str]
    caps: list[bool]
    spans: list[tuple[int, int]]


def text_keys(text: str) -> TextKeys:
    """Key every word of ``text``; punctuation between words becomes a separator key.

    A comma stays a "," key (some official names contain one); any other punctuation or a
    line break becomes "|", which no name contains, so no match crosses it.
    """
    keys: list[str] = []
    caps: list[bool] = []
    spans: list[tuple[int, int]] = []
    prev: Word | None = None
    for w in text_words(text):
        if prev is not None:
            gap = text[prev.end:w.start]
            if gap != " ":  # the usual single space separates nothing
                sep = gap.strip(" \t\u00a0")
                if "\n" in gap or (sep and sep != ","):
                    keys.append("|"), caps.append(False), spans.append((prev.end, w.start))
                elif sep == ",":
                    keys.append(","), caps.append(False), spans.append((prev.end, w.start))
        word_keys_ = _word_keys(w.text)
        if word_keys_:
            cap, span = is_title_word(w.text), (w.start, w.core_end)
            for k in word_keys_:
                if k != "the":
                    keys.append(k), caps.append(cap), spans.append(span)
        prev = w
    return TextKeys(keys, caps, spans)


class PhraseIndex:
    """Names indexed by key sequence; finds them in a text, longest match first."""

    def __init__(self) -> None:
        self.patterns: dict[tuple[str, ...], list[tuple[str, tuple[bool, ...]]]] = {}
        self.max_len = 0
        # first key → lengths of the names that start with it, longest first: a text position
        # is tried only with lengths that can match there
        self.lengths: dict[str, list[int]] = {}

    def add(self, name: str, value: str) -> None:
        """Index ``name`` so that a match returns ``value``."""
        seq = _key_sequence(name)
        if not seq:
            return
        keys = tuple(k for k, _ in seq)
        self.patterns.setdefault(keys, []).append((value, tuple(c for _, c in seq)))
        self.max_len = max(self.max_len, len(keys))
        lengths = self.lengths.setdefault(keys[0], [])
        if len(keys) not in lengths:
            lengths.append(len(keys))
            lengths.sort(reverse=True)

    def find(self, text: str, tk: TextKeys | None = None) -> list[tuple[int, int, str]]:
        """(start, end, value) for each non-overlapping match, leftmost-longest.

        A capitalized word of the name must be capitalized in the text, so "general assembly"
        in lower case is not the General Assembly.
        """
        tk = tk or text_keys(text)
        out, i, n = [], 0, len(tk.keys)
        while i < n:
            hit = None
            for length in self.lengths.get(tk.keys[i], ()):
                if length > n - i:
                    continue
                cands = self.patterns.get(tuple(tk.keys[i:i + length]))
                if not cands:
                    continue
                for value, caps in cands:
                    if all(tk.caps[i + k] or not c for k, c in enumerate(caps)):
                        hit = (length, value)
                        break
                if hit:
                    break
            if hit:
                length, value = hit
                out.append((tk.spans[i][0], tk.spans[i + length - 1][1], value))
                i += length
            else:
                i += 1
        return out


class Gazetteer:
    """Known organizations, looked up by name key or acronym, and found in text."""

    def __init__(self, entries: Iterable[GazEntry]) -> None:
        self.entries: dict[str, GazEntry] = {}
        self.by_name: dict[str, str] = {}
        self.by_acronym: dict[str, str] = {}
        self.index = PhraseIndex()
        for e in entries:
            self.entries[e.id] = e
            for name in (e.name, *e.variants):
                self.by_name.setdefault(name_key(name), e.id)
                self.index.add(name, e.id)
            if e.acronym:
                self.by_acronym.setdefault(acronym_key(e.acronym), e.id)
        spellings = {e.acronym for e in self.entries.values() if e.acronym}
        spellings |= {t for e in self.entries.values() if e.acronym and not e.name_like
                      for t in [title_case_acronym(e.acronym)] if t}
        acronyms = sorted(spellings, key=len, reverse=True)
        self.acronym_re = acronyms_regex(acronyms)

    @classmethod
    def from_jsonl(cls, path: Path) -> Gazetteer:
        """Read the JSONL file; records whose keys start with "_" are headers."""
        entries = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if any(k.startswith("_") for k in rec):
                continue
            entries.append(GazEntry(rec["id"], rec["name"], rec.get("acronym"),
                                    tuple(rec.get("variants", ())), bool(rec.get("umbrella")),
                                    bool(rec.get("region")), bool(rec.get("name_like"))))
        return cls(entries)

    def entry_for(self, surface: str) -> str | None:
        """Gazetteer id for a name, variant or acronym as written, else None."""
        s = clean_surface(surface)
        if not s:
            return None
        hit = self.by_acronym.get(acronym_key(s)) if is_acronym_like(s) else None
        return hit or self.by_name.get(name_key(s)) or (
            self.by_acronym.get(acronym_key(s)) if " " not in s else None)

    def find_acronyms(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, id) of gazetteer acronyms in ``text``; all-caps lines are skipped."""
        if self.acronym_re is None:
            return []
        out = []
        for m in self.acronym_re.finditer(text):
            if is_shouting_line(text, m.start()) or self._in_caps_phrase(text, m.start(), m.end()):
                continue
            gid = self.by_acronym.get(acronym_key(m.group()))
            if gid:
                out.append((m.start(), m.end(), gid))
        return out


    def _in_caps_phrase(self, text: str, start: int, end: int) -> bool:
        """True when a neighbouring word is capitals but no known acronym: "WHO WE ARE"."""
        prev = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, start - 30):start])
        nxt = re.match(r"[ \t]+([A-Za-z]+)", text[end:end + 30])
        for m in (prev, nxt):
            if m and len(m.group(1)) > 1 and m.group(1).isupper() \
                    and acronym_key(m.group(1)) not in self.by_acronym:
                return True
        return False


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once."""
    return Gazetteer.from_jsonl(GAZETTEER_FILE)


def is_shouting_line(text: str, pos: int) -> bool:
    """True when the line around ``pos`` is mostly capitals ("WHO WE ARE"): acronyms there
    are not acronyms."""
    return text.rfind("\n", 0, pos) + 1 in _shouting_line_starts(text)


@lru_cache(maxsize=4)
def _shouting_line_starts(text: str) -> frozenset[int]:
    """Start offsets of the lines of ``text`` whose words are mostly capitals.

    The release's words are read once and dealt out to lines (no word spans a line break).
    """
    starts, pos = set(), 0
    all_words, k = text_words(text), 0
    for line in text.split("\n"):
        line_end = pos + len(line)
        ws = []
        while k < len(all_words) and all_words[k].start < line_end:
            word = all_words[k].text
            if word.isalpha() or any(c.isalpha() for c in word):
                ws.append(word)
            k += 1
        if len(ws) >= 3 and sum(w.isupper() for w in ws) / len(ws) >= 0.6:
            starts.add(pos)
        pos = line_end + 1
    return frozenset(starts)


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
    if len(ws) == 1:
        w = ws[0].lower()
        if is_acronym_like(ws[0]):
            return "neutral"
        if w in (v.org_heads | v.non_org_heads | v.people_heads | v.person_titles
                 | v.topic_words | {"state", "organizations", "agencies", "offices"}):
            return "generic"
        return "neutral"
    generic_words = v.org_heads | {"national", "international", "regional", "global", "voluntary"}
    if all(w.lower() in generic_words for w in ws):
        return "generic"  # "The Trust Fund", "the Organization": an anaphor, not a name
    for i in range(1, len(ws)):
        nxt = ws[i + 1].lower() if i + 1 < len(ws) else None
        if ws[i].lower() in v.inner_document_heads and (nxt is None or nxt in v.head_connectors):
            return "document"  # "Office to Monitor … Persons Informational *Meeting* for …"
    head, last = (x.lower() for x in name_head(name))
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


def _is_role_word(word: str) -> bool:
    """A person's title or role word ("Director", "Founder", "Survivor")."""
    w = word.lower()
    v = vocab()
    return w in v.person_titles or w in v.people_heads or w + "s" in v.people_heads


def strip_title_prefix(text: str, start: int, end: int) -> int:
    """New start after a leading person title: "Founder of the Walk Free Foundation" → "Walk
    Free Foundation"; "Executive Director of the United Nations Office …" → "United …".

    Repeats for chained titles ("Special Representative of the Secretary-General on …").
    """
    v = vocab()
    while True:
        ws = words(text, start, end)
        i = 0
        while i < len(ws) and ws[i].text.lower() in v.determiners:
            i += 1
        j = i
        while j < len(ws) and (_is_role_word(ws[j].text) or (j > i and ws[j].text.lower() == "and")):
            j += 1
        if j == i or j >= len(ws) or ws[j].text.lower() not in v.head_connectors | {"at"}:
            return start
        k = j + 1
        while k < len(ws) and ws[k].text.lower() in v.determiners:
            k += 1
        if k >= len(ws):
            return start
        start = ws[k].start


def split_coordination(text: str, start: int, end: int) -> int:
    """New end before " and X" when the left part is already a whole organization.

    "LIBE Committee and Oleksii Serhieiev" → "LIBE Committee"; "IOM and UNHCR" → "IOM";
    "X Network of … and the Y Platform" → "X Network of …"; "Ministry of Social Affairs and
    Jane Doe" → "Ministry of Social Affairs". "Office on Drugs and Crime", "Office for
    Democratic Institutions and Human Rights" and "Human Trafficking and Migrant Smuggling
    Section" stay whole: what follows "and" there is a topic, or the left part is no name.
    """
    v = vocab()
    ws = words(text, start, end)
    for i, w in enumerate(ws):
        if w.text.lower() not in ("and", "&") or i == 0 or i == len(ws) - 1:
            continue
        left = ws[i - 1].text
        right_first = ws[i + 1].text
        left_complete = is_acronym_like(left) or strip_possessive(left).lower() in v.org_heads
        right_new = (right_first.lower() in v.determiners or is_acronym_like(right_first)
                     or classify_name(text[ws[i + 1].start:end]) not in ("org", "topic"))
        if left_complete and right_new:
            return ws[i - 1].end
        left_org = classify_name(text[start:ws[i - 1].end]) == "org"
        if left_org and (right_first.lower() == "the" or is_acronym_like(right_first)):
            return ws[i - 1].end  # "EU Network of … Rapporteurs and the EU Civil Society Platform"
        nxt_and = next((k for k in range(i + 1, len(ws)) if ws[k].text.lower() in ("and", "&")),
                       len(ws))
        right = text[ws[i + 1].start:ws[nxt_and - 1].end]
        if left_org and nxt_and - i - 1 >= 2 and classify_name(right) not in ("topic", "place"):
            return ws[i - 1].end  # "Ministry of Social Affairs and Jane Doe"
    return end


@cache
def max_place_words() -> int:
    """Most words a place name of the vocabulary has: a longer tail of a name is no place,
    so the trimming steps below never join more words than this (joining every tail of a
    long capitalized run made them quadratic)."""
    return max((max(len(p.split()), len(words(p))) for p in vocab().places), default=0)


def trim_place_phrase(text: str, start: int, end: int, gaz: Gazetteer,
                      blocked_starts: frozenset[int] = frozenset()) -> int:
    """New end before a trailing "in <place>": "Department of State in Washington" →
    "Department of State". "Organization for Security and Co-operation in Europe" keeps its
    place when the whole is a known name."""
    ws = words(text, start, end)
    longest = max_place_words()
    for i in range(1, len(ws) - 1):
        if ws[i].text not in ("in", "at"):
            continue
        place = len(ws) - i - 1 <= longest and \
            " ".join(w.core for w in ws[i + 1:]).lower() in vocab().places
        if (place or ws[i + 1].start in blocked_starts) and \
                not gaz.entry_for(text[start:end]):
            return ws[i - 1].end
    return end


def trim_trailing_place(text: str, start: int, end: int, gaz: Gazetteer) -> int:
    """New end without a trailing place after a known organization: "UNICEF Albania" → "UNICEF"."""
    ws = words(text, start, end)
    for cut in range(len(ws) - 1, max(0, len(ws) - 1 - max_place_words()), -1):
        tail = " ".join(w.text for w in ws[cut:]).lower()
        head = text[start:ws[cut - 1].end]
        if tail in vocab().places and (is_acronym_like(head) or gaz.entry_for(head)):
            return ws[cut - 1].end
    return end


def strip_sentence_opener(text: str, start: int, end: int) -> int:
    """New start past a sentence's first word and its "for/of … the" when that word is no
    organization head: "Funding for the Alliance X" → "Alliance X".

    A capitalized run that begins a sentence or a bullet has its first word capitalized by
    position only; "Office for the …" keeps its head.
    """
    before = text[max(0, start - 4):start]
    if start and not re.search(r"(^|[\n.!?•·*\-–—]\s*)$", before):
        return start
    ws = words(text, start, end)
    v = vocab()
    if len(ws) < 4 or ws[0].text.lower() in v.org_heads | v.person_titles or \
            ws[1].text.lower() not in v.head_connectors or ws[2].text.lower() != "the":
        return start
    if classify_name(text[start:end]) in ("org", "agent"):
        return start
    return ws[3].start


def next_conjunct(text: str, end: int, run_end: int) -> int:
    """Start of the next conjunct after a cut made by :func:`split_coordination` ("and the")."""
    ws = words(text, end, run_end)
    i = 0
    while i < len(ws) and ws[i].text.lower() in ("and", "&", "the"):
        i += 1
    return ws[i].start if 0 < i < len(ws) else run_end


def trim_country_suffix(text: str, start: int, end: int) -> int:
    """New end without a trailing country after an organization name: "Alliance X Vietnam" →
    "Alliance X" (a country office is its parent organization)."""
    ws = words(text, start, end)
    for cut in range(len(ws) - 1, max(1, len(ws) - 1 - max_place_words()), -1):
        tail = " ".join(w.text for w in ws[cut:]).lower()
        if tail in vocab().places and classify_name(text[start:ws[cut - 1].end]) == "org":
            return ws[cut - 1].end
    return end


PURPOSE_RE = re.compile(r"[ \t]+against(?:[ \t]+[a-z][\w-]*)+")


def extend_lowercase_purpose(text: str, end: int) -> int:
    """New end that takes in a lowercase "against <topic>" completing a body's name.

    EU house style writes the purpose of a body in lower case: "EU Civil Society Platform
    against trafficking in human beings". The phrase is taken while its words are topic words
    or function words, and ends on a topic word; "in Brussels" stops it.
    """
    m = PURPOSE_RE.match(text, end)
    if not m:
        return end
    v = vocab()
    last = None
    for w in words(text, m.start(), m.end())[1:]:
        low = w.text.lower()
        if low in v.topic_words:
            last = w
        elif not is_connector(low) or low in ("the", "and"):
            break
    return last.core_end if last is not None else end


# --------------------------------------------------------------------------- runs and extension

def name_runs(text: str) -> list[tuple[int, int]]:
    """Maximal capitalized names in ``text`` (words and inner function words, same line).

    A possessive ends a run unless it belongs to the name ("Children’s"). Runs never start or
    end with a function word.
    """
    return list(_name_runs(text))


@lru_cache(maxsize=8)
def _name_runs(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`name_runs`, kept for the texts in use: the pattern and apposition steps both
    walk the runs of the whole release."""
    return tuple(_runs_over(text, text_words(text)))


def _runs_over(text: str, ws: Iterable[Word]) -> list[tuple[int, int]]:
    """The runs of :func:`name_runs`, given the words of ``text``."""
    runs: list[tuple[int, int]] = []
    cur: list[Word] = []

    def flush() -> None:
        while cur and is_connector(cur[-1].text) and not is_title_word(cur[-1].text):
            cur.pop()
        while cur and is_connector(cur[0].text):
            cur.pop(0)
        if cur:
            runs.append((cur[0].start, cur[-1].core_end))
        cur.clear()

    for w in ws:
        if cur and text[cur[-1].end:w.start].strip(" \t\u00a0"):
            flush()
        elif cur and cur[-1].core != cur[-1].text and not is_name_internal_possessive(cur[-1].text):
            flush()
        if is_title_word(w.text) or (cur and is_connector(w.text)):
            cur.append(w)
        else:
            flush()
    flush()
    return runs


@dataclass
class SpanContext:
    """What the component knows about the tokens around a span (from the parsed Doc)."""

    blocked_starts: frozenset[int] = frozenset()  # char offsets where a PERSON/GPE/DATE… starts
    place_starts: frozenset[int] = frozenset()  # char offsets where a GPE/LOC/FAC starts
    person_words: frozenset[str] = frozenset()  # words of PERSON entities
    person_starts: frozenset[int] = frozenset()  # char offsets inside PERSON entities
    lowercase_noun_starts: frozenset[int] = frozenset()  # where a lowercase common noun starts


# Most words a name is extended by past the model's span: the longest name of the gazetteer
# has 19 words. A capitalized run of thousands of words (a table flattened by a PDF
# converter) is no name, and reading all of it after every candidate was quadratic.
MAX_EXTENSION_WORDS = 40
MAX_NAME_WORDS = 60  # longer capitalized stretches are never compared as names


def extend_span(text: str, start: int, end: int, ctx: SpanContext | None = None) -> int:
    """New end of a name the model cut short.

    - A name ending in a function word continues to the end of its capitalized run
      ("Group against" → "Group against Trafficking in Persons").
    - "of/for/on/against/to/in" + a capitalized word continues it, unless that word starts a
      person or a date, or is a place after "in" ("Office of the Special Representative" →
      "… of the Secretary-General on Violence against Children", "Regional Office for Europe",
      but not "Department of State in Washington"); once inside such a phrase, "and" does
      too ("Regional Office for West and Central Africa").
    - Contiguous capitalized words ending in a head word ("… Emergency Response" +
      "Mechanism") are the rest of the name.
    """
    ctx = ctx or SpanContext()
    v = vocab()
    after = words_in_line_after(text, end, MAX_EXTENSION_WORDS)
    cur = words(text, start, end)
    if not cur:
        return end
    new_end = end
    i = 0

    def contiguous(prev_end: int, w: Word) -> bool:
        return not text[prev_end:w.start].strip(" \t\u00a0")

    # 1. a trailing function word: the model stopped mid-name
    if is_connector(cur[-1].text) and not is_title_word(cur[-1].text):
        last_good = None
        prev_end = end
        while i < len(after) and contiguous(prev_end, after[i]):
            w = after[i]
            if not (is_title_word(w.text) or is_connector(w.text)):
                break
            if is_title_word(w.text):
                last_good = w
            prev_end = w.end
            i += 1
            if w.core != w.text:
                break
        if last_good is not None:
            return last_good.core_end
        trimmed = cur[:]
        while trimmed and is_connector(trimmed[-1].text):
            trimmed.pop()
        return trimmed[-1].core_end if trimmed else end
    if cur[-1].core != cur[-1].text:
        return end
    # 2. connector + capitalized word, repeatedly
    gentle = {"of", "for", "on", "against", "to", "in"}
    while i < len(after):
        j = i
        prev_end = new_end
        joiners = gentle | {"the"} | ({"and"} if new_end != end else set())
        while j < len(after) and contiguous(prev_end, after[j]) and after[j].text in joiners:
            prev_end = after[j].end
            j += 1
        if j == i or j >= len(after) or not contiguous(prev_end, after[j]):
            break
        if after[i].text == "the":
            break
        w = after[j]
        is_place = w.core.lower() in v.places or w.start in ctx.place_starts
        if (not is_title_word(w.text) or is_acronym_like(w.core)
                or (w.start in ctx.blocked_starts and w.start not in ctx.place_starts)
                or (is_place and after[j - 1].text in ("in", "at"))):
            break
        k = j
        prev_end = after[j - 1].end
        while k < len(after) and contiguous(prev_end, after[k]) and is_title_word(after[k].text):
            prev_end = after[k].end
            k += 1
            if after[k - 1].core != after[k - 1].text:
                break
        new_end = after[k - 1].core_end
        i = k
        if after[k - 1].core != after[k - 1].text:
            return new_end
    # 3. contiguous capitalized words ending in a head word
    if new_end == end:
        k = 0
        prev_end = end
        tail: list[Word] = []
        while k < len(after) and contiguous(prev_end, after[k]) and is_title_word(after[k].text):
            if after[k].start in ctx.blocked_starts or after[k].core in ctx.person_words:
                break
            tail.append(after[k])
            prev_end = after[k].end
            k += 1
        if tail and (tail[-1].core.lower() in v.org_heads or tail[-1].core.lower() in v.non_org_heads):
            return tail[-1].core_end
    return new_end


def enclosing_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The capitalized run that contains ``text[start:end]`` (same line, spaces only).

    Looked up in the release's runs (:func:`name_runs`, which never cross a line), not by
    reading the line again for every span."""
    runs = _name_runs(text)
    k = bisect.bisect_right(_run_starts(text), start) - 1
    if k >= 0 and end <= runs[k][1]:
        return runs[k]
    return start, end


@lru_cache(maxsize=8)
def _run_starts(text: str) -> list[int]:
    return [s for s, _ in _name_runs(text)]


# --------------------------------------------------------------------------- candidates

@dataclass
class Candidate:
    """A proposed organization mention before overlaps are settled."""

    start: int
    end: int
    source: str
    gaz_id: str | None = None
    acronym: str | None = None  # the acronym the release or gazetteer gives it
    long_name: str | None = None  # the release's definition long form
    tier: int = 1  # 0 for definition sites, which win every overlap
    needs_agent: bool = False  # headed by an agent head: kept only if the body acts somewhere

    RANK = {"definition": 0, "long_form": 1, "gazetteer": 2, "acronym": 3, "ner": 4, "pattern": 5}

    def sort_key(self) -> tuple:
        return (self.tier, -(self.end - self.start), self.RANK.get(self.source, 9), self.start)


KNOWN_SOURCES = frozenset({"definition", "long_form", "gazetteer", "acronym"})


def settle_overlaps(cands: Sequence[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: definitions first, then longer spans, then by source.

    A model or pattern span that only adds words on the left of a known name ("About
    Inter-Agency Coordination Group …", a heading) loses to the known name; one that adds
    words on the right ("ICAT Secretariat") is another organization and wins.
    """
    known_ends = {(c.end) : c for c in cands if c.source in KNOWN_SOURCES}
    cands = [c for c in cands
             if c.source in KNOWN_SOURCES or not (c.end in known_ends
                                                  and known_ends[c.end].start > c.start)]
    kept: list[Candidate] = []
    taken = SpanSet()  # the kept spans, for an overlap test in log time
    for c in sorted(cands, key=Candidate.sort_key):
        if c.end <= c.start:
            continue
        if not taken.overlaps(c.start, c.end):
            kept.append(c)
            taken.add(c.start, c.end)
    return sorted(kept, key=lambda c: (c.start, c.end))


FOLLOWING_WORD_RE = re.compile(r"[ \t]*([^\W\d_][\w-]*)")


def definition_is_org(text: str, d: AcronymDefinition, ner_org_chars: frozenset[int],
                      gaz: Gazetteer) -> bool:
    """Whether a definition's long form names an organization.

    Yes when the gazetteer knows the long form, or knows the acronym and the long form is not
    a document or a group of people; when the long form is headed by an organization word;
    or when it is a neutral name that the model tagged ORG. A bracket inside a longer name
    ("Trafficking in Persons (TIP) Report") makes the long form a modifier: not an
    organization.
    """
    if acronym_key(d.short) in vocab().non_org_acronyms:
        return False
    cls = classify_name(d.long)
    if gaz.entry_for(d.long) or (gaz.by_acronym.get(acronym_key(d.short))
                                 and cls not in ("document", "people", "place", "platform")):
        return True
    follow = FOLLOWING_WORD_RE.match(text, d.end_char)  # in place: a slice to the end was O(text)
    if follow and is_title_word(follow.group(1)) and not is_connector(follow.group(1)):
        return False
    if cls == "org":
        return True
    if cls in ("neutral", "title"):
        return any(i in ner_org_chars for i in range(d.long_start, d.long_end))
    return False


def ngo_pattern_spans(text: str) -> list[tuple[int, int, str]]:
    """Names that the text itself calls an organization.

    "Bridges Home, a survivor-led non-profit organization" and "the nonprofit
    organization Phelps Stokes": the capitalized name next to "a/an/the … organization".
    Returns (start, end, "after" | "before"). Not "X, the UN agency said" (a subject).
    """
    v = vocab()
    nouns = "|".join(re.escape(n) for n in v.org_class_nouns)
    word = r"[A-Za-z][\w’'-]*"
    out = []
    runs = name_runs(text)
    after_re = re.compile(rf",\s+(?:a|an|the)\s+(?:{word}\s+){{0,5}}?(?:{nouns})\b"
                          r"(?!\s+(?:said|says|added|adds|noted|stated|explained|told|announced|"
                          r"reported|warned|stressed|urged|called))", re.I)
    before_re = re.compile(rf"\b(?:a|an|the)\s+(?:{word}\s+){{0,4}}?(?:{nouns})\s+$", re.I)
    for rs, re_ in runs:
        before = words(text, max(0, rs - 40), rs)
        if before and not text[before[-1].end:rs].strip() and before[-1].text.lower() in (
                v.head_connectors | {"and"}) and len(before) > 1 and is_title_word(before[-2].text):
            continue  # the tail of a longer name: "… Rights at *Work*, the UN agency"
        m = after_re.match(text, re_)
        if m and not re.search(r"\b(of|in|with|for|to|at|by|who|which|that)\b",
                               m.group()[1:], re.I):
            out.append((rs, re_, "after"))
            continue
        pre = text[max(0, rs - 80):rs]
        m = before_re.search(pre)
        if m and not re.search(r"\b(of|in|with|for|to|at|by)\b", m.group(), re.I):
            mods = m.group().lower()
            if any(mod in mods for mod in v.org_class_modifiers) or mods.split()[-1] != "organization":
                out.append((rs, re_, "before"))
    return out


# --------------------------------------------------------------------------- doc-level naming

class _UnionFind:
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


def _keys_of(text: str, acronym: str | None, gaz_id: str | None) -> list[str]:
    keys = []
    s = clean_surface(text)
    if acronym:
        keys.append("A:" + acronym_key(acronym))
    if s and is_acronym_like(s):
        keys.append("A:" + acronym_key(s))
    elif s:
        keys.append("N:" + name_key(s))
    if gaz_id:
        keys.append("G:" + gaz_id)
    return keys


def shortened_names(surfaces: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (short, long) of indexes where a name is another cut before its "of/for/against"
    phrase: "EU Civil Society Platform" and "EU Civil Society Platform against trafficking …".

    Releases shorten a long name that way after (or before) writing it whole. Only when one
    longer name fits ("Regional Office" with both "… for Europe" and "… for Asia" is left
    alone) and the short name has at least two words and is no acronym.
    """
    v = vocab()
    keys = [name_key(s) if s and not is_acronym_like(s) else "" for s in surfaces]
    # every key under each of its shortened forms (the words before an "of/for/against"),
    # so that each name is looked up once instead of compared with every other name
    longer_of: dict[str, set[str]] = defaultdict(set)
    first: dict[str, int] = {}
    for j, kj in enumerate(keys):
        first.setdefault(kj, j)
        ws = kj.split()
        for p in range(2, min(len(ws), MAX_NAME_WORDS)):
            if ws[p] in v.head_connectors:
                longer_of[" ".join(ws[:p])].add(kj)
    out = []
    for i, k in enumerate(keys):
        if len(k.split()) < 2:
            continue
        longer = longer_of.get(k, ())
        if len(longer) == 1:
            (target,) = longer
            out.append((i, first[target]))
    return out


def name_mentions(text: str, cands: Sequence[Candidate], gaz: Gazetteer | None = None) -> list[dict]:
    """Mention dicts for settled candidates, named from what the release itself says.

    Candidates that share an acronym, a name key or a gazetteer entry are one organization in
    this release. Its name is the release's definition long form, else its longest
    well-formed long form, else the gazetteer's name, else the surface; its acronym is the
    definition's, else one written in the release, else the gazetteer's.
    """
    uf = _UnionFind()
    for i, c in enumerate(cands):
        for k in _keys_of(text[c.start:c.end], c.acronym, c.gaz_id):
            uf.union(f"M:{i}", k)
    for i, j in shortened_names([clean_surface(text[c.start:c.end]) for c in cands]):
        uf.union(f"M:{i}", f"M:{j}")
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(len(cands)):
        groups[uf.find(f"M:{i}")].append(i)
    gaz = gaz if gaz is not None else gazetteer()
    out: list[dict | None] = [None] * len(cands)
    for members in groups.values():
        defs = Counter(cands[i].long_name for i in members if cands[i].long_name)
        surfaces = [clean_surface(text[cands[i].start:cands[i].end]) for i in members]
        longs = Counter(s for s in surfaces if is_well_formed_name(s))
        gaz_ids = sorted({cands[i].gaz_id for i in members if cands[i].gaz_id})
        if defs:
            name = max(defs.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
        elif longs:
            name = max(longs.items(), key=lambda kv: (len(kv[0].split()), kv[1], len(kv[0]), kv[0]))[0]
        elif gaz_ids:
            name = gaz.entries[gaz_ids[0]].name
        else:
            name = surfaces[0]
        acr_written = Counter(s for s in surfaces if is_acronym_like(s))
        acr_given = Counter(cands[i].acronym for i in members if cands[i].acronym)
        if acr_given:
            acronym = max(acr_given.items(), key=lambda kv: (kv[1], kv[0]))[0]
        elif acr_written:
            acronym = max(acr_written.items(), key=lambda kv: (kv[1], kv[0]))[0]
        elif gaz_ids and gaz.entries[gaz_ids[0]].acronym:
            acronym = gaz.entries[gaz_ids[0]].acronym
        else:
            acronym = next((a for a in map(acronym_named_by, surfaces) if a), None)
        for i in members:
            c = cands[i]
            surface = text[c.start:c.end]
            out[i] = {"start_char": c.start, "end_char": c.end, "text": surface,
                      "name": name, "acronym": acronym, "source": c.source}
    return [m for m in out if m is not None]


def split_owner_prefix(text: str, cands: Sequence[Candidate], gaz: Gazetteer,
                       known: dict) -> list[Candidate]:
    """Split "<ACR> <Unit>" into the owner and the unit when the release also writes the unit
    alone: "IOM Migrant Assistance Division" + "IOM’s Migrant Assistance Division".

    The release then shows that the unit's own name is the part after the acronym, so the
    prefix names its owner (decision 18: a modifier still counts). Umbrella owners ("EU
    Network of …") and units never written alone ("ICAT Secretariat") stay whole.
    """
    others = Counter(name_key(clean_surface(text[c.start:c.end])) for c in cands)
    out: list[Candidate] = []
    for c in cands:
        m = re.match(r"(\S+)[ \t]+(?=\S)", text[c.start:c.end])
        if c.source not in ("ner", "pattern") or not m or not is_acronym_like(m.group(1)):
            out.append(c)
            continue
        acr = m.group(1)
        gid = gaz.by_acronym.get(acronym_key(acr))
        owner_known = acronym_key(acr) in known or (gid and not gaz.entries[gid].umbrella)
        rest_start = c.start + m.end()
        if not owner_known or not others[name_key(text[rest_start:c.end])]:
            out.append(c)
            continue
        d = known.get(acronym_key(acr))
        out.append(Candidate(c.start, c.start + len(acr), "acronym" if d else "gazetteer", gid,
                             d.short if d else gaz.entries[gid].acronym, d.long if d else None))
        out.append(Candidate(rest_start, c.end, c.source, gaz.entry_for(text[rest_start:c.end])))
    return sorted(out, key=lambda c: (c.start, c.end))


def _keep_agents(doc: Doc, text: str, cands: Sequence[Candidate],
                 token_starts: Sequence[int]) -> list[Candidate]:
    """Drop candidates with an agent head (Platform, Hotline) whose body never acts.

    A body acts when its head word is a subject, the object of "of" after a person's title
    ("Director of the X Hotline"), or a conjunct of another organization ("the X Network and
    the Y Platform"). One such use in the release is enough for every use of the name.
    """
    if not any(c.needs_agent for c in cands):
        return list(cands)
    v = vocab()
    org_chars = {i for c in cands if not c.needs_agent for i in range(c.start, c.end)}
    acting: set[str] = set()
    for c in cands:
        if not c.needs_agent:
            continue
        head = next((w for w in words(text, c.start, c.end) if w.text.lower() in v.agent_heads),
                    None)
        if head is None:
            continue
        i = bisect.bisect_left(token_starts, head.start)
        if i >= len(doc) or doc[i].idx != head.start:
            continue
        tok = doc[i]
        if tok.dep_ in ("nsubj", "nsubjpass") or (
                tok.dep_ == "pobj" and tok.head.lower_ == "of"
                and tok.head.head.lower_ in v.person_titles) or (
                tok.dep_ == "conj" and tok.head.idx in org_chars):
            acting.add(name_key(clean_surface(text[c.start:c.end])))
    acting_prefixes = tuple(acting)
    return [c for c in cands if not c.needs_agent
            or name_key(clean_surface(text[c.start:c.end])).startswith(acting_prefixes)
            or any(k.startswith(name_key(clean_surface(text[c.start:c.end])) + " ")
                   for k in acting)]


def acronym_named_by(name: str) -> str | None:
    """The acronym in a name of the form "<ACR> Committee" ("LIBE Committee" → "LIBE").

    Parliamentary and treaty committees are called by their acronym plus "Committee"; the
    acronym is then the committee's own (its long form is "Committee on …"). Only for heads
    listed in ``acronym_named_heads``: "ICAT Secretariat" is a part of ICAT, not ICAT.
    """
    ws = words(name)
    if len(ws) != 2 or not is_acronym_like(ws[0].text):
        return None
    if ws[1].text.lower() not in vocab().acronym_named_heads:
        return None
    if acronym_key(ws[0].text) in vocab().non_org_acronyms or gazetteer().by_acronym.get(
            acronym_key(ws[0].text)):
        return None
    return ws[0].text


# --------------------------------------------------------------------------- component

EMPTY_GAZETTEER = Gazetteer(())


class OrganizationRecognizer:
    """spaCy component: organization mentions and acronym definitions of a release.

    Sets ``doc._.org_mentions`` (list of dicts: start_char, end_char, text, name, acronym,
    source) and ``doc._.acronyms`` (every acronym definition found, as dicts with short,
    long, their offsets, start_char/end_char of the whole definition, aligned, is_org).
    """

    def __init__(self, nlp: Language, name: str, use_gazetteer: bool = True,
                 use_patterns: bool = True, ner_labels: Sequence[str] = ("ORG",)) -> None:
        self.name = name
        self.use_patterns = use_patterns
        self.ner_labels = frozenset(ner_labels)
        self.gaz = gazetteer() if use_gazetteer else EMPTY_GAZETTEER

    def __call__(self, doc: Doc) -> Doc:
        text = extensions.doc_text(doc)
        text_words(text)  # read the release's words once; ranges of it are cut from them
        gaz = self.gaz
        ctx = _context(doc)
        ner_org_chars = frozenset(i for e in doc.ents if e.label_ in self.ner_labels
                                  for i in range(e.start_char, e.end_char))
        definitions = find_definitions(text)
        org_defs = [d for d in definitions if definition_is_org(text, d, ner_org_chars, gaz)]
        known = {acronym_key(d.short): d for d in org_defs}

        tk = text_keys(text)
        cands = self._definition_candidates(text, org_defs, tk)
        cands += self._gazetteer_candidates(text, known, tk)
        ner_cands = self._ner_candidates(text, doc, ctx)
        cands += ner_cands
        if self.use_patterns:
            cands += self._pattern_candidates(text, ctx)
        cands += self._bare_acronym_candidates(text, org_defs, ner_cands)

        token_starts = doc.to_array(IDX).tolist()
        cands = [c for c in cands if _passes_common_filters(text, c)
                 and not _is_attributive_umbrella(doc, text, c, token_starts)]
        cands = _keep_agents(doc, text, cands, token_starts)
        settled = split_owner_prefix(text, settle_overlaps(cands), gaz, known)
        doc._.org_mentions = name_mentions(text, settled, gaz)
        org_def_ids = {id(d) for d in org_defs}
        doc._.acronyms = [dict(d.to_dict(), is_org=id(d) in org_def_ids) for d in definitions]
        return doc

    # -- sources
    def _definition_candidates(self, text: str, defs: Sequence[AcronymDefinition],
                               tk: TextKeys) -> list[Candidate]:
        """Both parts of each definition, and later repeats of its long form."""
        gaz = self.gaz
        out: list[Candidate] = []
        for d in defs:
            gid = gaz.by_acronym.get(acronym_key(d.short)) or gaz.entry_for(d.long)
            out.append(Candidate(d.long_start, d.long_end, "definition", gid, d.short, d.long, 0))
            out.append(Candidate(d.short_start, d.short_end, "definition", gid, d.short, d.long, 0))
        if defs:
            index = PhraseIndex()
            longs = {}
            for d in defs:
                index.add(d.long, d.short)
                longs.setdefault(d.short, d.long)
            for s, e, short in index.find(text, tk):
                gid = gaz.by_acronym.get(acronym_key(short))
                out.append(Candidate(s, e, "long_form", gid, short, longs[short]))
        return out

    def _gazetteer_candidates(self, text: str, known: dict, tk: TextKeys) -> list[Candidate]:
        """Gazetteer names and acronyms found in the text."""
        gaz = self.gaz
        out = [Candidate(s, e, "gazetteer", gid) for s, e, gid in gaz.index.find(text, tk)]
        for s, e, gid in gaz.find_acronyms(text):
            entry = gaz.entries[gid]
            d = known.get(acronym_key(entry.acronym or ""))
            out.append(Candidate(s, e, "acronym" if d else "gazetteer", gid, entry.acronym,
                                 d.long if d else None))
        return out

    def _ner_candidates(self, text: str, doc: Doc, ctx: SpanContext) -> list[Candidate]:
        """The model's ORG spans, repaired, that still look like organizations."""
        out = []
        for ent in doc.ents:
            if ent.label_ not in self.ner_labels or IDENTIFIER_RE.search(ent.text):
                continue
            for s, e in _pieces(text, ent.start_char, ent.end_char):
                span = repair_span(text, s, e, self.gaz, ctx)
                if span is not None and _ner_span_is_org(text, *span, self.gaz, ctx):
                    out.append(Candidate(*span, "ner", self.gaz.entry_for(text[span[0]:span[1]])))
        return out

    def _pattern_candidates(self, text: str, ctx: SpanContext) -> list[Candidate]:
        """Capitalized names headed by an organization word, and "X, a … organization".

        Each conjunct of a coordinated run is tried ("the X Network … and the Y Platform").
        Names headed by an agent head (Platform, Hotline) need at least three words and are
        marked for the agent check of :meth:`_keep_agents`.
        """
        out = []
        for rs, re_ in name_runs(text):
            s = strip_sentence_opener(text, rs, re_)
            while s < re_:
                s = strip_title_prefix(text, s, re_)
                e = split_coordination(text, s, re_)
                next_s = next_conjunct(text, e, re_)
                e = trim_place_phrase(text, s, e, self.gaz, ctx.blocked_starts)
                e = trim_country_suffix(text, s, e)
                cls = classify_name(text[s:e]) if e > s else ""
                n_words = len(words(text, s, e)) if e > s else 0
                if cls == "org" and n_words >= 2 or cls == "agent" and n_words >= 3:
                    if not self.gaz.entry_for(text[s:e]):
                        e = extend_lowercase_purpose(text, e)
                    out.append(Candidate(s, e, "pattern", self.gaz.entry_for(text[s:e]),
                                         needs_agent=cls == "agent"))
                s = next_s
        for rs, re_, where in ngo_pattern_spans(text):
            if where == "after" and any(rs <= i < re_ for i in ctx.person_starts):
                continue  # "Ms. Jane Doe, a non-profit organization's director"
            s = strip_title_prefix(text, rs, re_)
            if classify_name(text[s:re_]) in ("org", "neutral"):
                out.append(Candidate(s, re_, "pattern", self.gaz.entry_for(text[s:re_])))
        return out

    def _bare_acronym_candidates(self, text: str, defs: Sequence[AcronymDefinition],
                                 ner_cands: Sequence[Candidate]) -> list[Candidate]:
        """Every bare use of an acronym the release defines or the model tagged ORG."""
        bare: dict[str, str | None] = {}
        for d in defs:
            bare.setdefault(d.short, d.long)
        for c in ner_cands:
            surface = text[c.start:c.end]
            if is_acronym_like(surface):
                bare.setdefault(surface, None)
        out = []
        for short, long in bare.items():
            gid = self.gaz.by_acronym.get(acronym_key(short))
            for s, e in _find_bare(text, short):
                out.append(Candidate(s, e, "acronym", gid, short, long))
        return out


def _find_bare(text: str, short: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in iter_acronym(text, short)
            if not is_shouting_line(text, m.start())]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Parts of an entity span between line breaks and punctuation, stripped of spaces.

    A slash splits too ("Press Release/News"), except inside an acronym ("G/TIP").
    """
    seg = text[start:end]
    splitter = SPLIT_RE if is_acronym_like(seg) else SPLIT_SLASH_RE
    bounds, pos = [], 0
    for m in splitter.finditer(seg):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(seg)))
    out = []
    for a, b in bounds:
        piece = seg[a:b]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + a + lead, start + a + len(piece.rstrip())
        if e > s:
            out.append((s, e))
    return out


def repair_span(text: str, start: int, end: int, gaz: Gazetteer | None = None,
                ctx: SpanContext | None = None) -> tuple[int, int] | None:
    """Fix an ORG span of the model: determiners, possessives, person titles, truncation.

    "the U.S. State Department’s" → "U.S. State Department"; "Founder of the Walk Free
    Foundation" → "Walk Free Foundation"; "the Human Trafficking and" → "Human Trafficking
    and Migrant Smuggling Section"; "LIBE Committee and Oleksii Serhieiev" → "LIBE
    Committee"; "UNICEF Albania" → "UNICEF". Returns None when nothing name-like is left.
    """
    v = vocab()
    gaz = gaz if gaz is not None else gazetteer()
    ws = words(text, start, end)
    for i, w in enumerate(ws):  # cut at the first possessive that is not part of the name
        if w.core != w.text and not is_name_internal_possessive(w.text):
            ws, end = ws[:i + 1], w.core_end
            break
    while ws and ws[0].text.lower() in v.determiners:
        ws.pop(0)
    for i, w in enumerate(ws):  # a name is capitalized: "… Section of the ministry" ends early
        if i and not (is_title_word(w.text) or is_connector(w.text)):
            ws = ws[:i]
            while ws and is_connector(ws[-1].text):
                ws.pop()
            kept = text[ws[0].start:ws[-1].end] if ws else ""
            if classify_name(kept) != "org" and not gaz.entry_for(kept):
                return None  # "Tier 2 Watch List" is no "Tier"
            break
    while ws and is_connector(ws[-1].text) and not is_title_word(ws[-1].text) and len(ws) > 1 \
            and ws[-1].end < end:
        ws.pop()
    if not ws:
        return None
    start, end = ws[0].start, min(end, ws[-1].end)
    end = extend_span(text, start, end, ctx)
    start = strip_title_prefix(text, start, end)
    end = split_coordination(text, start, end)
    end = trim_trailing_place(text, start, end, gaz)
    end = trim_place_phrase(text, start, end, gaz, ctx.blocked_starts if ctx else frozenset())
    ws = words(text, start, end)
    while ws and is_connector(ws[-1].text) and not is_title_word(ws[-1].text):
        ws.pop()
    return (ws[0].start, ws[-1].core_end) if ws else None


def _ner_span_is_org(text: str, start: int, end: int, gaz: Gazetteer, ctx: SpanContext) -> bool:
    """Whether a repaired ORG span of the model really names an organization.

    Known names and names with an organization head pass (unless an ordinal makes them an
    event). A neutral name passes unless it looks like a person (a PERSON word, an
    honorific, a title next to it), a place or thing ("the Shagarab camps"), a portfolio in
    a title ("Commissioner for Internal Affairs"), a piece of a document's title, an
    identifier, or is too long to be a bare proper name.
    """
    v = vocab()
    surface = text[start:end]
    if gaz.entry_for(surface):
        return True
    cls = classify_name(surface)
    if cls == "org":
        return _not_event(text, start)
    if cls != "neutral":
        return False
    if is_acronym_like(surface):
        return acronym_key(surface) not in v.non_org_acronyms
    ws = words(surface)
    if re.search(r"\d", surface) or sum(not is_connector(w.text) for w in ws) >= 4:
        return False
    if ws[-1].core in ctx.person_words or HONORIFIC_RE.search(text[max(0, start - 8):start]):
        return False
    before = words(text, max(0, start - 60), start)
    after = words(text, end, min(len(text), end + 40))
    touching_before = bool(before) and not text[before[-1].end:start].strip()
    touching_after = bool(after) and not text[end:after[0].start].strip()
    if touching_before and before[-1].text.lower() in v.person_titles:
        return False  # a name after a title is a person: "Commissioner Jane Doe"
    if len(before) >= 2 and before[-1].text.lower() in ("for", "on", "against") and \
            before[-2].text.lower() in v.person_titles:
        return False  # a portfolio in a title: "Commissioner for Internal Affairs"
    if touching_after and after[0].text.lower() in v.person_titles:
        return False  # "Interior Minister"
    if len(ws) == 1 and touching_after and after[0].start in ctx.lowercase_noun_starts:
        return False  # a lone name before a common noun is a place or a thing: "the X camps"
    appos = re.match(r",\s*(?:the\s+)?([A-Z][\w-]*)", text[end:end + 40])
    if appos and appos.group(1).lower() in v.person_titles:
        return False  # a name before ", Commissioner for …" is a person
    rs, re_ = enclosing_run(text, start, end)
    if (rs, re_) != (start, end) and classify_name(text[rs:re_]) == "document":
        return False  # a piece of a document's title: "… Convention against *Transnational …*"
    return _not_event(text, start)


def _not_event(text: str, start: int) -> bool:
    """False when an ordinal stands before the name: "the 13th Crime Congress" is an event."""
    before = words(text, max(0, start - 20), start)
    return not (before and ORDINAL_RE.match(before[-1].text))


def _passes_common_filters(text: str, c: Candidate) -> bool:
    """Platforms, places and non-organization acronyms are never mentions."""
    surface = clean_surface(text[c.start:c.end])
    v = vocab()
    if not surface or surface.lower() in v.platforms or surface.lower() in v.places:
        return False
    return not (is_acronym_like(surface) and acronym_key(surface) in v.non_org_acronyms
                and not c.gaz_id and c.source != "definition")


def _context(doc: Doc) -> SpanContext:
    """The entities and lowercase nouns around spans; ``doc.ents`` is built once, and the
    nouns are read from token arrays rather than one Token object per word."""
    ents = [(e.label_, e) for e in doc.ents]
    blocked = frozenset(e.start_char for label, e in ents
                        if label in ("PERSON", "GPE", "LOC", "DATE", "NORP", "CARDINAL",
                                     "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"))
    places = frozenset(e.start_char for label, e in ents if label in ("GPE", "LOC", "FAC"))
    persons = [e for label, e in ents if label == "PERSON"]
    person_words = frozenset(t.text for e in persons for t in e if t.text[:1].isupper())
    person_chars = frozenset(i for e in persons for i in range(e.start_char, e.end_char))
    text = extensions.doc_text(doc)
    nouns = frozenset(idx for pos, idx in doc.to_array([POS, IDX]).tolist()
                      if pos == NOUN and text[idx].islower())
    return SpanContext(blocked, places, person_words, person_chars, nouns)


_REGION_BEFORE = re.compile(r"\b(?:across|in|within|throughout|into|outside|beyond|around)\s+the\s+$", re.I)


def _after_motion_verb(doc: Doc, start: int, token_starts: Sequence[int]) -> bool:
    """True for the goal or source of a movement: "to get *to the* EU", "fled *from the* EU".

    After a verb of movement (``motion_verbs``, intransitive ones and "smuggle"/"traffic"),
    "to/from the" + a union of states names its territory, not the organization; verbs that
    take a thing as object ("send", "submit") are not listed, since one submits to the EU.
    """
    i = bisect.bisect_left(token_starts, start)
    if i < 2 or doc[i - 1].lower_ != "the" or doc[i - 2].lower_ not in ("to", "from", "towards"):
        return False
    motion = vocab().motion_verbs
    return any(doc[k].pos_ in ("VERB", "AUX") and doc[k].lemma_.lower() in motion
               for k in range(max(0, i - 5), i - 2))


def _is_attributive_umbrella(doc: Doc, text: str, c: Candidate, token_starts: Sequence[int]) -> bool:
    """True for "UN agencies", "EU countries": an umbrella organization modifying a word;
    and for a regional union used as a place ("across the EU", "in the EU").

    Umbrella organizations are flagged in the shipped gazetteer (a fixed fact, used even
    when the gazetteer is switched off as a source of mentions).
    """
    gaz = gazetteer()
    gid = c.gaz_id or gaz.entry_for(text[c.start:c.end])
    if not gid or gid not in gaz.entries or not gaz.entries[gid].umbrella:
        return False
    if gaz.entries[gid].region and (_REGION_BEFORE.search(text[max(0, c.start - 20):c.start])
                                    or _after_motion_verb(doc, c.start, token_starts)):
        return True
    i = bisect.bisect_left(token_starts, c.end)
    if i >= len(doc):
        return False
    nxt = doc[i]
    if nxt.is_space or nxt.is_punct or nxt.tag_ == "POS" or nxt.text in ("’s", "'s", "’", "'") \
            or "\n" in text[c.end:nxt.idx]:
        return False  # "the UN’s goals", "the UN.", a line end
    return nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM", "X", "SYM")


@Language.factory(
    "release_orgs",
    default_config={"use_gazetteer": True, "use_patterns": True, "ner_labels": ["ORG"]},
)
def make_release_orgs(nlp: Language, name: str, use_gazetteer: bool, use_patterns: bool,
                      ner_labels: list[str]) -> OrganizationRecognizer:
    """Factory of the ``release_orgs`` component (after 'ner'). ``use_gazetteer=False`` turns
    the gazetteer off as a source (for ablation); ``ner_labels`` are the model labels read."""
    return OrganizationRecognizer(nlp, name, use_gazetteer, use_patterns, ner_labels)


# --------------------------------------------------------------------------- corpus resolve

@dataclass
class OrgResolution:
    """Organizations of the corpus, the org id of each input mention, and a lookup."""

    organizations: list[dict]
    org_ids: list[str]
    index: dict[str, str] = field(default_factory=dict, repr=False)

    def lookup(self, text: str) -> str | None:
        """org_id for any surface form: long name, acronym, alias, "the X", case or spelling
        variant, or a gazetteer name of an organization in the corpus; else None.

        Falls back to the longest known name or acronym inside the text, so "Executive
        Director of the United Nations Office on Drugs and Crime" finds UNODC.
        """
        if not text or not text.strip():
            return None
        s = clean_surface(text)
        if not s:
            return None
        for key in _lookup_keys(s):
            if key in self.index:
                return self.index[key]
        ws = words(s)
        best: tuple[int, int, str] | None = None
        for i in range(len(ws)):
            for j in range(len(ws), i, -1):
                part = s[ws[i].start:ws[j - 1].core_end]
                if j - i == 1 and not is_acronym_like(part):
                    continue
                for key in _lookup_keys(part):
                    if key in self.index:
                        cand = (j - i, -i, self.index[key])
                        if best is None or cand[:2] > best[:2]:
                            best = cand
                        break
        return best[2] if best else None


def _lookup_keys(s: str) -> list[str]:
    keys = []
    if is_acronym_like(s) or " " not in s:
        keys.append("A:" + acronym_key(s))
    keys.append("N:" + name_key(s))
    gid = gazetteer().entry_for(s)
    if gid:
        keys.append("G:" + gid)
    return keys


def mention_keys(m: dict) -> list[str]:
    """Identity keys of a mention row: acronym, name keys of its text and name, gazetteer id.

    Two mentions that share any key are the same organization.
    """
    gaz = gazetteer()
    keys: list[str] = []
    acronym = m.get("acronym")
    if acronym:
        keys.append("A:" + acronym_key(acronym))
        gid = gaz.by_acronym.get(acronym_key(acronym))
        if gid:
            keys.append("G:" + gid)
    for surface in (m.get("text"), m.get("name")):
        if not surface:
            continue
        s = clean_surface(surface)
        if not s:
            continue
        if is_acronym_like(s):
            keys.append("A:" + acronym_key(s))
        else:
            keys.append("N:" + name_key(s))
        gid = gaz.entry_for(s)
        if gid:
            keys.append("G:" + gid)
    return list(dict.fromkeys(keys))


def resolve_organizations(mentions: Sequence[dict]) -> OrgResolution:
    """One row per organization of the corpus, from mention rows alone (no re-parse).

    Mentions sharing an acronym, a name key (case/spelling/``UN`` variants folded) or a
    gazetteer entry are one organization. Its ``name`` is the most common well-formed long
    form written in the corpus (ties: more words, then longer, then alphabetical), its
    ``acronym`` the most common acronym, its ``aliases`` every other surface seen (sorted).
    ``org_id`` is a slug of the acronym, else of the name; the result does not depend on the
    order of the input.
    """
    gaz = gazetteer()
    uf = _UnionFind()
    for i, m in enumerate(mentions):
        uf.find(f"M:{i}")
        for k in mention_keys(m):
            uf.union(f"M:{i}", k)
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        groups[uf.find(f"M:{i}")].append(i)
    all_keys: dict[str, set[str]] = defaultdict(set)
    for node in list(uf.parent):
        if not node.startswith("M:"):
            all_keys[uf.find(node)].add(node)

    rows = []
    for root, members in groups.items():
        ms = [mentions[i] for i in members]
        texts = [clean_surface(m.get("text") or "") for m in ms]
        longs = Counter(t for t in texts if is_well_formed_name(t))
        if not longs:
            longs = Counter(clean_surface(m["name"]) for m in ms
                            if m.get("name") and is_well_formed_name(clean_surface(m["name"])))
        gids = sorted(k[2:] for k in all_keys[root] if k.startswith("G:"))
        acronyms = Counter(m["acronym"] for m in ms if m.get("acronym"))
        acronyms.update(t for t in texts if is_acronym_like(t))
        acronym = (max(acronyms.items(), key=lambda kv: (kv[1], kv[0]))[0] if acronyms else None)
        if longs:
            name = max(longs.items(),
                       key=lambda kv: (kv[1], len(kv[0].split()), len(kv[0]), kv[0]))[0]
        elif gids:
            name = gaz.entries[gids[0]].name
        else:
            name = acronym or texts[0]
        aliases = sorted({t for t in texts if t} - {name, acronym})
        rows.append({"root": root, "name": name, "acronym": acronym, "aliases": aliases,
                     "members": members, "gids": gids})

    # ids: slug of the acronym, else of the name; collisions get a hash of the name
    by_slug: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_slug[slugify(r["acronym"] or r["name"])].append(r)
    for slug, rs in by_slug.items():
        rs.sort(key=lambda r: (r["name"], r["acronym"] or ""))
        for k, r in enumerate(rs):
            r["org_id"] = slug if k == 0 else f"{slug}-{hashlib.sha1(r['name'].encode()).hexdigest()[:6]}"

    org_ids = [""] * len(mentions)
    index: dict[str, str] = {}
    for r in sorted(rows, key=lambda r: r["org_id"]):
        for i in r["members"]:
            org_ids[i] = r["org_id"]
        for k in sorted(all_keys[r["root"]]):
            index.setdefault(k, r["org_id"])
        for gid in r["gids"]:
            e = gaz.entries[gid]
            for n in (e.name, *e.variants):
                index.setdefault("N:" + name_key(n), r["org_id"])
            if e.acronym:
                index.setdefault("A:" + acronym_key(e.acronym), r["org_id"])
        for a in (r["aliases"] + [r["name"]] + ([r["acronym"]] if r["acronym"] else [])):
            for k in _lookup_keys(a)[:2]:
                index.setdefault(k, r["org_id"])
    organizations = [{"org_id": r["org_id"], "name": r["name"], "acronym": r["acronym"],
                      "aliases": r["aliases"]} for r in sorted(rows, key=lambda r: r["org_id"])]
    return OrgResolution(organizations, org_ids, index)


def per_release_organizations(mentions: Sequence[dict], resolution: OrgResolution) -> dict[str, list[dict]]:
    """Each release's organizations as that release writes them (for gold scoring).

    Gold names follow the release ("UN Office on Drugs and Crime" in one, "United Nations
    Office on Drugs and Crime" in another), so per release the name is the mentions' most
    common ``name`` there and the acronym their most common acronym; ``org_id`` links to the
    corpus row.
    """
    by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for m, oid in zip(mentions, resolution.org_ids):
        by_doc[m.get("doc_id")][oid].append(m)
    out: dict[str, list[dict]] = {}
    for doc_id, orgs in by_doc.items():
        rows = []
        for oid, ms in orgs.items():
            names = Counter(m["name"] for m in ms if m.get("name"))
            name = max(names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0] if names else None
            acrs = Counter(m["acronym"] for m in ms if m.get("acronym"))
            acronym = max(acrs.items(), key=lambda kv: (kv[1], kv[0]))[0] if acrs else None
            rows.append({"org_id": oid, "name": name, "acronym": acronym})
        out[doc_id] = sorted(rows, key=lambda r: r["org_id"])
    return out
