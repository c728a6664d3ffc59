"""Sections: headings, list items, boilerplate, hard line breaks, offsets."""
import pytest

from pipeline.ingest.readers import read_path
from pipeline.extract.sections.component import (ReleaseSections, analyse_lines, is_boilerplate_line, is_list_item,
                               looks_like_heading, sentence_spans)

from tests.conftest import RAW

RELEASE = """Agency calls for stronger protection of migrant workers
Geneva
The agency presented its annual findings on Monday. Cases rose in every region.
Key findings
- forced labour in agriculture rose sharply;
- domestic workers were most at risk; and
1. Recruitment fees remain a major driver.
Who funds the work?
Partners and donors
The programme is funded by several donors and runs until the end of the decade.
Media contacts
Jane Roe
Press Officer
Tel: +41 22 000 00 00
About the Agency
The Agency works in 150 countries to promote decent work for all.
For more information, visit www.example.org.
Follow the Agency on X, Facebook and Instagram
"""


@pytest.fixture(scope="module")
def lines():
    title = (0, RELEASE.index("\n"))
    dl = RELEASE.index("Geneva")
    return {ln.text: ln for ln in analyse_lines(RELEASE, title, (dl, dl + len("Geneva")))}


def test_title_and_dateline_are_not_headings(lines):
    first = lines["Agency calls for stronger protection of migrant workers"]
    assert first.is_title and not first.is_heading and first.section is None
    assert lines["Geneva"].is_dateline and not lines["Geneva"].is_heading


def test_headings_and_sections(lines):
    assert lines["Key findings"].is_heading
    assert lines["- domestic workers were most at risk; and"].section == "Key findings"
    # A question heading directly above a sub-heading.
    assert lines["Who funds the work?"].is_heading
    assert lines["Partners and donors"].is_heading
    assert lines["The programme is funded by several donors and runs until the end of the decade."].section \
        == "Partners and donors"
    # Body text before the first heading has no section.
    assert lines["The agency presented its annual findings on Monday. Cases rose in every region."].section is None


def test_list_items(lines):
    assert lines["- forced labour in agriculture rose sharply;"].is_list_item
    assert lines["1. Recruitment fees remain a major driver."].is_list_item
    assert not lines["Key findings"].is_list_item


def test_boilerplate_blocks(lines):
    assert lines["Media contacts"].is_boilerplate and lines["Media contacts"].is_heading
    # Contact lines are neither headings nor body.
    for t in ("Jane Roe", "Press Officer", "Tel: +41 22 000 00 00"):
        assert lines[t].is_boilerplate and not lines[t].is_heading
    assert lines["The Agency works in 150 countries to promote decent work for all."].is_boilerplate
    assert lines["Follow the Agency on X, Facebook and Instagram"].is_boilerplate
    assert not lines["The programme is funded by several donors and runs until the end of the decade."].is_boilerplate


@pytest.mark.parametrize("line,nxt,expected", [
    ("Background", "The convention was adopted in 2000 and entered into force three years later.", True),
    ("Next steps:", "The group will meet again in the spring to review progress on the plan.", False),
    ("UNICEF/UNI123456/Photographer", "The agency works in many countries around the world today.", False),
    ("“We must act,” she said", "The meeting ended with a call to action from all members.", False),
    ("Jane Roe", "Press Officer", False),
])
def test_heading_rule(line, nxt, expected):
    assert looks_like_heading(line, nxt) is expected


def test_line_vocabularies():
    assert is_list_item("• an item") and is_list_item("(a) an item") and not is_list_item("A sentence.")
    assert is_boilerplate_line("E-mail: press@example.org")
    assert is_boilerplate_line("*****")
    assert not is_boilerplate_line("The Office said the data were incomplete.")


def test_line_breaks_are_hard_sentence_boundaries(nlp_base):
    text = "Year in Focus\nThe group met in Vienna. It adopted a plan\nNew heading here\nLast line."
    doc = nlp_base.make_doc(text)
    ReleaseSections(nlp_base)(doc)
    doc = nlp_base(doc)
    spans = sentence_spans(text, [(s.start_char, s.end_char) for s in doc.sents], analyse_lines(text))
    got = [text[s:e] for s, e, _ in spans]
    assert got == ["Year in Focus", "The group met in Vienna.", "It adopted a plan", "New heading here", "Last line."]


def test_editorial_bracket_does_not_split_a_quote(nlp_base):
    text = ('Agencies “play a key role in informing responses [on forced labour] using our diverse '
            'mandates to act with one voice,” the Director said.')
    doc = nlp_base.make_doc(text)
    ReleaseSections(nlp_base)(doc)
    doc = nlp_base(doc)
    assert len(list(doc.sents)) == 1


def test_seed_offsets_round_trip(nlp_base):
    for path in sorted(RAW.glob("*.txt")):
        r = next(read_path(path))
        doc = nlp_base.make_doc(r.text)
        doc._.title_range = list(r.header.title_range)
        ReleaseSections(nlp_base)(doc)
        doc = nlp_base(doc)
        lines = analyse_lines(r.text, r.header.title_range, r.header.dateline_range)
        spans = sentence_spans(r.text, [(s.start_char, s.end_char) for s in doc.sents], lines)
        assert spans, path
        for s, e, _ in spans:
            piece = r.text[s:e]
            assert piece == piece.strip() and piece and "\n" not in piece
        # Every non-space character of the release is inside exactly one sentence.
        covered = sum(e - s for s, e, _ in spans)
        assert covered <= len(r.text)
        assert "".join(r.text[s:e] for s, e, _ in spans).replace(" ", "") == \
            "".join(r.text.split()).replace(" ", "")


def test_factory_declares_what_it_assigns_and_its_config():
    import spacy

    from pipeline.extract.sections import component  # noqa: F401  registers the factory

    nlp = spacy.blank("en")
    nlp.add_pipe("release_sections", config={"vocabulary": "sections.json"})
    meta = nlp.get_pipe_meta("release_sections")
    assert "doc._.lines" in meta.assigns and "token.is_sent_start" in meta.assigns
    assert meta.default_config == {"vocabulary": "sections.json"}
    assert not nlp.analyze_pipes()["problems"]["release_sections"]
    doc = nlp("Heading line\nThe Office met partners in the capital on Monday.")
    assert [ln["is_heading"] for ln in doc._.lines] == [True, False]


@pytest.mark.parametrize("lead", [
    "HARBOURTON, 11 December 2024 – The Bureau said today that cases rose in the north.",
    "HARBOURTON (20 June 2024) – The Bureau said today that cases rose in the north.",
    "12 April, HARBOURTON – The Bureau said today that cases rose in the north.",
    "HARBOURTON, June 2 (Wire) – The Bureau said today that cases rose in the north.",
])
def test_a_dateline_prefix_stays_in_the_lead_sentence(parse, lead):
    doc = parse(f"Cases rise in the north\n{lead}\nThe Bureau will report again in May.")
    assert lead in [s.text.strip() for s in doc.sents]


def test_a_date_line_is_one_sentence(parse):
    doc = parse("Cases rise in the north\n3 March 2024\nThe Bureau said today that cases rose.")
    assert [s.text.strip() for s in doc.sents] == [
        "Cases rise in the north", "3 March 2024", "The Bureau said today that cases rose."]


def test_unbroken_openings_cover_the_prefix_and_the_next_word():
    from pipeline.extract.sections.component import unbroken_openings

    text = "Title here\nHARBOURTON (20 June 2024) – The Bureau said so.\nChild labour - a crime that persists."
    (start, end), = unbroken_openings(text)
    assert text[start:end] == "HARBOURTON (20 June 2024) – T"


def test_both_lines_of_a_broken_headline_are_the_title():
    text = "Rivermoor opens three shelters for survivors of\nforced labour in the north\n\nThe Bureau said so today."
    lines = analyse_lines(text, (0, text.index("\n\n")))
    assert [ln.is_title for ln in lines] == [True, True, False]
