"""A worker process keeps the memory it frees, for its next batch (glibc's ``mallopt``).

Why: parsing a batch allocates the model's activations (arrays of megabytes) and frees them
at the end. glibc gives freed memory at the top of the heap back to the system once more
than 128 KB lie there (its trim threshold, raised as it sees large blocks), and the next
batch takes it back page by page, each page a fault. A worker forked from the run's process
does this at every chunk: measured on 400 mixed releases with 2 workers, 460,000 page faults
and 1.8 s of system time, against 66,000 and 0.8 s with the thresholds below. A worker
keeps up to ``TRIM_BYTES`` of freed heap instead, and blocks up to ``MMAP_BYTES`` come from
the heap (above it, glibc maps and unmaps each block).

Only the run's forked workers set them: they do nothing but parse, and end with the run.
The run's own process also reads the store's index and resolves the corpus: there, adding
10 releases to 100,000 stored took 0.5 s and 90 MB more with them, for 0.4 s less system
time in a 400-release parse. A dask worker is left as dask configures it (dask sets its own
trim threshold, and its memory monitor counts on memory going back to the system).

Elsewhere than glibc (macOS, musl) there is nothing to set, and nothing changes.
"""
from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
TRIM_BYTES = 256 << 20
MMAP_BYTES = 32 << 20  # glibc's largest allowed value on 64-bit systems


def keep_heap(trim_bytes: int = TRIM_BYTES, mmap_bytes: int = MMAP_BYTES) -> bool:
    """Set this process's malloc thresholds; False where the C library has no ``mallopt``
    or refuses them."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mmap_set = bool(mallopt(M_MMAP_THRESHOLD, mmap_bytes))
    trim_set = bool(mallopt(M_TRIM_THRESHOLD, trim_bytes))
    return mmap_set and trim_set
