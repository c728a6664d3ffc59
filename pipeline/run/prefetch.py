"""While releases are parsed elsewhere, read what the corpus resolve will need.

A run that adds ten releases to 100,000 waits about a second for them to be parsed (by the
preloaded model's process, the ``--workers`` or a cluster); the parent only stores what comes
back. Meanwhile a thread reads the previous generation's resolution (its maps, tables and
``RESOLUTION/``, pipeline/run/splice.py) and the entity index of the store partitions the run
will not rewrite (those holding at least half ``PART_SIZE`` releases: compaction leaves them
alone). Parquet reads release the GIL, so this costs the parent nothing it was using.

Nothing read here is trusted blindly: a partition is used only if its files are still the
ones read (``store._stamp``), and the previous generation only if it is still the current one
when the tables are written. A failed read is read again by the run itself, which reports it.
``Background`` runs a function on a thread.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pipeline.run import outputs, splice, store as row_store
from pipeline.run.store import ReadPart, RowStore, part_sizes


@dataclass
class Ahead:
    """What was read ahead: the previous generation, its resolution, and store partitions."""

    previous: outputs.Previous | None = None
    before: splice.Before | None = None
    parts: dict[str, ReadPart] = field(default_factory=dict)


class Prefetch:
    """Reading ahead on a thread; ``get`` waits for it and gives what it read."""

    def __init__(self, store: RowStore, out_dir: Path, code: str, full_resolve: bool) -> None:
        self._generation = outputs.current_generation(out_dir)
        big = [p for p, n in part_sizes(store.index_table()).items()
               if n >= row_store.PART_SIZE // 2]
        self._job = Background(_read, store, out_dir, code, full_resolve, sorted(big))

    def get(self, out_dir: Path) -> Ahead:
        """Wait for the thread. What it read of a generation that is no longer the current
        one is dropped (it cannot be: the run holds the lock; this is a guard)."""
        try:
            got = self._job.result()
        except Exception:  # noqa: BLE001 - an optimization: the run reads it again itself
            return Ahead()
        if outputs.current_generation(out_dir) != self._generation:
            got.previous = got.before = None
        return got


def _read(store: RowStore, out_dir: Path, code: str, full_resolve: bool,
          parts: list[str]) -> Ahead:
    got = Ahead()
    if not full_resolve:
        got.previous = outputs.previous(out_dir, code)
        if got.previous is not None:
            got.before = splice.before(got.previous.folder, got.previous.maps)
    got.parts = {part: store.read_part(part) for part in parts}
    return got


class Background:
    """``fn(*args)`` on a thread; ``result`` waits for it and gives what it returned (or
    raises what it raised)."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._out: tuple[bool, Any] = (False, None)
        self._thread = threading.Thread(target=self._call, args=(fn, args), daemon=True)
        self._thread.start()

    def _call(self, fn: Callable[..., Any], args: tuple) -> None:
        try:
            self._out = (True, fn(*args))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            self._out = (False, exc)

    def result(self) -> Any:
        self._thread.join()
        ok, value = self._out
        if not ok:
            raise value
        return value
