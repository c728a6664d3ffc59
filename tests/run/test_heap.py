"""keep_heap (set in forked workers): a batch reusing freed heap costs no page faults."""
import os
import platform
import subprocess
import sys

import pytest

GLIBC = platform.libc_ver()[0] == "glibc"

# Page faults of five more batches that each allocate and free a few arrays of 1-16 MB
# (as parsing a batch does with the model's activations), after a first one.
REUSE = """
import resource, sys, numpy
from pipeline.run.heap import keep_heap
if sys.argv[1] == "keep":
    assert keep_heap()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
def batch():
    arrays = [numpy.ones(n << 17) for n in (1, 8, 3, 16, 2)]
    del arrays
batch()
before = faults()
for _ in range(5):
    batch()
print(faults() - before)
"""


def _reuse_faults(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}  # glibc's defaults
    out = subprocess.run([sys.executable, "-c", REUSE, mode], capture_output=True, text=True,
                         check=True, env=env)
    return int(out.stdout)


@pytest.mark.skipif(not GLIBC, reason="mallopt thresholds are glibc's")
def test_freed_blocks_are_reused_without_faults():
    assert _reuse_faults("default") > 1000  # glibc's defaults: memory went back, came again
    assert _reuse_faults("keep") < 200

