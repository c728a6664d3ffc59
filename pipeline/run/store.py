"""Per-release rows kept between runs, so unchanged releases are never parsed twice.

One JSON file per release under ``<out>/.cache/``. Its name carries the key, so a lookup
is a ``stat``, not a read: ``<h>.<sha>.<fp>.json`` with ``h`` a hash of the doc_id, ``sha``
the start of the release's sha256 and ``fp`` the fingerprint of the code and model that
made the rows. A changed release or a new version of the pipeline means a new name; the
older file of the same release is removed once the new one is in place.

The store is also the source of the corpus tables: people, organizations and speakers are
recomputed from the rows of every stored release, without parsing anything again.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CACHE = ".cache"


def doc_hash(doc_id: str) -> str:
    """File-name-safe stand-in for a doc_id (doc_ids may hold '/', '..', spaces…)."""
    return hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    """One stored release: where it is, and the key it was made under."""

    path: Path
    h: str
    sha: str
    fingerprint: str


class RowStore:
    """The ``.cache`` folder of one output folder."""

    def __init__(self, out_dir: Path):
        self.root = Path(out_dir) / CACHE

    def _name(self, doc_id: str, sha256: str, fingerprint: str) -> Path:
        return self.root / f"{doc_hash(doc_id)}.{sha256[:16]}.{fingerprint}.json"

    def entries(self) -> dict[str, Entry]:
        """The newest entry per doc_id hash (by modification time)."""
        found: dict[str, Entry] = {}
        if not self.root.is_dir():
            return found
        for p in self.root.glob("*.json"):
            parts = p.name.split(".")
            if len(parts) != 4:
                continue
            e = Entry(p, parts[0], parts[1], parts[2])
            old = found.get(e.h)
            if old is None or _mtime(p) >= _mtime(old.path):
                found[e.h] = e
        return found

    @staticmethod
    def read(path: Path) -> dict | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data.get("rows") if isinstance(data, dict) else None

    def put(self, doc_id: str, sha256: str, fingerprint: str, rows: dict) -> None:
        """Store rows atomically, then drop older files of the same release."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._name(doc_id, sha256, fingerprint)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"doc_id": doc_id, "rows": rows}, ensure_ascii=False,
                                  default=str), encoding="utf-8")
        os.replace(tmp, path)
        for old in self.root.glob(f"{doc_hash(doc_id)}.*.json"):
            if old != path:
                old.unlink(missing_ok=True)

    def put_many(self, items: list[tuple[str, str, dict]], fingerprint: str) -> None:
        """Store (doc_id, sha256, rows) of many new releases at once (benchmarks build
        large stores this way); no older file of these releases may exist."""
        self.root.mkdir(parents=True, exist_ok=True)
        for doc_id, sha256, rows in items:
            self._name(doc_id, sha256, fingerprint).write_text(
                json.dumps({"doc_id": doc_id, "rows": rows}, ensure_ascii=False, default=str),
                encoding="utf-8")

    def all_rows(self) -> Iterator[tuple[str, dict]]:
        """(doc_id, rows) of every stored release."""
        for e in self.entries().values():
            rows = self.read(e.path)
            if rows and rows.get("documents"):
                yield rows["documents"][0]["doc_id"], rows

    def remove(self, hashes: set[str]) -> None:
        for h in hashes:
            for p in self.root.glob(f"{h}.*.json"):
                p.unlink(missing_ok=True)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0
