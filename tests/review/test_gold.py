"""Checks of the hand-made gold files in tests/gold/ against the format of
docs/gold.md, the output contract (docs/tables.md), the recorded decisions
in tests/gold/README.md, and the text of each release in raw/.

No spaCy model and no pipeline output: the gold is checked against the raw text only,
so a typo, a miscounted occurrence or a value that contradicts its own text fails here
before it can distort a score.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT

GOLD_DIR = ROOT / "tests" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
README = GOLD_DIR / "README.md"

# ---------------------------------------------------------------------------------------
# Vocabularies (gold.md and tables.md)
# ---------------------------------------------------------------------------------------

TOP_KEYS = {
    "doc_id": (str,), "title": (str, type(None)), "dateline": (str, type(None)),
    "published": (str, type(None)), "reference_date": (str, type(None)),
    "quotes": (list,), "speakers": (list,), "organizations": (list,),
    "dates": (list,), "statistics": (list,),
}
OPT_STR = (str, type(None))
ITEM_KEYS = {
    "quotes": {"text": (str,), "speaker": OPT_STR, "kind": (str,)},
    "speakers": {"name": (str,), "honorific": OPT_STR, "title": OPT_STR, "organization": OPT_STR},
    "organizations": {"name": (str,), "acronym": OPT_STR},
    "dates": {"text": (str,), "value": OPT_STR},
    "statistics": {"text": (str,), "value": (int, float, type(None)), "unit": OPT_STR,
                   "qualifier": OPT_STR, "subject": OPT_STR, "source": OPT_STR},
}
QUOTE_KINDS = {"direct", "partial", "indirect"}
OPEN_MARKS, CLOSE_MARKS = "“\"", "”\""
HONORIFICS = {"Ms.", "Mr.", "Mrs.", "Dr.", "Prof.", "H.E.", "Sir", "Dame"}
# tables.md: percent | ratio | count | multiple | currency:XXX | a measure unit (year, ...)
UNITS = {"percent", "ratio", "count", "multiple"}
MEASURE_UNITS = {"year", "month", "week", "day", "hour", "minute", "km", "kg", "tonne", "hectare"}
CURRENCY = re.compile(r"currency:[A-Z]{3}")
QUALIFIERS = {  # tables.md vocabulary -> surface forms that introduce it (README decision 28)
    "approximately": ("approximately", "about", "around", "some", "roughly"),
    "over": ("over", "more than", "above"),
    "under": ("under", "less than", "fewer than", "below"),
    "at least": ("at least",),
    "at most": ("at most",),
    "nearly": ("nearly", "almost"),
    "up to": ("up to",),
}
MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)}
# Deictic relative dates (README decision 24): expression -> year offset from reference_date.
DEICTIC_YEARS = {"this year": 0, "last year": -1, "next year": 1}
SMALL_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

def load(path: Path) -> dict:
    """A gold file as parsed JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def release_text(doc_id: str) -> str:
    """The raw release the gold file annotates."""
    return (RAW / f"{doc_id}.txt").read_text(encoding="utf-8")


def word_bounded(text: str) -> re.Pattern[str]:
    """`text` as a literal that may not start or end inside a word ("2023" not in "20235")."""
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def locate_in_order(raw: str, texts: list[str]) -> list[tuple[int, int] | None]:
    """Each text's own occurrence: gold lists entries in text order, one per occurrence,
    so every entry is searched after the previous one's end (None when it is not found)."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        m = word_bounded(text).search(raw, cursor)
        spans.append((m.start(), m.end()) if m else None)
        if m:
            cursor = m.end()
    return spans


def parse_iso(value: str) -> tuple[dt.date, str]:
    """(first day, granularity) of an ISO 8601 value at day, month or year granularity."""
    for fmt, gran in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        if re.fullmatch({"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}[gran], value):
            return dt.datetime.strptime(value, fmt).date(), gran
    raise ValueError(f"not ISO 8601 at day/month/year granularity: {value!r}")


def stated_number(text: str) -> float | None:
    """The number a statistic's text states, for the simple forms (digits with an optional
    scale word, a small number word, `X in Y`, half, double); None for other forms."""
    low = text.casefold()
    for forms in QUALIFIERS.values():
        for form in forms:
            if low.startswith(form + " "):
                low = low[len(form) + 1:]
                break
    m = re.fullmatch(r"(\w+) (?:in|out of) (\w+)", low)
    if m and all(w in SMALL_NUMBERS or w.isdigit() for w in m.groups()):
        a, b = (int(w) if w.isdigit() else SMALL_NUMBERS[w] for w in m.groups())
        return round(a / b, 4)
    if low in ("half", "double"):
        return {"half": 0.5, "double": 2.0}[low]
    m = re.match(r"(\d[\d,]*(?:\.\d+)?)(?: (thousand|million|billion))?\b", low)
    if m:
        return float(m.group(1).replace(",", "")) * SCALES.get(m.group(2) or "", 1)
    first = low.split(" ")[0]
    return float(SMALL_NUMBERS[first]) if first in SMALL_NUMBERS else None


def readme_counts() -> dict[str, tuple[int, int, int, int, int, int, int, int]]:
    """The per-release counts table of tests/gold/README.md: doc_id -> (quotes, direct,
    partial, indirect, speakers, organizations, dates, statistics)."""
    rows = {}
    row = re.compile(r"\|\s*(\d{3}_[0-9a-f]+)\s*\|\s*(\d+) \((\d+)/(\d+)/(\d+)\)\s*\|\s*(\d+)\s*\|"
                     r"\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|")
    for m in row.finditer(README.read_text(encoding="utf-8")):
        rows[m.group(1)] = tuple(int(g) for g in m.groups()[1:])
    return rows


def counts_of(data: dict) -> tuple[int, ...]:
    """The README counts row of one gold file: (quotes, direct, partial, indirect, speakers,
    organizations, dates, statistics)."""
    kinds = [q["kind"] for q in data["quotes"]]
    return (len(kinds), kinds.count("direct"), kinds.count("partial"), kinds.count("indirect"),
            len(data["speakers"]), len(data["organizations"]), len(data["dates"]),
            len(data["statistics"]))


gold_file = pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])


# ---------------------------------------------------------------------------------------
# Pure helpers of this file
# ---------------------------------------------------------------------------------------

def test_locate_in_order_gives_each_entry_its_own_occurrence():
    raw = "In 2023 and 2024, then 2023 again; 20235 is no year."
    assert locate_in_order(raw, ["2023", "2024", "2023"]) == [(3, 7), (12, 16), (23, 27)]
    assert locate_in_order(raw, ["2023", "2023", "2023"])[2] is None  # only two occurrences
    assert locate_in_order(raw, ["2024", "2023", "2024"])[2] is None  # order matters


def test_stated_number_reads_simple_forms():
    assert stated_number("over 100,000") == 100000
    assert stated_number("approximately 35 percent") == 35
    assert stated_number("2.4 million") == 2.4e6
    assert stated_number("one in three") == 0.3333
    assert stated_number("21 out of 23") == round(21 / 23, 4)
    assert stated_number("More than half") == 0.5
    assert stated_number("nearly double") == 2
    assert stated_number("ten") == 10
    assert stated_number("dozens") is None


def test_parse_iso_granularity():
    assert parse_iso("2023-11-08") == (dt.date(2023, 11, 8), "day")
    assert parse_iso("2018-05") == (dt.date(2018, 5, 1), "month")
    assert parse_iso("2024") == (dt.date(2024, 1, 1), "year")
    for bad in ("2023-13", "8 November 2023", "2023-02-30", "23"):
        with pytest.raises(ValueError):
            parse_iso(bad)


# ---------------------------------------------------------------------------------------
# Files and format
# ---------------------------------------------------------------------------------------

def test_every_seed_release_has_exactly_one_gold_file():
    assert sorted(p.stem for p in RAW.glob("*.txt")) == [p.stem for p in GOLD_FILES]


@gold_file
def test_parses_and_names_its_release(path):
    data = load(path)
    assert isinstance(data, dict)
    assert data["doc_id"] == path.stem
    assert (RAW / f"{path.stem}.txt").is_file()


@gold_file
def test_every_key_present_with_its_type(path):
    data = load(path)
    assert set(TOP_KEYS) <= set(data)
    for key, types in TOP_KEYS.items():
        assert isinstance(data[key], types), (key, data[key])
    for table, spec in ITEM_KEYS.items():
        for i, item in enumerate(data[table]):
            assert isinstance(item, dict), (table, i)
            assert set(spec) <= set(item), (table, i, set(spec) - set(item))
            for key, types in spec.items():
                value = item[key]
                assert isinstance(value, types) and not isinstance(value, bool), (table, i, key, value)
                if isinstance(value, str):
                    assert value == value.strip() and value, (table, i, key, "empty or padded")


@gold_file
def test_accepted_by_the_evaluate_gold_validator(path):
    from pipeline.review.gold import load_gold_file

    data, errors = load_gold_file(path)
    assert errors == []
    assert data["doc_id"] == path.stem


# ---------------------------------------------------------------------------------------
# Document fields (README decisions 1-4)
# ---------------------------------------------------------------------------------------

@gold_file
def test_document_fields(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    lines = [line.strip() for line in raw.splitlines()]
    assert data["title"] == lines[0]
    if data["dateline"] is not None:
        assert data["dateline"] in lines[1:6]
    for key in ("published", "reference_date"):
        if data[key] is not None:
            assert parse_iso(data[key])[1] == "day", key
    if data["published"] is not None:
        assert data["reference_date"] == data["published"]
        written = {dt.datetime.strptime(line, "%d %B %Y").date().isoformat()
                   for line in lines[:8] if re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", line)}
        assert data["published"] in written, "published must be a date line near the top"


# ---------------------------------------------------------------------------------------
# Quotes and speakers
# ---------------------------------------------------------------------------------------

@gold_file
def test_quote_texts_occur_verbatim_in_order(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    spans = locate_in_order(raw, [q["text"] for q in data["quotes"]])
    missing = [q["text"][:50] for q, s in zip(data["quotes"], spans) if s is None]
    assert missing == []


@gold_file
def test_quote_kinds_and_marks(path):
    """direct/partial text is exactly what stands between the marks; indirect is unquoted."""
    data = load(path)
    raw = release_text(data["doc_id"])
    spans = locate_in_order(raw, [q["text"] for q in data["quotes"]])
    for quote, (start, end) in zip(data["quotes"], spans):
        assert quote["kind"] in QUOTE_KINDS, quote
        text = quote["text"]
        assert text[0] not in OPEN_MARKS + CLOSE_MARKS and text[-1] not in OPEN_MARKS + CLOSE_MARKS
        enclosed = start > 0 and raw[start - 1] in OPEN_MARKS and end < len(raw) and raw[end] in CLOSE_MARKS
        if quote["kind"] == "indirect":
            assert not enclosed, text
            assert not any(mark in text for mark in OPEN_MARKS + CLOSE_MARKS), text
        else:
            assert enclosed, text


@gold_file
def test_quote_speakers_and_speaker_rows_agree(path):
    data = load(path)
    names = [s["name"] for s in data["speakers"]]
    assert len(names) == len(set(names)), "one speakers row per person"
    quoted = {q["speaker"] for q in data["quotes"] if q["speaker"] is not None}
    assert quoted <= set(names), quoted - set(names)
    assert set(names) <= quoted, "a speakers row needs at least one quote"


@gold_file
def test_speaker_fields(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt")))
    org_names = {o["name"] for o in data["organizations"]}
    for sp in data["speakers"]:
        name = sp["name"]
        assert name.split()[0] not in HONORIFICS, name
        # the fullest form in the corpus: written there, and never extended by another name word
        assert name in corpus, name
        assert not re.search(r"(?<!\w)" + re.escape(name) + r" [A-Z]", corpus), name
        for m in re.finditer(r"(\S+) " + re.escape(name), corpus):
            assert not m.group(1)[0].isupper() or m.group(1) in HONORIFICS, (name, m.group(1))
        # the release mentions the person by one of the name's words
        assert any(word_bounded(w).search(raw) for w in name.split()), name
        if sp["honorific"] is not None:
            assert sp["honorific"] in HONORIFICS
            assert any(f"{sp['honorific']} {w}" in raw for w in name.split()), (name, sp["honorific"])
        if sp["title"] is not None:
            assert sp["title"] in raw, sp["title"]
        if sp["organization"] is not None:
            assert sp["organization"] in org_names, sp["organization"]
            org = next(o for o in data["organizations"] if o["name"] == sp["organization"])
            if sp["title"] is not None:
                for form in filter(None, (org["name"], org["acronym"])):
                    assert not word_bounded(form).search(sp["title"]), ("title includes organization", sp)


# ---------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------

@gold_file
def test_organizations_are_distinct_and_written_in_the_release(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    orgs = data["organizations"]
    names = [o["name"].casefold() for o in orgs]
    acronyms = [o["acronym"] for o in orgs if o["acronym"] is not None]
    assert len(names) == len(set(names))
    assert len(acronyms) == len(set(acronyms))
    for org in orgs:
        assert not org["name"].lower().startswith("the "), org
        written = [f for f in (org["name"], org["acronym"]) if f and word_bounded(f).search(raw)]
        assert written, f"{org['name']} is written neither in full nor as its acronym"
        if org["acronym"] is not None:
            assert word_bounded(org["acronym"]).search(raw), org


# ---------------------------------------------------------------------------------------
# Dates (README decisions 21-25)
# ---------------------------------------------------------------------------------------

@gold_file
def test_date_texts_occur_verbatim_in_order(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    spans = locate_in_order(raw, [d["text"] for d in data["dates"]])
    assert [d["text"] for d, s in zip(data["dates"], spans) if s is None] == []


@gold_file
def test_date_values_agree_with_their_text(path):
    data = load(path)
    ref = data["reference_date"]
    for date in data["dates"]:
        text, value = date["text"], date["value"]
        assert value is not None, text
        first_day, gran = parse_iso(value)
        year = re.search(r"\b\d{4}\b", text)
        month = next((MONTHS[w] for w in re.findall(r"[A-Za-z]+", text.lower()) if w in MONTHS), None)
        day = re.search(r"\b\d{1,2}\b", text)
        if year:  # absolute: granularity and fields come from the text itself
            assert first_day.year == int(year.group()), date
            assert gran == ("day" if day and month else "month" if month else "year"), date
            if month:
                assert first_day.month == month, date
            if day and month:
                assert first_day.day == int(day.group()), date
        else:  # relative: only deictic expressions, resolved against reference_date
            low = text.casefold()
            assert ref is not None, date
            ref_day = parse_iso(ref)[0]
            if low == "today":
                assert value == ref, date
            else:
                assert low in DEICTIC_YEARS, f"not a deictic date expression: {text!r}"
                assert value == str(ref_day.year + DEICTIC_YEARS[low]), date


# ---------------------------------------------------------------------------------------
# Statistics (README decisions 26-31)
# ---------------------------------------------------------------------------------------

@gold_file
def test_statistic_texts_occur_verbatim_in_order(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    spans = locate_in_order(raw, [s["text"] for s in data["statistics"]])
    assert [s["text"] for s, sp in zip(data["statistics"], spans) if sp is None] == []


@gold_file
def test_statistic_fields(path):
    data = load(path)
    raw = release_text(data["doc_id"])
    for stat in data["statistics"]:
        unit, value, text = stat["unit"], stat["value"], stat["text"]
        assert unit in UNITS or unit in MEASURE_UNITS or CURRENCY.fullmatch(unit or ""), stat
        assert value is not None and math.isfinite(value), stat
        if unit == "ratio":
            assert 0 < value <= 1, stat
        stated = stated_number(text)
        if stated is not None:
            assert math.isclose(value, stated, rel_tol=0.005), (stat, stated)
        low = text.casefold()
        introduced = [q for q, forms in QUALIFIERS.items() if any(low.startswith(f + " ") for f in forms)]
        if stat["qualifier"] is None:
            assert introduced == [], stat
        else:
            assert stat["qualifier"] in QUALIFIERS and introduced == [stat["qualifier"]], stat
        if stat["subject"] is not None:
            assert " " not in stat["subject"] and word_bounded(stat["subject"]).search(raw), stat
        if stat["source"] is not None:
            assert stat["source"] in raw and not stat["source"].lower().startswith("the "), stat


# ---------------------------------------------------------------------------------------
# README counts
# ---------------------------------------------------------------------------------------

def test_readme_counts_match_the_files():
    table = readme_counts()
    assert set(table) == {p.stem for p in GOLD_FILES}
    for path in GOLD_FILES:
        assert table[path.stem] == counts_of(load(path)), path.stem
