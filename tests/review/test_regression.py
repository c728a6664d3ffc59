"""Regression floors: the pipeline on raw/ scored against tests/gold.

Each floor is what the pipeline reached when it was set (see the issue notes). Raise a floor
when the pipeline improves; never lower one without saying so in the commit message.
"""
import pytest

from pipeline.review.evaluate import evaluate, report_to_json

from tests.conftest import ROOT

# (table, "counts" | "accuracies", metric) -> floor
FLOORS = {
    ("quotes_direct_partial", "counts", "span"): 1.0,
    ("quotes_direct_partial", "counts", "end_to_end"): 1.0,
    ("quotes_direct_partial", "accuracies", "attribution"): 1.0,
    ("quotes_indirect", "counts", "span"): 1.0,
    ("quotes_indirect", "counts", "end_to_end"): 1.0,
    ("speakers", "counts", "speakers"): 1.0,
    ("speakers", "accuracies", "title"): 1.0,
    ("speakers", "accuracies", "organization"): 1.0,
    ("organizations", "counts", "organizations"): 0.98,
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


@pytest.fixture(scope="module")
def scores(seed_outputs):
    out, _ = seed_outputs
    report = report_to_json(evaluate(ROOT / "tests" / "gold", out))
    assert report["gold_errors"] == [] and report["missing_docs"] == []
    assert report["n_docs"] == 5
    return report["tables"]


@pytest.mark.parametrize("key", sorted(FLOORS), ids=lambda k: ".".join(k))
def test_score_floor(scores, key):
    table, kind, metric = key
    entry = scores[table][kind][metric]
    value = entry["f1"] if kind == "counts" else entry["accuracy"]
    assert value >= FLOORS[key] - 1e-9, f"{table} {metric} fell to {value:.3f} (floor {FLOORS[key]})"
