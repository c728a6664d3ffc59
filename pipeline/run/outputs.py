"""The output folder: one writer at a time, and tables swapped in as a whole generation.

Layout of ``<out>/``::

    quotes/ -> .generations/g000007/quotes/     one folder per table (a relative symlink)
        part-000003.parquet                      the releases of one row-store partition
    .generations/g000007/<table>/...            the tables of one run (files a run did not
                                                 change are hard links to the previous run's)
    .generations/g000007/STATE                  what the tables were made from
    .generations/g000007/RESOLVED.parquet       the id of every written form (entity maps)
    .generations/CURRENT                        name of the committed generation
    .store/                                      per-release rows (see pipeline/run/store.py)
    .lock                                        held (flock) while a run writes

Why generations: a run may be killed at any moment. Every table of a run is written into a
new generation folder first; only when all of them are complete is the generation named in
``CURRENT`` (an atomic rename: the commit point), and then each table's symlink is swapped
with another atomic rename. So at every instant ``<out>/<table>`` is a complete table. If a
run dies between the commit and the last swap, the next run finishes the swaps first. The
previous generation is kept one more run, so a reader that listed the old files before a
swap can still read them.

Spark (``spark.read.parquet("outputs/quotes")``), DuckDB (``'outputs/quotes/*.parquet'``)
and pandas (``pd.read_parquet("outputs/quotes")``) read a table folder as one dataset.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.run.tables import TABLES, write_table

GENERATIONS = ".generations"
CURRENT = "CURRENT"
STATE = "STATE"  # in a generation: the key of what its tables were made from, rows per table
RESOLVED = "RESOLVED.parquet"  # in a generation: written form → id, per entity kind
CRASH_ENV = "PIPELINE_CRASH_AT"  # fault injection for tests: kill -9 ourselves at a point


class OutputError(RuntimeError):
    """The output folder cannot be used: locked by another run, read-only, disk full…"""


def _crash_point(name: str) -> None:
    """Die like ``kill -9`` at a named point when the tests ask for it."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), 9)


def describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only or not writable"
    return exc.strerror or str(exc)


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold ``<out>/.lock`` for the whole run; a second run on the same folder is refused.

    ``flock`` is released by the kernel when the process dies, so a killed run never
    leaves a stale lock behind.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}/: {describe(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise OutputError(
                f"another run (pid {holder}) is writing to {out_dir}/; wait for it to "
                f"finish or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- generations

def _gen_root(out_dir: Path) -> Path:
    return out_dir / GENERATIONS


def current_generation(out_dir: Path) -> str | None:
    try:
        return (_gen_root(out_dir) / CURRENT).read_text().strip() or None
    except OSError:
        return None


def _next_name(out_dir: Path) -> str:
    root = _gen_root(out_dir)
    numbers = [int(p.name[1:7]) for p in root.glob("g[0-9][0-9][0-9][0-9][0-9][0-9]*")
               if p.name[1:7].isdigit()]
    return f"g{max(numbers, default=0) + 1:06d}"


class Generation:
    """A new generation being written; nothing in it is visible until ``commit``."""

    def __init__(self, out_dir: Path, metadata: Mapping[str, str]):
        self.out_dir = out_dir
        self.name = _next_name(out_dir)
        self.tmp = _gen_root(out_dir) / f"{self.name}.tmp"
        self.metadata = dict(metadata)
        self.parts: dict[str, int] = {}
        try:
            if self.tmp.exists():
                shutil.rmtree(self.tmp)
            self.tmp.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(f"cannot write to {out_dir}/: {describe(exc)}") from None

    def write_part(self, name: str, table: pa.Table, part: str | None = None) -> None:
        """Add one part file to table ``name``: named ``part`` (a row-store partition's
        name), or numbered in call order."""
        n = self.parts.get(name, 0)
        path = self.tmp / name / (part or f"part-{n:06d}.parquet")
        try:
            write_table(table, path, self.metadata)
        except OSError as exc:
            self._fail(f"could not write {name} to", exc)
        self.parts[name] = n + 1

    def write_files(self, folder: str, files: Mapping[str, pa.Table]) -> None:
        """Write tables that are not part of the outputs (what the next run builds on) into
        ``folder`` of this generation."""
        try:
            (self.tmp / folder).mkdir(parents=True, exist_ok=True)
            for name, table in files.items():
                pq.write_table(table, self.tmp / folder / f"{name}.parquet", compression="zstd")
        except OSError as exc:
            self._fail("could not write to", exc)

    def link_part(self, name: str, part: str, previous: Path) -> None:
        """Give table ``name`` the previous generation's file ``part`` as it is (a hard link:
        no copy, and the previous generation stays intact for its readers)."""
        src, dst = previous / name / part, self.tmp / name / part
        try:
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dst)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                    raise
                shutil.copy2(src, dst)
        except OSError as exc:
            self._fail(f"could not write {name} to", exc)
        self.parts[name] = self.parts.get(name, 0) + 1

    def write_state(self, key: str, rows: Mapping[str, int], code: str = "",
                    parts: Mapping[str, str] | None = None,
                    part_rows: Mapping[str, Mapping[str, int]] | None = None,
                    maps: Mapping[str, Mapping[str, str | None]] | None = None) -> None:
        """Record what the tables were made from (see ``current_rows`` and ``previous``)."""
        state = {"key": key, "rows": dict(rows), "code": code, "parts": dict(parts or {}),
                 "part_rows": {k: dict(v) for k, v in (part_rows or {}).items()}}
        try:
            (self.tmp / STATE).write_text(json.dumps(state))
            if maps is not None:
                kinds, keys, ids = [], [], []
                for kind, forms in maps.items():
                    for k, v in forms.items():
                        kinds.append(kind)
                        keys.append(k)
                        ids.append(v)
                pq.write_table(pa.table({"kind": kinds, "key": keys, "id": ids},
                                        schema=RESOLVED_SCHEMA), self.tmp / RESOLVED,
                               compression="zstd")
        except OSError as exc:
            self._fail("could not write to", exc)

    def _fail(self, what: str, exc: OSError):
        self.abort()
        raise OutputError(f"{what} {self.out_dir}/: {describe(exc)}; the previous outputs are "
                          f"intact") from None

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def commit(self) -> None:
        """Make this generation the current one, then point every table at it."""
        try:
            _crash_point("before-commit")
            final = _gen_root(self.out_dir) / self.name
            os.replace(self.tmp, final)
            _write_atomic(_gen_root(self.out_dir) / CURRENT, self.name)
        except OSError as exc:
            self.abort()
            raise OutputError(f"could not commit the outputs in {self.out_dir}/: "
                              f"{describe(exc)}; the previous outputs are intact") from None
        _crash_point("after-commit")
        link_tables(self.out_dir)
        collect_garbage(self.out_dir)


RESOLVED_SCHEMA = pa.schema([("kind", pa.string()), ("key", pa.string()), ("id", pa.string())])


@dataclass
class Previous:
    """The committed generation a run builds on: its folder, the key of each partition's
    rows, the rows per table of each part, and the id of every written form."""

    folder: Path
    parts: dict[str, str]
    rows: dict[str, dict[str, int]]
    maps: dict[str, dict[str, str | None]]


def previous(out_dir: Path, code: str) -> Previous | None:
    """The current generation, if it was written per partition by the same code (else a
    run rebuilds every part)."""
    gen = current_generation(out_dir)
    if gen is None:
        return None
    folder = _gen_root(out_dir) / gen
    try:
        state = json.loads((folder / STATE).read_text())
        resolved = pq.ParquetFile(folder / RESOLVED).read()
    except (OSError, ValueError, pa.ArrowInvalid):
        return None
    if not isinstance(state, dict) or state.get("code") != code or not state.get("parts"):
        return None
    maps: dict[str, dict[str, str | None]] = {}
    for kind, key, id_ in zip(*(resolved.column(c).to_pylist() for c in ("kind", "key", "id"))):
        maps.setdefault(kind, {})[key] = id_
    return Previous(folder, state["parts"], state.get("part_rows") or {}, maps)


def current_rows(out_dir: Path, key: str) -> dict[str, int] | None:
    """Rows per table of the current generation if it was made under ``key`` and every
    table points at it; else None (the tables must be written)."""
    gen = current_generation(out_dir)
    if gen is None:
        return None
    try:
        state = json.loads((_gen_root(out_dir) / gen / STATE).read_text())
    except (OSError, ValueError):
        return None
    target = Path(GENERATIONS) / gen
    for name in TABLES:
        link = out_dir / name
        if not link.is_symlink() or Path(os.readlink(link)) != target / name:
            return None
    if not isinstance(state, dict) or state.get("key") != key:
        return None
    return state.get("rows")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def link_tables(out_dir: Path) -> None:
    """Point ``<out>/<table>`` at the current generation (idempotent: also the recovery)."""
    gen = current_generation(out_dir)
    if gen is None:
        return
    for i, name in enumerate(TABLES):
        target = Path(GENERATIONS) / gen / name
        link = out_dir / name
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.exists() and not link.is_symlink():  # a real folder from elsewhere: set aside
            os.replace(link, _gen_root(out_dir) / f"replaced-{name}")
        tmp = out_dir / f".{name}.link"
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp, target_is_directory=True)
        os.replace(tmp, link)
        if i == len(TABLES) // 2:
            _crash_point("mid-links")
    for name in TABLES:  # the one-file-per-table layout of earlier versions
        (out_dir / f"{name}.parquet").unlink(missing_ok=True)


def collect_garbage(out_dir: Path) -> None:
    """Drop unfinished generations and all but the current and previous ones."""
    root = _gen_root(out_dir)
    gen = current_generation(out_dir)
    if gen is None or not root.is_dir():
        return
    done = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("g")
                  and not p.name.endswith(".tmp"))
    keep = {gen}
    older = [p.name for p in done if p.name < gen]
    if older:
        keep.add(older[-1])
    for p in root.iterdir():
        if p.is_dir() and (p.name.endswith(".tmp") or p.name.startswith("replaced-")
                           or (p.name.startswith("g") and p.name not in keep)):
            shutil.rmtree(p, ignore_errors=True)


def recover(out_dir: Path) -> None:
    """Finish what a killed run left: swap the links of a committed generation, drop the rest."""
    try:
        link_tables(out_dir)
        collect_garbage(out_dir)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}/: {describe(exc)}") from None
