"""Load the model on the other core while a large corpus folder is walked.

A run that adds ten releases to a store of 100,000 first walks the input folder and checks
every file against the store (about a second there), and only then knows it must parse; the
import of spaCy and the model load (another second) used to follow. ``Preloader`` forks a
process at the start of such a run, before the parent imports spaCy: it builds the pipeline
while the parent walks. When the walk has found releases to parse they go to it over a pipe
and it runs the per-release stage (pipeline/run/executors.py, with the run's number of
workers, forked from it once the model is loaded), sending rows back as they come. When
nothing is to be parsed it is stopped unused, which costs the parent nothing: the other core
did the loading.

Only worth it when the walk is long: ``worth_preloading`` asks for a store of at least
``PRELOAD_STORED`` releases; a smaller run loads the model itself, as before.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Iterator

from pipeline.ingest.readers import Release
from pipeline.run.interrupt import die_with
from pipeline.run.results import Result, lost
from pipeline.run.settings import Settings

PRELOAD_STORED = 5_000  # stored releases from which the walk and check hide a model load


def worth_preloading(stored: int, executor: str, use_cache: bool) -> bool:
    """Whether a run should preload: local executor, a cache to check against, a large
    store, and a platform that forks."""
    return (executor == "local" and use_cache and stored >= PRELOAD_STORED
            and "fork" in multiprocessing.get_all_start_methods())


@contextmanager
def preloading(stored: int, model: str, budget: float, settings: Settings | None,
               n_process: int, executor: str, use_cache: bool) -> Iterator[Preloader | None]:
    """A ``Preloader`` for the block when the run is worth it (``worth_preloading``), else
    None; stopped when the block ends, however it ends."""
    if not worth_preloading(stored, executor, use_cache):
        yield None
        return
    loader = Preloader(model, budget, settings, n_process)
    try:
        yield loader
    finally:
        loader.close()


class Preloader:
    """A forked process that loads the pipeline now and parses the releases given later."""

    def __init__(self, model: str, budget: float, settings: Settings | None, n_process: int):
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=True)
        # not a daemon: it forks the workers of a run with several (a daemon may not); it
        # ends with this process all the same (``interrupt.die_with``)
        self._proc = ctx.Process(target=_serve, args=(
            child, model, budget, settings, n_process, os.getpid()))
        self._proc.start()
        child.close()

    def run(self, releases: list[Release]) -> Iterator[Result]:
        """Results of ``releases``, as the loader sends them; an error of the model load
        (a missing model, bad settings) is raised here, as a local load would raise it."""
        done: set[str] = set()
        try:
            self._conn.send(releases)
            while True:
                try:
                    kind, payload = self._conn.recv()
                except EOFError:  # the loader died
                    break
                if kind == "error":
                    raise payload
                if kind == "done":
                    break
                done.add(payload.doc_id)
                yield payload
        except OSError:  # a broken pipe: the loader died before it was asked, or while sending
            pass
        finally:
            self.close()
        yield from lost(releases, done, [self._proc.exitcode])

    def close(self) -> None:
        """Stop the loader (unused, or done) and reap it."""
        self._conn.close()
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()


def _serve(conn: Connection, model: str, budget: float, settings: Settings | None,
           n_process: int, parent: int) -> None:
    """The loader: build the pipeline, wait for releases, send back their results."""
    die_with(parent)  # first: the imports below take half a second
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's (interrupt.py)
    from pipeline.run import executors
    from pipeline.run.nlp import build_nlp

    try:
        nlp = build_nlp(model, budget=budget, settings=settings)
        gc.freeze()  # the model's objects live as long as this process
    except Exception as exc:  # reported when the parent asks for results
        nlp, error = None, exc
    try:
        releases = conn.recv()
        if nlp is None:
            try:
                conn.send(("error", error))
            except Exception:  # an exception that does not pickle: its message does
                conn.send(("error", RuntimeError(str(error))))
            return
        for res in executors.run_local(nlp, releases, n_process=n_process):
            conn.send(("result", res))
        conn.send(("done", None))
    except (OSError, EOFError):  # the parent is gone, or closed the pipe with results unread
        pass
    finally:
        conn.close()
