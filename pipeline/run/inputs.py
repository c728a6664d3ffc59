"""The run's inputs: files and folders named by the user, read into releases.

Kept apart from the readers (pipeline/ingest/) because it is about the run, not a format:
which folder each file was found in (its doc_id depends on it), which names clash, and
which files of a folder are not releases at all, so that nothing is left out silently.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.ingest.readers import (SUFFIXES, IngestError, Release, clean_name, doc_id_for,
                                     hidden_file, read_path, scan_folder)
from pipeline.ingest.decode import settings


@dataclass
class Inputs:
    """Releases read, errors (rows of the ``errors`` table), and files that are no release."""

    releases: list[Release] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    stats: dict[str, str] = field(default_factory=dict)  # doc_id -> file_state of its file


def missing_paths(paths: list[Path]) -> list[Path]:
    """The named inputs that are neither a file nor a folder."""
    return [p for p in paths if not p.exists()]


def unsupported_files(folder: Path) -> list[Path]:
    """Files of a folder that are not releases (``.pdf``, ``.md``, ``.csv``…), in the
    folders a run walks (hidden files and folders are not walked)."""
    return scan_folder(folder)[2]


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


def file_state(f: Path) -> str | None:
    """Size and modification time of a file: when they and its path are what the row store
    recorded, the file is not read again (as ``make`` and ``git status`` do; ``--no-cache``
    reads everything)."""
    try:
        st = f.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def _stored(f: Path, root: Path | None, stored: Callable[[str, str], bool],
            same_file: Callable[[str, str, str], str | None] | None,
            state: str | None) -> Release | None:
    """The release of a .txt/.html file whose rows are stored (same doc_id, same bytes, same
    code), without its text: decoding and reading the header again would give what made
    the stored rows. None when the file must be read in full.

    ``same_file(doc_id, source, state)`` gives the stored sha256 of a file the store saw at
    this path with this size and time; otherwise the file's bytes are hashed."""
    fmt = SUFFIXES.get(f.suffix.lower())
    if fmt in (None, "jsonl") or state is None:
        return None
    if int(state.split(":")[0]) > settings()["max_file_bytes"]:
        return None
    doc_id = doc_id_for(f, root)
    source = clean_name(str(f))
    sha = same_file(doc_id, source, state) if same_file is not None else None
    if sha is None:
        try:
            sha = hashlib.sha256(f.read_bytes()).hexdigest()
        except OSError:
            return None
    if not stored(doc_id, sha):
        return None
    return Release(doc_id=doc_id, source=source, sha256=sha, text="", format=fmt)


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
        if root is not None:
            files, hidden, other = scan_folder(root)
            out.errors.extend(_error(hidden_file(f)) for f in hidden)
            out.unsupported.extend(str(f) for f in other)
        elif p.is_file():
            files = [p]
        else:
            out.errors.append(_error(IngestError(clean_name(str(p)), "no such file or folder",
                                                 clean_name(p.stem))))
            continue
        for f in files:
            state = file_state(f) if SUFFIXES.get(f.suffix.lower()) not in (None, "jsonl") else None
            quick = _stored(f, root, stored, same_file, state) if stored is not None else None
            for item in [quick] if quick is not None else read_path(f, root=root):
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
                    if state is not None:
                        out.stats[item.doc_id] = state
    return out
