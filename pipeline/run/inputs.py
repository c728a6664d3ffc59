"""The run's inputs: files and folders named by the user, read into releases.

Kept apart from the readers (pipeline/ingest/) because it is about the run, not a format:
which folder each file was found in (its doc_id depends on it), which names clash, and
which files of a folder are not releases at all, so that nothing is left out silently.
"""
from __future__ import annotations

import gc
import hashlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest.readers import (SUFFIXES, Found, IngestError, Release, clean_name,
                                     read_path)
from pipeline.run.listing import Match, Walk, unchanged, walk
from pipeline.run.tables import strings
from pipeline.ingest.decode import settings


class Known(NamedTuple):
    """A release whose rows are stored, from a file holding the bytes they were made from
    (touched or copied, not edited): the fields of ``Release`` a run reads, without the
    text (which is not read)."""

    doc_id: str
    source: str
    sha256: str
    format: str
    text: str = ""
    location: str | None = None


@dataclass
class Inputs:
    """Releases read, errors (rows of the ``errors`` table), and files that are no release."""

    releases: list[Release | Known] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    stats: dict[str, str] = field(default_factory=dict)  # doc_id -> file_state of its file
    cached: list[pa.Array] = field(default_factory=list)  # doc_id hashes of files not opened


def missing_paths(paths: list[Path]) -> list[Path]:
    """The named inputs that are neither a file nor a folder."""
    return [p for p in paths if not p.exists()]


def error_row(release: Release, stage: str, message: str) -> dict:
    """A row of the ``errors`` table for a release that was read but not processed."""
    return {"doc_id": release.doc_id, "source": release.source, "stage": stage,
            "message": message}


def describe_unsupported(files: list[str]) -> str:
    """``3 file(s) not read (not .html/.htm/.jsonl/.text/.txt): .csv 1, .md 1, .pdf 1``."""
    kinds = Counter(Path(f).suffix.lower() or "(no suffix)" for f in files)
    shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    return (f"{len(files)} file(s) not read (not {'/'.join(sorted(SUFFIXES))}): {shown}")


def _error(exc: IngestError) -> dict:
    return {"doc_id": exc.doc_id, "source": exc.source, "stage": "ingest", "message": exc.message}


def file_state(size: int, mtime_ns: int) -> str:
    """Size and modification time of a file: when they and its path are what the row store
    recorded, the file is not read again (as ``make`` and ``git status`` do; ``--no-cache``
    reads everything)."""
    return f"{size}:{mtime_ns}"


def _stored(f: Found, doc_id: str, stored: Callable[[str], bool]) -> Known | None:
    """The release of a .txt/.html file whose rows are stored under the bytes it holds now
    (a file touched, or copied, but not edited), as a ``Known``: decoding and reading the
    header again would give what made the stored rows. None when it must be read in full."""
    try:
        with open(f.path, "rb") as fh:
            sha = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
    return Known(doc_id, clean_name(f.path), sha, SUFFIXES[f.suffix]) if stored(sha) else None


@contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection meanwhile: checking 100,000 files against the store makes
    several small objects each and no reference cycles, and the collector's passes over the
    run's store index then cost about a fifth of the walk (measured), for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_inputs(paths: list[Path], index: pa.Table | None = None) -> Inputs:
    """Read every input; duplicates of a doc_id after the first are skipped, the error
    naming where both came from (file, and line of a JSONL record).

    ``index``: the row store's releases made by the current code (rows of its index), or
    None to read every file. A file the index names with the same path, size and time is
    not opened (pipeline/run/listing.py): its release is in ``Inputs.cached`` only. Another
    file whose bytes are stored is only hashed: its release is a ``Known``, without text."""
    with gc_paused():  # not while reading files in full (a parser may make cycles)
        walks = [walk(p) for p in paths]
        max_bytes = settings()["max_file_bytes"]
        matches, doc_ids = unchanged(walks, index, max_bytes)
    fast = pa.chunked_array([m.doc_ids for m in matches], pa.string())
    clash: set[str] = set()
    while True:  # a JSONL record's doc_id may be a file's: then both are read in order
        out = _read(walks, matches, doc_ids, index, max_bytes, clash)
        jsonl = strings([r.doc_id for r in out.releases if r.format == "jsonl"])
        more = set(fast.filter(pc.is_in(fast, jsonl)).to_pylist()) - clash
        if not more:
            return out
        clash |= more


def _read(walks: list[Walk], matches: list[Match], doc_ids: list[list[str]],
          index: pa.Table | None, max_bytes: int, clash: set[str]) -> Inputs:
    """``read_inputs`` once the files not to open are known (``clash``: doc_ids of those
    that must be read in order after all)."""
    out = Inputs()
    seen: dict[str, str] = {}
    for w, match, ids in zip(walks, matches, doc_ids):
        out.errors.extend(_error(e) for e in w.problems)
        out.unsupported.extend(f.path for f in w.other)
        todo: Iterable[int] = match.others
        if clash:  # files not opened but for those whose doc_id a JSONL record has
            keep = pc.invert(pc.is_in(match.doc_ids, strings(sorted(clash))))
            out.cached.append(match.stored.filter(keep))
            others = set(match.others)
            todo = [i for i in range(len(w)) if i in others or ids[i] in clash]
        else:
            out.cached.append(match.stored)
        hashable = {i: ids[i] for i in todo
                    if SUFFIXES[w.suffix[i]] != "jsonl" and w.size[i] <= max_bytes}
        sha_of = _by_doc_id(index, list(hashable.values()))
        for i in todo:
            f = w.found(i)
            d = hashable.get(i)
            known = _stored(f, d, lambda sha: sha_of[d] == sha[:16]) if d in sha_of else None
            for item in [known] if known is not None else read_path(Path(f.path), root=w.root):
                if isinstance(item, IngestError):
                    out.errors.append(_error(item))
                    continue
                where = item.location or item.source
                if item.doc_id in seen:
                    row = error_row(item, "ingest", f"duplicate doc_id {item.doc_id!r} "
                                                    f"(first read from {seen[item.doc_id]})")
                    row["source"] = where
                    out.errors.append(row)
                else:
                    seen[item.doc_id] = where
                    out.releases.append(item)
                    if item.format != "jsonl":
                        out.stats[item.doc_id] = file_state(f.size, f.mtime_ns)
    return out


def _by_doc_id(index: pa.Table | None, doc_ids: list[str]) -> dict[str, str]:
    """The stored sha of these releases (by doc_id), where the index holds them."""
    if index is None or not doc_ids:
        return {}
    hit = index.filter(pc.is_in(index["doc_id"], strings(doc_ids)))
    return dict(zip(hit["doc_id"].to_pylist(), hit["sha"].to_pylist()))
