"""A per-release time budget for the project's components.

Why: one pathological release (a regex that backtracks, a quadratic loop on a 2 MB line)
must become an ``errors`` row, not a hung run. Each project component runs inside
``release_budget``, a thin wrapper that

- charges the time it takes to the release (``doc._.budget_spent``), and stops it with
  ``SIGALRM`` when the release's budget runs out (on the main thread of a process, which is
  where ``nlp.pipe`` runs components, with or without ``n_process``);
- turns any exception of the component into ``doc._.failed`` and lets the stream go on, so
  one bad release never stops the others.

The runner skips a failed release with its reason. Where no alarm can be set (a dask worker
runs tasks on threads), the budget is still checked after each component.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.extensions import register
from pipeline.run.settings import DEFAULT_BUDGET_SECONDS as DEFAULT_SECONDS

register("failed", default=None)
register("budget_spent", default=0.0)


class BudgetExceeded(Exception):
    """The release used up its time budget."""


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``BudgetExceeded`` in the block after ``seconds`` (main thread only)."""
    if seconds <= 0 or not _can_alarm():
        yield
        return

    def on_alarm(signum, frame):  # noqa: ARG001
        raise BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Budgeted:
    """Run ``component`` under the release's remaining budget; never raise."""

    def __init__(self, name: str, component, seconds: float):
        self.name = name
        self.component = component
        self.seconds = seconds

    def __call__(self, doc: Doc) -> Doc:
        if doc._.failed:
            return doc
        left = self.seconds - doc._.budget_spent if self.seconds > 0 else 0.0
        t0 = time.perf_counter()
        try:
            if self.seconds > 0 and left <= 0:
                raise BudgetExceeded()
            with deadline(left):
                doc = self.component(doc)
        except BudgetExceeded:
            doc._.failed = self._overrun()
        except Exception as exc:  # one release's bug must not stop the stream
            doc._.failed = f"{self.name}: {type(exc).__name__}: {exc}"
        spent = doc._.budget_spent + time.perf_counter() - t0
        doc._.budget_spent = spent
        if self.seconds > 0 and spent > self.seconds and not doc._.failed:
            doc._.failed = self._overrun()
        return doc

    def _overrun(self) -> str:
        return f"time budget of {self.seconds:g} s per release exceeded in {self.name}"


@Language.factory("release_budget",
                  default_config={"inner": "", "seconds": DEFAULT_SECONDS, "inner_config": {}})
def make_budgeted(nlp: Language, name: str, inner: str, seconds: float,
                  inner_config: dict) -> Budgeted:
    """Wrap the registered factory ``inner``, created with ``inner_config`` over its defaults."""
    return Budgeted(name, nlp.create_pipe(inner, name=name, config=inner_config), seconds)
