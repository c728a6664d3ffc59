"""Acronym definitions (pipeline/extract/organizations/abbreviations.py): pure text, no model.

Every sentence here is made up for the test, in the style of agency press releases.
"""
import pytest

from pipeline.extract.organizations.abbreviations import (
    acronym_key,
    alignment_cost,
    choose_long_form_start,
    find_acronym,
    find_definitions,
    is_acronym_like,
    name_run_before,
)
from pipeline.extract.organizations.words import words


def defs(text):
    return [(d.short, d.long) for d in find_definitions(text)]


def test_long_form_then_acronym_with_function_words():
    text = "Staff of the Office for the Coordination of Humanitarian Affairs (OCHA) arrived."
    assert defs(text) == [("OCHA", "Office for the Coordination of Humanitarian Affairs")]


def test_offsets_point_at_both_forms():
    text = "The World Food Programme (WFP) delivered aid."
    (d,) = find_definitions(text)
    assert text[d.long_start:d.long_end] == "World Food Programme"
    assert text[d.short_start:d.short_end] == "WFP"
    assert text[d.start_char:d.end_char] == "World Food Programme (WFP)"
    assert d.aligned is True


def test_acronym_then_long_form():
    text = "Funding came from UNODC (United Nations Office on Drugs and Crime) last year."
    assert defs(text) == [("UNODC", "United Nations Office on Drugs and Crime")]
    # letters out of order (Fund before Population): taken because the first letter agrees
    (d,) = find_definitions("Funding came from UNFPA (United Nations Population Fund).")
    assert (d.long, d.aligned) == ("United Nations Population Fund", False)
    assert find_definitions("Staff of IOM (Geneva Office) met.") == []


def test_hyphenated_acronym_aligns_across_a_hyphenated_title():
    text = ("a report by the Office of the Special Representative of the Secretary-General "
            "on Sexual Violence in Conflict (OSRSG-SVC) was issued")
    assert defs(text) == [("OSRSG-SVC", "Office of the Special Representative of the "
                                        "Secretary-General on Sexual Violence in Conflict")]


def test_spaced_acronym():
    text = "the Office of the Special Envoy on Youth Affairs (OSE YA) said"
    assert defs(text) == [("OSE YA", "Office of the Special Envoy on Youth Affairs")]


def test_long_form_does_not_swallow_a_person_title_before_it():
    text = "said Mr. Jan Novak, Executive Director of the European Migration Observatory (EMO)."
    assert defs(text) == [("EMO", "European Migration Observatory")]


def test_letters_inside_words_and_skipped_words():
    # A-S-E-A-N: "Southeast" gives S and E; "of" is skipped.
    text = "ministers of the Association of Southeast Asian Nations (ASEAN) met"
    assert defs(text) == [("ASEAN", "Association of Southeast Asian Nations")]
    # I-C-A-T: "Agency" and "Group" are skipped, "in Persons" runs on to the bracket.
    text = "the Inter-Agency Coordination Group against Trafficking in Persons (ICAT)"
    assert defs(text)[0][1] == "Inter-Agency Coordination Group against Trafficking in Persons"


def test_unaligned_acronym_takes_the_title_case_name_from_its_first_letter():
    text = "Officials from the UN Refugee Agency (UNHCR) and others"
    (d,) = find_definitions(text)
    assert (d.short, d.long, d.aligned) == ("UNHCR", "UN Refugee Agency", False)
    text = "with the support of the UN Population Fund (UNFPA), the ministry"
    assert defs(text) == [("UNFPA", "UN Population Fund")]


def test_possessive_of_a_group_stays_inside_the_name():
    text = "with the UN Children’s Fund (UNICEF) in the lead"
    assert defs(text) == [("UNICEF", "UN Children’s Fund")]


def test_bracket_with_a_year_after_the_acronym():
    text = "estimates of the International Labour Organization (ILO, 2022) show"
    assert defs(text) == [("ILO", "International Labour Organization")]


@pytest.mark.parametrize("text", [
    "the measures listed in paragraph (iv) of the plan",
    "victims of trafficking (VoTs) were assisted",  # lower-case long form: not a name
    "the country (Brazil) hosted the meeting",
    "the budget (US$ 2 million) was approved",
    "in the Global Compact (2018)",
])
def test_no_definition(text):
    assert find_definitions(text) == []


def test_long_form_never_crosses_a_line_break():
    text = "Partners include the United States\nGovernment Office of Aid\n(GOA)"
    assert find_definitions(text) == []


def test_square_brackets_define_an_acronym_too():
    text = "officers of the Coastal Fraud Response Team [CFRT] and [sic] notes [see below]"
    assert defs(text) == [("CFRT", "Coastal Fraud Response Team")]


def test_definition_stops_at_a_comma():
    text = "Spain, Italy and the Regional Migration Office (RMO) agreed"
    assert defs(text) == [("RMO", "Regional Migration Office")]


@pytest.mark.parametrize("text,expected", [
    ("UNODC", True), ("OSRSG-VAC", True), ("OSRSG VAC", True), ("G/TIP", True), ("CoE", True),
    ("IV", False), ("XII", False), ("Geneva", False), ("UN Women", False),
    ("A", False), ("2024", False), ("Brazil", False),
])
def test_is_acronym_like(text, expected):
    assert is_acronym_like(text) is expected


def test_acronym_key_ignores_separators():
    assert acronym_key("OSRSG-VAC") == acronym_key("OSRSG VAC") == acronym_key("osrsg/vac")
    assert acronym_key("UNODC") != acronym_key("UNDOC")


def test_alignment_cost():
    assert alignment_cost("UNODC", "United Nations Office on Drugs and Crime".split()) == 0
    assert alignment_cost("WHO", "World Health Organization".split()) == 0
    assert alignment_cost("IOM", "World Health Organization".split()) is None
    # "Agency" (a hyphen part) and "Group" are skipped
    assert alignment_cost("ICAT", ["Inter-Agency", "Coordination", "Group", "against",
                                   "Trafficking"]) == 1.5


def test_choose_start_prefers_the_cheapest_alignment():
    text = "Executive Director of the European Organization"
    run = words(text)
    start, aligned = choose_long_form_start("EO", run)
    assert run[start].text == "European" and aligned


def test_name_run_before_stops_at_punctuation_and_lower_case():
    text = "Yesterday, the heads of the Regional Office for Europe ("
    run = name_run_before(text, text.index("("))
    assert " ".join(w.text for w in run) == "Regional Office for Europe"


def test_name_run_before_stops_at_a_possessive_of_an_organization():
    text = "the IOM’s Migrant Services Division ("
    run = name_run_before(text, text.index("("))
    assert " ".join(w.text for w in run) == "Migrant Services Division"


def test_bare_acronym_matches():
    text = ("The WFP-led response, WFP’s staff and the WFP WFP. "
            "Not @WFP_news, not WFP/2023/7, not WFPX, not UN-Habitat for UN.")
    hits = [text[s:e] for s, e in find_acronym(text, "WFP")]
    assert hits == ["WFP", "WFP", "WFP", "WFP"]
    assert [text[s:e] for s, e in find_acronym(text, "UN")] == ["UN"]


def test_bare_acronym_matches_spaced_and_hyphenated_spellings():
    text = "the OSE-YA team; the OSE YA office; OSEYA staff"
    assert len(find_acronym(text, "OSE-YA")) == 3


def test_long_form_with_a_comma_inside():
    text = "Scientists of the Institute of Marine, Coastal and Estuarine Research (IMCER) reported."
    assert defs(text) == [("IMCER", "Institute of Marine, Coastal and Estuarine Research")]


def test_long_form_ends_before_a_possessive():
    text = "agents of Harbour Border Enforcement's (HBE) Coastal Investigations unit"
    assert defs(text) == [("HBE", "Harbour Border Enforcement")]
