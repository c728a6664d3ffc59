"""Arrow's buffers from the C library's allocator, not from mimalloc.

Why: pyarrow's default pool (mimalloc) is slow the first time a process touches new memory.
A run over a store of 100,000 releases builds a few key columns of 100,000 strings once
each, and there that first touch cost more than the work: looking up which input files the
store already holds took 0.11 s with mimalloc against 0.01 s the second time, or with the
system pool from the start. Measured on whole runs (2 CPUs, 100,000 stored releases, three
runs each): adding ten releases took 3.3-3.6 s at a 530-550 MB peak with mimalloc,
2.9-3.0 s at 410-415 MB with the system allocator, and 3.0 s at 445 MB with jemalloc.

A user's own choice, ``ARROW_DEFAULT_MEMORY_POOL``, is kept.
"""
from __future__ import annotations

import os
from typing import Mapping

import pyarrow as pa

POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


def use_system_pool(environ: Mapping[str, str] = os.environ) -> bool:
    """Make the system allocator Arrow's default pool for this process, unless ``environ``
    names one; whether it did. Buffers allocated before keep the pool they came from."""
    if environ.get(POOL_VARIABLE):
        return False
    pa.set_memory_pool(pa.system_memory_pool())
    return True
