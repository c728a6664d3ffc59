"""The output folder: whole-generation swaps, recovery after a crash, one writer at a time."""
import os
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.run import outputs
from pipeline.run import tables
from pipeline.cli import app

from tests.conftest import RAW, ROOT, assert_same_outputs, read_outputs


def _copy_outputs(src, dst):
    shutil.copytree(src, dst, symlinks=True)
    return dst


def test_tables_are_folders_of_parts_that_every_reader_opens(seed_outputs):
    import duckdb
    import pandas as pd

    out, _ = seed_outputs
    for name in tables.TABLES:
        assert (out / name).is_dir() and (out / name).is_symlink()
        parts = sorted(p.name for p in (out / name).glob("*.parquet"))
        assert parts and parts[0] == "part-000000.parquet"
    n = duckdb.sql(f"SELECT count(*) AS n FROM '{out}/quotes/*.parquet'").df().n[0]
    assert n == len(pd.read_parquet(out / "quotes")) == 28


def test_parts_split_large_corpora(tmp_path, monkeypatch):
    """A part of each table per partition of the row store (``PART_SIZE`` releases)."""
    from pipeline.run import store

    monkeypatch.setattr(store, "PART_SIZE", 2)
    out = tmp_path / "out"
    from pipeline.run.runner import run

    run([RAW], out)
    docs = sorted((out / "documents").glob("*.parquet"))
    assert [pq.read_metadata(p).num_rows for p in docs] == [2, 2, 1]
    ids = [pq.read_table(p).column("doc_id").to_pylist() for p in docs]
    assert sum(ids, []) == sorted(sum(ids, []))
    # the quotes of a part belong to that part's releases
    for i, p in enumerate(sorted((out / "quotes").glob("*.parquet"))):
        assert set(pq.read_table(p).column("doc_id").to_pylist()) <= set(ids[i])


def test_old_generations_are_collected(tmp_path):
    out = tmp_path / "out"
    from pipeline.run.runner import run

    for _ in range(3):  # without the cache: an unchanged re-run would keep the generation
        run([RAW], out, use_cache=False)
    gens = sorted(p.name for p in (out / ".generations").iterdir() if p.is_dir())
    assert gens == ["g000002", "g000003"]  # the current one and the one before
    assert outputs.current_generation(out) == "g000003"
    assert os.readlink(out / "quotes") == os.path.join(".generations", "g000003", "quotes")


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with outputs.locked(out):
        res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(out)])
    assert res.exit_code == 3
    assert "another run" in res.output and str(os.getpid()) in res.output
    assert not (out / "quotes").exists()
    # the lock is free again afterwards
    with outputs.locked(out):
        pass


def test_the_lock_is_refused_across_processes(tmp_path):
    out = tmp_path / "out"
    with outputs.locked(out):
        code = ("import sys; from pathlib import Path; from pipeline.run import outputs\n"
                "try:\n    with outputs.locked(Path(sys.argv[1])): print('got it')\n"
                "except outputs.OutputError as e: print('refused:', e)")
        res = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                             text=True, cwd=ROOT)
    assert res.stdout.startswith("refused:"), res.stdout + res.stderr


def test_old_single_file_layout_is_replaced(tmp_path, seed_outputs):
    out = tmp_path / "out"
    out.mkdir()
    pq.write_table(tables.to_table("quotes", []), out / "quotes.parquet")
    from pipeline.run.runner import run

    run([RAW], out)
    assert not (out / "quotes.parquet").exists()
    assert_same_outputs(out, seed_outputs[0], ignore=("source",))


@pytest.mark.parametrize("point", ["before-commit", "after-commit", "mid-links"])
def test_a_run_killed_at_any_step_of_the_swap_leaves_complete_tables(tmp_path, seed_outputs, point):
    """kill -9 at each step of the commit: every table stays readable, and the next run
    completes the swap (or redoes the work) so the outputs equal a fresh run."""
    fresh, _ = seed_outputs
    out = _copy_outputs(fresh, tmp_path / "out")
    before = read_outputs(out)
    inp = tmp_path / "in"
    shutil.copytree(RAW, inp)
    (inp / "extra.txt").write_text("GENEVA (3 March 2024) – UNICEF said 40 per cent of "
                                   "victims were children.\n", encoding="utf-8")
    env = dict(os.environ, **{outputs.CRASH_ENV: point})
    res = subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "-q"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == -9, res.stderr
    after = read_outputs(out)  # every table reads as a whole
    n_docs = after["documents"].num_rows
    assert n_docs in (5, 6)
    if point == "before-commit":
        assert all(after[n].equals(before[n]) for n in tables.TABLES)
    # the next run recovers and ends equal to a fresh run on the same inputs
    res = subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "-q"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    ref = tmp_path / "ref"
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(ref), "-q"],
                   cwd=ROOT, check=True, timeout=300)
    assert_same_outputs(out, ref)
    assert not list((out / ".generations").glob("*.tmp"))
