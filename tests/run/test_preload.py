"""Preloading: on a large store the model loads in a forked process while the inputs are
walked; the tables are the same as a run that loads it itself, an unused loader is stopped,
and a loader that fails or dies is reported as a local load or worker would be."""
import multiprocessing
import os
import shutil

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.run import executors, preload, runner
from pipeline.run.nlp import ModelNotFound

from tests.conftest import RAW, assert_same_outputs

SEEDS = sorted(RAW.glob("*.txt"))


@pytest.fixture
def preloading(monkeypatch):
    """Every store counts as large; the calls of ``Preloader.run`` are recorded."""
    monkeypatch.setattr(preload, "PRELOAD_STORED", 1)
    calls = []
    real = preload.Preloader.run

    def run(self, releases):
        calls.append([r.doc_id for r in releases])
        return real(self, releases)

    monkeypatch.setattr(preload.Preloader, "run", run)
    return calls


def _inputs(tmp_path, files):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def test_worth_preloading_only_a_large_cached_local_run():
    big = preload.PRELOAD_STORED
    assert preload.worth_preloading(big, "local", use_cache=True)
    assert not preload.worth_preloading(big - 1, "local", use_cache=True)
    assert not preload.worth_preloading(big, "dask", use_cache=True)
    assert not preload.worth_preloading(big, "local", use_cache=False)


@pytest.mark.parametrize("workers", [1, 2])
def test_releases_added_through_the_loader_give_the_fresh_tables(tmp_path, seed_outputs,
                                                                 preloading, workers):
    fresh, _ = seed_outputs
    inp, out = _inputs(tmp_path, SEEDS[:2]), tmp_path / "out"
    runner.run([inp], out, n_process=workers)
    assert preloading == []  # an empty store: the run loads the model itself
    _inputs(tmp_path, SEEDS[2:])
    second = runner.run([inp], out, n_process=workers)
    assert sorted(preloading[0]) == sorted(p.stem for p in SEEDS[2:])
    assert (second.parsed, second.cached) == (3, 2)
    assert_same_outputs(out, fresh, ignore=("source",))
    assert multiprocessing.active_children() == []


def test_a_run_with_nothing_to_parse_stops_the_loader_unused(tmp_path, preloading):
    out = tmp_path / "out"
    runner.run([RAW], out)
    again = runner.run([RAW], out)
    assert (again.parsed, again.cached) == (0, 5)
    assert preloading == []
    assert multiprocessing.active_children() == []


def test_a_missing_model_is_the_same_clear_error(tmp_path, preloading, monkeypatch):
    inp, out = _inputs(tmp_path, SEEDS[:1]), tmp_path / "out"
    runner.run([inp], out)
    _inputs(tmp_path, SEEDS[1:2])
    with pytest.raises(ModelNotFound, match="not installed"):
        runner.run([inp], out, model="en_no_such_model_sm")
    res = CliRunner().invoke(app, ["run", str(inp), "--out", str(out), "-q",
                                   "--model", "en_no_such_model_sm"])
    assert res.exit_code == 2 and "not installed" in res.output
    assert "Traceback" not in res.output


def test_a_loader_that_dies_loses_only_its_releases(tmp_path, preloading, monkeypatch):
    inp, out = _inputs(tmp_path, SEEDS[:2]), tmp_path / "out"
    runner.run([inp], out)
    _inputs(tmp_path, SEEDS[2:3])
    monkeypatch.setattr(executors, "run_local", lambda *a, **k: os._exit(3))  # in the loader
    summary = runner.run([inp], out)
    assert summary.parsed == 0 and summary.cached == 2
    [error] = summary.skipped
    assert error["doc_id"] == SEEDS[2].stem
    assert error["stage"] == "worker" and "exit code 3" in error["message"]


def test_a_loader_gone_before_it_is_asked_loses_only_its_releases(tmp_path, preloading,
                                                                  monkeypatch):
    inp, out = _inputs(tmp_path, SEEDS[:2]), tmp_path / "out"
    runner.run([inp], out)
    _inputs(tmp_path, SEEDS[2:3])
    monkeypatch.setattr(preload, "_serve", lambda *a: os._exit(4))  # at once, in the loader
    summary = runner.run([inp], out)
    assert (summary.parsed, summary.cached) == (0, 2)
    [error] = summary.skipped
    assert error["doc_id"] == SEEDS[2].stem and "exit code 4" in error["message"]
