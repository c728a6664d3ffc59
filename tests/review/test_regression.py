"""Regression floors: the pipeline on raw/ scored against tests/gold (the seeds), and on
../shared/corpus/dev scored against tests/gold-dev (60 releases of many publishers).

Each floor is what the pipeline reached when it was set, rounded down. Raise a floor when the
pipeline improves; never lower one without saying so in the commit message. The dev floors
matter more: the seeds are where the rules were first written.
"""
import pytest

from pipeline.review.evaluate import evaluate, report_to_json

from tests.conftest import ROOT

# (table, "counts" | "accuracies", metric) -> floor
SEED_FLOORS = {
    ("quotes_direct_partial", "counts", "span"): 1.0,
    ("quotes_direct_partial", "counts", "end_to_end"): 1.0,
    ("quotes_direct_partial", "accuracies", "attribution"): 1.0,
    ("quotes_indirect", "counts", "span"): 1.0,
    ("quotes_indirect", "counts", "end_to_end"): 1.0,
    ("speakers", "counts", "speakers"): 1.0,
    ("speakers", "accuracies", "title"): 1.0,
    ("speakers", "accuracies", "organization"): 1.0,
    ("organizations", "counts", "organizations"): 1.0,
    ("dates", "counts", "extent"): 1.0,
    ("dates", "accuracies", "value"): 1.0,
    ("statistics", "counts", "extent"): 1.0,
    ("statistics", "counts", "value"): 1.0,
    ("statistics", "accuracies", "subject"): 1.0,
    ("statistics", "accuracies", "source"): 1.0,
    ("documents", "accuracies", "title"): 1.0,
    ("documents", "accuracies", "dateline"): 1.0,
    ("documents", "accuracies", "published"): 1.0,
    ("documents", "accuracies", "reference_date"): 1.0,
}
DEV_FLOORS = {
    ("quotes_direct_partial", "counts", "span"): 0.87,
    ("quotes_direct_partial", "counts", "end_to_end"): 0.81,
    ("quotes_indirect", "counts", "span"): 0.77,
    ("quotes_indirect", "counts", "end_to_end"): 0.73,
    ("quotes_all", "accuracies", "attribution"): 0.93,
    ("speakers", "counts", "speakers"): 0.95,
    ("speakers", "accuracies", "title"): 0.89,
    ("speakers", "accuracies", "organization"): 0.69,
    ("organizations", "counts", "organizations"): 0.91,
    ("dates", "counts", "extent"): 0.95,
    ("dates", "counts", "value"): 0.94,
    ("statistics", "counts", "extent"): 0.97,
    ("statistics", "counts", "value"): 0.95,
    ("statistics", "accuracies", "subject"): 0.89,
    ("statistics", "accuracies", "source"): 0.90,
    ("documents", "accuracies", "title"): 0.96,
    ("documents", "accuracies", "dateline"): 1.0,
    ("documents", "accuracies", "published"): 1.0,
    ("documents", "accuracies", "reference_date"): 0.98,
}


def _tables(gold: str, out, n_docs: int) -> dict:
    report = report_to_json(evaluate(ROOT / "tests" / gold, out))
    assert report["gold_errors"] == [] and report["missing_docs"] == []
    assert report["n_docs"] == n_docs
    return report["tables"]


@pytest.fixture(scope="module")
def seed_scores(seed_outputs):
    return _tables("gold", seed_outputs[0], 5)


@pytest.fixture(scope="module")
def dev_scores(dev_outputs):
    return _tables("gold-dev", dev_outputs[0], 60)


def _check(scores: dict, key: tuple, floor: float) -> None:
    table, kind, metric = key
    entry = scores[table][kind][metric]
    value = entry["f1"] if kind == "counts" else entry["accuracy"]
    assert value >= floor - 1e-9, f"{table} {metric} fell to {value:.3f} (floor {floor})"


@pytest.mark.parametrize("key", sorted(SEED_FLOORS), ids=lambda k: ".".join(k))
def test_seed_floor(seed_scores, key):
    _check(seed_scores, key, SEED_FLOORS[key])


@pytest.mark.parametrize("key", sorted(DEV_FLOORS), ids=lambda k: ".".join(k))
def test_dev_floor(dev_scores, key):
    _check(dev_scores, key, DEV_FLOORS[key])
