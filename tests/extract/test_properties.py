"""Property-based tests (hypothesis): every extractor, on any text, returns rows whose offsets
round-trip, whose values have the types of the output contract, and raises nothing.

Two kinds of input: any unicode text, and a mix of genre-like fragments (quotation marks,
"said", acronyms in brackets, numbers, percent signs, month names, line breaks…) that reach
the deeper branches of the rules. Components are called by hand on Docs parsed by the shared
model (see tests/conftest.py), so the model is never changed.

Examples per test (``max_examples``): each spaCy component 200 (sections, organizations,
dates, statistics, quotes with people); ingest header parsing and text normalization 400
each, reading any file 300; decoding, acronym definitions, the date finders and the number
parsers 1000 each; the helpers behind the speed fixes 400 each and the rewritten e-mail line
pattern 2000. The whole file runs in about 30 s. Hypothesis'
example database is off (``database=None``), so nothing is written to ``.hypothesis/``.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from pipeline.extract.organizations import abbreviations
from pipeline.extract.organizations import words as org_words
from pipeline.extract.dates import grammar as datetext
from pipeline.ingest import readers as ingest
from pipeline.extract.stats import numerals as numbers
from pipeline.run import tables
from pipeline.extract.dates.component import make_dates
from pipeline.extract.organizations.recognizer import make_release_orgs
from pipeline.extract.quotes.component import make_release_quotes
from pipeline.extract.sections.component import ReleaseSections
from pipeline.extract.stats.component import make_statistics

COMPONENT_EXAMPLES = 200
PURE_EXAMPLES = 400

component_settings = settings(max_examples=COMPONENT_EXAMPLES, deadline=None, database=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
pure_settings = settings(max_examples=PURE_EXAMPLES, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.too_slow])

# ----------------------------------------------------------------------------- strategies

FRAGMENTS = [
    "“", "”", '"', "‘", "’", "'", "«", "»", "„", " said ", " says ", "she said", "he added that ",
    "According to ", ", said ", "stressed the importance of ", "(UNODC)", "(IOM)", "(ICAT)",
    "United Nations Office on Drugs and Crime ", "International Organization for Migration",
    "UN ", "UNICEF", "the Office of the ", " of the ", "(", ")", "[", "]", "((", "))", "12", "1,000",
    "3.5", "2,5", "0", "2023", "2019-2020", "1990s", " percent", "%", " per cent", "one in three",
    "half", " million", "thousands", "twice", "January", "May ", "Nov.", "8 November 2023",
    "29 July", "June 13-19", "last year", "today", "this month", "annually", "25 years",
    "\n", "\n\n", ". ", ", ", " - ", "–", "—", "…", "Ms. ", "Dr. ", "H.E. ", "Mr. Smith",
    "Executive Director", "Director of the Division", "Vienna", "GENEVA, 5 May 2020 (UN) – ",
    "About ICAT", "For more information", "Media contact:", "@un", "#Hashtag", "https://x.org/a",
    "US$", "€", "£ 5", " victims", " children", " people", "\t", "  ", "more than ", "nearly ",
    "over ", "up to ", "at least ", "approximately ", "Tel. +41 22 917 2000", "1.", "- ", "• ",
    "Ghana Smith", "Maria Lopez-Garcia", "’s", "A", "a", "the", "and", "\u00a0", "\u200b",
]

genre_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)),
                      max_size=40).map("".join)
any_text = st.text(max_size=300)
texts = st.one_of(any_text, genre_text)


# ----------------------------------------------------------------------------- checks

def _plain(value) -> bool:
    """Plain data that survives Doc.to_bytes() and Parquet: str/int/float/bool/None, lists, dicts."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _fits(value, typ: pa.DataType) -> bool:
    """Whether a row value has the Python type the Arrow column ``typ`` declares."""
    if value is None:
        return True
    if pa.types.is_string(typ):
        return isinstance(value, str)
    if pa.types.is_int32(typ):
        return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31
    if pa.types.is_float64(typ):
        return isinstance(value, float) and math.isfinite(value)
    if pa.types.is_boolean(typ):
        return isinstance(value, bool)
    if pa.types.is_date32(typ):
        if not isinstance(value, str):
            return False
        dt.date.fromisoformat(value)
        return True
    if pa.types.is_list(typ):
        return isinstance(value, list) and all(_fits(v, typ.value_type) for v in value)
    raise AssertionError(f"no check for {typ}")


def check_rows(text: str, rows, table: str) -> None:
    """Offsets round-trip, values match the table's schema, and the table can be built."""
    assert isinstance(rows, list)
    schema = tables.SCHEMAS[table]
    for row in rows:
        assert isinstance(row, dict) and _plain(row), row
        s, e = row["start_char"], row["end_char"]
        assert isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text), row
        assert text[s:e] == row["text"], row
        for f in schema:
            if f.name in row:
                assert _fits(row[f.name], f.type), (f.name, row[f.name], row)
    tables.to_table(table, rows)  # the writer accepts them


@pytest.fixture(scope="module")
def components(nlp_base):
    """Our components, built on the shared model without adding them to it."""
    return {
        "orgs": make_release_orgs(nlp_base, "release_orgs", use_gazetteer=True, use_patterns=True,
                                  ner_labels=["ORG"]),
        "dates": make_dates(nlp_base, "release_dates", durations=True, sets=True, anaphoric=True),
        "stats": make_statistics(nlp_base, "release_stats", include_majority=False),
        "quotes": make_release_quotes(nlp_base, "release_quotes", max_quote_chars=3000,
                                      min_unattributed_words=6, indirect=True),
    }


def _doc(parse, text: str, reference: str | None = "2023-11-08") -> Doc:
    doc = parse(text)
    doc._.doc_id = "prop"
    doc._.reference_date = reference
    return doc


def _survives_to_bytes(doc: Doc, attr: str) -> None:
    """Extension values survive Doc.to_bytes(), which nlp.pipe(n_process=N) relies on."""
    copy = Doc(doc.vocab).from_bytes(doc.to_bytes())
    assert copy._.get(attr) == doc._.get(attr)


# ----------------------------------------------------------------------------- components

@component_settings
@given(text=st.one_of(any_text, genre_text, st.text(max_size=2000)))
def test_sections_lines_round_trip(nlp_base, text):
    doc = ReleaseSections(nlp_base)(nlp_base.make_doc(text))
    lines = doc._.lines
    assert _plain(lines)
    for ln in lines:
        assert 0 <= ln["start"] < ln["end"] <= len(text)
        assert text[ln["start"]:ln["end"]] == ln["text"] == ln["text"].strip()
        assert "\n" not in ln["text"]
        assert ln["section"] is None or isinstance(ln["section"], str)
        for flag in ("is_title", "is_dateline", "is_heading", "is_list_item", "is_boilerplate"):
            assert isinstance(ln[flag], bool)
    assert [ln["paragraph_id"] for ln in lines] == list(range(len(lines)))


@component_settings
@given(text=texts)
def test_organizations(parse, components, text):
    doc = components["orgs"](_doc(parse, text))
    check_rows(text, doc._.org_mentions, "organization_mentions")
    for d in doc._.acronyms:
        assert _plain(d)
        assert text[d["short_start"]:d["short_end"]] == d["short"]
        assert text[d["long_start"]:d["long_end"]] == d["long"]
        assert 0 <= d["start_char"] <= d["end_char"] <= len(text)
    _survives_to_bytes(doc, "org_mentions")


@component_settings
@given(text=texts, reference=st.sampled_from([None, "2023-11-08", "2020-02-29", "1999-12-31"]))
def test_dates(parse, components, text, reference):
    doc = components["dates"](_doc(parse, text, reference))
    rows = doc._.dates
    check_rows(text, rows, "dates")
    for r in rows:
        assert r["kind"] in {"absolute", "relative", "duration", "set", "anaphoric"}
        assert isinstance(r["granularity"], str)
        if r["start"] and r["end"]:
            assert r["start"] <= r["end"]
    spans = sorted((r["start_char"], r["end_char"]) for r in rows)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "date rows overlap"
    _survives_to_bytes(doc, "dates")


@component_settings
@given(text=texts)
@example(text="According to UNODC(2022, 35 percent of victims were children.")
def test_statistics(parse, components, text):
    doc = components["stats"](_doc(parse, text))
    rows = doc._.statistics
    check_rows(text, rows, "statistics")
    for r in rows:
        assert isinstance(r["value"], float) and isinstance(r["unit"], str) and r["unit"]
    _survives_to_bytes(doc, "statistics")


@component_settings
@given(text=texts)
def test_quotes_and_people(parse, components, text):
    doc = components["quotes"](components["orgs"](_doc(parse, text)))
    quotes = doc._.quotes
    check_rows(text, quotes, "quotes")
    for q in quotes:
        assert q["kind"] in {"direct", "partial", "indirect"}
        assert q["speaker_key"] is None or isinstance(q["speaker_key"], str)
    people = doc._.people
    assert _plain(people)
    keys = {p["key"] for p in people}
    assert all(q["speaker_key"] in keys for q in quotes if q["speaker_key"] is not None)
    for p in people:
        assert isinstance(p["name"], str) and p["name"].strip()
        assert p["honorific"] is None or isinstance(p["honorific"], str)
        for s, e in p["mentions"]:
            assert 0 <= s < e <= len(text)
    _survives_to_bytes(doc, "quotes")


def test_a_source_glued_to_its_bracket_is_read_up_to_the_bracket(parse, components):
    """Text that lost its spaces (a PDF conversion) glues a bracket into a word: the source
    step used to raise ValueError on it and the release was lost."""
    rows = components["stats"](_doc(parse, "According to figures(2023 more than 300 people were helped."))
    assert [(r["text"], r["source"]) for r in rows._.statistics] == [("more than 300", "figures")]


# ----------------------------------------------------------------------------- pure functions

@pure_settings
@given(text=texts)
def test_header_parsing(text):
    text = ingest.normalize_text(text)
    h = ingest.parse_header(text)
    if h.title_range:
        s, e = h.title_range
        assert text[s:e].replace("\n", " ") == h.title  # a headline broken over two lines
    if h.dateline_range:
        s, e = h.dateline_range
        assert text[s:e] == h.dateline
    for value in (h.published,):
        assert value is None or dt.date.fromisoformat(value)
    ref, source = ingest.infer_reference_date(text, h.published)
    assert (ref is None) == (source is None)


@pure_settings
@given(text=texts)
def test_normalize_text_is_idempotent_and_clean(text):
    once = ingest.normalize_text(text)
    assert ingest.normalize_text(once) == once
    assert not set(once) & {"\r", "\x00", "\ufeff", "\u00a0", "\u2028", "\u2029", "\f"}
    once.encode("utf-8")  # no lone surrogates: Parquet can store it


@settings(max_examples=1000, deadline=None, database=None)
@given(data=st.one_of(st.binary(max_size=400), genre_text.map(lambda t: t.encode("utf-8")),
                      genre_text.map(lambda t: t.encode("utf-16")),
                      genre_text.map(lambda t: t.encode("cp1252", "replace"))))
def test_decoding_any_bytes_gives_text_or_a_reason(data):
    try:
        d = ingest.decode_release(data)
    except ValueError as exc:
        assert str(exc)
        return
    assert isinstance(d.text, str) and isinstance(d.encoding, str)
    assert all(isinstance(r, str) for r in d.repairs)


@settings(max_examples=1000, deadline=None, database=None)
@given(text=texts)
def test_definitions_round_trip(text):
    for d in abbreviations.find_definitions(text):
        assert text[d.short_start:d.short_end] == d.short
        assert text[d.long_start:d.long_end] == d.long
        assert d.start_char <= min(d.short_start, d.long_start)
        assert max(d.short_end, d.long_end) <= d.end_char <= len(text)


@settings(max_examples=1000, deadline=None, database=None)
@given(text=texts)
def test_date_finders(text):
    for s, e, value, gran in datetext.find_absolute_dates(text):
        assert 0 <= s < e <= len(text) and gran in {"day", "month"}
        assert datetext.period_bounds(value, gran)[0] is not None
    for part in datetext.find_date_parts(text):
        assert 0 <= part.start < part.end <= len(text)
    for hit in datetext.find_relative(text):
        assert 0 <= hit.start < hit.end <= len(text)
    for y in datetext.find_year_numbers(text):
        assert text[y.start:y.end] == str(y.year)
    for s, e, value, gran in datetext.find_durations(text):
        assert 0 <= s < e <= len(text) and value.startswith("P")
    for s, e, value, gran, _ in datetext.find_sets(text):
        assert 0 <= s < e <= len(text) and value.startswith("P")
    parsed = datetext.parse_date(text[:60])
    assert parsed is None or datetext.period_bounds(*parsed)[0] is not None


@settings(max_examples=1000, deadline=None, database=None)
@given(word=st.one_of(st.text(max_size=20), st.from_regex(r"[0-9][0-9.,\-–/ ]{0,15}", fullmatch=True)))
def test_number_parsers(word):
    for fn in (numbers.parse_digits, numbers.split_glued_scale, numbers.word_number,
               numbers.scale_value, numbers.multiple_value):
        value = fn(word)
        assert value is None or isinstance(value, (int, float))
    rng = numbers.split_range(word)
    assert rng is None or all(isinstance(v, (int, float)) for v in rng)
    cut = numbers.range_cut(word)
    assert cut is None or 0 <= cut[0] <= cut[1] <= len(word)
    assert isinstance(numbers.is_ordinal(word), bool)
    value = numbers.words_to_number(word.split())
    assert value is None or isinstance(value, (int, float))


# ----------------------------------------------------------------------------- helpers of the fixes

@settings(max_examples=PURE_EXAMPLES, deadline=None, database=None)
@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=30),
       query=st.tuples(st.integers(0, 70), st.integers(0, 10)))
def test_span_set_agrees_with_a_scan(spans, query):
    """SpanSet (bisect) answers like the scan over every taken span it replaced."""
    taken: list[tuple[int, int]] = []
    fast = datetext.SpanSet()
    for start, length in spans:
        s, e = start, start + length
        if not any(s < te and ts < e for ts, te in taken):
            taken.append((s, e))
            fast.add(s, e)
    a, b = query[0], query[0] + query[1]
    assert fast.overlaps(a, b) == any(a < te and ts < b for ts, te in taken)
    assert fast.inside(a, b) == any(ts <= a and b <= te for ts, te in taken)


@settings(max_examples=PURE_EXAMPLES, deadline=None, database=None)
@given(flags=st.lists(st.booleans(), min_size=1, max_size=12),
       links=st.lists(st.sampled_from([", ", " and ", " to ", " then ", "; "]), min_size=11, max_size=11))
def test_propagate_years_matches_the_fixpoint(flags, links):
    """Years in a chain joined by 'and', 'to', commas share acceptance: one pass over the chains
    gives what repeating pairwise passes until nothing changes gives."""
    text, years = "", []
    for i, _ in enumerate(flags):
        if i:
            text += links[i - 1]
        years.append(datetext.YearNumber(len(text), len(text) + 4, 2000 + i))
        text += str(2000 + i)
    expected = list(flags)
    changed = True
    while changed:
        changed = False
        for i in range(len(years) - 1):
            linked = text[years[i].end:years[i + 1].start].strip() in {",", "and", "to"}
            if linked and expected[i] != expected[i + 1]:
                expected[i] = expected[i + 1] = True
                changed = True
    assert datetext.propagate_years(years, flags, text) == expected


@settings(max_examples=PURE_EXAMPLES, deadline=None, database=None)
@given(text=genre_text, cut=st.integers(0, 400), limit=st.integers(1, 25))
def test_words_before_a_bracket_match_a_fresh_scan(text, cut, limit):
    """The bisected word list gives the words a scan of the line up to the bracket gives."""
    pos = min(cut, len(text))
    text = text[:pos] + "(X)" + text[pos:]
    line_start = text.rfind("\n", 0, pos) + 1
    expected = org_words.words(text, line_start, pos)[-limit:]
    assert org_words.words_in_line_before(text, pos, limit) == expected


@settings(max_examples=PURE_EXAMPLES, deadline=None, database=None)
@given(text=genre_text, pos=st.integers(0, 400), limit=st.integers(1, 25))
def test_words_after_a_name_match_a_fresh_scan(text, pos, limit):
    """The words after a name, from the release's word list, are those a scan of the rest of
    the line gives, also when the name ends inside a word (``IOM`` of ``IOM’s``)."""
    pos = min(pos, len(text))
    line_end = text.find("\n", pos)
    expected = org_words.words(text, pos, len(text) if line_end < 0 else line_end)[:limit]
    assert org_words.words_in_line_after(text, pos, limit) == expected


@settings(max_examples=PURE_EXAMPLES, deadline=None, database=None)
@given(spans=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=12),
       a=st.integers(0, 45), length=st.integers(0, 10))
def test_span_cover_agrees_with_a_scan(spans, a, length):
    """A name inside a longer organization span is part of it: the bisected test answers
    like the scan over every span it replaced (any spans, overlapping or not)."""
    from pipeline.extract.people.mentions import _SpanCover

    spans = [(s, s + n) for s, n in spans]
    b = a + length
    expected = any(s <= a and b <= e and (e - s) > (b - a) for s, e in spans)
    assert _SpanCover(spans).strictly_covers(a, b) == expected


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.one_of(st.binary(max_size=300), genre_text.map(lambda t: t.encode("utf-8"))),
       suffix=st.sampled_from([".txt", ".jsonl", ".html"]))
def test_reading_any_file_never_raises(data, suffix):
    """A reader's failure (a parser choking on a hostile page) is an error for that file,
    never an exception that stops the run."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_bytes(data)
        for item in ingest.read_path(path):
            assert isinstance(item, (ingest.Release, ingest.IngestError))
            if isinstance(item, ingest.IngestError):
                assert item.message
            else:
                item.text.encode("utf-8")
                item.doc_id.encode("utf-8")


@settings(max_examples=2000, deadline=None, database=None)
@given(line=st.text(alphabet="a@. \t\n-x1", max_size=14))
def test_email_line_pattern_matches_what_the_backtracking_form_matched(line):
    """The boilerplate pattern for an e-mail address alone on a line was rewritten so it
    cannot backtrack (minutes on one line of ``a@b.a@b.…``): it matches the same lines."""
    from pipeline.extract.sections.component import _vocab

    new = _vocab()["boilerplate_lines_re"][-1]
    old = re.compile(r"\S+@\S+\.\S+$", re.I)
    assert bool(new.match(line)) == bool(old.match(line))
