"""Arrow's pool for a run (pipeline/run/allocator.py), checked in a fresh interpreter: the
pool is the process's, and the test process keeps its own."""
import os
import subprocess
import sys

CHECK = """
import pyarrow as pa
from pipeline.run.allocator import use_system_pool
before = pa.default_memory_pool().backend_name
done = use_system_pool()
print(before, done, pa.default_memory_pool().backend_name, pa.array([1, 2]).sum().as_py())
"""


def _pools(env: dict[str, str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True,
                         text=True, check=True).stdout
    return out.split()


def test_a_run_takes_the_system_allocator():
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    before, done, after, total = _pools(env)
    assert (done, after, total) == ("True", "system", "3") and before != "system"


def test_a_pool_the_user_named_is_kept():
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}
    assert _pools(env)[:3] == ["mimalloc", "False", "mimalloc"]
