"""Ctrl-C during a run: stop at once, keep every stored release, say how to resume.

Ctrl-C sends SIGINT to the whole foreground process group, so the local executor's worker
processes receive it too. Left alone, each would print a KeyboardInterrupt traceback. So,
while releases are parsed, SIGINT is handled here: a forked worker ignores it (it sets that
itself, and this handler, which it inherits, does nothing outside the parent); the parent
terminates its worker processes first, then raises KeyboardInterrupt. Dask's worker processes
are started with SIGINT ignored, and the cluster is closed by the executor. A release being
written to the store when Ctrl-C comes is written first (``Guard.hold``), so the count of
stored releases is exact. Releases whose rows are in the store stay there: the next run
takes them from the cache.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import warnings
from contextlib import contextmanager
from typing import Iterator


class Interrupted(Exception):
    """The run was stopped by Ctrl-C; ``stored`` releases of the inputs are in the store."""

    def __init__(self, stored: int, total: int):
        super().__init__(f"interrupted: {stored} releases stored, re-run to resume")
        self.stored, self.total = stored, total


def stop_workers() -> None:
    """Terminate this process's worker processes and reap them (a second at most each)."""
    children = multiprocessing.active_children()
    for p in children:
        p.terminate()
    for p in children:
        p.join(timeout=1)


class Guard:
    """Lets a short step finish before a Ctrl-C that comes during it is raised."""

    def __init__(self) -> None:
        self.holding = False
        self.pending = False

    @contextmanager
    def hold(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


@contextmanager
def stop_on_sigint(stop_children: bool = True) -> Iterator[Guard]:
    """Within the block, SIGINT terminates the worker processes (``stop_children``) and
    raises KeyboardInterrupt in this process only (after a step under ``Guard.hold``);
    workers forked inside ignore it.

    Outside the main thread signal handlers cannot be set, so the block runs unguarded.
    """
    guard = Guard()
    try:
        previous = signal.getsignal(signal.SIGINT)
    except ValueError:  # pragma: no cover - not the main thread
        yield guard
        return
    parent = os.getpid()

    def handler(signum, frame) -> None:
        if os.getpid() != parent:  # a forked worker: the parent decides
            return
        # spaCy warns that workers did not exit cleanly: they were stopped on purpose.
        warnings.filterwarnings("ignore", message=r"\[W127\]")
        if stop_children:
            stop_workers()
        if guard.holding:
            guard.pending = True
            return
        raise KeyboardInterrupt

    with warnings.catch_warnings():
        try:
            signal.signal(signal.SIGINT, handler)
        except ValueError:  # pragma: no cover - not the main thread
            yield guard
            return
        try:
            yield guard
        finally:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """Start processes in this block: they inherit SIGINT ignored (a spawned Python keeps
    an ignored SIGINT), so Ctrl-C reaches only this process, which stops them itself."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # pragma: no cover - not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def die_with(parent: int) -> None:
    """End this process (a worker, the model loader) when ``parent`` dies (Linux): a process
    left running after a kill -9 would keep the output folder's lock, which it inherited, and
    block the next run."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)
