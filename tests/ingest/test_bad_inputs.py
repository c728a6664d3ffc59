"""Hostile input never crashes a run or loses data.

The pipeline runs ONCE for this module over a folder holding the bad inputs of
``tests/data/bad/`` (small, committed; README.md there lists them), the large or odd ones
made here (a 5 MB release, a 200,000-character line, a file name that is no UTF-8), and three
good seed releases. Then, per case: the run completed, the good releases are in
``documents``, and each bad input is either processed correctly or in ``errors`` with a reason
that names what is wrong. Nothing is written outside the output folder.

Decisions, case by case (32 cases; the JSONL file holds four bad lines and four odd
good ones):

====================  ==========================================================================
input                 outcome
====================  ==========================================================================
empty file            error "empty release"
whitespace only       error "empty release" (CR, tabs, form feed count as blank)
PDF named .txt        error "binary file (a PDF document)": its magic number, not its NULs
undecodable bytes     error "undecodable: neither UTF-8 nor cp1252 (byte 0x81 at offset 60…)"
NUL-heavy bytes       error "binary file (contains NUL bytes …)"
scripts-only HTML     error "no main text found in the HTML page"
5 MB release          error "file over the size limit": never read (spaCy would need minutes)
hidden ``..x.txt``    error "hidden file skipped": a dot name is no release, but is not hidden
                      from the user either
same name, 2 folders  two releases: the doc_id holds the folders under the input folder
                      (``dup/a/same-id.txt`` is ``dup__a__same-id``)
duplicate doc_id      the first read (sorted paths) is processed, the second is an error
                      naming the first; its own file (and JSONL line) is the error's source
JSONL, broken lines   each good line processed; each bad line an error naming ``file:line``
                      (invalid JSON, nested too deeply, not an object, no doc_id)
UTF-8 + stray byte    processed: the byte becomes U+FFFD, the rest of the UTF-8 is kept
UTF-16 with BOM       processed, same text as the UTF-8 original
UTF-16 without BOM    processed (recognised by its NUL pattern)
cp1252                processed, same text
CRLF / lone CR        processed, same text (line ends unified)
a few NUL bytes       processed, NULs removed (a faulty converter's output)
unbalanced quotes     processed; quote rows still round-trip
nested brackets       processed (3,000 deep)
200,000-char line     processed: one line without punctuation is still text
600-sentence pronoun  processed, the last "he" resolved (it used to overflow the stack)
chain
lone surrogate (JSON) processed, U+FFFD in its place (Parquet cannot store it)
raw U+2028 in JSONL   processed as one record (lines split at \\n only)
non-string title      processed, the field ignored
names: spaces,        processed under their own names; ``../../escaped`` is only a doc_id,
unicode, ``..``,      never a path; a file name that is not UTF-8 gets U+FFFD in doc_id
bytes
====================  ==========================================================================
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from pipeline.run import tables
from pipeline.ingest.decode import normalize_text

from tests.conftest import RAW

BAD = Path(__file__).parents[1] / "data" / "bad"
SEEDS = ["000_f16db62189e36f3a", "001_c49519a9c6d60424", "003_c0289dec28822c60"]
REFERENCE = (BAD / "reference.txt").read_text(encoding="utf-8")
LONG_LINE_CHARS = 200_000
PRONOUN_SENTENCES = 600


def _tree(root: Path) -> set[str]:
    """Every path under ``root`` (files, folders and links), as strings."""
    return {os.fsdecode(os.path.join(d, n)) for d, dirs, files in os.walk(root) for n in dirs + files}


def _long_line() -> str:
    """200,000 characters on one line, no punctuation: words, names, numbers, a speech verb."""
    words = ("migrant workers said the Regional Migration Agency assisted 1200 people in 2023 "
             "and 35 percent more than one in three victims of trafficking in May ")
    return (words * (LONG_LINE_CHARS // len(words) + 1))[:LONG_LINE_CHARS - 1] + "x"


def _pronoun_chain() -> str:
    """A long release whose every sentence has a pronoun subject: each pronoun resolves through
    the one before, 600 sentences back (plain recursion overflowed Python's stack)."""
    return ("Agency report\nMr. John Doe spoke at the meeting.\n"
            + "He was at the meeting for the day.\n" * PRONOUN_SENTENCES
            + "“We will act,” he said.\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Run the pipeline once over the bad inputs and three seeds; return what it left."""
    from pipeline.run.runner import run

    root = tmp_path_factory.mktemp("hostile")
    inp, out = root / "in", root / "out"
    shutil.copytree(BAD, inp)
    for name in SEEDS:
        shutil.copy(RAW / f"{name}.txt", inp / f"{name}.txt")
    (inp / "dup.jsonl").write_text(json.dumps({"doc_id": "dup__a__same-id", "text": REFERENCE}),
                                   encoding="utf-8")
    (inp / "huge.txt").write_bytes((REFERENCE.encode("utf-8") * 10_000)[:5 * 1024 * 1024])
    (inp / "long_line.txt").write_text(_long_line(), encoding="utf-8")
    (inp / "pronoun_chain.txt").write_text(_pronoun_chain(), encoding="utf-8")
    with open(os.path.join(os.fsencode(inp), b"bad\xffname.txt"), "wb") as fh:
        fh.write(REFERENCE.replace("Geneva", "Lima").encode("utf-8"))
    base = root.parent
    before = _tree(base)
    summary = run([inp], out, use_cache=False)
    after = _tree(base)
    loaded = {name: tables.read_table(out, name).to_pandas() for name in tables.TABLES}
    return {"out": out, "summary": summary, "new_paths": after - before, "t": loaded, "inp": inp}


def _doc(hostile, doc_id: str) -> dict:
    docs = hostile["t"]["documents"]
    rows = docs[docs.doc_id == doc_id]
    assert len(rows) == 1, f"{doc_id!r} not processed; errors: {hostile['t']['errors'].to_dict('records')}"
    return rows.iloc[0].to_dict()


def _error(hostile, source_end: str) -> dict:
    errors = hostile["t"]["errors"]
    rows = errors[errors.source.str.endswith(source_end)]
    assert len(rows) == 1, (source_end, errors.to_dict("records"))
    return rows.iloc[0].to_dict()


def _quote_texts(hostile, doc_id: str) -> list[str]:
    q = hostile["t"]["quotes"]
    return list(q[q.doc_id == doc_id].sort_values("start_char").text)


# ----------------------------------------------------------------------------- the run

def test_run_completes_and_good_releases_are_processed(hostile):
    s = hostile["summary"]
    assert s.read >= len(SEEDS) + 10
    docs = set(hostile["t"]["documents"].doc_id)
    assert set(SEEDS) <= docs and "reference" in docs
    seeds = hostile["t"]["documents"].set_index("doc_id").loc[SEEDS]
    assert (seeds.n_sentences > 5).all()
    assert set(hostile["t"]["quotes"].doc_id) >= set(SEEDS)


def test_skipped_inputs_are_reported_in_the_summary_and_the_errors_table(hostile):
    errors = hostile["t"]["errors"]
    assert len(hostile["summary"].skipped) == len(errors)
    assert errors.message.notna().all() and (errors.message.str.len() > 10).all()
    assert set(errors.stage) <= {"ingest", "extract"}


def test_nothing_is_written_outside_the_output_folder(hostile):
    out = str(hostile["out"])
    outside = sorted(p for p in hostile["new_paths"] if not (p == out or p.startswith(out + os.sep)))
    assert outside == []
    assert not [p for p in _tree(hostile["out"].parents[1]) if "escaped" in Path(p).name]


def test_offsets_round_trip_in_every_table(hostile):
    t = hostile["t"]
    texts = t["documents"].set_index("doc_id").text.to_dict()
    for table in ("sentences", "quotes", "organization_mentions", "dates", "statistics"):
        for r in t[table].itertuples():
            assert texts[r.doc_id][r.start_char:r.end_char] == r.text, (table, r)


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize("source_end,reason", [
    ("empty.txt", r"^empty release"),
    ("whitespace.txt", r"^empty release"),
    ("fake_pdf.txt", r"binary file \(a PDF document\)"),
    ("undecodable.txt", r"undecodable: neither UTF-8 nor cp1252 \(byte 0x81 at offset 60"),
    ("binary_nul.txt", r"binary file \(contains NUL bytes: 16 of 512 bytes\)"),
    ("scripts_only.html", r"no main text found in the HTML page"),
    ("huge.txt", r"file over the size limit \(5,242,880 bytes > "),
    ("..hidden.txt", r"hidden file skipped"),
])
def test_bad_file_is_an_error_with_its_reason(hostile, source_end, reason):
    e = _error(hostile, os.sep + source_end)
    assert re.search(reason, e["message"]), e
    assert e["stage"] == "ingest"
    assert e["doc_id"] == Path(source_end).stem
    assert Path(source_end).stem not in set(hostile["t"]["documents"].doc_id)


def test_duplicate_doc_id_keeps_the_first_and_names_both(hostile):
    first = str(Path("dup") / "a" / "same-id.txt")
    doc = _doc(hostile, "dup__a__same-id")
    assert doc["source"].endswith(first) and "Vienna" in doc["text"]
    assert _doc(hostile, "dup__b__same-id")["source"].endswith(str(Path("dup") / "b" / "same-id.txt"))
    e = _error(hostile, "dup.jsonl:1")
    assert e["doc_id"] == "dup__a__same-id"
    assert "duplicate doc_id" in e["message"] and first in e["message"]


def test_jsonl_bad_lines_are_errors_and_good_lines_are_processed(hostile):
    for doc_id in ("jsonl-good-1", "jsonl-good-2"):
        _doc(hostile, doc_id)
    assert _doc(hostile, "jsonl-good-1")["published"] is not None
    for line, reason in [(2, "invalid JSON"), (4, "nested too deeply"), (5, "JSON object"),
                         (6, "doc_id")]:
        assert reason in _error(hostile, f"batch.jsonl:{line}")["message"]


# ----------------------------------------------------------------------------- processed correctly

@pytest.mark.parametrize("doc_id,encoding", [
    ("utf16_bom", "utf-16"), ("utf16_no_bom", "utf-16-le"), ("cp1252", "cp1252"),
    ("crlf", "utf-8"), ("lone_cr", "utf-8"), ("stray_nul", "utf-8"),
])
def test_recoverable_encodings_give_the_same_release(hostile, doc_id, encoding):
    doc = _doc(hostile, doc_id)
    assert doc["encoding"] == encoding
    assert doc["text"] == normalize_text(REFERENCE)
    assert doc["title"] == "Regional agency urges safe recruitment of migrant workers"
    assert _quote_texts(hostile, doc_id) == _quote_texts(hostile, "reference")
    assert len(_quote_texts(hostile, doc_id)) >= 2


def test_a_stray_byte_in_utf8_is_replaced_not_reread_as_cp1252(hostile):
    doc = _doc(hostile, "stray_byte")
    assert doc["encoding"] == "utf-8"
    assert doc["text"] == normalize_text(REFERENCE).replace("Geneva", "Gen\ufffdeva")
    assert "“Every worker" in doc["text"]  # the curly quotes were not turned into mojibake


def test_unbalanced_quotes_and_nested_brackets_are_processed(hostile):
    for doc_id in ("unbalanced_quotes", "nested_brackets"):
        assert _doc(hostile, doc_id)["n_sentences"] >= 3
    stats = hostile["t"]["statistics"]
    assert {"20 percent", "1,200"} & set(stats[stats.doc_id.isin(["unbalanced_quotes", "nested_brackets"])].text)


def test_a_200k_character_line_without_punctuation_is_processed(hostile):
    doc = _doc(hostile, "long_line")
    assert doc["text"] == _long_line() and "\n" not in doc["text"]
    sents = hostile["t"]["sentences"]
    assert len(sents[sents.doc_id == "long_line"]) == doc["n_sentences"] >= 1


def test_a_pronoun_chain_hundreds_of_sentences_long_is_resolved(hostile):
    _doc(hostile, "pronoun_chain")
    q = hostile["t"]["quotes"]
    last = q[q.doc_id == "pronoun_chain"].sort_values("start_char").iloc[-1]
    assert (last.text, last.speaker_id) == ("We will act", "john-doe")


def test_jsonl_repairs(hostile):
    assert "\ufffd" in _doc(hostile, "jsonl-surrogate")["text"]
    doc = _doc(hostile, "jsonl-separator")
    assert doc["title"] == "Line separator release" and "said\nthat" in doc["text"]


@pytest.mark.parametrize("doc_id,place", [
    ("release with spaces", "Nairobi"), ("communiqué – été 2024", "Dakar"),
    ("draft..final", "Bangkok"), ("bad\ufffdname", "Lima"), ("../../escaped", None),
])
def test_odd_names_are_only_names(hostile, doc_id, place):
    doc = _doc(hostile, doc_id)
    if place:
        assert place in doc["text"]
    else:
        assert doc["source"] == "../../../etc/passwd"  # a label from the record, never opened
