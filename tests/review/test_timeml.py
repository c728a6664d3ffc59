"""TempEval-3 task A scoring of the dates table against TIMEX3 gold."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.timeml import Timex
from pipeline.review.timeml import (
    Scores,
    evaluate_timeml,
    row_type,
    score_document,
    split_of,
)
from pipeline.run.tables import TABLES, to_table, write_table


def _row(start, end, text, value, kind="relative"):
    return {"start_char": start, "end_char": end, "text": text, "value": value, "kind": kind}


def test_relaxed_strict_value_and_type():
    gold = [Timex(0, 13, "the third day", "DATE", "2001-03-03"), Timex(20, 29, "two weeks", "DURATION", "P2W"),
            Timex(40, 47, "Tuesday", "DATE", "2001-03-13")]
    pred = [_row(4, 13, "third day", "2001-03-03"), _row(20, 29, "two weeks", "P3W", "duration"),
            _row(60, 63, "now", "PRESENT_REF", "reference")]
    issues = []
    s = score_document("d", gold, pred, issues)
    assert (s.n_gold, s.n_pred, s.relaxed, s.strict, s.value, s.type) == (3, 3, 2, 1, 1, 2)
    assert {i.kind for i in issues} == {"span", "value", "miss", "false_hit"}
    assert round(s.prf(s.relaxed)[2], 3) == 0.667


def test_row_types():
    assert row_type({"kind": "duration", "value": "P2W"}) == "DURATION"
    assert row_type({"kind": "set", "value": "P1Y"}) == "SET"
    assert row_type({"kind": "time", "value": "2001-03-13TNI"}) == "TIME"
    assert row_type({"kind": "reference", "value": "PRESENT_REF"}) == "DATE"
    assert row_type({"kind": "relative", "value": "2001-Q1"}) == "DATE"


def test_split_is_stable_and_holds_out_a_share():
    ids = [f"doc{i}" for i in range(400)]
    held = [i for i in ids if split_of(i) == "held-out"]
    assert split_of("doc1") == split_of("doc1")
    assert 60 < len(held) < 140


@pytest.mark.parametrize("doc_id", ["A1", "Corpus__A1"])  # run on the subfolder, or on the gold root
def test_evaluate_timeml_end_to_end(tmp_path: Path, doc_id: str):
    gold = tmp_path / "gold" / "Corpus"
    gold.mkdir(parents=True)
    (gold / "A1.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-14">x</TIMEX3></DCT>'
        '<TEXT>It rained <TIMEX3 tid="t1" type="DATE" value="2001-03-13">Tuesday</TIMEX3>.</TEXT></TimeML>',
        encoding="utf-8")
    out = tmp_path / "out"
    rows = {name: [] for name in TABLES}
    rows["documents"] = [{"doc_id": doc_id, "source": "A1.tml", "sha256": "0", "text": "It rained Tuesday."}]
    rows["dates"] = [{"doc_id": doc_id, "sentence_id": 0, **_row(10, 17, "Tuesday", "2001-03-13")}]
    for name, r in rows.items():
        write_table(to_table(name, r), out / f"{name}.parquet", {"pipeline_version": "test"})
    report = evaluate_timeml(tmp_path / "gold", out)
    s: Scores = report.groups["all"]
    assert (s.relaxed, s.strict, s.value, s.type) == (1, 1, 1, 1)
    assert set(report.groups) >= {"Corpus", "all"}
