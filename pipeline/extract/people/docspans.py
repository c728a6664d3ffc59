"""Per-Doc indexes of entities, places and organization spans that the role readers ask about
for every mention. They are built once per Doc and kept on ``doc.user_data`` (never in a
module global), so two Docs processed at once never see each other's."""
from __future__ import annotations

import bisect
from typing import Callable, NamedTuple, Sequence

from spacy.attrs import ENT_IOB, ENT_TYPE

from pipeline.extract.extensions import doc_text

_CACHE_KEY = ("people", "indexes")


def doc_cache(doc) -> dict:
    """The people step's scratch indexes for this Doc, on ``doc.user_data``."""
    cache = doc.user_data.get(_CACHE_KEY)
    if cache is None:
        cache = doc.user_data[_CACHE_KEY] = {}
    return cache


def drop_doc_cache(doc) -> None:
    """Remove the scratch indexes (they are no plain data: ``Doc.to_bytes`` cannot keep them)."""
    doc.user_data.pop(_CACHE_KEY, None)


def _locator(doc, base: int, size: int) -> Callable[[str], tuple[int, int] | None]:
    """``locate(text)``: the character span of ``text``'s first occurrence within ``size``
    characters after ``base``, or None."""
    window = doc_text(doc)[base: base + size]

    def locate(text: str) -> tuple[int, int] | None:
        k = window.find(text)
        return None if k < 0 else (base + k, base + k + len(text))

    return locate


class Entity(NamedTuple):
    """What the people finder reads of one of ``doc.ents``."""

    label: str
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str


def entities(doc) -> list[Entity]:
    """``doc.ents`` as plain tuples, built once while the Doc's entities stay the same.

    spaCy builds every entity Span again on each ``doc.ents``, walking all the tokens; the
    people finder asks for them once per title it reads.
    """
    key = doc.to_array([ENT_IOB, ENT_TYPE]).tobytes()
    cache = doc_cache(doc)
    cached = cache.get("entities")
    if cached is not None and cached[0] == key:
        return cached[1]
    found = [Entity(e.label_, e.start, e.end, e.start_char, e.end_char, e.text) for e in doc.ents]
    cache["entities"] = (key, found)
    return found


def _place_spans(doc) -> list[tuple[int, int]]:
    return [(e.start_char, e.end_char) for e in entities(doc) if e.label in ("GPE", "NORP", "LOC")]


class _Spans:
    """Character spans indexed by start, for the questions the role readers ask of every
    mention: which spans start near a place, which cover a range. Any spans (they may
    overlap); answers are those of a scan over all of them, found by bisecting instead (a
    scan per mention made releases with many names and organizations quadratic)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.items = sorted((int(s), int(e), n) for n, (s, e) in enumerate(spans))
        self.starts = [s for s, _, _ in self.items]
        self.reach: list[int] = []
        for _, e, _ in self.items:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def near(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(start, end, index) of the spans starting in [lo, hi]."""
        return self.items[bisect.bisect_left(self.starts, lo):bisect.bisect_right(self.starts, hi)]

    def reaching(self, pos: int, end: int) -> list[tuple[int, int, int]]:
        """(start, end, index) of the spans that start at or before ``pos`` and end at or
        after ``end``."""
        out = []
        k = bisect.bisect_right(self.starts, pos) - 1
        while k >= 0 and self.reach[k] >= end:
            if self.items[k][1] >= end:
                out.append(self.items[k])
            k -= 1
        return out


def _doc_spans(doc, org_spans: Sequence[tuple[int, int]]) -> dict[str, _Spans]:
    """Indexes of the Doc's organization spans, ORG entities and place entities, built once
    per organization list (compared by identity) and entity list."""
    ents = entities(doc)
    cache = doc_cache(doc)
    key = (org_spans, ents)
    cached = cache.get("spans")
    if cached is not None and all(a is b for a, b in zip(cached[0], key)):
        return cached[1]
    orgs = [(s, e) for s, e in org_spans]
    ner_orgs = [(e.start_char, e.end_char) for e in ents if e.label == "ORG"]
    built = {"orgs": _Spans(orgs), "orgs_and_ner": _Spans(orgs + ner_orgs),
             "places": _place_index(doc)}
    cache["spans"] = (key, built)
    return built


def _place_index(doc) -> _Spans:
    """Index of the Doc's place entities (GPE, NORP, LOC), built once per Doc."""
    ents = entities(doc)
    cache = doc_cache(doc)
    cached = cache.get("places")
    if cached is None or cached[0] is not ents:
        cached = cache["places"] = (ents, _Spans(_place_spans(doc)))
    return cached[1]


def _org_checker(doc, org_spans: Sequence[tuple[int, int]], base: int):
    """``is_org(text)`` for ``split_title_org``: the text is (or starts) an organization
    mention or an NER ORG entity near ``base``."""
    index = _doc_spans(doc, org_spans)
    spans, gpe = index["orgs_and_ner"], index["places"]
    locate = _locator(doc, base, 400)

    def is_org(text: str) -> bool:
        found = locate(text)
        if found is None:
            return False
        s, e = found
        if gpe.reaching(s, max(s + 1, e - 1)):  # a place entity holds its start: gs <= s < ge, ge >= e - 1
            return False
        return any(oe >= s + min(len(text), 4) for _, oe, _ in spans.near(s - 4, s + 4))

    return is_org


def _whole_org_checker(doc, org_spans: Sequence[tuple[int, int]], base: int):
    """``is_whole_org(text)``: the text near ``base`` is exactly one organization mention (the
    organization component's, not NER, which also tags ``ACR Child Protection``)."""
    spans = _doc_spans(doc, org_spans)["orgs"]
    locate = _locator(doc, base, 400)

    def is_whole_org(text: str) -> bool:
        found = locate(text)
        return found is not None and any(oe >= found[1] - 1
                                         for _, oe, _ in spans.near(found[0] - 4, found[0] + 4))

    return is_whole_org


def _mention_spans(doc, org_mentions: Sequence[dict]) -> _Spans:
    """Index of the organization mentions' spans, built once per Doc and list (compared by
    identity)."""
    cache = doc_cache(doc)
    cached = cache.get("org_mentions")
    if cached is None or cached[0] is not org_mentions:
        cached = cache["org_mentions"] = (org_mentions, _Spans([(int(m.get("start_char", -1)), int(m.get("end_char", -1)))
                                                                 for m in org_mentions]))
    return cached[1]


def _place_checker(doc, base: int):
    """``is_place(text)``: the text is a country, city or nationality by NER (not an employer)."""
    gpe = _place_index(doc)
    locate = _locator(doc, base, 300)

    def is_place(text: str) -> bool:
        found = locate(text)
        return found is not None and bool(gpe.reaching(found[0], found[1] - 1))

    return is_place
