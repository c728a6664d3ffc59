"""Header reading on scraped pages: the headline among site furniture, dateline forms and
publication date lines. Invented texts of the same shapes as real pages."""
import pytest

from pipeline.ingest.dateline import parse_dateline_prefix
from pipeline.ingest.header import infer_reference_date, parse_header, published_in_line
from pipeline.ingest.title import is_clutter, repeats, site_name_suffix

LEAD = "The Rivermoor Office said on Tuesday that it had opened three new shelters for survivors."


# ----------------------------------------------------------------------------- titles

@pytest.mark.parametrize("top", [
    "We use cookies to improve your experience on this site",
    "Skip to main content\nWe're redesigning our website, please visit our beta pages",
    "Become a Member of the Alliance today Join now",
    "news News",
    "TEXT SIZE A A A A Rivermoor Portal",
    "Printable version",
    "Home > Newsroom > Shelter network grows in the northern...",
])
def test_site_clutter_is_not_the_title(top):
    h = parse_header(f"{top}\n\nShelter network grows in the northern provinces\n\n{LEAD}")
    assert h.title == "Shelter network grows in the northern provinces"


@pytest.mark.parametrize("site", ["Rivermoor Crime Bureau", "Official Statistics", "World",
                                  "Ostland Aid - here to help", "New Bureau study"])
def test_a_site_or_section_name_yields_to_the_headline(site):
    h = parse_header(f"{site}\n\nShelter network grows in the northern provinces\n\n{LEAD}")
    assert h.title == "Shelter network grows in the northern provinces"


def test_a_short_headline_above_its_deck_stays_the_title():
    text = "Shelters fill up.\nAid groups say the winter will be the hardest in a decade, 'and worse to come.'\n" + LEAD
    assert parse_header(text).title == "Shelters fill up."


def test_a_genre_label_before_the_headline_is_dropped():
    h = parse_header(f"Media Release: Shelter network grows in the north\n\n{LEAD}")
    assert h.title == "Shelter network grows in the north"
    assert h.title_range == (15, 15 + len(h.title))


def test_a_publisher_name_after_the_headline_is_dropped():
    assert site_name_suffix("Shelter network grows in the north | UNICEF") == len("Shelter network grows in the north")
    assert site_name_suffix("Shelter network grows in the north, International Labour Organization") is not None
    assert site_name_suffix("Shelters, schools and clinics") is None


def test_a_headline_cut_short_elsewhere_on_the_page_is_found():
    assert repeats("HomeNewsShelter network grows in the northern...", "Shelter network grows in the northern provinces")
    text = (f"{LEAD}\nA second paragraph of the story tells more about the new shelters and their staff.\n"
            "Shelter network grows in the northern provinces\nShelter network grows in the nort")
    assert parse_header(text).title == "Shelter network grows in the northern provinces"


def test_headline_above_the_first_date_line_after_site_text():
    text = ("Search\nAbout the Rivermoor Bureau\n"
            "The Bureau is the public body responsible for prosecuting cases brought by the police.\n"
            "Find out more about our work\n"
            "Shelter network grows in the northern provinces\n14/03/2021\n" + LEAD)
    h = parse_header(text)
    assert h.title == "Shelter network grows in the northern provinces"
    assert h.published == "2021-03-14"


def test_a_headline_broken_over_two_lines_is_joined():
    text = f"Rivermoor opens three shelters for survivors of\nforced labour in the north\n\n{LEAD}"
    h = parse_header(text)
    assert h.title == "Rivermoor opens three shelters for survivors of forced labour in the north"
    assert text[h.title_range[0]:h.title_range[1]].replace("\n", " ") == h.title


def test_a_long_paragraph_without_full_stop_is_not_a_title():
    para = " ".join(["Officials from the ministries of labour, justice and health"] * 4)
    assert parse_header(f"12 April 2013\n{para}\n{LEAD}").title is None


def test_clutter_keeps_ordinary_headlines():
    assert not is_clutter("Ministry issues statement on shelters")
    assert not is_clutter("Report finds a rise in cases")


# ----------------------------------------------------------------------------- datelines

@pytest.mark.parametrize("paragraph,place,date", [
    ("12 April, GENEVA – The Office said today that it opened a shelter.", "GENEVA", None),
    ("12 April 2024, GENEVA – The Office said today that it opened a shelter.", "GENEVA", "2024-04-12"),
    ("LONDON, June 2 (Wire) – The Office said today that it opened a shelter.", "LONDON", None),
    ("GENEVA (20 June 2024) – The Office said today that it opened a shelter.", "GENEVA", "2024-06-20"),
    ("VIENNA, 11 December 2024UNODC said today that cases rose.", "VIENNA", "2024-12-11"),
    ("Nairobi12 May 2023 The Office said today that it opened a shelter.", "Nairobi", "2023-05-12"),
    ("NEW YORK: The Office said today that it opened a shelter in the city.", "NEW YORK", None),
    ("Belgium, (Lowland Morning Paper) The Office said today that it opened a shelter.", "Belgium", None),
])
def test_dateline_forms(paragraph, place, date):
    found = parse_dateline_prefix(paragraph)
    assert found and (found.place, found.date) == (place, date)
    assert paragraph.startswith(found.prefix)


@pytest.mark.parametrize("paragraph", [
    "BREAKING: The Office said today that it opened a shelter in the city.",
    "JANE DOE: We opened a shelter in the city last week, and more will follow.",
    "Ms Rowan, (Shelter Network) The Office said today that it opened a shelter.",
    "On 8 November 2023, the Office said that it opened a shelter.",
])
def test_labels_and_speakers_are_not_datelines(paragraph):
    found = parse_dateline_prefix(paragraph)
    assert found is None or found.place is None


def test_a_dateline_on_the_lead_below_a_repeated_headline():
    text = ("NEW YORK: The Office released a statement on Sunday on shelters for survivors.\n"
            "A second paragraph of the statement describes the shelters and the staff in them.\n"
            "Office releases statement on shelters for survivors\n"
            "Office releases statement on shelters for surv")
    h = parse_header(text)
    assert (h.title, h.dateline) == ("Office releases statement on shelters for survivors", "NEW YORK")


# ----------------------------------------------------------------------------- published

@pytest.mark.parametrize("line,iso", [
    ("03/14/2021 | News release", "2021-03-14"),
    ("Posted on Fri, Jul-12-2013", "2013-07-12"),
    ("9 June 2022, 10:15am", "2022-06-09"),
    ("Updated 10 May 2024", "2024-05-10"),
    ("News | 24 November 2016", "2016-11-24"),
    ("10:38pm 5th Dec, 2016", "2016-12-05"),
    ("Release Date: Thursday, October 10 2013, 12:44 PM", "2013-10-10"),
    ("Geneva, 3 May 2021", "2021-05-03"),
    ("Weekly briefing - 25 October 2019 - video", None),
    ("On 8 November 2023, the Office opened a shelter.", None),
])
def test_publication_date_lines(line, iso):
    assert published_in_line(line) == iso


def test_a_long_posted_on_line_and_a_date_run_into_the_lead():
    text = ("Shelter network grows in the northern provinces\nNorthland, Eastern Region\n"
            "Written by the Alliance\nPosted on 01 May 2019 under Shelters, Recent posts, Survivors.\n" + LEAD)
    h = parse_header(text)
    assert (h.dateline, h.published) == ("Northland, Eastern Region", "2019-05-01")
    text = "Shelter network grows in the north\nMay 25, 2023 12:21 pm, , CommentsThe Office said it opened shelters."
    assert parse_header(text).published == "2023-05-25"


def test_a_date_in_the_headline_is_not_the_publication_date():
    text = "Weekly briefing - 25 October 2019 - video\n\nWeekly briefing: 25 October 2019\n\n" + LEAD
    assert parse_header(text).published is None


def test_a_weather_widget_date_is_neither_published_nor_the_reference():
    text = ("72 F\nRivermoor City\nSunday, July 21, 2024\n\nBureau closes smuggling network in the east\n\n"
            "On Tuesday, the Bureau said it had closed a network that moved people across the border.")
    h = parse_header(text)
    assert h.title == "Bureau closes smuggling network in the east"
    assert h.published is None
    assert infer_reference_date(text, h.published, h.widget_ranges) == (None, None)


@pytest.mark.parametrize("menu", ["Home › Newsroom › Press releases", "Home About Us Newsroom Contact Donate",
                                  "Home / Shelter network grows in the northern provinces / Newsroom"])
def test_menus_and_breadcrumbs_are_not_the_title(menu):
    h = parse_header(f"{menu}\nShelter network grows in the northern provinces\n{LEAD}")
    assert h.title == "Shelter network grows in the northern provinces"


def test_a_headline_starting_with_home_is_kept():
    h = parse_header(f"Home ownership falls among young workers in the north\n{LEAD}")
    assert h.title == "Home ownership falls among young workers in the north"


# ----------------------------------------------------------------------------- floors on gold

def _header_accuracy(texts, golds) -> dict[str, float]:
    """Accuracy of title, dateline, published and reference date read by ingest alone."""
    import json

    from pipeline.ingest.readers import Release, read_path
    from pipeline.review.scores import DOCUMENT_FIELDS, score_document

    right = dict.fromkeys(DOCUMENT_FIELDS, 0)
    files = sorted(golds.glob("*.json"))
    for g in files:
        r = next(read_path(next(texts.glob(g.stem + ".*"))))
        pred = None if not isinstance(r, Release) else {
            "title": r.title, "dateline": r.dateline, "published": r.published,
            "reference_date": r.reference_date}
        for f, acc in score_document(g.stem, json.loads(g.read_text()), pred).accuracies.items():
            right[f] += acc.correct
    return {f: n / len(files) for f, n in right.items()}


def test_header_floors_on_the_seeds():
    from tests.conftest import RAW, ROOT

    assert _header_accuracy(RAW, ROOT / "tests" / "gold") == dict.fromkeys(
        ("title", "dateline", "published", "reference_date"), 1.0)


def test_header_floors_on_the_dev_gold():
    from tests.conftest import DEV_CORPUS, ROOT

    golds = ROOT / "tests" / "gold-dev"
    if not (golds.is_dir() and DEV_CORPUS.is_dir()):
        pytest.skip("dev gold or dev corpus not present")
    acc = _header_accuracy(DEV_CORPUS, golds)
    assert acc["title"] >= 0.95 and acc["dateline"] >= 0.95
    assert acc["published"] >= 0.97 and acc["reference_date"] >= 0.95
