"""Candidate mentions: overlaps settled, definitions judged, and names given per release.

Each source (definitions, gazetteer, model spans, patterns, bare acronyms) proposes
:class:`Candidate` spans; these functions keep the non-overlapping ones and name them from
what the release itself says. The text patterns that are sources of their own live here too:
"X, a non-profit organization", the wire service of a dateline, elliptical lists of
ministries.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.dates.grammar import SpanSet
from pipeline.extract.organizations.abbreviations import (
    AcronymDefinition,
    acronym_key,
    is_acronym_like,
    is_connector,
    is_title_word,
)
from pipeline.extract.organizations.gazetteer import Gazetteer, gazetteer
from pipeline.extract.organizations.spans import MAX_NAME_WORDS, name_runs
from pipeline.extract.organizations.vocabulary import (
    UnionFind,
    classify_name,
    clean_surface,
    is_well_formed_name,
    name_head,
    name_key,
    vocab,
)
from pipeline.extract.organizations.words import words


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


def settle_overlaps(cands: Sequence[Candidate], text: str = "") -> list[Candidate]:
    """Keep non-overlapping candidates: definitions first, then longer spans, then by source.

    A model or pattern span that only adds words on the left of a known name ("About
    Inter-Agency Coordination Group …", a heading) loses to the known name, unless its own
    head word stands there ("Permanent *Mission* of X to the United Nations": the known name
    is inside a longer name); one that adds words on the right ("ICAT Secretariat") is
    another organization and wins.
    """
    known_ends = {(c.end) : c for c in cands if c.source in KNOWN_SOURCES}
    cands = [c for c in cands
             if c.source in KNOWN_SOURCES or not (c.end in known_ends
                                                  and known_ends[c.end].start > c.start)
             or _headed_before(text, c, known_ends[c.end].start)]
    kept: list[Candidate] = []
    taken = SpanSet()  # the kept spans, for an overlap test in log time
    for c in sorted(cands, key=Candidate.sort_key):
        if c.end <= c.start:
            continue
        if not taken.overlaps(c.start, c.end):
            kept.append(c)
            taken.add(c.start, c.end)
    return sorted(kept, key=lambda c: (c.start, c.end))


def _headed_before(text: str, c: Candidate, known_start: int) -> bool:
    """True when ``c``'s head word is an organization head left of ``known_start`` and an
    "of/to/…" joins it to the known name."""
    if not text:
        return False
    left = text[c.start:known_start]
    head, _ = name_head(text[c.start:c.end])
    ws = words(left)
    return bool(ws) and head.lower() in vocab().org_heads and \
        any(w.text == head for w in ws) and ws[-1].text.lower() in vocab().determiners | vocab().head_connectors


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
    possessive = text.startswith(("’s", "'s"), d.long_end)  # "X's (ACR) Unit": X owns the unit
    if follow and is_title_word(follow.group(1)) and not is_connector(follow.group(1)) \
            and not possessive:
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


def acronyms_spelled_out(surfaces: Sequence[str],
                         known: Sequence[bool] | None = None) -> list[tuple[int, int]]:
    """Pairs (acronym, name) of indexes where the release writes a name whose words spell the
    acronym exactly ("National Crime Agency" … "NCA"), without defining it in brackets.

    Every content word must give its initial (function words may be skipped); an acronym
    that several names of the release spell, or one the release defines or the gazetteer
    knows (``known``), is left alone.
    """
    longs: dict[str, int] = {}
    for j, s in enumerate(surfaces):
        if s and not is_acronym_like(s) and is_well_formed_name(s):
            longs.setdefault(name_key(s), j)
    out = []
    for i, s in enumerate(surfaces):
        if not s or not is_acronym_like(s) or (known is not None and known[i]):
            continue
        hits = [j for j in longs.values() if _spells(s, surfaces[j])]
        if len(hits) == 1:
            out.append((i, hits[0]))
    return out


@lru_cache(maxsize=4096)
def _spells(short: str, name: str) -> bool:
    """True when the initials of the name's words are the acronym's letters, in order; a
    function word may give its initial or not ("National Agency for Prohibition of Traffic
    In Persons" spells NAPTIP). Letters from inside a word do not count: "Eurojust" does
    not spell EU."""
    letters = [c.lower() for c in short if c.isalpha()]
    ws = [w.text for w in words(name)]
    if not letters or len(letters) > len(ws):
        return False
    reach = {0}  # how many letters the words so far can have spelled
    for w in ws:
        gives = {k + 1 for k in reach if k < len(letters) and w[0].lower() == letters[k]}
        reach = gives | (reach if is_connector(w) else set())
        if not reach:
            return False
    return len(letters) in reach


def name_mentions(text: str, cands: Sequence[Candidate], gaz: Gazetteer | None = None) -> list[dict]:
    """Mention dicts for settled candidates, named from what the release itself says.

    Candidates that share an acronym, a name key or a gazetteer entry are one organization in
    this release. Its name is the release's definition long form, else its longest
    well-formed long form, else the gazetteer's name, else the surface; its acronym is the
    definition's, else one written in the release, else the gazetteer's.
    """
    uf = UnionFind()
    for i, c in enumerate(cands):
        for k in _keys_of(text[c.start:c.end], c.acronym, c.gaz_id):
            uf.union(f"M:{i}", k)
    surfaces_all = [clean_surface(text[c.start:c.end]) for c in cands]
    known = [bool(c.gaz_id or c.long_name) for c in cands]
    for i, j in shortened_names(surfaces_all) + acronyms_spelled_out(surfaces_all, known):
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
    prefix names its owner (an organization named as a modifier still counts). Umbrella owners ("EU
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



def passes_common_filters(text: str, c: Candidate) -> bool:
    """Platforms, places and non-organization acronyms are never mentions."""
    surface = clean_surface(text[c.start:c.end])
    v = vocab()
    if not surface or surface.lower() in v.platforms or surface.lower() in v.places:
        return False
    return not (is_acronym_like(surface) and acronym_key(surface) in v.non_org_acronyms
                and not c.gaz_id and c.source != "definition")




WIRE_SOURCE_RE = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,[^\n()/]{0,40}?)?[ \t]*"
    r"(?:\((?P<paren>[A-Z][^()\n]{1,30})\)|/(?P<slash>[A-Z][A-Za-z]{1,20})/)[ \t]*[-–—]", re.M)
WIRE_SOURCE_WINDOW = 2000  # the dateline stands near the top


def wire_source_spans(text: str) -> list[tuple[int, int]]:
    """The publisher named in a dateline: "NEW YORK (Agency News) –", "CITY, ST, May 2 /WIRE/ -".

    The newswire or news service that issues the release is an organization.
    """
    out = []
    for m in WIRE_SOURCE_RE.finditer(text, 0, min(len(text), WIRE_SOURCE_WINDOW)):
        group = "paren" if m.group("paren") else "slash"
        s, e = m.span(group)
        if not re.search(r"\d", m.group(group)):
            out.append((s, e))
    return out



ELLIPTICAL_CONJUNCT_RE = re.compile(r"(?:the[ \t]+)?([A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*)*)")
ELLIPTICAL_SEPARATOR_RE = re.compile(r",[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+")


def elliptical_unit_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each body in an elliptical list: "the departments of Health and
    Education" names "Department of Health" and "Department of Education" (``elliptical_heads``
    gives the singular). At least two capitalized conjuncts are needed."""
    heads = vocab().elliptical_heads
    if not heads:
        return []
    rx = re.compile(rf"\b({'|'.join(heads)})[ \t]+(of|for)[ \t]+", re.I)
    out = []
    for m in rx.finditer(text):
        parts, pos = [], m.end()
        while True:
            c = ELLIPTICAL_CONJUNCT_RE.match(text, pos)
            if not c:
                break
            parts.append(c.span(1))
            sep = ELLIPTICAL_SEPARATOR_RE.match(text, c.end())
            if not sep:
                break
            pos = sep.end()
        if len(parts) >= 2:
            head = heads[m.group(1).lower()]
            out += [(s, e, f"{head} {m.group(2).lower()} {text[s:e]}") for s, e in parts]
    return out


