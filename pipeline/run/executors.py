"""Where the per-release stage runs: here, in forked worker processes, or on a dask cluster.

Both yield one ``Result`` per release, in any order; the runner stores the rows and builds
the corpus tables the same way whichever executor made them, so the outputs are the same.

- ``local``: releases stream through ``nlp.pipe`` in batches in this process; with
  ``n_process`` > 1, forked worker processes each run the whole stage on chunks of releases
  and send back only their rows.
- ``dask``: batches of releases are tasks on a ``dask.distributed`` cluster (a LocalCluster
  of ``n_workers`` processes when no scheduler address is given). Each worker process loads
  the spaCy pipeline once and keeps it for every task it runs.
"""
from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import Connection, wait
from typing import Iterator

from spacy.language import Language

from pipeline.ingest.readers import Release
from pipeline.run.blas import blas_threads
from pipeline.run.heap import keep_heap
from pipeline.run.settings import Settings
from pipeline.run.inputs import error_row
from pipeline.run.interrupt import die_with
from pipeline.run.results import Result, lost
from pipeline.run.rows import ExtractError, doc_rows, make_doc

BATCH_SIZE = 16
CONNECT_TIMEOUT = "20s"  # how long to wait for a --scheduler address


class ExecutorError(RuntimeError):
    """The executor could not start (no scheduler at the address, dask missing…)."""


def finish(doc, release: Release) -> Result:
    """Rows of a parsed release, or its error row: never raises."""
    try:
        return Result(release.doc_id, doc_rows(doc, release), None)
    except ExtractError as exc:
        return Result(release.doc_id, None, error_row(release, "extract", str(exc)))
    except Exception as exc:  # a bug in one release's rows must not sink the run
        return Result(release.doc_id, None,
                      error_row(release, "extract", f"rows: {type(exc).__name__}: {exc}"))


def run_local(nlp: Language, releases: list[Release], n_process: int = 1,
              batch_size: int = BATCH_SIZE) -> Iterator[Result]:
    """The per-release stage here: in this process, or in ``n_process`` forked workers.

    Workers (where the platform can fork) each run the whole stage, parse to rows, and send
    back only the rows; otherwise spaCy's own ``nlp.pipe(n_process=…)`` is used.
    """
    if n_process <= 1 or len(releases) <= 1:
        yield from run_inline(nlp, releases, batch_size)
    elif "fork" in multiprocessing.get_all_start_methods():
        yield from run_forked(nlp, releases, n_process, batch_size)
    else:  # pragma: no cover - Windows
        yield from run_inline(nlp, releases, batch_size, n_process)


def run_inline(nlp: Language, releases: list[Release], batch_size: int = BATCH_SIZE,
               n_process: int = 1) -> Iterator[Result]:
    """Stream releases through ``nlp.pipe`` and build their rows in this process.

    The project's components never raise (pipeline/run/budget.py); if spaCy's own stream still
    breaks, the releases not yet done are parsed one by one so only the faulty one is lost.
    Every executor parses here, on one BLAS thread per process (pipeline/run/blas.py).
    """
    with blas_threads():
        yield from _stream(nlp, releases, batch_size, n_process)


def _stream(nlp: Language, releases: list[Release], batch_size: int,
            n_process: int) -> Iterator[Result]:
    """``run_inline``'s stream, inside its BLAS limit."""
    by_id = {r.doc_id: r for r in releases}
    done: set[str] = set()
    try:
        docs = (make_doc(nlp, r) for r in releases)
        for doc in nlp.pipe(docs, batch_size=batch_size, n_process=n_process):
            release = by_id[doc._.doc_id]
            done.add(release.doc_id)
            yield finish(doc, release)
    except Exception:
        for r in releases:
            if r.doc_id in done:
                continue
            try:
                doc = nlp(make_doc(nlp, r))
            except Exception as exc:
                yield Result(r.doc_id, None, error_row(r, "spacy", f"{type(exc).__name__}: {exc}"))
                continue
            yield finish(doc, r)


# --------------------------------------------------------------------------- forked workers
#
# Why not ``nlp.pipe(n_process=N)``: there the parent tokenizes every release and serializes
# the Doc to the workers, each worker serializes the parsed Doc with all its extension data
# back, and the parent deserializes it and builds the rows (measured on 400 releases: 5 s
# of the parent's CPU against 80 s of parsing, taken from the two workers' two cores).
# Batches also come back in a fixed round-robin order, so a worker that finishes early waits
# for the other. Here the workers are forked once the pipeline is loaded (they share its
# memory, nothing is loaded or pickled), read the releases they inherited, run the whole
# per-release stage, and send back only rows; they take small chunks of releases, longest
# first, from a shared counter, so both stay busy to the end.

CHUNKS_PER_WORKER = 32  # ~ chunks each worker takes: small enough to end together


def chunks_by_length(releases: list[Release], n_process: int,
                     batch_size: int = BATCH_SIZE) -> list[list[int]]:
    """Indices of ``releases``, longest first, in chunks of about equal text length (at most
    ``batch_size`` releases): the shortest work comes last, so workers finish together."""
    order = sorted(range(len(releases)), key=lambda i: len(releases[i].text), reverse=True)
    target = sum(len(r.text) for r in releases) / (n_process * CHUNKS_PER_WORKER)
    chunks: list[list[int]] = []
    chunk: list[int] = []
    size = 0
    for i in order:
        chunk.append(i)
        size += len(releases[i].text)
        if size >= target or len(chunk) >= batch_size:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _worker(nlp: Language, releases: list[Release], chunks: list[list[int]], counter,
            conn: Connection, parent: int) -> None:
    """A forked worker: take the next chunk until none is left; send each chunk's results."""
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's (interrupt.py)
    keep_heap()  # a process that only parses (pipeline/run/heap.py)
    try:
        while True:
            with counter.get_lock():
                k = counter.value
                counter.value = k + 1
            if k >= len(chunks):
                break
            batch = [releases[i] for i in chunks[k]]
            conn.send(list(run_inline(nlp, batch, len(batch))))
    except (BrokenPipeError, EOFError):  # the parent is gone: nothing to send to
        pass
    finally:
        conn.close()


def run_forked(nlp: Language, releases: list[Release], n_process: int,
               batch_size: int = BATCH_SIZE) -> Iterator[Result]:
    """The per-release stage in ``n_process`` forked worker processes; results as they come.

    A worker that dies (killed, out of memory) loses only the chunk it held: those releases
    get an error row, the other workers take the rest.
    """
    ctx = multiprocessing.get_context("fork")
    chunks = chunks_by_length(releases, n_process, batch_size)
    counter = ctx.Value("q", 0)
    gc.freeze()  # the pipeline and the releases stay put: no GC pass copies their pages
    procs, readers = [], {}
    try:
        for _ in range(min(n_process, len(chunks))):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, daemon=True,
                               args=(nlp, releases, chunks, counter, send, os.getpid()))
            proc.start()
            send.close()
            procs.append(proc)
            readers[recv] = proc
        done: set[str] = set()
        while readers:
            for recv in wait(list(readers)):
                try:
                    results = recv.recv()
                except EOFError:  # the worker finished, or died
                    readers.pop(recv).join()
                    recv.close()
                    continue
                for res in results:
                    done.add(res.doc_id)
                    yield res
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join()
        for recv in readers:
            recv.close()
    yield from lost(releases, done, [p.exitcode for p in procs])


# --------------------------------------------------------------------------- dask

_WORKER_NLP: dict[tuple[str, float, str], Language] = {}
_WORKER_LOCK = threading.Lock()


def _worker_nlp(model: str, budget: float, settings: Settings | None = None) -> Language:
    from pipeline.run.nlp import build_nlp

    key = (model, budget, json.dumps(settings or {}, sort_keys=True))  # a file's content is fixed for the run
    if key not in _WORKER_NLP:
        _WORKER_NLP[key] = build_nlp(model, budget=budget, settings=settings)
        gc.freeze()  # the pipeline lives as long as the worker
    return _WORKER_NLP[key]


def parse_batch(releases: list[Release], model: str, budget: float,
                settings: Settings | None = None) -> list[Result]:
    """The dask task: one batch of releases through the worker's own pipeline."""
    with _WORKER_LOCK:  # one pipeline per worker process; threads take turns
        nlp = _worker_nlp(model, budget, settings)
        return list(run_inline(nlp, releases, batch_size=len(releases) or 1))


def run_dask(releases: list[Release], model: str, budget: float, n_workers: int = 2,
             scheduler: str | None = None, batch_size: int = BATCH_SIZE,
             settings: Settings | None = None) -> Iterator[Result]:
    """Run the per-release stage on a dask.distributed cluster; results as they finish."""
    if not releases:
        return
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - dask is a dependency
        raise ExecutorError("the dask executor needs dask[distributed]: "
                            "pip install 'dask[distributed]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        else:
            from pipeline.run.interrupt import sigint_ignored

            with sigint_ignored():  # Ctrl-C is for this process: it closes the cluster
                cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
    try:
        batches = [releases[i:i + batch_size] for i in range(0, len(releases), batch_size)]
        futures = client.map(parse_batch, batches, model=model, budget=budget,
                             settings=settings, pure=False)
        batch_of = {f.key: b for f, b in zip(futures, batches)}
        for fut in as_completed(futures):
            try:
                results = fut.result()
            except Exception as exc:  # a worker died or the task failed as a whole
                for r in batch_of[fut.key]:
                    yield Result(r.doc_id, None, error_row(
                        r, "dask", f"task failed on the cluster: {type(exc).__name__}: {exc}"))
                continue
            finally:
                fut.release()
            yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
