"""Tests of the gold scorer (pipeline/review/evaluate.py) on tiny synthetic gold and predictions.

No spaCy model: gold files are written as JSON and predictions as small Parquet tables
with the contract's columns (docs/tables.md) in tmp_path. Every expected figure
is worked out by hand in the comment next to it.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.review import evaluate as ev
from pipeline.review import gold as G
from pipeline.review import matching as M
from pipeline.review import scores as SC

# ---------------------------------------------------------------------------------------
# Helpers: contract-typed prediction tables and gold files
# ---------------------------------------------------------------------------------------

S, I32, F64, D32 = pa.string(), pa.int32(), pa.float64(), pa.date32()
SCHEMAS = {
    "documents": {"doc_id": S, "source": S, "sha256": S, "title": S, "dateline": S,
                  "published": D32, "reference_date": D32, "n_sentences": I32},
    "quotes": {"doc_id": S, "quote_id": S, "sentence_id": I32, "start_char": I32, "end_char": I32,
               "text": S, "kind": S, "speaker_id": S, "speaker_mention": S, "cue": S},
    "people": {"person_id": S, "name": S, "honorific": S},
    "speakers": {"doc_id": S, "person_id": S, "title": S, "organization_id": S, "n_quotes": I32},
    "organizations": {"org_id": S, "name": S, "acronym": S, "aliases": pa.list_(S)},
    "organization_mentions": {"doc_id": S, "org_id": S, "sentence_id": I32, "start_char": I32,
                              "end_char": I32, "text": S},
    "dates": {"doc_id": S, "sentence_id": I32, "start_char": I32, "end_char": I32, "text": S,
              "value": S, "granularity": S, "start": D32, "end": D32, "kind": S},
    "statistics": {"doc_id": S, "sentence_id": I32, "start_char": I32, "end_char": I32, "text": S,
                   "value": F64, "unit": S, "qualifier": S, "subject": S, "source": S},
}


def arrow_table(name: str, rows: list[dict]) -> pa.Table:
    """A contract-typed table; columns a row leaves out are null."""
    schema = pa.schema(list(SCHEMAS[name].items()))
    cols = {c: [r.get(c) for r in rows] for c in schema.names}
    return pa.Table.from_pydict(cols, schema=schema)


def write_pred(pred_dir: Path, layout: str = "file", **tables: list[dict]) -> Path:
    """Write every contract table (missing ones empty) as `<t>.parquet` or `<t>/part-0.parquet`."""
    pred_dir.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        table = arrow_table(name, tables.get(name, []))
        if layout == "file":
            pq.write_table(table, pred_dir / f"{name}.parquet")
        else:
            (pred_dir / name).mkdir(exist_ok=True)
            pq.write_table(table, pred_dir / name / "part-0.parquet")
    return pred_dir


def gold_doc(doc_id: str, **over) -> dict:
    """A valid empty gold release; keyword arguments fill it."""
    doc = {"doc_id": doc_id, "title": "A headline", "dateline": None, "published": None,
           "reference_date": None, "quotes": [], "speakers": [], "organizations": [],
           "dates": [], "statistics": []}
    doc.update(over)
    return doc


def write_gold(gold_dir: Path, *docs: dict) -> Path:
    gold_dir.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (gold_dir / f"{d['doc_id']}.json").write_text(json.dumps(d), encoding="utf-8")
    return gold_dir


def document_row(doc_id: str, title: str = "A headline", **over) -> dict:
    row = {"doc_id": doc_id, "source": f"raw/{doc_id}.txt", "sha256": "0" * 64, "title": title,
           "n_sentences": 3}
    row.update(over)
    return row


# ---------------------------------------------------------------------------------------
# Normalization and token F1
# ---------------------------------------------------------------------------------------

def test_normalize_curly_quotes_case_whitespace_edges_and_leading_the():
    # quotes straightened, whitespace collapsed, edges trimmed, "the " dropped, trimmed again
    assert M.normalize("  The “Office”  of\tthe\nUN.  ") == 'office" of the un'
    assert M.normalize("M’jid") == "m'jid"
    assert M.normalize("THE WHO") == "who"
    # only a leading "the " goes, not "the" inside or a word starting with "the"
    assert M.normalize("Theory of the case") == "theory of the case"


def test_normalize_applies_nfkc_and_casefold():
    # U+FB01 ligature "ﬁ" → "fi"; U+00A0 no-break space → a plain space; ß casefolds to ss
    assert M.normalize("Eﬁcient\u00a0Straße") == "eficient strasse"


def test_normalize_trims_edge_punctuation_only():
    assert M.normalize("«(over 250,000)»") == "over 250,000"
    assert M.normalize(None) == ""


def test_tokens_are_word_runs_of_normalized_text():
    assert M.tokens("Najat Maalla M’jid") == ["najat", "maalla", "m", "jid"]
    assert M.tokens("35% of 2,000") == ["35", "of", "2", "000"]


def test_token_f1_uses_multisets():
    # gold "the the cat": one leading "the " is dropped → "the cat" → {the, cat}
    # pred "cat the the" → {cat, the, the}; common 2; F1 = 2*2/(2+3) = 0.8
    assert M.token_f1("the the cat", "cat the the") == pytest.approx(0.8)
    assert M.token_f1("a b", "a b") == 1.0
    assert M.token_f1("a b", "c d") == 0.0
    assert M.token_f1("", "a") == 0.0


# ---------------------------------------------------------------------------------------
# Matching: thresholds, one-to-one, greedy
# ---------------------------------------------------------------------------------------

GOLD5 = "alpha beta gamma delta epsilon"


def test_quote_threshold_exactly_point_eight_matches():
    # 4 of 5 tokens shared, 5 predicted: F1 = 2*4/(5+5) = 0.8 → a match
    score = SC.score_quote_group("q", "d", [{"text": GOLD5, "speaker": None}],
                                 [{"text": "alpha beta gamma delta zeta", "speaker": None}])
    assert score.counts["span"].tp == 1


def test_quote_threshold_just_below_does_not_match():
    # 4 of 5 shared, 6 predicted: F1 = 8/11 ≈ 0.727 → no match: one miss, one false hit
    score = SC.score_quote_group("q", "d", [{"text": GOLD5, "speaker": None}],
                                 [{"text": "alpha beta gamma delta zeta eta", "speaker": None}])
    span = score.counts["span"]
    assert (span.tp, span.n_gold, span.n_pred) == (0, 1, 1)
    assert sorted(i.kind for i in score.issues) == ["false_hit", "miss"]


def test_date_threshold_half_matches_and_below_does_not():
    gold = [{"text": "14 June 2022", "value": "2022-06-14"}]
    # {14, june, 2022} vs {june}: 2*1/(3+1) = 0.5 → match
    assert SC.score_dates("d", gold, [{"text": "June", "value": "2022-06"}]).counts["extent"].tp == 1
    # vs {june, 2024}: 2*1/(3+2) = 0.4 → no match
    assert SC.score_dates("d", gold, [{"text": "June 2024", "value": "2024-06"}]).counts["extent"].tp == 0


def test_statistic_threshold_half_matches_and_below_does_not():
    gold = [{"text": "over 250,000", "value": 250000, "unit": "count", "qualifier": "over",
             "subject": "persons", "source": None}]
    # {over, 250, 000} vs {250}: 2/(3+1) = 0.5 → match
    assert SC.score_statistics("d", gold, [{"text": "250"}]).counts["extent"].tp == 1
    # vs {250, 500}: 2/(3+2) = 0.4 → no match
    assert SC.score_statistics("d", gold, [{"text": "250 500"}]).counts["extent"].tp == 0


def test_two_predictions_for_one_gold_give_one_tp_and_one_fp():
    gold = [{"text": "14 June 2022", "value": "2022-06-14"}]
    pred = [{"text": "14 June 2022", "value": "2022-06-14"},
            {"text": "14 June 2022", "value": "2022-06-14"}]
    c = SC.score_dates("d", gold, pred).counts["extent"]
    assert (c.tp, c.n_gold, c.n_pred) == (1, 1, 2)
    assert c.precision == 0.5 and c.recall == 1.0
    assert c.f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def test_greedy_takes_best_score_first_not_first_in_order():
    # gold 0 scores 0.85 with pred 0 and 0.9 with pred 1; gold 1 scores 0.95 with pred 0.
    # Best first: (g1,p0)=0.95, then (g0,p1)=0.9; (g0,p0) is then blocked.
    assert M.match_pairs([[0.85, 0.9], [0.95, 0.0]], 0.8) == [(0, 1, 0.9), (1, 0, 0.95)]


def test_greedy_is_not_reassigned_to_maximize_count():
    # (g1,p0)=0.95 is taken first; g0 only scores with p0, so it stays unmatched.
    assert M.match_pairs([[0.9, 0.0], [0.95, 0.85]], 0.8) == [(1, 0, 0.95)]


def test_ties_go_to_earlier_gold_then_earlier_prediction():
    assert M.match_pairs([[1.0, 1.0], [1.0, 1.0]], 0.5) == [(0, 0, 1.0), (1, 1, 1.0)]
    assert M.match_pairs([[1.0, 1.0]], 0.5) == [(0, 0, 1.0)]


def test_exact_prediction_wins_over_earlier_near_one():
    gold = [{"text": GOLD5, "speaker": None}]
    pred = [{"text": "alpha beta gamma delta zeta", "speaker": "Wrong Person"},   # F1 0.8, first
            {"text": GOLD5, "speaker": None}]                                  # F1 1.0
    score = SC.score_quote_group("q", "d", gold, pred)
    assert score.accuracies["attribution"].correct == 1   # paired with the exact one
    assert [i.text for i in score.issues if i.kind == "false_hit"] == ["alpha beta gamma delta zeta"]


# ---------------------------------------------------------------------------------------
# Quotes: kinds, attribution, end-to-end
# ---------------------------------------------------------------------------------------

def test_indirect_is_scored_apart_from_direct():
    gold = [{"text": "the value of early screening at borders", "speaker": "Jane Roe", "kind": "indirect"}]
    pred = [{"text": "the value of early screening at borders", "speaker": "Jane Roe", "kind": "direct"}]
    scores = SC.score_quotes("d", gold, pred)
    ind, dp = scores["quotes_indirect"].counts["span"], scores["quotes_direct_partial"].counts["span"]
    assert (ind.tp, ind.n_gold, ind.n_pred) == (0, 1, 0)
    assert (dp.tp, dp.n_gold, dp.n_pred) == (0, 0, 1)


def test_direct_and_partial_are_scored_together():
    gold = [{"text": "remain a steady partner", "speaker": None, "kind": "partial"}]
    pred = [{"text": "remain a steady partner", "speaker": None, "kind": "direct"}]
    assert SC.score_quotes("d", gold, pred)["quotes_direct_partial"].counts["span"].tp == 1


def test_attribution_and_end_to_end_need_the_right_speaker():
    gold = [{"text": "one two three four five", "speaker": "Jane Roe"},
            {"text": "six seven eight nine ten", "speaker": None},
            {"text": "red green blue cyan pink", "speaker": "Jane Roe"}]
    pred = [{"text": "one two three four five", "speaker": "Jane Roe"},      # right
            {"text": "six seven eight nine ten", "speaker": None},           # null == null: right
            {"text": "red green blue cyan pink", "speaker": "John Doe"},     # wrong speaker
            {"text": "nothing like any gold quote", "speaker": "Jane Roe"}]  # false hit
    score = SC.score_quote_group("q", "d", gold, pred)
    assert (score.accuracies["attribution"].correct, score.accuracies["attribution"].total) == (2, 3)
    e2e = score.counts["end_to_end"]
    assert (e2e.tp, e2e.n_gold, e2e.n_pred) == (2, 3, 4)
    wrong = [i for i in score.issues if i.kind == "mismatch"]
    assert [(i.field, i.gold, i.pred) for i in wrong] == [("speaker", "Jane Roe", "John Doe")]


def test_quote_speaker_compared_without_honorifics():
    gold = [{"text": "one two three four five", "speaker": "Amina Diallo"}]
    pred = [{"text": "one two three four five", "speaker": "Dr. Amina Diallo"}]
    assert SC.score_quote_group("q", "d", gold, pred).accuracies["attribution"].correct == 1


# ---------------------------------------------------------------------------------------
# Names and honorifics
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("Dr. Amina Diallo", "Amina Diallo"),
    ("Ms Amina Diallo", "amina diallo"),
    ("H.E. Mr. Kofi Mensah", "Kofi Mensah"),
    ("His Excellency Kofi Mensah", "Kofi Mensah"),
    ("Prof. Dr. Lena Berg", "Lena Berg"),
    ("Grace O’Neill", "Grace O'Neill"),
])
def test_names_equal_ignores_honorifics_case_and_quotes(a, b):
    assert M.names_equal(a, b)


def test_names_equal_keeps_names_that_only_look_like_honorifics():
    # "He" is a surname, not the dotted "H.E."; "Miss" alone stays a name
    assert M.strip_honorifics("He Yafei") == "he yafei"
    assert not M.names_equal("He Yafei", "Yafei")
    assert M.strip_honorifics("Ms.") == "ms"


def test_names_equal_uses_each_sides_own_honorific_field():
    # "Ambassador" is not in the list (a title), but a record may give it as its honorific
    assert not M.names_equal("Ambassador Lena Berg", "Lena Berg")
    assert M.names_equal("Ambassador Lena Berg", "Lena Berg", extra_a=("Ambassador",))


def test_names_equal_null_only_equals_null():
    assert M.names_equal(None, None)
    assert not M.names_equal(None, "Lena Berg")
    assert not M.names_equal("Amina Diallo", "Amina Diallo-Kone")


# ---------------------------------------------------------------------------------------
# Speakers and organizations
# ---------------------------------------------------------------------------------------

def test_speakers_match_by_name_and_check_title_and_organization():
    gold_orgs = [{"name": "United Nations Population Fund", "acronym": "UNFPA"}]
    gold = [{"name": "Amina Diallo", "honorific": "Dr.", "title": "Deputy Executive Director",
             "organization": "United Nations Population Fund"},
            {"name": "Kofi Mensah", "honorific": "Mr.", "title": "Regional Director",
             "organization": None}]
    pred = [  # name with honorific; title F1 2*2/(3+2)=0.8; org by acronym, long name spelled differently
        {"name": "Dr. Amina Diallo", "honorific": "Dr.", "title": "Executive Director",
         "org_name": "UN Population Fund", "org_acronym": "UNFPA"},
        # title F1 2*1/(2+2) = 0.5 → right; organization given where gold has none → wrong
        {"name": "Kofi Mensah", "honorific": None, "title": "Country Director",
         "org_name": "Some Agency", "org_acronym": None},
        {"name": "Lena Berg", "honorific": None, "title": None, "org_name": None, "org_acronym": None},
    ]
    score = SC.score_speakers("d", gold, pred, gold_orgs)
    c = score.counts["speakers"]
    assert (c.tp, c.n_gold, c.n_pred) == (2, 2, 3)
    assert (score.accuracies["title"].correct, score.accuracies["title"].total) == (2, 2)
    assert (score.accuracies["organization"].correct, score.accuracies["organization"].total) == (1, 2)
    assert [i.text for i in score.issues if i.kind == "false_hit"] == ["Lena Berg"]


def test_speaker_title_below_half_is_wrong():
    gold = [{"name": "Kofi Mensah", "honorific": None, "title": "Chief of Section", "organization": None}]
    pred = [{"name": "Kofi Mensah", "title": "Head of Unit", "org_name": None, "org_acronym": None}]
    # {chief, of, section} vs {head, of, unit}: 2*1/6 ≈ 0.33 < 0.5 → wrong
    score = SC.score_speakers("d", gold, pred)
    assert score.accuracies["title"].correct == 0
    assert score.accuracies["organization"].correct == 1   # null == null


def test_speaker_organization_matches_gold_acronym_written_as_name():
    # gold writes the acronym; the prediction has the long form with that acronym
    assert M.org_mention_matches("UNFPA", None, "United Nations Population Fund", "UNFPA")
    assert M.org_mention_matches("United Nations Population Fund", None, "united nations population fund", None)
    assert not M.org_mention_matches("United Nations Population Fund", None, "UN Population Fund", None)


def test_orgs_equal_by_name_or_non_null_acronym():
    assert M.orgs_equal("Internal Oversight Unit", None, "internal oversight unit", "IOU")
    assert M.orgs_equal("UN Population Fund", "UNFPA", "United Nations Population Fund", "UNFPA")
    assert not M.orgs_equal("Alpha Agency", None, "Beta Agency", None)   # both acronyms null
    assert not M.orgs_equal("Alpha Agency", "AA", "Beta Agency", "BA")


def test_organizations_are_matched_one_to_one_preferring_name_and_acronym():
    gold = [{"name": "United Nations Population Fund", "acronym": "UNFPA"},
            {"name": "Anti-Trafficking Unit", "acronym": None}]
    pred = [{"org_id": "o1", "name": "UN Population Fund", "acronym": "UNFPA"},           # acronym only
            {"org_id": "o2", "name": "United Nations Population Fund", "acronym": "UNFPA"},  # both
            {"org_id": "o3", "name": "Some Company", "acronym": None}]
    score = SC.score_organizations("d", gold, pred)
    c = score.counts["organizations"]
    assert (c.tp, c.n_gold, c.n_pred) == (1, 2, 3)
    false_hits = sorted(i.text for i in score.issues if i.kind == "false_hit")
    assert false_hits == ["Some Company", "UN Population Fund"]
    assert [i.text for i in score.issues if i.kind == "miss"] == ["Anti-Trafficking Unit"]


# ---------------------------------------------------------------------------------------
# Dates and statistics fields
# ---------------------------------------------------------------------------------------

def test_date_value_accuracy_and_value_f1():
    gold = [{"text": "14 June 2022", "value": "2022-06-14"}, {"text": "last year", "value": "2022"}]
    pred = [{"text": "14 June 2022", "value": "2022-06-14"},
            {"text": "last year", "value": "2023"},
            {"text": "2019", "value": "2019"}]
    score = SC.score_dates("d", gold, pred)
    assert score.counts["extent"].tp == 2
    assert (score.accuracies["value"].correct, score.accuracies["value"].total) == (1, 2)
    v = score.counts["value"]
    assert (v.tp, v.n_gold, v.n_pred) == (1, 2, 3)
    assert [(i.field, i.gold, i.pred) for i in score.issues if i.kind == "mismatch"] == [("value", "2022", "2023")]


@pytest.mark.parametrize("gold,pred,ok", [
    (200.0, 201.0, True),     # 0.5 % of 200 = 1.0: on the boundary
    (200.0, 198.9, False),    # 1.1 off
    (0.3333, 0.3334, True),
    (0.5, 0.51, False),
    (0.0, 0.0, True),
    (0.0, 0.001, False),
    (None, None, True),
    (35.0, None, False),
])
def test_value_tolerance_is_half_a_percent(gold, pred, ok):
    assert M.value_close(gold, pred) is ok


def _stat(text, value, unit="count", qualifier=None, subject="victims", source=None):
    return {"text": text, "value": value, "unit": unit, "qualifier": qualifier,
            "subject": subject, "source": source}


def test_statistic_value_f1_needs_value_and_unit():
    gold = [_stat("one in four", 0.25, "ratio"), _stat("42 percent", 42, "percent"),
            _stat("3.1 million people", 3100000, "count")]
    pred = [_stat("one in four", 0.2501, "ratio"),            # within tolerance, unit right
            _stat("42 percent", 42, "count"),                  # unit wrong
            _stat("3.1 million people", 3.1, "count")]         # value wrong
    score = SC.score_statistics("d", gold, pred)
    assert score.counts["extent"].tp == 3
    assert score.counts["value"].tp == 1
    fields = sorted(i.field for i in score.issues if i.kind == "mismatch")
    assert fields == ["unit", "value"]


def test_statistic_qualifier_subject_and_source():
    gold = [_stat("over 70 percent", 70, "percent", "over", "workers in debt bondage",
                  "Annual Survey on Migrant Workers"),
            _stat("27 agencies", 27, subject="agencies"),
            _stat("twelve core steps", 12, subject=None)]
    pred = [_stat("over 70 percent", 70, "percent", "over", "surveyed workers in debt bondage",
                  # source: all 5 gold tokens among 8 → 10/13 ≥ 0.5
                  "2021 Annual Survey on Migrant Workers by region"),
            _stat("27 agencies", 27, qualifier="approximately", subject="members"),
            _stat("twelve core steps", 12, subject="steps")]
    score = SC.score_statistics("d", gold, pred)
    acc = score.accuracies
    assert (acc["qualifier"].correct, acc["qualifier"].total) == (2, 3)
    # gold null subject needs a null prediction; "members" lacks "agencies"
    assert (acc["subject"].correct, acc["subject"].total) == (1, 3)
    assert (acc["source"].correct, acc["source"].total) == (3, 3)


def test_subject_containment_for_multi_word_gold():
    assert M.subject_contains("victims", "rescued victims of forced labour")
    assert M.subject_contains("victims of labour", "labour victims of all ages")   # any order
    assert not M.subject_contains("victims of labour", "labour victims")           # "of" missing
    assert not M.subject_contains("victims", "victim")
    assert not M.subject_contains("victims", None)
    assert M.subject_contains(None, None)


# ---------------------------------------------------------------------------------------
# Gold validation
# ---------------------------------------------------------------------------------------

def test_validation_reports_file_and_key_and_skips_the_file(tmp_path):
    gold_dir = tmp_path / "gold"
    write_gold(gold_dir, gold_doc("good"))
    bad_kind = gold_doc("badkind", quotes=[{"text": "x y z", "speaker": None, "kind": "Direct"}])
    write_gold(gold_dir, bad_kind)
    missing = gold_doc("missing")
    del missing["statistics"]
    write_gold(gold_dir, missing)
    wrong_type = gold_doc("wrongtype", dates=[{"text": "2023", "value": 2023}])
    write_gold(gold_dir, wrong_type)
    (gold_dir / "broken.json").write_text('{"doc_id": "broken", ', encoding="utf-8")
    not_obj = gold_doc("notobj", speakers=["Amina Diallo"])
    write_gold(gold_dir, not_obj)
    pred = write_pred(tmp_path / "pred", documents=[document_row("good")])

    report = ev.evaluate(gold_dir, pred)

    assert report.doc_ids == ["good"]
    assert sorted(report.skipped_files) == ["badkind.json", "broken.json", "missing.json",
                                            "notobj.json", "wrongtype.json"]
    by_file = {e.file: e for e in report.gold_errors}
    assert by_file["badkind.json"].key == "quotes[0].kind" and "'Direct'" in by_file["badkind.json"].message
    assert by_file["missing.json"].key == "statistics"
    assert by_file["wrongtype.json"].key == "dates[0].value"
    assert by_file["broken.json"].key == "<json>"
    assert by_file["notobj.json"].key == "speakers[0]"
    text = ev.format_report(report, errors=False)
    assert "badkind.json: quotes[0].kind" in text
    assert "missing.json: statistics: missing required key" in text


def test_validation_rejects_boolean_and_nan_statistic_values():
    doc = gold_doc("d", statistics=[_stat("42 percent", True), _stat("x", float("nan"))])
    keys = [e.key for e in G.validate_gold(doc, "d.json")]
    assert keys == ["statistics[0].value", "statistics[1].value"]


def test_valid_gold_has_no_errors():
    doc = gold_doc("d", quotes=[{"text": "a b", "speaker": None, "kind": "indirect"}],
                   statistics=[_stat("42 percent", 42)], extra_key="allowed")
    assert G.validate_gold(doc, "d.json") == []


def test_missing_gold_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SC.EvaluationError, match="gold folder not found"):
        ev.evaluate(tmp_path / "nope", write_pred(tmp_path / "pred"))


# ---------------------------------------------------------------------------------------
# Whole evaluation from Parquet
# ---------------------------------------------------------------------------------------

def _full_case(tmp_path: Path, layout: str = "file") -> SC.Report:
    gold = gold_doc(
        "r1", title="Agencies urge action", dateline="Geneva", published="2024-03-05",
        reference_date="2024-03-05",
        quotes=[{"text": "Every child deserves protection from exploitation", "speaker": "Amina Diallo",
                 "kind": "direct"},
                {"text": "the need for stronger cooperation", "speaker": "Kofi Mensah", "kind": "indirect"}],
        speakers=[{"name": "Amina Diallo", "honorific": "Dr.", "title": "Regional Director",
                   "organization": "United Nations Population Fund"}],
        organizations=[{"name": "United Nations Population Fund", "acronym": "UNFPA"},
                       {"name": "Anti-Trafficking Unit", "acronym": None}],
        dates=[{"text": "5 March 2024", "value": "2024-03-05"}, {"text": "2023", "value": "2023"}],
        statistics=[_stat("over 40 percent", 40, "percent", "over", "victims")],
    )
    write_gold(tmp_path / "gold", gold)
    pred = write_pred(
        tmp_path / "pred", layout,
        documents=[document_row("r1", "Agencies urge action", dateline="Geneva",
                                published=dt.date(2024, 3, 5), reference_date=dt.date(2024, 3, 6)),
                   document_row("other")],
        people=[{"person_id": "amina-diallo", "name": "Amina Diallo", "honorific": "Dr."},
                {"person_id": "kofi-mensah", "name": "Kofi Mensah", "honorific": "Mr."}],
        quotes=[{"doc_id": "r1", "quote_id": "q1", "start_char": 10, "end_char": 60,
                 "text": "Every child deserves protection from exploitation", "kind": "direct",
                 "speaker_id": "amina-diallo"},
                {"doc_id": "r1", "quote_id": "q2", "start_char": 100, "end_char": 133,
                 "text": "the need for stronger cooperation", "kind": "indirect", "speaker_id": None},
                {"doc_id": "other", "quote_id": "q3", "start_char": 0, "end_char": 5,
                 "text": "not scored", "kind": "direct", "speaker_id": None}],
        speakers=[{"doc_id": "r1", "person_id": "amina-diallo", "title": "Regional Director",
                   "organization_id": "unfpa"}],
        organizations=[{"org_id": "unfpa", "name": "UN Population Fund", "acronym": "UNFPA"},
                       {"org_id": "acme", "name": "Acme Corporation", "acronym": None}],
        organization_mentions=[{"doc_id": "r1", "org_id": "unfpa", "start_char": 5, "end_char": 10},
                               {"doc_id": "r1", "org_id": "unfpa", "start_char": 70, "end_char": 75},
                               {"doc_id": "r1", "org_id": "acme", "start_char": 80, "end_char": 96}],
        dates=[{"doc_id": "r1", "start_char": 0, "end_char": 12, "text": "5 March 2024",
                "value": "2024-03-05", "kind": "absolute"},
               {"doc_id": "r1", "start_char": 200, "end_char": 204, "text": "2023", "value": "P1Y",
                "kind": "duration"}],   # same text, but a duration: filtered out
        statistics=[{"doc_id": "r1", "start_char": 300, "end_char": 315, "text": "over 40 percent",
                     "value": 40.0, "unit": "percent", "qualifier": "over", "subject": "trafficking victims"}],
    )
    return ev.evaluate(tmp_path / "gold", pred)


@pytest.mark.parametrize("layout", ["file", "dir"])
def test_evaluate_end_to_end_from_parquet(tmp_path, layout):
    report = _full_case(tmp_path, layout)
    t = report.tables
    dp = t["quotes_direct_partial"]
    assert (dp.counts["span"].tp, dp.counts["end_to_end"].tp) == (1, 1)
    ind = t["quotes_indirect"]
    # indirect span matched, but predicted speaker is null where gold names Kofi Mensah
    assert (ind.counts["span"].tp, ind.counts["end_to_end"].tp) == (1, 0)
    assert t["quotes_all"].counts["span"].n_gold == 2 and t["quotes_all"].counts["end_to_end"].tp == 1
    sp = t["speakers"]
    assert sp.counts["speakers"].tp == 1
    assert sp.accuracies["organization"].correct == 1   # by acronym UNFPA
    org = t["organizations"].counts["organizations"]
    assert (org.tp, org.n_gold, org.n_pred) == (1, 2, 2)    # unfpa counted once per release
    d = t["dates"].counts["extent"]
    assert (d.tp, d.n_gold, d.n_pred) == (1, 2, 1)          # the duration row is not counted
    st = t["statistics"]
    assert st.counts["value"].tp == 1 and st.accuracies["subject"].correct == 1
    docs = t["documents"].accuracies
    assert [docs[f].correct for f in ("title", "dateline", "published", "reference_date")] == [1, 1, 1, 0]
    assert report.missing_docs == []
    assert any("no gold file" in w for w in report.warnings)   # "other" is not scored


def test_hive_partitioned_directory_is_read(tmp_path):
    pred = tmp_path / "pred"
    write_pred(pred, documents=[document_row("r1")])
    (pred / "dates.parquet").unlink()
    part = pred / "dates" / "doc_id=r1"
    part.mkdir(parents=True)
    rows = [{"doc_id": "r1", "text": "2023", "value": "2023", "kind": "absolute", "start_char": 0}]
    pq.write_table(arrow_table("dates", rows).drop_columns(["doc_id"]), part / "part-0.parquet")
    write_gold(tmp_path / "gold", gold_doc("r1", dates=[{"text": "2023", "value": "2023"}]))
    report = ev.evaluate(tmp_path / "gold", pred)
    assert report.tables["dates"].counts["value"].tp == 1


def test_release_without_predictions_counts_as_all_misses(tmp_path):
    gold = gold_doc("lost", quotes=[{"text": "a b c d e", "speaker": None, "kind": "direct"}],
                    dates=[{"text": "2023", "value": "2023"}])
    write_gold(tmp_path / "gold", gold, gold_doc("found"))
    pred = write_pred(tmp_path / "pred", documents=[document_row("found")])
    report = ev.evaluate(tmp_path / "gold", pred)
    assert report.missing_docs == ["lost"]
    assert report.tables["quotes_direct_partial"].counts["span"].recall == 0.0
    assert report.tables["dates"].counts["extent"].n_gold == 1
    # title right for "found" only; dateline null == null for "found", wrong for "lost"
    assert (report.tables["documents"].accuracies["title"].correct,
            report.tables["documents"].accuracies["title"].total) == (1, 2)
    assert (report.tables["documents"].accuracies["dateline"].correct,
            report.tables["documents"].accuracies["dateline"].total) == (1, 2)
    assert "no predictions" in ev.format_report(report) and "lost" in ev.format_report(report)


def test_missing_table_is_warned_and_read_as_empty(tmp_path):
    pred = write_pred(tmp_path / "pred", documents=[document_row("r1")])
    (pred / "statistics.parquet").unlink()
    write_gold(tmp_path / "gold", gold_doc("r1", statistics=[_stat("42 percent", 42, "percent")]))
    report = ev.evaluate(tmp_path / "gold", pred)
    assert report.tables["statistics"].counts["extent"].n_gold == 1
    assert any("'statistics' not found" in w for w in report.warnings)


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------

def test_format_report_lists_errors_only_when_asked(tmp_path):
    report = _full_case(tmp_path)
    plain = ev.format_report(report, errors=False)
    assert "quotes (direct+partial)" in plain and "organizations" in plain
    assert "Acme Corporation" not in plain
    full = ev.format_report(report, errors=True)
    assert "FALSE HIT organizations [r1]" in full and "Acme Corporation" in full
    assert "MISS      organizations [r1] “Anti-Trafficking Unit”" in full
    assert "MISS      dates [r1] “2023”" in full
    assert "speaker gold “Kofi Mensah” ≠ pred null" in full
    assert "reference_date gold “2024-03-05” ≠ pred “2024-03-06”" in full


def test_report_to_json_carries_every_issue(tmp_path):
    report = _full_case(tmp_path)
    data = json.loads(json.dumps(ev.report_to_json(report)))
    assert data["n_docs"] == 1
    orgs = data["tables"]["organizations"]
    assert orgs["counts"]["organizations"]["precision"] == 0.5
    kinds = {(i["kind"], i["text"]) for i in orgs["issues"]}
    assert kinds == {("miss", "Anti-Trafficking Unit"), ("false_hit", "Acme Corporation")}
    # org miss + org false hit, date "2023" miss, indirect speaker mismatch, reference_date mismatch
    n_issues = sum(len(t["issues"]) for t in data["tables"].values())
    assert n_issues == 5
    assert data["tables"]["documents"]["issues"][0]["field"] == "reference_date"
    assert data["missing_docs"] == [] and data["gold_errors"] == []


def test_release_name_of_an_organization_matches_gold(tmp_path):
    """A release writing "General Assembly" is scored by that name, not only the canonical one."""
    from pipeline.review.scores import score_organizations

    gold = [{"name": "General Assembly", "acronym": None}]
    canonical_only = [{"org_id": "unga", "name": "UN General Assembly", "acronym": "UNGA"}]
    with_release_name = [{**canonical_only[0], "release_names": ["General Assembly"]}]
    assert score_organizations("d", gold, canonical_only).counts["organizations"].tp == 0
    assert score_organizations("d", gold, with_release_name).counts["organizations"].tp == 1


# ---------------------------------------------------------------------------------------
# Several gold sets against one outputs folder
# ---------------------------------------------------------------------------------------

def _set_case(tmp_path: Path) -> tuple[Path, Path, Path]:
    seeds = write_gold(tmp_path / "seeds", gold_doc("s1", title="Ministers meet"))
    dev = write_gold(tmp_path / "dev", gold_doc("d1", title="Court rules"),
                     gold_doc("d2", title="Police act"))
    pred = write_pred(tmp_path / "pred", documents=[
        document_row("s1", "Ministers meet"), document_row("d1", "Court rules"),
        document_row("d2", "Police report"), document_row("x9", "Not annotated")])
    return seeds, dev, pred


def test_each_set_is_scored_alone_then_all_together(tmp_path):
    seeds, dev, pred = _set_case(tmp_path)
    reports = ev.evaluate_sets([seeds, dev], pred)
    assert [r.doc_ids for r in reports] == [["s1"], ["d1", "d2"], ["s1", "d1", "d2"]]
    titles = [r.tables["documents"].accuracies["title"] for r in reports]
    assert [(a.correct, a.total) for a in titles] == [(1, 1), (1, 2), (2, 3)]
    assert reports[-1].gold_dir == "all sets"
    # the release outside every set is reported once, on the combined report
    assert not any("no gold file" in w for r in reports[:-1] for w in r.warnings)
    assert any("1 predicted release(s) have no gold file in any set" in w for w in reports[-1].warnings)


def test_one_set_gives_one_report(tmp_path):
    seeds, _, pred = _set_case(tmp_path)
    assert len(ev.evaluate_sets([seeds], pred)) == 1


def test_an_empty_gold_folder_is_a_usage_error_naming_both_folders(tmp_path):
    _, _, pred = _set_case(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SC.EvaluationError, match=f"no valid gold file in {tmp_path / 'empty'}.*{pred}"):
        ev.evaluate_sets([tmp_path / "empty"], pred)


def test_no_release_in_common_is_a_usage_error(tmp_path):
    other = write_gold(tmp_path / "other", gold_doc("zz1"))
    pred = write_pred(tmp_path / "pred", documents=[document_row("s1")])
    with pytest.raises(SC.EvaluationError, match="no release in common"):
        ev.evaluate_sets([other], pred)


def test_cli_scores_two_sets_and_rejects_an_empty_one(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    seeds, dev, pred = _set_case(tmp_path)
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(seeds), "--gold", str(dev),
                                   "--pred", str(pred)])
    assert res.exit_code == 0, res.output
    assert res.output.count("Evaluated ") == 3 and "gold all sets" in res.output
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(tmp_path / "empty"), "--pred", str(pred)])
    assert res.exit_code == 2
