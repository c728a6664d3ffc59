"""The run's inputs: files and folders named by the user, read into releases.

Kept apart from the readers (pipeline/ingest/) because it is about the run, not a format:
which folder each file was found in (its doc_id depends on it), which names clash, and
which files of a folder are not releases at all, so that nothing is left out silently.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.readers import SUFFIXES, IngestError, Release, collect_paths, read_path
from pipeline.run.rows import error_row


@dataclass
class Inputs:
    """Releases read, errors (rows of the ``errors`` table), and files that are no release."""

    releases: list[Release] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)


def missing_paths(paths: list[Path]) -> list[Path]:
    """The named inputs that are neither a file nor a folder."""
    return [p for p in paths if not p.exists()]


def unsupported_files(folder: Path) -> list[Path]:
    """Files of a folder that are not releases (``.pdf``, ``.md``, ``.csv``…), in the
    folders a run walks (hidden files and folders are not walked)."""
    out = []
    for f in sorted(folder.rglob("*")):
        parts = f.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or f.suffix.lower() in SUFFIXES:
            continue
        if f.is_file():
            out.append(f)
    return out


def describe_unsupported(files: list[str]) -> str:
    """``3 file(s) not read (not .html/.htm/.jsonl/.text/.txt): .csv 1, .md 1, .pdf 1``."""
    kinds = Counter(Path(f).suffix.lower() or "(no suffix)" for f in files)
    shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    return (f"{len(files)} file(s) not read (not {'/'.join(sorted(SUFFIXES))}): {shown}")


def _error(exc: IngestError) -> dict:
    return {"doc_id": exc.doc_id, "source": exc.source, "stage": "ingest", "message": exc.message}


def read_inputs(paths: list[Path]) -> Inputs:
    """Read every input; duplicates of a doc_id after the first are skipped, the error
    naming where both came from (file, and line of a JSONL record)."""
    out = Inputs()
    seen: dict[str, str] = {}
    for p in paths:
        files, missing = collect_paths([p])
        out.errors.extend(_error(e) for e in missing)
        root = p if p.is_dir() else None
        if root is not None:
            out.unsupported.extend(str(f) for f in unsupported_files(root))
        for f in files:
            for item in read_path(f, root=root):
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
    return out
