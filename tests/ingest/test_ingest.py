"""Ingest: decoding, formats, bad input, title/dateline/published/reference date."""
import codecs
import json
from pathlib import Path

import pytest

from pipeline.ingest.decode import decode_bytes
from pipeline.ingest.header import infer_reference_date, parse_dateline_prefix, parse_header
from pipeline.ingest.readers import IngestError, Release, collect_paths, read_path

from tests.conftest import DEV_CORPUS, RAW


def _read_one(path: Path) -> Release | IngestError:
    items = list(read_path(path))
    assert len(items) == 1
    return items[0]


# ----------------------------------------------------------------------------- decoding

def test_utf8_is_read_as_utf8():
    text, enc = decode_bytes("Café “quoted”".encode("utf-8"))
    assert (text, enc) == ("Café “quoted”", "utf-8")


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                       (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks_are_honoured(bom, codec):
    text, enc = decode_bytes(bom + "Geneva – 5 May".encode(codec))
    assert text == "Geneva – 5 May"
    assert enc in {"utf-8-sig", "utf-16"}


def test_cp1252_fallback_records_encoding():
    text, enc = decode_bytes("“Smart” quotes – and a dash".encode("cp1252"))
    assert enc == "cp1252"
    assert text == "“Smart” quotes – and a dash"


def test_binary_bytes_are_rejected_with_reason():
    with pytest.raises(ValueError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_undecodable_bytes_are_rejected():
    with pytest.raises(ValueError, match="undecodable"):
        decode_bytes(b"abc \x81\x8d\x90 def \xff\xfe")


# ----------------------------------------------------------------------------- files

def test_txt_release(tmp_path):
    p = tmp_path / "rel-1.txt"
    p.write_text("Agency launches new report\r\nGeneva\r\n\r\nThe agency said on 3 March 2021 "
                 "that progress was slow.\r\n", encoding="utf-8")
    r = _read_one(p)
    assert isinstance(r, Release)
    assert r.doc_id == "rel-1" and r.format == "txt" and r.encoding == "utf-8"
    assert "\r" not in r.text
    assert r.title == "Agency launches new report"
    assert r.dateline == "Geneva"
    assert r.published is None
    assert (r.reference_date, r.reference_source) == ("2021-03-03", "text:latest_day")
    assert len(r.sha256) == 64


def test_header_is_read_on_first_use_and_once(tmp_path, monkeypatch):
    """Reading files leaves the header to whoever parses the release (a run's workers)."""
    import pipeline.ingest.readers as readers

    calls = []
    real = readers.parse_header
    monkeypatch.setattr(readers, "parse_header", lambda text: calls.append(text) or real(text))
    (tmp_path / "a.txt").write_text("Council adopts plan\nNAIROBI, 4 May 2022 - The council met.\n",
                                    encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"doc_id": "b", "text": "Body text here.",
                                                  "title": "Given title"}) + "\n", encoding="utf-8")
    a, b = [r for p in sorted(tmp_path.iterdir()) for r in read_path(p)]
    assert calls == []
    assert (a.title, a.dateline, a.published) == ("Council adopts plan", "NAIROBI", "2022-05-04")
    assert a.reference_date == "2022-05-04"
    assert b.title == "Given title" and b.reference_date is None
    assert len(calls) == 2  # one per release, however many fields are read


def test_a_header_that_cannot_be_read_leaves_the_release_without_one(tmp_path, monkeypatch):
    import pipeline.ingest.readers as readers

    def broken(text):
        raise ValueError("unexpected layout")

    monkeypatch.setattr(readers, "parse_header", broken)
    (tmp_path / "a.txt").write_text("Council adopts plan\nThe council met on 4 May 2022.\n",
                                    encoding="utf-8")
    r = _read_one(tmp_path / "a.txt")
    assert (r.title, r.dateline, r.published) == (None, None, None)
    assert r.reference_date == "2022-05-04"  # the body is still read
    assert r.repairs == ["header not read (ValueError: unexpected layout)"]


def test_jsonl_releases_and_bad_lines(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        {"doc_id": "a", "text": "Title A\nBody of release A, which is long enough to read.",
         "published": "2022-05-04", "url": "https://example.org/a"},
        {"doc_id": "b", "text": "Title B\nBody B is here and it has enough words too.", "title": "Given title"},
        "not json at all",
        {"text": "no id"},
        {"doc_id": "e", "text": "   "},
    ]
    p.write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines), encoding="utf-8")
    items = list(read_path(p))
    releases = [i for i in items if isinstance(i, Release)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [r.doc_id for r in releases] == ["a", "b"]
    assert releases[0].published == "2022-05-04"
    assert releases[0].reference_source == "published"
    assert releases[0].url == "https://example.org/a"
    assert releases[1].title == "Given title"
    assert len(errors) == 3
    assert any(":3" in e.source and "invalid JSON" in e.message for e in errors)
    assert any(":4" in e.source and "doc_id" in e.message for e in errors)
    assert any(":5" in e.source and "empty" in e.message for e in errors)


def test_html_release_uses_main_text_and_metadata(tmp_path):
    html = """<html><head><title>Agency warns of rising trafficking</title>
    <meta property="article:published_time" content="2021-06-15"></head>
    <body><nav>Home | News | Contact</nav>
    <article><h1>Agency warns of rising trafficking</h1>
    <p>GENEVA (15 June 2021) – The agency said that cases rose sharply across the region this year,
    and that more support for survivors is urgently needed in every country concerned.</p>
    <p>“We must act now,” said the Director of the agency at a press conference in Geneva.</p>
    </article><footer>Copyright</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    r = _read_one(p)
    assert isinstance(r, Release), r
    assert r.format == "html"
    assert r.title == "Agency warns of rising trafficking"
    assert r.published == "2021-06-15"
    assert "We must act now" in r.text
    assert "Home | News" not in r.text


def test_empty_file_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"  \n\n ")
    e = _read_one(p)
    assert isinstance(e, IngestError)
    assert str(p) in str(e) and "empty" in e.message


def test_binary_file_is_an_error(tmp_path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x00\x01\x02\x03" * 100)
    e = _read_one(p)
    assert isinstance(e, IngestError) and "binary" in e.message


def test_oversized_file_is_an_error(tmp_path, monkeypatch):
    from pipeline.ingest import readers as ingest

    monkeypatch.setitem(ingest.settings(), "max_file_bytes", 100)
    p = tmp_path / "big.txt"
    p.write_text("word " * 100, encoding="utf-8")
    e = _read_one(p)
    assert isinstance(e, IngestError) and "size limit" in e.message


def test_unsupported_suffix_and_missing_path(tmp_path):
    p = tmp_path / "notes.docx"
    p.write_bytes(b"PK")
    e = _read_one(p)
    assert isinstance(e, IngestError) and "unsupported" in e.message
    files, errors = collect_paths([tmp_path, tmp_path / "nope"])
    assert files == []  # .docx is not collected from a folder
    assert len(errors) == 1 and "no such file" in errors[0].message


# ----------------------------------------------------------------------------- header

@pytest.mark.parametrize("paragraph,place,date", [
    ("VIENNA, 29 July 2021 (UN Information Service) - The Office said today that it would act.",
     "VIENNA", "2021-07-29"),
    ("GENEVA (5 May 2020) – A UN expert urged States to step up their efforts today.", "GENEVA", "2020-05-05"),
    ("Switzerland - Nearly 7,000 victims were assisted by the agency in 2015 in total.", "Switzerland", None),
    ("NEW YORK (Agency News) – New research reveals the true scale of the problem today.", "NEW YORK", None),
    ("14 March 2019 - The conference will open in Vienna with a focus on cooperation.", None, "2019-03-14"),
])
def test_dateline_prefixes(paragraph, place, date):
    parsed = parse_dateline_prefix(paragraph)
    assert parsed is not None
    assert parsed[0] == place and parsed[1] == date


def test_ordinary_opening_with_a_dash_is_not_a_dateline():
    assert parse_dateline_prefix("Child trafficking - a grave crime - is rising in the region.") is None


def test_header_with_date_line_and_clutter():
    text = ("Skip to main content\nPress releases\nStates urged to protect migrant children\n"
            "12 April 2022\nThe Special Rapporteur called on States today to act, she said.")
    h = parse_header(text)
    assert h.title == "States urged to protect migrant children"
    assert h.published == "2022-04-12"
    assert h.dateline is None


def test_headline_at_the_end_of_a_breadcrumb_is_the_title():
    text = ("Home News Blog Shelters report more calls for help\n\n"
            "Shelters report more calls for help\n\nThe network said on Monday that calls rose sharply.")
    assert parse_header(text).title == "Shelters report more calls for help"


def test_repeated_headline_after_breadcrumb_is_the_title():
    text = ("Global perspective Human stories\n\nAgency opens commission on crime prevention\n\n"
            "Agency opens commission on crime prevention\n\nThe top official said today that action was needed.")
    assert parse_header(text).title == "Agency opens commission on crime prevention"


def test_reference_date_prefers_published_then_latest_day():
    assert infer_reference_date("Met on 3 May 2020 and 9 June 2021.", "2022-01-02") == ("2022-01-02", "published")
    assert infer_reference_date("Met on 3 May 2020 and 9 June 2021.", None) == ("2021-06-09", "text:latest_day")
    assert infer_reference_date("Cases from January to September 2018.", None) == (None, None)
    assert infer_reference_date("No dates here at all.", None) == (None, None)


def test_seed_headers():
    got = {p.stem: _read_one(p) for p in sorted(RAW.glob("*.txt"))}
    assert len(got) == 5
    for r in got.values():
        assert r.title and r.text.startswith(r.title)
    vienna = [r for r in got.values() if r.dateline == "Vienna"]
    assert len(vienna) == 3
    stated = [r for r in got.values() if r.published]
    assert [r.published for r in stated] == ["2024-07-30"]
    assert all(r.reference_date for r in got.values())


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="shared dev corpus not present")
def test_dev_corpus_datelines():
    r = _read_one(DEV_CORPUS / "d13.txt")
    assert (r.dateline, r.published) == ("GENEVA", "2020-05-05")
    r = _read_one(DEV_CORPUS / "d16.txt")
    assert r.published == "2013-01-25"
    r = _read_one(DEV_CORPUS / "d17.txt")
    assert (r.dateline, r.published) == ("BANGKOK", "2018-12-01")


def test_upper_case_dateline_after_a_teaser_paragraph():
    text = ("Agency head urges more aid for displaced families\n"
            "A teaser line that summarizes the story in one full sentence for readers.\n"
            "Photo: the agency head meets a minister in the capital city today.\n"
            "NAIROBI, Mar 3 (Agency) - The head of the agency on Tuesday urged donors to act.")
    h = parse_header(text)
    assert h.dateline == "NAIROBI"
    assert h.dateline_text == "NAIROBI, Mar 3 (Agency) -"


def test_date_prefixed_first_line_is_not_a_title():
    text = "5 June 2019 - The\ncommission will meet in Geneva to discuss new rules for labour recruiters."
    h = parse_header(text)
    assert h.title is None
    assert h.published == "2019-06-05"


def test_ingest_modules_hold_no_document():
    """Decoding, header reading and file reading keep nothing about a release between calls:
    two releases read interleaved give the same headers as read alone."""
    a = "Ministry opens shelter\nRIVERTON, 4 May 2023 – The Ministry said today it opened a shelter."
    b = "Clinic report published\nPORTVALE, 9 June 2021 – The Clinic said on Monday that visits rose."
    alone = [parse_header(a), parse_header(b)]
    mixed = [parse_header(t) for t in (a, b, a, b)]
    assert mixed == alone * 2
