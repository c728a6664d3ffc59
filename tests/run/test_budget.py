"""The per-release time budget: a runaway or a crash in one component becomes an errors
row for that release, and the run goes on."""
import time

import pandas as pd
import pytest

from pipeline.run import budget
from pipeline.run.rows import ExtractError, doc_rows

from tests.conftest import RAW


class Runaway:
    """A component that would spin for 20 s (a stand-in for catastrophic backtracking)."""

    finished = False

    def __call__(self, doc):
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 20:
            pass
        Runaway.finished = True
        return doc


def test_a_runaway_component_is_stopped(nlp_base):
    doc = nlp_base.make_doc("A short release.")
    wrapped = budget.Budgeted("release_slow", Runaway(), seconds=0.3)
    doc = wrapped(doc)
    assert not Runaway.finished
    assert "time budget of 0.3 s per release exceeded in release_slow" == doc._.failed


def test_the_budget_is_shared_by_the_components_of_a_release(nlp_base):
    doc = nlp_base.make_doc("A short release.")
    calls = []

    def slowish(d):
        calls.append(1)
        time.sleep(0.2)
        return d

    first = budget.Budgeted("release_a", slowish, seconds=0.3)
    second = budget.Budgeted("release_b", slowish, seconds=0.3)
    doc = second(first(doc))
    assert doc._.failed and "release_b" in doc._.failed
    third = budget.Budgeted("release_c", slowish, seconds=0.3)
    third(doc)
    assert len(calls) == 2  # a failed release is not worked on any further


def test_an_exception_marks_the_release_and_rows_refuse_it(nlp_base):
    def broken(d):
        raise ValueError("bad offsets")

    doc = budget.Budgeted("release_x", broken, seconds=10)(nlp_base.make_doc("Text."))
    assert doc._.failed == "release_x: ValueError: bad offsets"
    with pytest.raises(ExtractError, match="bad offsets"):
        doc_rows(doc, None)


def test_no_budget_means_no_alarm(nlp_base):
    doc = budget.Budgeted("release_y", lambda d: d, seconds=0)(nlp_base.make_doc("Text."))
    assert doc._.failed is None


def test_a_run_turns_overruns_into_error_rows(tmp_path):
    from pipeline.run.runner import run

    out = tmp_path / "out"
    summary = run([RAW], out, budget=1e-6)
    assert summary.read == 0 and len(summary.skipped) == 5
    errors = pd.read_parquet(out / "errors")
    assert set(errors.stage) == {"extract"}
    assert errors.message.str.contains("time budget").all()
    assert len(pd.read_parquet(out / "documents")) == 0
