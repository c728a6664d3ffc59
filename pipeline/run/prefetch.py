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
"""
from __future__ import annotations

import threading
from pathlib import Path

from pipeline.run import outputs, splice, store as row_store
from pipeline.run.store import ReadPart, RowStore, by_part


class Prefetch:
    """A thread reading ahead; ``get`` waits for it and gives what it read (or nothing)."""

    def __init__(self, store: RowStore, out_dir: Path, code: str, full_resolve: bool) -> None:
        self.previous: outputs.Previous | None = None
        self.before: splice.Before | None = None
        self.parts: dict[str, ReadPart] = {}
        self._generation = outputs.current_generation(out_dir)
        big = [p for p, es in by_part(store.entries().values()).items()
               if len(es) >= row_store.PART_SIZE // 2]
        self._thread = threading.Thread(
            target=self._read, args=(store, out_dir, code, full_resolve, big), daemon=True)
        self._thread.start()

    def _read(self, store: RowStore, out_dir: Path, code: str, full_resolve: bool,
              big: list[str]) -> None:
        try:
            if not full_resolve:
                self.previous = outputs.previous(out_dir, code)
                if self.previous is not None:
                    self.before = splice.before(self.previous.folder, self.previous.maps)
            for part in sorted(big):
                self.parts[part] = store.read_part(part)
        except Exception:  # noqa: BLE001 - an optimization: the run reads it again itself
            pass

    def get(self, out_dir: Path) -> "Prefetch":
        """Wait for the thread. What it read of a generation that is no longer the current
        one is dropped (it cannot be: the run holds the lock; this is a guard)."""
        self._thread.join()
        if outputs.current_generation(out_dir) != self._generation:
            self.previous = self.before = None
        return self
