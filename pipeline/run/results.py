"""What the per-release stage gives back for one release, wherever it ran.

Apart from the executors (which import spaCy), so a process that only receives results
(the run's parent, pipeline/run/preload.py) can unpickle them without importing spaCy.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from pipeline.ingest.readers import Release
from pipeline.run.inputs import error_row


@dataclass
class Result:
    """What the per-release stage gives back for one release: rows, or an error row."""

    doc_id: str
    rows: dict | None
    error: dict | None


def lost(releases: Iterable[Release], done: set[str], exitcodes: list[int | None]) -> Iterator[Result]:
    """An error row for each release of ``releases`` not in ``done``: the process that was
    parsing it died (``exitcodes`` of the processes that ran them say how) before sending it."""
    died = [code for code in exitcodes if code]
    how = ("no result from the worker processes" if not died else
           f"the worker process parsing it was killed by signal {-died[0]}" if died[0] < 0 else
           f"the worker process parsing it stopped (exit code {died[0]})")
    for r in releases:
        if r.doc_id not in done:
            yield Result(r.doc_id, None, error_row(r, "worker", how))
