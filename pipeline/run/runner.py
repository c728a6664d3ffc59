"""Run the pipeline: releases in, Parquet tables out.

Flow, under the output folder's lock (pipeline/run/outputs.py):

1. ingest every input (pipeline/ingest/readers.py); bad files become ``errors`` rows;
2. look each release up in the row store by doc_id + sha256 + code fingerprint
   (pipeline/run/store.py): only new or changed releases are parsed;
3. the per-release stage (pipeline/run/rows.py) runs on an executor (pipeline/run/executors.py):
   ``nlp.pipe`` here, or a dask cluster; each release's rows go to the store as they come;
4. corpus resolve (pipeline/run/resolve.py) over the entity index of every release in the
   outputs: people, organizations, and the id of every written form; spliced into the
   previous run's where it can be (pipeline/run/splice.py: only what changed is resolved);
5. a new generation of the tables is written per partition (pipeline/run/partitions.py):
   parts whose rows or ids changed are written, the others linked from the previous
   generation; then it is swapped in at once.

A release removed from the inputs keeps its rows unless ``prune`` is set. A release that
cannot be read or extracted keeps its previous rows, and its error says so. Bad input never
stops the run, and the previous outputs are only replaced by complete new ones.
"""
from __future__ import annotations

import gc
import hashlib
import json
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

import pipeline
from pipeline.run import outputs
from pipeline.ingest.readers import Release
from pipeline.run.inputs import Known, read_inputs
from pipeline.run.interrupt import Guard, Interrupted, stop_on_sigint
from pipeline.run.modelinfo import model_label_of
from pipeline.run.preload import Preloader, preloading
from pipeline.run.settings import DEFAULT_BUDGET_SECONDS as DEFAULT_SECONDS, Settings, settings_key
from pipeline.run.store import Entry, RowStore, doc_hash, part_keys
from pipeline.run.tables import strings

if TYPE_CHECKING:
    from pipeline.run import partitions

# What shapes a release's rows: reading it, the extractors and their rule data, and the
# per-release stage of run/. Editing anything else (the CLI, the scorer and its data, the
# table writer) keeps the cached rows valid.
FINGERPRINTED = ("ingest", "extract", "resources", "run/nlp.py", "run/budget.py", "run/rows.py")


@dataclass
class RunSummary:
    """What a run did, for the CLI's closing summary."""

    read: int = 0          # releases of the inputs now in the outputs (parsed + cached)
    parsed: int = 0
    cached: int = 0
    kept: int = 0          # releases from earlier runs, not in these inputs, kept
    pruned: int = 0        # releases from earlier runs dropped by --prune
    skipped: list[dict] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # files of input folders not read
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    total: int = 0         # releases read from the inputs
    current: bool = False  # nothing changed: the existing tables were kept as they are
    plan: "partitions.Plan | None" = None  # what was done with each partition of the tables
    out_dir: Path | None = None


# --------------------------------------------------------------------------- fingerprint

def code_fingerprint(label: str, budget: float = DEFAULT_SECONDS, settings: Settings | None = None) -> str:
    """Hash of the code, data and settings that shape per-release rows, plus the model."""
    h = hashlib.sha256(f"{pipeline.__version__}|{label}|{budget:g}|{settings_key(settings)}".encode())
    root = Path(pipeline.__file__).parent
    for part in FINGERPRINTED:
        top = root / part
        for p in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if p.suffix in {".py", ".json", ".jsonl"} and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def writer_key(meta: dict[str, str]) -> str:
    """Hash of the model label, versions and the code of the corpus stage and table writer:
    a generation written under another key is rebuilt whole, never patched."""
    h = hashlib.sha256(json.dumps(meta, sort_keys=True).encode())
    root = Path(pipeline.__file__).parent / "run"
    for p in sorted(root.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:24]


def tables_key(code: str, parts: dict[str, str], errors: list[dict]) -> str:
    """Hash of everything the tables are made from: the writer, the key of each partition's
    stored rows (releases, bytes, code, source file) and the errors. Equal keys mean a new
    generation would be identical to the current one."""
    h = hashlib.sha256(code.encode())
    for part in sorted(parts):
        h.update(f"\n{part}\t{parts[part]}".encode())
    h.update(json.dumps(errors, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# --------------------------------------------------------------------------- ingest

def ingest_all(paths: list[Path]) -> tuple[list[Release], list[dict]]:
    """Read every input (pipeline/run/inputs.py): releases, and errors rows."""
    inputs = read_inputs(paths)
    return inputs.releases, inputs.errors


# --------------------------------------------------------------------------- run

def run(paths: Iterable[Path], out_dir: Path, model: str = pipeline.DEFAULT_MODEL,
        n_process: int = 1, use_cache: bool = True,
        progress: Callable[[int], Callable[[], None]] | None = None,
        prune: bool = False, executor: str = "local", scheduler: str | None = None,
        budget: float = DEFAULT_SECONDS, settings: Settings | None = None,
        full_resolve: bool = False) -> RunSummary:
    """Process ``paths`` into ``out_dir``; see the module docstring.

    Raises ``outputs.OutputError`` when the folder is locked or cannot be written,
    ``nlp.ModelNotFound`` for a missing model, ``executors.ExecutorError`` when the
    cluster cannot be reached, and ``interrupt.Interrupted`` on Ctrl-C; the previous outputs
    are intact in every case, and releases parsed before a Ctrl-C are kept in the store.
    ``full_resolve`` resolves the whole corpus and rewrites every table from the stored rows
    instead of only what the run's changes touch (the tables are the same; it is a check,
    and a way out).
    """
    summary = RunSummary(out_dir=Path(out_dir))
    try:
        with stop_on_sigint(stop_children=executor == "local") as guard:
            return _run(list(paths), summary, model, n_process, use_cache, progress, prune,
                        executor, scheduler, budget, settings, guard, full_resolve)
    except KeyboardInterrupt:
        raise Interrupted(summary.parsed + summary.cached, summary.total) from None
    except RuntimeError as exc:  # a Ctrl-C while a module defining a dataclass is imported
        if isinstance(exc.__cause__, KeyboardInterrupt):
            raise Interrupted(summary.parsed + summary.cached, summary.total) from None
        raise


def _run(paths: list, summary: RunSummary, model: str, n_process: int, use_cache: bool,
         progress: Callable[[int], Callable[[], None]] | None, prune: bool, executor: str,
         scheduler: str | None, budget: float, settings: Settings | None,
         guard: Guard, full_resolve: bool = False) -> RunSummary:
    t0 = time.perf_counter()
    out_dir = summary.out_dir
    with outputs.locked(out_dir), ExitStack() as stack:
        outputs.recover(out_dir)
        store = RowStore(out_dir)
        loader = stack.enter_context(preloading(store.stored_count(), model, budget, settings,
                                                n_process, executor, use_cache))
        label = model_label_of(model)
        fingerprint = code_fingerprint(label, budget, settings)
        _guard(out_dir, store.recover)
        index = store.index_table()
        inputs = read_inputs([Path(p) for p in paths], index.filter(
            pc.is_in(index["fingerprint"], strings([fingerprint]))) if use_cache else None)
        releases, errors, states = inputs.releases, inputs.errors, inputs.stats
        unchanged = pa.concat_arrays([strings([]), *inputs.cached])  # files not opened
        summary.unsupported = inputs.unsupported
        del inputs, index  # ``releases`` is the one reference to the texts, freed after parsing
        known = _entries_by_doc_id(store, (r.doc_id for r in releases))

        def stored(doc_id: str, sha256: str) -> bool:
            e = known.get(doc_id)
            return e is not None and e.sha == sha256[:16] and e.fingerprint == fingerprint

        summary.total = summary.cached = len(unchanged)
        summary.total += len(releases)
        todo = []
        for r in releases:  # a Known was found stored while reading
            if use_cache and (isinstance(r, Known) or stored(r.doc_id, r.sha256)):
                summary.cached += 1
            else:
                todo.append(r)
        tick = progress(len(todo)) if progress and todo else None
        by_id = {r.doc_id: r for r in todo}
        ok = {r.doc_id for r in releases} - set(by_id)
        todo_keys = [(r.doc_id, r.sha256) for r in todo]  # what an interruption reports
        meta = {"pipeline_version": pipeline.__version__, "spacy_pipeline": label,
                "code_fingerprint": fingerprint}
        code = writer_key(meta)
        ahead = None
        if todo and (loader is not None or executor == "dask" or n_process > 1):
            from pipeline.run.prefetch import Prefetch  # the parent waits: read meanwhile

            ahead = Prefetch(store, out_dir, code, full_resolve)
        try:
            for res in _execute(todo, model, n_process, executor, scheduler, budget, settings,
                                loader):
                if res.rows is not None:
                    r = by_id[res.doc_id]
                    with guard.hold():  # a Ctrl-C now is raised once the release is counted
                        _guard(out_dir, store.put, r.doc_id, r.sha256, fingerprint, res.rows,
                               states.get(r.doc_id))
                        summary.parsed += 1
                    ok.add(r.doc_id)
                else:
                    errors.append(res.error)
                if tick:
                    tick()
            in_inputs, moved = _sources(releases, ok, states, known)
            del releases, todo, by_id  # the texts are in the store's buffer: free them first
            if todo_keys:
                gc.collect()
            _guard(out_dir, store.set_sources, moved)
            _guard(out_dir, store.compact)  # the last rows, merged with small partitions:
            # before the tables, so they follow the partitions
        except BaseException:
            _guard(out_dir, store.flush)  # on Ctrl-C too: every parsed release is kept
            known = _entries_by_doc_id(store, (d for d, _ in todo_keys))  # what it reports
            summary.parsed = sum(1 for d, sha in todo_keys if stored(d, sha))
            raise
        summary.read = len(ok) + len(unchanged)

        failed = {doc_hash(e["doc_id"]) for e in errors if e.get("doc_id")}
        table = store.index_table()  # a stored release not in the inputs is stale
        listed = pc.or_(pc.is_in(table["h"], unchanged),
                        pc.is_in(table["h"], strings(sorted(in_inputs | failed))))
        stale = set(table.filter(pc.invert(listed))["h"].to_pylist())
        include = table.filter(listed) if prune else table
        summary.kept = 0 if prune else len(stale)
        summary.pruned = len(stale) if prune else 0
        kept = set(store.lookup(failed)) - set(_among(sorted(failed), unchanged))
        for err in errors:
            doc_id = err.get("doc_id")
            if doc_id and doc_id not in ok and doc_hash(doc_id) in kept:
                err["message"] += "; the previous extraction is kept"
        summary.skipped = errors

        keys = part_keys(include)
        key = tables_key(code, keys, errors)
        rows = None if summary.parsed or full_resolve else outputs.current_rows(out_dir, key)
        if rows is not None:  # the tables were made from exactly these rows: keep them
            summary.rows, summary.current = rows, True
            summary.seconds = time.perf_counter() - t0
            return summary
        from pipeline.run import partitions  # the resolvers import spaCy: only when needed

        ready = ahead.get(out_dir) if ahead is not None else None
        before = None if full_resolve else (
            ready.previous if ready is not None and ready.previous is not None
            else outputs.previous(out_dir, code))
        gen = outputs.Generation(out_dir, meta)
        try:
            summary.rows, part_rows, summary.plan, res = partitions.write(
                store, include, keys, gen, errors, before, ready)
            gen.write_state(key, summary.rows, code, keys, part_rows, res.maps())
        except BaseException:
            gen.abort()
            raise
        gen.commit()
        if prune:
            _guard(out_dir, store.remove, stale)
    summary.seconds = time.perf_counter() - t0
    return summary


def _sources(releases: list, ok: set[str], states: dict[str, str],
             known: dict[str, Entry]) -> tuple[set[str], dict[str, tuple[str, str | None]]]:
    """The doc_id hash of every release of the inputs (a stored release not among them is
    stale), and where each release now in the outputs was read from, with its file's size and
    time, where the index did not say so at the start: one pass, as a run makes it over
    100,000 releases."""
    in_inputs: set[str] = set()
    moved: dict[str, tuple[str, str | None]] = {}
    for r in releases:
        d = r.doc_id
        e = known.get(d)
        in_inputs.add(e.h if e is not None else doc_hash(d))
        if d in ok:
            now = (r.source, states.get(d))
            if e is None or (e.source, e.state) != now:
                moved[d] = now
    return in_inputs, moved


def _entries_by_doc_id(store: RowStore, doc_ids: Iterable[str]) -> dict[str, Entry]:
    """The stored entries of these releases, by doc_id."""
    return {e.doc_id: e for e in store.lookup(doc_hash(d) for d in doc_ids).values()}


def _among(hashes: list[str], these: pa.Array) -> list[str]:
    """The doc_id hashes of ``hashes`` that are in ``these``."""
    given = strings(hashes)
    return given.filter(pc.is_in(given, these)).to_pylist()


def _guard(out_dir: Path, fn: Callable, *args) -> None:
    """Call a row store write; a failing disk becomes an ``OutputError``."""
    try:
        fn(*args)
    except OSError as exc:
        raise outputs.OutputError(f"cannot write to {out_dir}/: {outputs.describe(exc)}; the "
                                  f"previous outputs are intact") from None


def _execute(todo: list[Release], model: str, n_process: int, executor: str,
             scheduler: str | None, budget: float, settings: Settings | None = None,
             loader: Preloader | None = None) -> Iterator:
    """The executor's results for ``todo``; the model is loaded only if there is work (or
    was loaded meanwhile by ``loader``: it parses them then, or is stopped unused)."""
    if loader is not None:
        if todo:
            return loader.run(todo)
        loader.close()
    if not todo:
        return iter(())
    from pipeline.run import executors

    if executor == "dask":
        return executors.run_dask(todo, model, budget, n_workers=n_process, scheduler=scheduler,
                                  settings=settings)
    if executor != "local":
        raise executors.ExecutorError(f"unknown executor {executor!r} (local or dask)")
    from pipeline.run.nlp import build_nlp

    nlp = build_nlp(model, budget=budget, settings=settings)
    gc.freeze()  # the model's objects live all run: keep them out of every GC pass
    return executors.run_local(nlp, todo, n_process=n_process)
