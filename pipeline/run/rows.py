"""The per-release stage: one release in, its rows out (before corpus resolve).

This is the unit of work the executors distribute (pipeline/run/executors.py): it needs the
spaCy pipeline and one release, nothing of the corpus, so it runs the same in this process,
in ``nlp.pipe`` worker processes or on a dask worker.
"""
from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.extensions import doc_text
from pipeline.ingest.readers import Release
from pipeline.extract.sections.component import Line, sentence_spans

# Per-release lists a component leaves on the Doc, and the per-release table they feed.
EXTRACTED = {
    "org_mentions": "organization_mentions",
    "dates": "dates",
    "statistics": "statistics",
    "quotes": "quotes",
}


class ExtractError(Exception):
    """A release the pipeline could not extract (component error or time budget)."""


def make_doc(nlp: Language, release: Release) -> Doc:
    """A tokenized Doc carrying what the components need from the release header."""
    doc = nlp.make_doc(release.text)
    doc._.doc_id = release.doc_id
    doc._.reference_date = release.reference_date
    doc._.date_convention = "timeml" if release.format == "timeml" else None
    h = release.header
    doc._.title_range = list(h.title_range) if h.title_range else None
    doc._.dateline_range = list(h.dateline_range) if h.dateline_range else None
    return doc


def _sentence_index(starts: list[int], char: int) -> int:
    return max(bisect.bisect_right(starts, char) - 1, 0)


def doc_rows(doc: Doc, release: Release) -> dict[str, list[dict]]:
    """Every per-release row of one parsed release; ``ExtractError`` if it failed."""
    if Doc.has_extension("failed") and doc._.failed:
        raise ExtractError(doc._.failed)
    doc_id = release.doc_id
    lines = doc._.lines or []
    line_objs = [Line(**ln) for ln in lines]
    text = doc_text(doc)
    spans = sentence_spans(text, [(s.start_char, s.end_char) for s in doc.sents], line_objs)
    sentences = [{
        "doc_id": doc_id, "sentence_id": i, "paragraph_id": ln.paragraph_id,
        "start_char": s, "end_char": e, "text": text[s:e], "section": ln.section,
        "is_boilerplate": ln.is_boilerplate, "is_heading": ln.is_heading,
        "is_list_item": ln.is_list_item,
    } for i, (s, e, ln) in enumerate(spans)]
    starts = [r["start_char"] for r in sentences]
    h = release.header
    rows: dict[str, list[dict]] = {
        "documents": [{
            "doc_id": doc_id, "source": release.source, "sha256": release.sha256,
            "title": h.title, "dateline": h.dateline, "published": h.published,
            "reference_date": release.reference_date, "n_sentences": len(sentences),
            "dateline_text": h.dateline_text,
            "reference_source": release.reference_source, "encoding": release.encoding,
            "format": release.format, "url": release.url, "text": release.text,
            "repairs": list(getattr(release, "repairs", None) or []),
        }],
        "sentences": sentences,
    }
    for attr, table in EXTRACTED.items():
        items = doc._.get(attr) if Doc.has_extension(attr) else None
        out = []
        for item in sorted(items or [], key=lambda d: (d["start_char"], d["end_char"])):
            row = dict(item)
            row["doc_id"] = doc_id
            row["sentence_id"] = _sentence_index(starts, item["start_char"])
            out.append(row)
        rows[table] = out
    for i, q in enumerate(rows["quotes"]):
        q["quote_id"] = i
    people = doc._.get("people") if Doc.has_extension("people") else None
    rows["doc_people"] = [dict(p, doc_id=doc_id) for p in (people or [])]
    return rows
