"""The PolNeAR reader and scorer, on a tiny invented article in brat standoff format."""
from __future__ import annotations

import pandas as pd

from pipeline.review.polnear import (
    double_quote_pairs,
    evaluate_polnear,
    gold_article,
    name_matches_source,
    read_ann,
    source_people,
)

TEXT = ("Budget Row Deepens.\n\n"
        "“We will not sign this,” said Senator Mara Quint of Ohio.\n\n"
        "Quint told reporters that the vote would slip to June.\n\n"
        "Analysts think the bill is doomed.\n")


def _ann(text: str) -> str:
    def span(frag: str, start: int = 0) -> tuple[int, int]:
        s = text.index(frag, start)
        return s, s + len(frag)

    q = span("“We will not sign this,”")
    src = span("Senator Mara Quint of Ohio")
    cue = span("said")
    c2 = span("the vote would slip to June")
    s2 = span("Quint told")
    s2 = (s2[0], s2[0] + 5)
    k2 = span("told")
    c3 = span("the bill is doomed")
    s3 = span("Analysts")
    k3 = span("think")
    lines = [f"T1\tContent {q[0]} {q[1]}\tx", f"T2\tSource {src[0]} {src[1]}\t{text[src[0]:src[1]]}",
             f"T3\tCue {cue[0]} {cue[1]}\tsaid", "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
             f"T4\tContent {c2[0]} {c2[1]}\tx", f"T5\tSource {s2[0]} {s2[1]}\tQuint", f"T6\tCue {k2[0]} {k2[1]}\ttold",
             "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
             f"T7\tContent {c3[0]} {c3[1]}\tx", f"T8\tSource {s3[0]} {s3[1]}\tAnalysts", f"T9\tCue {k3[0]} {k3[1]}\tthink",
             "E3\tAttribution:T9 Content:T7 Cue:T9 Source:T8"]
    return "\n".join(lines) + "\n"


def test_gold_quotes_and_indirect_speech_from_relations():
    quotes, indirect = gold_article(TEXT, read_ann(_ann(TEXT)))
    assert [q["text"] for q in quotes] == ["We will not sign this,"]
    assert quotes[0]["source"] == "Senator Mara Quint of Ohio"
    # ``told`` is a speech cue, ``think`` a belief: only the first is indirect speech
    assert [q["text"] for q in indirect] == ["the vote would slip to June"]


def test_double_quote_pairs_stay_on_their_line():
    assert double_quote_pairs('He said "yes" and\n"no') == [(9, 12)]


def test_named_sources_by_surname():
    (person,) = source_people("Senator Mara Quint of Ohio")
    assert name_matches_source("Mara Quint", person)
    assert not name_matches_source("Lena Quint", person)
    assert not name_matches_source("Mara Quint Says", person)  # a headline word glued on
    (bare,) = source_people("Quint", TEXT)
    assert name_matches_source("Mara Quint", bare)
    assert source_people("he") == [] and source_people("The Daily Ledger") == []
    assert source_people("Sen. Rob Ames and Mr. Ode Lund") == [(frozenset({"rob"}), ("ames",)),
                                                              (frozenset({"ode"}), ("lund",))]


def test_evaluate_polnear_scores_an_outputs_folder(tmp_path):
    part = tmp_path / "dev"
    (part / "text").mkdir(parents=True)
    (part / "attributions").mkdir()
    (part / "text" / "a1.txt").write_text(TEXT, encoding="utf-8")
    (part / "attributions" / "a1_x1.ann").write_text(_ann(TEXT), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame([{"doc_id": "a1", "title": "Budget Row Deepens."}]).to_parquet(out / "documents.parquet")
    pd.DataFrame([{"person_id": "mara-quint", "name": "Mara Quint", "honorific": None}]).to_parquet(
        out / "people.parquet")
    pd.DataFrame([
        {"doc_id": "a1", "quote_id": 0, "start_char": 22, "end_char": 44, "text": "We will not sign this,",
         "kind": "direct", "speaker_id": "mara-quint", "speaker_mention": "Senator Mara Quint", "cue": "say"},
        {"doc_id": "a1", "quote_id": 1, "start_char": 100, "end_char": 127, "text": "the vote would slip to June",
         "kind": "indirect", "speaker_id": "mara-quint", "speaker_mention": "Quint", "cue": "tell"},
    ]).to_parquet(out / "quotes.parquet")
    report = evaluate_polnear(part, out)
    dp = report.tables["quotes_direct_partial"]
    assert (dp.counts["span"].tp, dp.counts["span"].n_gold, dp.counts["span"].n_pred) == (1, 1, 1)
    assert dp.accuracies["named_source"].accuracy == 1.0
    assert report.tables["quotes_indirect"].counts["span"].f1 == 1.0


def test_indirect_gold_needs_a_named_or_pronoun_source():
    from pipeline.review.polnear import named_or_pronoun

    assert named_or_pronoun("Quint") and named_or_pronoun("she") and named_or_pronoun("The Daily Ledger")
    assert not named_or_pronoun("a source") and not named_or_pronoun("officials") and not named_or_pronoun(None)
