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
from typing import Callable, Iterator, NamedTuple

from pipeline.ingest.readers import (SUFFIXES, Found, IngestError, Release, clean_name,
                                     doc_id_of, find_files, read_path, scan_folder)
from pipeline.ingest.decode import settings


class Known(NamedTuple):
    """A release whose rows are stored, from a file that has not changed: the fields of
    ``Release`` a run reads, without the text (which is not read). A tuple, because a run
    over a 100,000-release folder makes one per unchanged file."""

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


def missing_paths(paths: list[Path]) -> list[Path]:
    """The named inputs that are neither a file nor a folder."""
    return [p for p in paths if not p.exists()]


def unsupported_files(folder: Path) -> list[Path]:
    """Files of a folder that are not releases (``.pdf``, ``.md``, ``.csv``…), in the
    folders a run walks (hidden files and folders are not walked)."""
    return [Path(f.path) for f in scan_folder(folder)[2]]


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


def _stored(f: Found, state: str, stored: Callable[[str, str], bool],
            same_file: Callable[[str, str, str], str | None] | None,
            max_bytes: int) -> Known | None:
    """The release of a .txt/.html file whose rows are stored (same doc_id, same bytes, same
    code), as a ``Known``: decoding and reading the header again would give what made
    the stored rows. None when the file must be read in full.

    ``same_file(doc_id, source, state)`` gives the stored sha256 of a file the store saw at
    this path with this size and time, when its rows are current; otherwise the file's bytes
    are hashed. Called for every file of the inputs, so the common case (an ASCII path, a
    file seen before) costs two dictionary lookups and no regular expression."""
    fmt = SUFFIXES.get(f.suffix)
    if fmt is None or fmt == "jsonl" or f.size > max_bytes:
        return None
    doc_id = doc_id_of(f.rel, f.stem)
    source = clean_name(f.path)
    sha = same_file(doc_id, source, state) if same_file else None
    if sha is not None:
        return Known(doc_id, source, sha, fmt)
    try:
        with open(f.path, "rb") as fh:
            sha = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
    if not stored(doc_id, sha):
        return None
    return Known(doc_id, source, sha, fmt)


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


def read_inputs(paths: list[Path], stored: Callable[[str, str], bool] | None = None,
                same_file: Callable[[str, str, str], str | None] | None = None) -> Inputs:
    """Read every input; duplicates of a doc_id after the first are skipped, the error
    naming where both came from (file, and line of a JSONL record).

    ``stored(doc_id, sha256)`` says whether a release's rows are in the row store: such a
    file is only hashed, and its release has no text (it will not be parsed)."""
    out = Inputs()
    seen: dict[str, str] = {}
    for p in paths:
        root = p if p.is_dir() else None
        with gc_paused():  # not while reading files in full (a parser may make cycles)
            files, problems, other = find_files(p)
            states = [file_state(f.size, f.mtime_ns) for f in files]
            max_bytes = settings()["max_file_bytes"]
            quick = [_stored(f, state, stored, same_file, max_bytes) if stored is not None
                     else None for f, state in zip(files, states)]
        out.errors.extend(_error(e) for e in problems)
        out.unsupported.extend(f.path for f in other)
        for f, state, known in zip(files, states, quick):
            for item in [known] if known is not None else read_path(Path(f.path), root=root):
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
                        out.stats[item.doc_id] = state
    return out
