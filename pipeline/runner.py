"""Run the pipeline: releases in, Parquet tables out.

Flow: ingest → spaCy (model + project components) → per-release rows (pure function of the
Doc) → corpus resolve (people, organizations; from rows alone) → atomic Parquet writes.

Incremental: each release's rows are cached under ``<out>/.cache/`` keyed by the sha256 of its
bytes and a fingerprint of the pipeline's code, data and model, so a re-run parses only new or
changed releases and resolve runs again over all of them.

Bad input never stops the run: a release that cannot be read or extracted goes into the
``errors`` table and the summary, the others still process, and earlier outputs are only
replaced once every table is ready.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

import pipeline
from pipeline import tables
from pipeline.ingest import IngestError, Release, collect_paths, read_path
from pipeline.extensions import doc_text
from pipeline.sections import Line, sentence_spans

# Per-release lists a component leaves on the Doc, and the per-release table they feed.
EXTRACTED = {
    "org_mentions": "organization_mentions",
    "dates": "dates",
    "statistics": "statistics",
    "quotes": "quotes",
}


@dataclass
class RunSummary:
    """What a run did, for the CLI's closing summary."""

    read: int = 0
    parsed: int = 0
    cached: int = 0
    skipped: list[dict] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    out_dir: Path | None = None


# --------------------------------------------------------------------------- fingerprint

def code_fingerprint(model_label: str) -> str:
    """Hash of the package's code and data plus the model: a change invalidates the cache."""
    h = hashlib.sha256(f"{pipeline.__version__}|{model_label}".encode())
    root = Path(pipeline.__file__).parent
    for p in sorted(root.rglob("*")):
        if p.suffix in {".py", ".json", ".jsonl"} and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- rows

def _sentence_index(starts: list[int], char: int) -> int:
    return max(bisect.bisect_right(starts, char) - 1, 0)


def doc_rows(doc: Doc, release: Release) -> dict[str, list[dict]]:
    """Every per-release row of one parsed release (before corpus resolve)."""
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


# --------------------------------------------------------------------------- cache

def _cache_path(out_dir: Path, doc_id: str) -> Path:
    safe = hashlib.sha1(doc_id.encode()).hexdigest()[:10]
    return out_dir / ".cache" / f"{safe}.json"


def _read_cache(out_dir: Path, doc_id: str) -> dict | None:
    try:
        return json.loads(_cache_path(out_dir, doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_cached(out_dir: Path, release: Release, fingerprint: str) -> dict | None:
    """Rows of an unchanged release parsed by the same code and model, else None."""
    data = _read_cache(out_dir, release.doc_id)
    if data and data.get("key") == [release.doc_id, release.sha256, fingerprint]:
        return data["rows"]
    return None


def keep_previous(out_dir: Path, errors: list[dict], per_doc: dict[str, dict]) -> None:
    """A release that can no longer be read keeps its last good extraction.

    Nothing is lost when a file is damaged: its rows from the previous run stay in the
    outputs, and its error says so.
    """
    for err in errors:
        doc_id = err.get("doc_id")
        if not doc_id or doc_id in per_doc:
            continue
        data = _read_cache(out_dir, doc_id)
        if data and data.get("key", [None])[0] == doc_id:
            per_doc[doc_id] = data["rows"]
            err["message"] += "; the previous extraction is kept"


def save_cached(out_dir: Path, release: Release, fingerprint: str, rows: dict) -> None:
    p = _cache_path(out_dir, release.doc_id)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": [release.doc_id, release.sha256, fingerprint],
                               "rows": rows}, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(p)


# --------------------------------------------------------------------------- run

def ingest_all(paths: list[Path]) -> tuple[list[Release], list[dict]]:
    """Read every input; duplicates of a doc_id after the first are skipped with a reason."""
    files, missing = collect_paths(paths)
    releases: list[Release] = []
    errors = [_error(e, "ingest") for e in missing]
    seen: dict[str, str] = {}
    for f in files:
        for item in read_path(f):
            if isinstance(item, IngestError):
                errors.append(_error(item, "ingest"))
            elif item.doc_id in seen:
                errors.append({"doc_id": item.doc_id, "source": item.source, "stage": "ingest",
                               "message": f"duplicate doc_id (first read from {seen[item.doc_id]})"})
            else:
                seen[item.doc_id] = item.source
                releases.append(item)
    return releases, errors


def _error(exc: IngestError, stage: str) -> dict:
    return {"doc_id": exc.doc_id, "source": exc.source, "stage": stage, "message": exc.message}


def make_doc(nlp: Language, release: Release) -> Doc:
    doc = nlp.make_doc(release.text)
    doc._.doc_id = release.doc_id
    doc._.reference_date = release.reference_date
    h = release.header
    doc._.title_range = list(h.title_range) if h.title_range else None
    doc._.dateline_range = list(h.dateline_range) if h.dateline_range else None
    return doc


def parse_releases(nlp: Language, releases: list[Release], n_process: int = 1,
                   on_done: Callable[[], None] | None = None
                   ) -> tuple[dict[str, dict], list[dict]]:
    """Run spaCy over releases; return rows per doc_id and the releases that failed.

    Releases stream through ``nlp.pipe``. If a component raises, the stream stops; the
    releases not yet done are then parsed one by one, so only the faulty one is skipped.
    """
    out: dict[str, dict] = {}
    errors: list[dict] = []

    def finish(release: Release, doc: Doc) -> None:
        try:
            out[release.doc_id] = doc_rows(doc, release)
        except Exception as exc:  # a bug in one release's rows must not sink the run
            errors.append(_extract_error(release, "rows", exc))
        if on_done:
            on_done()

    by_id = {r.doc_id: r for r in releases}
    try:
        docs = (make_doc(nlp, r) for r in releases)
        for doc in nlp.pipe(docs, batch_size=8, n_process=n_process):
            finish(by_id[doc._.doc_id], doc)
    except Exception:
        done = set(out) | {e["doc_id"] for e in errors}
        for r in releases:
            if r.doc_id in done:
                continue
            try:
                doc = nlp(make_doc(nlp, r))
            except Exception as exc:
                errors.append(_extract_error(r, "spacy", exc))
                if on_done:
                    on_done()
                continue
            finish(r, doc)
    return out, errors


def _extract_error(release: Release, where: str, exc: Exception) -> dict:
    return {"doc_id": release.doc_id, "source": release.source, "stage": "extract",
            "message": f"{where}: {type(exc).__name__}: {exc}"}


def run(paths: Iterable[Path], out_dir: Path, model: str = pipeline.DEFAULT_MODEL,
        n_process: int = 1, use_cache: bool = True,
        progress: Callable[[int], Callable[[], None]] | None = None) -> RunSummary:
    """Process ``paths`` into ``out_dir``; see the module docstring."""
    from pipeline.nlp import build_nlp, model_label
    from pipeline.resolve import resolve

    t0 = time.perf_counter()
    summary = RunSummary(out_dir=out_dir)
    releases, errors = ingest_all([Path(p) for p in paths])
    nlp = build_nlp(model)
    label = model_label(nlp)
    fingerprint = code_fingerprint(label)
    per_doc: dict[str, dict] = {}
    todo = []
    for r in releases:
        cached = load_cached(out_dir, r, fingerprint) if use_cache else None
        if cached is not None:
            per_doc[r.doc_id] = cached
        else:
            todo.append(r)
    summary.cached = len(per_doc)
    tick = progress(len(todo)) if progress and todo else None
    parsed, extract_errors = parse_releases(nlp, todo, n_process=n_process, on_done=tick)
    for r in todo:
        if r.doc_id in parsed:
            save_cached(out_dir, r, fingerprint, parsed[r.doc_id])
    per_doc.update(parsed)
    errors.extend(extract_errors)
    summary.parsed = len(parsed)
    summary.read = len(per_doc)
    if use_cache:
        keep_previous(out_dir, errors, per_doc)
    summary.skipped = errors

    ordered = [per_doc[k] for k in sorted(per_doc)]
    final = resolve(ordered)
    final["errors"] = errors
    built = {name: tables.to_table(name, final.get(name, [])) for name in tables.TABLES}
    meta = {"pipeline_version": pipeline.__version__, "spacy_pipeline": label,
            "code_fingerprint": fingerprint}
    tables.write_tables(built, out_dir, meta)
    summary.rows = {name: t.num_rows for name, t in built.items()}
    summary.seconds = time.perf_counter() - t0
    return summary
