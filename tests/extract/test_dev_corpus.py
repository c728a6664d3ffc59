"""Robustness on unseen text: the whole pipeline over the shared dev corpus.

The dev releases are 2,000-byte excerpts of other agencies' pages, some cut mid-sentence and
some with site clutter. They are read in place from ../shared, never copied.
"""
import pandas as pd
import pytest


from tests.conftest import DEV_CORPUS

pytestmark = pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpus/dev not beside the repo")


def test_every_dev_release_processes(dev_outputs):
    out, summary = dev_outputs
    assert summary.skipped == []
    assert summary.read == len(list(DEV_CORPUS.glob("*.txt")))


@pytest.mark.parametrize("table", ["sentences", "quotes", "organization_mentions", "dates", "statistics"])
def test_dev_offsets_round_trip(dev_outputs, table):
    out, _ = dev_outputs
    texts = pd.read_parquet(out / "documents").set_index("doc_id").text.to_dict()
    rows = pd.read_parquet(out / table)
    assert len(rows) > 0
    for r in rows.itertuples():
        assert texts[r.doc_id][r.start_char:r.end_char] == r.text


def test_dev_quotes_have_known_kinds_and_speakers_exist(dev_outputs):
    out, _ = dev_outputs
    quotes = pd.read_parquet(out / "quotes")
    people = pd.read_parquet(out / "people")
    assert set(quotes.kind) <= {"direct", "partial", "indirect"}
    assert set(quotes.speaker_id.dropna()) <= set(people.person_id)
    # Most quotes in agency releases are attributed to someone.
    assert quotes.speaker_id.notna().mean() > 0.8


def test_dev_speakers_point_at_organizations(dev_outputs):
    out, _ = dev_outputs
    speakers = pd.read_parquet(out / "speakers")
    orgs = pd.read_parquet(out / "organizations")
    assert set(speakers.organization_id.dropna()) <= set(orgs.org_id)
    assert speakers.organization_id.notna().any()


def test_dev_no_dates_from_phone_numbers_or_identifiers(dev_outputs):
    out, _ = dev_outputs
    dates = pd.read_parquet(out / "dates")
    absolute = dates[dates.kind == "absolute"]
    one = r"(19|20)\d\d(-\d\d(-\d\d)?)?"
    assert absolute.value.str.fullmatch(f"{one}(/{one})?").all()  # a date, or an ISO interval
