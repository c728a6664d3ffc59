"""The inputs as columns, and the files among them that the row store already holds.

A run over a folder of 100,000 releases, ten of them new, must not make a Python object per
unchanged file. So a folder is walked once (``os.scandir``, one ``stat`` per file, as
``scan_folder`` does) into plain lists of names, sizes and times. The files whose doc_id,
path, size and time are what the store index recorded are then found with one Arrow lookup
(as ``make`` and ``git status`` decide: the file is not opened). Only the other files become
``Found`` and go through the readers one by one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest.readers import SUFFIXES, Walk, find_files, walk_folder

# A JSONL file holds many releases, each with its own doc_id: it is always read.
FAST_SUFFIXES = pa.array(sorted(s for s, fmt in SUFFIXES.items() if fmt != "jsonl"))


def walk(p: Path) -> Walk:
    """One input path as a ``Walk``: a folder walked (``walk_folder``), a file named on its
    own taken whatever its name."""
    if p.is_dir():
        return walk_folder(p)
    files, problems, _ = find_files(p)
    out = Walk(None, problems=problems)
    for f in files:  # one: the file itself
        out.tops.append(f.path[:len(f.path) - len(f.rel[-1])])
        out.prefixes.append(())
        for col, value in zip(("top", "name", "size", "mtime", "stem", "suffix"),
                              (len(out.tops) - 1, f.rel[-1], f.size, f.mtime_ns,
                               f.stem, f.suffix)):
            getattr(out, col).append(value)
    return out


@dataclass
class Match:
    """The files of one walk whose rows the store holds (not opened), and the others."""

    others: list[int]          # positions of the files to read (or hash), in order
    stored: pa.Array           # the store's doc_id hash of each file not opened
    doc_ids: pa.Array          # and its doc_id


def unchanged(walks: list[Walk], index: pa.Table | None, max_bytes: int
              ) -> tuple[list[Match], list[list[str]]]:
    """Per walk, which files need not be opened, and every file's doc_id.

    A file need not be opened when its doc_id, path, size and time are what ``index`` (rows
    of the store index: the releases made by the current code) recorded, it is a .txt or
    .html within ``max_bytes``, and no other file of the inputs has its doc_id (which of two
    is read first is decided one by one, in order)."""
    doc_ids = [w.doc_ids() for w in walks]
    if index is None:  # every file is read
        return [Match(list(range(len(w))), pa.array([], pa.string()), pa.array([], pa.string()))
                for w in walks], doc_ids
    every = [pa.array(ids, pa.string()) for ids in doc_ids]
    counts = pc.value_counts(pa.chunked_array(
        [d.filter(pc.is_in(pa.array(w.suffix, pa.string()), FAST_SUFFIXES))
         for d, w in zip(every, walks)], pa.string()))
    twice = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    stored_key = _key(index["doc_id"], index["source"], index["state"])
    stored_key, hashes = (c.combine_chunks() for c in (stored_key, index["h"]))
    out = []
    for w, doc in zip(walks, every):
        size = pa.array(w.size, pa.int64())
        state = pc.binary_join_element_wise(pc.cast(size, pa.string()),
                                            pc.cast(pa.array(w.mtime, pa.int64()), pa.string()),
                                            ":")
        where = pc.index_in(_key(doc, pa.array(w.sources(), pa.string()), state), stored_key)
        ok = pc.and_(pc.and_(pc.is_valid(where), pc.is_in(pa.array(w.suffix, pa.string()),
                                                          FAST_SUFFIXES)),
                     pc.and_(pc.less_equal(size, max_bytes), pc.invert(pc.is_in(doc, twice))))
        ok = pc.fill_null(ok, False)
        pos = pc.indices_nonzero(ok)
        out.append(Match(pc.indices_nonzero(pc.invert(ok)).to_pylist(),
                         pc.take(hashes, pc.take(where, pos)), doc.take(pos)))
    return out, doc_ids


def _key(doc_id: pa.Array, source: pa.Array, state: pa.Array) -> pa.Array:
    """What must be equal for a file to be the one stored: doc_id, path, size and time."""
    return pc.binary_join_element_wise(doc_id, source, state, "\0")
