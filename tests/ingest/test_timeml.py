"""TimeML files read as releases: text without tags, DCT as published date, TIMEX3 offsets."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.readers import IngestError, read_path
from pipeline.ingest.timeml import parse_timeml

SAMPLE = """<?xml version="1.0" ?>
<TimeML>
<DOCID>XYZ1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-14" functionInDocument="CREATION_TIME">03/14/2001</TIMEX3></DCT>
<TEXT>
The orchard <EVENT eid="e1">closed</EVENT> <TIMEX3 tid="t1" type="DATE" value="2001-03-13">Tuesday</TIMEX3> &amp; will
reopen in <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_parse_timeml_text_dct_and_spans():
    doc = parse_timeml(SAMPLE, "XYZ1")
    assert doc.dct == "2001-03-14"
    assert doc.text == "The orchard closed Tuesday & will\nreopen in two weeks."
    assert [(doc.text[t.start:t.end], t.type, t.value) for t in doc.timexes] == [
        ("Tuesday", "DATE", "2001-03-13"), ("two weeks", "DURATION", "P2W")]


def test_tml_file_is_read_as_a_release(tmp_path: Path):
    f = tmp_path / "XYZ1.tml"
    f.write_text(SAMPLE, encoding="utf-8")
    (release,) = list(read_path(f))
    assert release.doc_id == "XYZ1"
    assert release.published == "2001-03-14" and release.reference_date == "2001-03-14"
    assert "<" not in release.text and release.format == "timeml"


@pytest.mark.parametrize("xml", ["<TimeML><TEXT>unclosed</TimeML>", "<TimeML><DCT/></TimeML>"])
def test_bad_timeml_is_an_ingest_error(tmp_path: Path, xml: str):
    f = tmp_path / "bad.tml"
    f.write_text(xml, encoding="utf-8")
    (err,) = list(read_path(f))
    assert isinstance(err, IngestError)


def test_a_tml_release_is_parsed_under_the_timeml_date_convention(tmp_path: Path, nlp_base):
    """Its dates follow TIMEX3 (pipeline/extract/dates/component.py); a .txt release's do not."""
    from pipeline.run.rows import make_doc

    (tmp_path / "XYZ1.tml").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("The orchard closed Tuesday.\n", encoding="utf-8")
    (tml,) = list(read_path(tmp_path / "XYZ1.tml"))
    (txt,) = list(read_path(tmp_path / "plain.txt"))
    assert make_doc(nlp_base, tml)._.date_convention == "timeml"
    assert make_doc(nlp_base, txt)._.date_convention is None
