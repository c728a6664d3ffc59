"""Checks of the reconciled dev gold (tests/gold-dev/) against the gold format, the
conventions of its README and the text of each release in ../shared/corpus/dev/.

No model and no pipeline output: a typo, a miscounted occurrence or a value outside the
contract's vocabularies fails here before it can distort a score.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.review.gold import validate_gold
from tests.conftest import DEV_CORPUS, ROOT
from tests.review.test_gold import counts_of

GOLD_DIR = ROOT / "tests" / "gold-dev"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
README = GOLD_DIR / "README.md"
QUALIFIERS = {None, "approximately", "over", "under", "at least", "at most", "nearly", "up to"}
UNIT = re.compile(r"percent|ratio|count|multiple|currency:[A-Z]{3}|per \d+|[a-z]+(?: [A-Za-z]+)?")
ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
DATE_VALUE = re.compile(f"{ISO}(?:/{ISO})?")
README_ROW = re.compile(r"\|\s*(d\d\d)\s*\|\s*(\d+) \((\d+)/(\d+)/(\d+)\)\s*\|\s*(\d+)\s*\|"
                        r"\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|")

pytestmark = pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpus/dev not beside the repo")
gold_file = pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def release_text(doc_id: str) -> str:
    return (DEV_CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_every_dev_release_has_exactly_one_gold_file():
    assert {p.stem for p in GOLD_FILES} == {p.stem for p in DEV_CORPUS.glob("d*.txt")}


@gold_file
def test_valid_for_the_scorer_and_names_its_release(path):
    data = load(path)
    assert data["doc_id"] == path.stem
    assert validate_gold(data, path.name) == []


@gold_file
def test_texts_occur_verbatim_once_per_entry(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    for table in ("quotes", "dates", "statistics"):
        wanted = Counter(e["text"] for e in data[table])
        for text, n in wanted.items():
            assert raw.count(text) >= n, (table, text)


@gold_file
def test_document_fields(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    for key in ("published", "reference_date"):
        assert data[key] is None or re.fullmatch(ISO, data[key]), key
    if data["published"] and len(data["published"]) == 10:
        assert data["reference_date"] == data["published"]
    if data["title"]:
        assert " ".join(data["title"].split()) in " ".join(raw.split())
    if data["dateline"]:
        assert data["dateline"].casefold() in raw.casefold()


@gold_file
def test_quotes_and_speakers_agree(path):
    data = load(path)
    assert {q["kind"] for q in data["quotes"]} <= {"direct", "partial", "indirect"}
    quoted = {q["speaker"] for q in data["quotes"] if q["speaker"]}
    rows = [s["name"] for s in data["speakers"]]
    assert len(rows) == len(set(rows))
    assert quoted == set(rows)


@gold_file
def test_organizations_are_distinct(path):
    names = [o["name"].casefold() for o in load(path)["organizations"]]
    assert len(names) == len(set(names))


@gold_file
def test_values_use_the_contract_vocabularies(path):
    data = load(path)
    for d in data["dates"]:
        assert d["value"] is None or DATE_VALUE.fullmatch(d["value"]), d
    if data["reference_date"] is None:  # relative dates need a reference date
        assert not any(re.search(r"\b(today|this year|last year|next year)\b", d["text"], re.I)
                       for d in data["dates"])
    for s in data["statistics"]:
        assert s["qualifier"] in QUALIFIERS, s
        assert s["unit"] is None or UNIT.fullmatch(s["unit"]), s


def test_readme_counts_match_the_files():
    table = {m.group(1): tuple(int(g) for g in m.groups()[1:])
             for m in README_ROW.finditer(README.read_text(encoding="utf-8"))}
    assert set(table) == {p.stem for p in GOLD_FILES}
    for path in GOLD_FILES:
        assert table[path.stem] == counts_of(load(path)), path.stem
