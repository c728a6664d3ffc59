"""The inputs as columns, and the files among them that the row store already holds.

A run over a folder of 100,000 releases, ten of them new, must not make a Python object per
unchanged file. So a folder is walked once (``os.listdir``, one ``stat`` per file, as
``scan_folder`` does) into plain lists of names, sizes and times. The files whose doc_id,
path, size and time are what the store index recorded are then found with one Arrow lookup
(as ``make`` and ``git status`` decide: the file is not opened). Only the other files become
``Found`` and go through the readers one by one.

Kept apart from ``scan_folder`` (pipeline/ingest/readers.py), which it equals file for file
(tested): the ingest code is part of the code fingerprint of every stored release, and how a
folder is walked changes no release's rows.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISREG

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest.readers import (SUFFIXES, Found, IngestError, clean_name, doc_id_of,
                                     find_files, hidden_file, split_suffix)
from pipeline.run.tables import int64s, strings

# A JSONL file holds many releases, each with its own doc_id: it is always read.
FAST_SUFFIXES = strings(sorted(s for s, fmt in SUFFIXES.items() if fmt != "jsonl"))
# Arrow scalars made here: a Python value given to a compute function is converted by
# ``pa.scalar``, which imports pandas (0.2 s of a run that needs none of it).
ONE, COLON, NUL = int64s([1])[0], strings([":"])[0], strings(["\0"])[0]


@dataclass
class Walk:
    """The release files of one input (a folder, or a file named on its own) as columns,
    in the order a run reads them (path order, as ``scan_folder``), with the errors and
    the files that are no release."""

    root: Path | None                      # the folder (None: a file named on its own)
    tops: list[str] = field(default_factory=list)    # per directory: path + separator
    prefixes: list[tuple[str, ...]] = field(default_factory=list)  # its parts below root
    top: list[int] = field(default_factory=list)     # per file: its directory
    name: list[str] = field(default_factory=list)
    stem: list[str] = field(default_factory=list)
    suffix: list[str] = field(default_factory=list)
    size: list[int] = field(default_factory=list)
    mtime: list[int] = field(default_factory=list)
    problems: list[IngestError] = field(default_factory=list)
    other: list[Found] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.name)

    def found(self, i: int) -> Found:
        """File ``i`` as the readers take it."""
        t, name = self.top[i], self.name[i]
        return Found(self.tops[t] + name, (*self.prefixes[t], name), self.size[i],
                     self.mtime[i], self.stem[i], self.suffix[i])

    def doc_ids(self) -> list[str]:
        """Each file's doc_id (``doc_id_of``, the readers' own rule). With an empty stem it
        gives the part every doc_id of a folder starts with; only a name that is not ASCII
        (which ``clean_name`` may change) is made on its own."""
        heads = [doc_id_of((*p, ""), "") for p in self.prefixes]
        ids = [heads[t] + stem for t, stem in zip(self.top, self.stem)]
        return [d if d.isascii() else doc_id_of((*self.prefixes[t], n), stem)
                for d, t, n, stem in zip(ids, self.top, self.name, self.stem)]

    def sources(self) -> list[str]:
        """Each file's path as stored (``clean_name``, which leaves ASCII as it is)."""
        paths = [self.tops[t] + n for t, n in zip(self.top, self.name)]
        return [p if p.isascii() else clean_name(p) for p in paths]


def walk(p: Path) -> Walk:
    """One input path as a ``Walk``: a folder walked as ``scan_folder`` walks it (hidden
    folders are not; a hidden release file is an error), a file named on its own taken
    whatever its name. ``os.listdir`` with plain strings, one ``stat`` per file, and lists,
    not an object per file: a corpus folder may hold 100,000 releases."""
    if p.is_dir():
        out, hidden = Walk(p), []
        _scan(out, str(p), (), hidden)
        out.problems = [hidden_file(Path(f.path)) for f in hidden]
        return out
    files, problems, _ = find_files(p)
    if not files:
        return Walk(None, problems=problems)
    (f,) = files  # the file itself
    name = f.rel[-1]
    return Walk(None, tops=[f.path[:len(f.path) - len(name)]], prefixes=[()], top=[0],
                name=[name], stem=[f.stem], suffix=[f.suffix], size=[f.size],
                mtime=[f.mtime_ns], problems=problems)


def _scan(out: Walk, top: str, prefix: tuple[str, ...], hidden: list[Found]) -> None:
    """Add the files of folder ``top`` (parts ``prefix`` below the input folder) to ``out``.
    Depth first, each folder's entries by name: files come in path order (``rel`` tuples
    compare part by part) without a sort of the whole list."""
    try:
        names = sorted(os.listdir(top))
        stats = _stats(top, names)
    except OSError:
        return
    t = len(out.tops)
    out.tops.append(os.path.join(top, ""))
    out.prefixes.append(prefix)
    tops, sizes, mtimes, stems, suffixes = out.top, out.size, out.mtime, out.stem, out.suffix
    for name, st in zip(names, stats):
        if st is None:
            continue
        if S_ISDIR(st.st_mode):
            if name[0] != ".":
                _scan(out, os.path.join(top, name), (*prefix, name), hidden)
            continue
        if not S_ISREG(st.st_mode):
            continue
        stem, suffix = split_suffix(name)
        if suffix in SUFFIXES and name[0] != ".":
            tops.append(t)
            out.name.append(name)
            sizes.append(st.st_size)
            mtimes.append(st.st_mtime_ns)
            stems.append(stem)
            suffixes.append(suffix)
        else:
            f = Found(os.path.join(top, name), (*prefix, name), st.st_size, st.st_mtime_ns,
                      stem, suffix)
            if name[0] != ".":
                out.other.append(f)
            elif suffix in SUFFIXES:
                hidden.append(f)


def _stats(top: str, names: list[str]) -> list[os.stat_result | None]:
    """``stat`` (following links, as ``DirEntry.is_file`` does) of each name in folder
    ``top``; None for one gone or unreadable. By full path, as ``DirEntry.stat``: relative to
    the open folder (``dir_fd``) was 0.04 s faster at 100,000 files, but reached files whose
    full path is too long, or lies past a symlink loop, that the readers then cannot open."""
    paths = [os.path.join(top, n) for n in names]
    try:
        return [os.stat(p) for p in paths]
    except OSError:  # one went meanwhile: each on its own
        return [_stat(p) for p in paths]


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


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
        return [Match(list(range(len(w))), strings([]), strings([])) for w in walks], doc_ids
    every = [strings(ids) for ids in doc_ids]
    one_each = [pc.is_in(strings(w.suffix), FAST_SUFFIXES) for w in walks]  # not JSONL
    counts = pc.value_counts(pa.chunked_array(
        [d.filter(mask) for d, mask in zip(every, one_each)], pa.string()))
    twice = counts.field("values").filter(pc.greater(counts.field("counts"), ONE))
    stored_key = _key(index["doc_id"], index["source"], index["state"])
    stored_key, hashes = (c.combine_chunks() for c in (stored_key, index["h"]))
    out = []
    for w, doc, not_jsonl in zip(walks, every, one_each):
        size = int64s(w.size)
        state = pc.binary_join_element_wise(pc.cast(size, pa.string()),
                                            pc.cast(int64s(w.mtime), pa.string()), COLON)
        where = pc.index_in(_key(doc, strings(w.sources()), state), stored_key)
        ok = pc.and_kleene(  # false, never null, where the index has no such file
            pc.and_kleene(pc.is_valid(where), not_jsonl),
            pc.and_kleene(pc.less_equal(size, int64s([max_bytes])[0]),
                          pc.invert(pc.is_in(doc, twice))))
        pos = pc.indices_nonzero(ok)
        out.append(Match(pc.indices_nonzero(pc.invert(ok)).to_pylist(),
                         pc.take(hashes, pc.take(where, pos)), doc.take(pos)))
    return out, doc_ids


def _key(doc_id: pa.Array, source: pa.Array, state: pa.Array) -> pa.Array:
    """What must be equal for a file to be the one stored: doc_id, path, size and time."""
    return pc.binary_join_element_wise(doc_id, source, state, NUL)
