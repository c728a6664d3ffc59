"""Arrow's buffers from the C library's allocator, not from mimalloc.

Why: pyarrow's default pool (mimalloc) is slow the first time a process touches new memory.
A run over a store of 100,000 releases builds a few key columns of 100,000 strings once
each, and there that first touch cost more than the work: looking up which input files the
store already holds took 0.11 s with mimalloc against 0.01 s the second time, or with the
system pool from the start. Measured on whole runs (2 CPUs, 100,000 stored releases):
adding ten releases took 3.0-3.6 s at a 500-550 MB peak with mimalloc, 2.9-3.0 s at
410 MB with the system allocator, and 3.0 s at 445 MB with jemalloc.

Arrow reads the pool's name from ``ARROW_DEFAULT_MEMORY_POOL`` once, when pyarrow is loaded,
and its C++ readers and writers (Parquet) allocate from that pool whatever Python sets later.
So the variable is set before the run loads pyarrow; the model's processes inherit it. A
user's own choice of pool is kept.
"""
from __future__ import annotations

import os
import sys
from typing import MutableMapping

POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


def use_system_pool(environ: MutableMapping[str, str] = os.environ) -> bool:
    """Make the system allocator Arrow's pool for the rest of this process and the processes
    it starts, unless ``environ`` names one; whether it did. Call it before pyarrow is
    loaded: after, only what pyarrow allocates from Python takes the new pool."""
    if environ.get(POOL_VARIABLE):
        return False
    environ[POOL_VARIABLE] = "system"
    if "pyarrow" in sys.modules:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    return True
