"""Arrow's pool for a run (pipeline/run/allocator.py), checked in fresh interpreters: the
pool is chosen once per process, when pyarrow loads. (``pq.read_table`` of a BytesIO makes
pyarrow 26 abort now and then as the interpreter exits, whatever the pool: not used here.)"""
import os
import subprocess
import sys

CHOOSE_THEN_LOAD = """
import sys
from pipeline.run.allocator import use_system_pool
loaded = "pyarrow" in sys.modules
done = use_system_pool()
import pyarrow as pa, pyarrow.parquet as pq, io
sink = io.BytesIO()
pq.write_table(pa.table({"x": list(range(10000))}), sink)
rows = pq.ParquetFile(sink).read().num_rows
print(loaded, done, pa.default_memory_pool().backend_name, rows,
      pa.mimalloc_memory_pool().max_memory())  # what Parquet's C++ took from mimalloc
"""


def _python(code: str, **env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run([sys.executable, "-c", code], env={**environ, **env},
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_a_run_takes_the_system_allocator_for_every_arrow_buffer():
    assert _python(CHOOSE_THEN_LOAD) == ["False", "True", "system", "10000", "0"]


def test_a_pool_the_user_named_is_kept():
    kept = _python(CHOOSE_THEN_LOAD, ARROW_DEFAULT_MEMORY_POOL="mimalloc")
    assert kept[1:3] == ["False", "mimalloc"] and int(kept[4]) > 0


def test_the_cli_has_not_loaded_pyarrow_when_a_run_chooses_the_pool():
    assert _python("import sys, pipeline.cli; print('pyarrow' in sys.modules)") == ["False"]


def test_once_pyarrow_is_loaded_what_python_allocates_takes_the_pool():
    code = ("import pyarrow as pa\nfrom pipeline.run.allocator import use_system_pool\n"
            "print(use_system_pool(), pa.default_memory_pool().backend_name)")
    assert _python(code) == ["True", "system"]
