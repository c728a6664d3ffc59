"""Tests for the statistics extractor (pipeline/extract/stats/).

Every sentence below was written for these tests; none is taken from a seed release.
The model is the shared ``nlp_base``; the component is called by hand on its Docs.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from spacy.tokens import Doc

from pipeline.extract.stats.numerals import (
    fraction_denominator,
    is_dot_thousands,
    is_ordinal,
    is_year_like,
    load_vocab,
    multiple_value,
    normalize_qualifier,
    parse_digits,
    ratio,
    range_cut,
    split_glued_scale,
    split_range,
    word_number,
    words_to_number,
)
from pipeline.extract.stats.component import make_statistics
from pipeline.extract.stats.vocabulary import phrase_list
from tests.conftest import DEV_CORPUS, RAW

CONTRACT_QUALIFIERS = {"approximately", "over", "under", "at least", "at most", "nearly", "up to"}


# --------------------------------------------------------------------------------------
# Pure helpers (no model)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("word, value", [
    ("one", 1), ("ten", 10), ("thirty", 30), ("Twenty-five", 25), ("hundred", 100), ("million", 1e6),
    ("fifth", None), ("first", None), ("half", None), ("a", None), ("thousands", None), ("and", None),
    ("o", None), ("several", None),
])
def test_word_number(word, value):
    assert word_number(word) == value


@pytest.mark.parametrize("words, value", [
    (["one", "hundred", "and", "five"], 105),
    (["twenty", "-", "five"], 25),
    (["two", "million"], 2e6),
    (["three", "hundred", "thousand"], 300000),
    (["one", "two"], None),
    (["hundreds"], None),
])
def test_words_to_number(words, value):
    assert words_to_number(words) == value


@pytest.mark.parametrize("text, dot, value", [
    ("100,000", True, 100000), ("2.4", True, 2.4), ("50.000", True, 50000), ("50.000", False, 50.0),
    ("1.234.567", True, 1234567), ("021", True, None), ("12a", True, None), ("0.5", True, 0.5),
    ("1,234.5", True, 1234.5),
])
def test_parse_digits(text, dot, value):
    assert parse_digits(text, dot_thousands=dot) == value


def test_digit_shapes():
    assert is_dot_thousands("17.000") and not is_dot_thousands("17.5")
    assert is_ordinal("24th") and is_ordinal("1st") and not is_ordinal("24")
    assert split_glued_scale("5m") == 5e6 and split_glued_scale("3.5bn") == 3.5e9
    assert split_glued_scale("10th") is None and split_glued_scale("5") is None
    assert split_range("10-15") == (10, 15) and split_range("10\u201315") == (10, 15)
    assert split_range("COVID-19") is None
    assert range_cut("10-15") == (2, 3) and range_cut("2,000\u20133,500") == (5, 6)
    assert range_cut("COVID-19") is None and range_cut("15") is None


def test_year_like():
    assert is_year_like(2023.0, "2023")
    assert not is_year_like(2023.0, "2,023")
    assert not is_year_like(5000.0, "5000")
    assert not is_year_like(150.0, "150")


@pytest.mark.parametrize("word, value", [
    ("doubled", 2), ("nearly", None), ("tripled", 3), ("twofold", 2), ("two-fold", 2), ("3-fold", 3),
    ("halved", 0.5), ("twice", 2),
])
def test_multiple_value(word, value):
    assert multiple_value(word) == value


def test_fractions_and_ratio():
    assert fraction_denominator("thirds") == 3 and fraction_denominator("quarter") == 4
    assert fraction_denominator("fifth") == 5 and fraction_denominator("victims") is None
    assert ratio(1, 3) == 0.3333 and ratio(2, 3) == 0.6667 and ratio(21, 23) == 0.913
    assert ratio(1, 0) is None


@pytest.mark.parametrize("phrase, normalized", [
    ("approximately", "approximately"), ("About", "approximately"), ("around", "approximately"),
    ("roughly", "approximately"), ("some", "approximately"), ("an estimated", "approximately"),
    ("nearly", "nearly"), ("almost", "nearly"), ("over", "over"), ("more  than", "over"),
    ("above", "over"), ("at least", "at least"), ("up to", "up to"), ("as many as", "up to"),
    ("fewer than", "under"), ("less than", "under"), ("under", "under"), ("below", "under"),
    ("no more than", "at most"), ("or more", "at least"), ("or so", "approximately"),
    ("further", None), ("", None), (None, None),
])
def test_normalize_qualifier(phrase, normalized):
    assert normalize_qualifier(phrase) == normalized


def test_vocabulary_maps_only_to_contract_values():
    vocab = load_vocab()
    assert set(vocab["qualifiers"].values()) <= CONTRACT_QUALIFIERS
    assert set(vocab["postposed_qualifiers"].values()) <= CONTRACT_QUALIFIERS
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in vocab["currency_prefixes"].values())
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in vocab["currency_suffixes"].values())


def test_phrase_list_longest_first():
    phrases = phrase_list(["over", "more than", "no more than", "up to"])
    assert phrases[0] == ("no", "more", "than")
    assert [len(p) for p in phrases] == sorted((len(p) for p in phrases), reverse=True)


# --------------------------------------------------------------------------------------
# The component on the shared model
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stats(nlp_base):
    """Run ``release_stats`` (default config) on a text; returns the rows."""
    comp = make_statistics(nlp_base, "release_stats")

    def run(text: str) -> list[dict]:
        return comp(nlp_base(text))._.statistics

    return run


# (sentence, expected text, value, unit, qualifier, head noun expected in the subject or None)
CASES = [
    # percentages
    ("Women account for 62 percent of the detected victims in the region.", "62 percent", 62, "percent", None, "victims"),
    ("Roughly 40 per cent of the migrants interviewed reported debt bondage.", "Roughly 40 per cent", 40, "percent", "approximately", "migrants"),
    ("The survey found that 18% of respondents had been deceived about wages.", "18%", 18, "percent", None, "respondents"),
    ("Thirty per cent of the shelters lack specialised staff.", "Thirty per cent", 30, "percent", None, "shelters"),
    ("Convictions rose by more than 12 percent last year.", "more than 12 percent", 12, "percent", "over", "convictions"),
    ("At least 45 per cent of the cases involved forced labour.", "At least 45 per cent", 45, "percent", "at least", "cases"),
    ("Fewer than 5 percent of offenders are ever convicted.", "Fewer than 5 percent", 5, "percent", "under", "offenders"),
    ("Boys make up almost 20 percent of identified child victims.", "almost 20 percent", 20, "percent", "nearly", "victims"),
    ("Detections fell by 11.5 per cent compared with the previous period.", "11.5 per cent", 11.5, "percent", None, "detections"),
    ("Up to 70 percent of the funds will go to survivor services.", "Up to 70 percent", 70, "percent", "up to", "funds"),
    ("Some 25 percent of the reported cases remain under investigation.", "Some 25 percent", 25, "percent", "approximately", "cases"),
    ("Of the children assisted, 64 per cent were girls.", "64 per cent", 64, "percent", None, "children"),
    ("About 3 percent of the budget is spent on prevention.", "About 3 percent", 3, "percent", "approximately", "budget"),
    ("The rate of prosecutions increased by 7 percentage points.", "7 percentage points", 7, "percent", None, "prosecutions"),
    ("Over 13,000 victims were identified, 60 per cent of whom were women.", "60 per cent", 60, "percent", None, "victims"),
    ("Between 10-15 per cent of the cases reach a court.", "10", 10, "percent", None, "cases"),
    ("Between 10-15 per cent of the cases reach a court.", "15 per cent", 15, "percent", None, "cases"),
    # ratios
    ("One in four victims detected globally is a child.", "One in four", 0.25, "ratio", None, "victims"),
    ("Two out of three survivors said they had never received support.", "Two out of three", 0.6667, "ratio", None, "survivors"),
    ("In the region, 21 out of 23 countries have adopted national action plans.", "21 out of 23", 0.913, "ratio", None, "countries"),
    ("Nearly one in every five workers in the sector is in forced labour.", "Nearly one in every five", 0.2, "ratio", "nearly", "workers"),
    ("About 1 in 10 migrants reported being recruited through deception.", "About 1 in 10", 0.1, "ratio", "approximately", "migrants"),
    ("One-in-five survivors in the study reported being re-trafficked.", "One-in-five", 0.2, "ratio", None, "survivors"),
    ("Seven out of every ten of these children were girls.", "Seven out of every ten", 0.7, "ratio", None, "children"),
    # fractions
    ("More than half of the victims were trafficked across borders.", "More than half", 0.5, "ratio", "over", "victims"),
    ("Half of all detected victims are women.", "Half", 0.5, "ratio", None, "victims"),
    ("Nearly half the countries surveyed lack a shelter for men.", "Nearly half", 0.5, "ratio", "nearly", "countries"),
    ("A third of the respondents had their passports confiscated.", "A third", 0.3333, "ratio", None, "respondents"),
    ("Two-thirds of the projects were completed on time.", "Two-thirds", 0.6667, "ratio", None, "projects"),
    ("Three quarters of the victims were recruited online.", "Three quarters", 0.75, "ratio", None, "victims"),
    ("Almost one-fifth of the budget was unspent.", "Almost one-fifth", 0.2, "ratio", "nearly", "budget"),
    ("Around two thirds of the detected victims were adults.", "Around two thirds", 0.6667, "ratio", "approximately", "victims"),
    ("The number of convictions fell by roughly a third.", "roughly a third", 0.3333, "ratio", "approximately", None),
    # counts
    ("The network identified 412 potential victims during the operation.", "412", 412, "count", None, "victims"),
    ("Police arrested 57 suspects in six countries.", "57", 57, "count", None, "suspects"),
    ("Police arrested 57 suspects in six countries.", "six", 6, "count", None, "countries"),
    ("The agency trained over 2,300 border officials in 2022.", "over 2,300", 2300, "count", "over", "officials"),
    ("More than 1.2 million children are in forced labour in the region.", "More than 1.2 million", 1200000, "count", "over", "children"),
    ("Thousands of migrants remain stranded at the border.", "Thousands", 1000, "count", None, "migrants"),
    ("Hundreds of families were displaced by the floods.", "Hundreds", 100, "count", None, "families"),
    ("Millions of children lack birth registration.", "Millions", 1000000, "count", None, "children"),
    ("An estimated 27 million people are in forced labour worldwide.", "An estimated 27 million", 27000000, "count", "approximately", "people"),
    ("The programme reached nearly 9,500 households.", "nearly 9,500", 9500, "count", "nearly", "households"),
    ("The coalition brings together forty civil society organizations.", "forty", 40, "count", None, "organizations"),
    ("Officers inspected more than 12.000 vehicles at border crossings.", "more than 12.000", 12000, "count", "over", "vehicles"),
    ("Twenty-five experts took part in the consultation.", "Twenty-five", 25, "count", None, "experts"),
    ("Thirty-one member States signed the declaration.", "Thirty-one", 31, "count", None, "states"),
    ("The office recorded one hundred and twenty complaints.", "one hundred and twenty", 120, "count", None, "complaints"),
    ("The hotline received some 4,800 calls.", "some 4,800", 4800, "count", "approximately", "calls"),
    ("At least 300 people were rescued.", "At least 300", 300, "count", "at least", "people"),
    ("The plan sets out five strategic objectives.", "five", 5, "count", None, "objectives"),
    ("As many as 2,000 workers may have been affected.", "As many as 2,000", 2000, "count", "up to", "workers"),
    ("Between 10 and 15 shelters will be opened next year.", "10", 10, "count", None, "shelters"),
    ("Between 10 and 15 shelters will be opened next year.", "15", 15, "count", None, "shelters"),
    ("Half a million people crossed the border last year.", "Half a million", 500000, "count", None, "people"),
    ("The project supported 1,500 or more survivors.", "1,500 or more", 1500, "count", "at least", "survivors"),
    ("The centre assisted 240 survivors, 35 of them children.", "35", 35, "count", None, "survivors"),
    ("In 2023 300 people were rescued from the site.", "300", 300, "count", None, "people"),
    ("A dozen countries joined the initiative.", "A dozen", 12, "count", None, "countries"),
    # multiples
    ("The number of detected victims doubled between 2019 and 2022.", "doubled", 2, "multiple", None, "victims"),
    ("Online recruitment has nearly tripled since 2020.", "nearly tripled", 3, "multiple", "nearly", "recruitment"),
    ("Funding for shelters was halved after the crisis.", "halved", 0.5, "multiple", None, "funding"),
    ("Girls are twice as likely as boys to be trafficked for sexual exploitation.", "twice", 2, "multiple", None, None),
    ("Reported cases showed a twofold increase in the capital.", "twofold", 2, "multiple", None, "increase"),
    ("Victims in conflict zones face risks three times higher than elsewhere.", "three times", 3, "multiple", None, None),
    ("The caseload is almost double that of last year.", "almost double", 2, "multiple", "nearly", "caseload"),
    # money
    ("The fund disbursed US$ 2.5 million in grants.", "US$ 2.5 million", 2500000, "currency:USD", None, None),
    ("The European Union pledged \u20ac3 billion for the response.", "\u20ac3 billion", 3e9, "currency:EUR", None, None),
    ("The project has a budget of $5m.", "$5m", 5000000, "currency:USD", None, "budget"),
    ("Donors contributed USD 750,000 to the trust fund.", "USD 750,000", 750000, "currency:USD", None, None),
    ("Traffickers earn an estimated 150 billion US dollars a year.", "an estimated 150 billion US dollars", 1.5e11, "currency:USD", "approximately", None),
    ("The grant is worth \u00a31.2 million.", "\u00a31.2 million", 1200000, "currency:GBP", None, "grant"),
    ("Some 12 million euros were allocated to victim support.", "Some 12 million euros", 12000000, "currency:EUR", "approximately", None),
    # measures
    ("The NGO draws on 15 years of field experience.", "15 years", 15, "year", None, "experience"),
    ("Survivors waited an average of 18 months for a court decision.", "18 months", 18, "month", None, None),
    ("She has more than 20 years of experience in child protection.", "more than 20 years", 20, "year", "over", "experience"),
    ("The patrol covered 1,200 km of coastline.", "1,200 km", 1200, "km", None, "coastline"),
    ("A two-week training course was held for judges.", "two-week", 2, "week", None, "course"),
    ("Average temperatures could rise by 1.5\u00b0C in the region.", "1.5\u00b0C", 1.5, "degree Celsius", None, None),
    # durations: what the time measures, from the parse
    ("Each asylum procedure takes up to 2 years.", "up to 2 years", 2, "year", "up to", None),
    ("Detention can last up to 18 months in some countries.", "up to 18 months", 18, "month", "up to", None),
    ("Applicants face a delay of 9 months for a hearing.", "9 months", 9, "month", None, "delay"),
    ("Prison sentences ranging from 4 to 12 years were handed down.", "4", 4, "year", None, "sentences"),
    ("Prison sentences ranging from 4 to 12 years were handed down.", "12 years", 12, "year", None, "sentences"),
    ("Referrals face a delay which may last from 2 to 6 months.", "6 months", 6, "month", None, "delay"),
    # a unit of time after "a" with a qualifier states a length
    ("The programme has run for more than a decade in the region.", "more than a decade", 10, "year", "over", None),
    ("She was held in a workshop for over a year.", "over a year", 1, "year", "over", None),
    # degrees: the unit as the contract writes it; the noun the measure modifies or changes
    ("The country is heading for around 2.8 degrees Celsius warming.", "around 2.8 degrees Celsius", 2.8,
     "degree Celsius", "approximately", "warming"),
    ("Leaders pledged to hold the temperature rise to 1.7 degrees Celsius.", "1.7 degrees Celsius", 1.7,
     "degree Celsius", None, "rise"),
    # a change the figure measures: what changed, not who changed it
    ("The plan commits the ministry to cutting fertiliser use by 35% within a decade.", "35%", 35, "percent",
     None, "fertiliser"),
    ("Inspectors reported a 14% rise in prosecutions.", "14%", 14, "percent", None, "prosecutions"),
    # a signed change keeps its sign
    ("Lending to farms fell sharply (-22%) last year.", "-22%", -22, "percent", None, None),
    # money with its qualifier before the sign, and "in <noun>" naming what the money is
    ("The firm must pay over $450,000 in back wages.", "over $450,000", 450000, "currency:USD", "over", "wages"),
    ("Donors pledged nearly \u20ac3 million in aid.", "nearly \u20ac3 million", 3000000, "currency:EUR", "nearly", "aid"),
    # ages: measures in years of the person described
    ("Boys aged between 14 and 16 made up most of the caseload.", "14", 14, "year", None, "boys"),
    ("Boys aged between 14 and 16 made up most of the caseload.", "16", 16, "year", None, "boys"),
    ("Girls between the ages of 13 and 17 were the most exposed.", "17", 17, "year", None, "girls"),
    ("Children under 18 are entitled to special protection.", "under 18", 18, "year", "under", "children"),
    ("The programme supports persons under 18 who were exploited.", "under 18", 18, "year", "under", "persons"),
    ("A 16-year-old boy was among those rescued.", "16-year-old", 16, "year", None, "boy"),
    ("The survivor was 19 years old when she escaped.", "19 years", 19, "year", None, "survivor"),
    # a parenthetical share after an adjective is a share of the noun the adjective describes
    ("The shelter hosted more female (62 per cent) than male survivors.", "62 per cent", 62, "percent", None, "survivors"),
    ("Victims were mostly female (70 per cent).", "70 per cent", 70, "percent", None, "victims"),
    ("Most were adult (58 percent) workers from rural areas.", "58 percent", 58, "percent", None, "workers"),
    # a gerund the tagger read as a verb still names the subject
    ("Spending on survivor services was well short of need, at about 20 per cent.", "about 20 per cent", 20,
     "percent", "approximately", "spending"),
    # comparisons
    ("The number of victims in 2021 was 7.5 per cent higher than in 2020.", "7.5 per cent", 7.5, "percent", None, "victims"),
    ("This was 40 per cent more cases than in the previous year.", "40 per cent", 40, "percent", None, "cases"),
]


@pytest.mark.parametrize("sentence, text, value, unit, qualifier, head", CASES,
                         ids=[f"{c[1]}|{c[0][:30]}" for c in CASES])
def test_expression(stats, sentence, text, value, unit, qualifier, head):
    rows = stats(sentence)
    hits = [r for r in rows if r["text"] == text]
    assert hits, f"{text!r} not found in {[r['text'] for r in rows]}"
    row = hits[0]
    assert math.isclose(row["value"], value, rel_tol=1e-3)
    assert row["unit"] == unit
    assert row["qualifier"] == qualifier
    if head is not None:
        assert row["subject"] is not None and head in row["subject"].lower()
    assert sentence[row["start_char"]:row["end_char"]] == text


def test_table_is_large_enough():
    assert len(CASES) >= 60


SOURCES = [
    ("According to the Global Estimates of Modern Slavery, 28 million people were in forced labour in 2021.",
     "28 million", "Global Estimates of Modern Slavery"),
    ("UNHCR data show that 40 percent of arrivals were children.", "40 percent", "UNHCR"),
    ("The Global Report on Migrant Exploitation was launched today. "
     "The report finds that 72 percent of detected victims were female.", "72 percent", "Global Report on Migrant Exploitation"),
    ("The ILO estimates that 160 million children are in child labour.", "160 million", "ILO"),
    ("A study released today by the Migrant Research Institute shows that 30 percent of workers paid recruitment fees.",
     "30 percent", "Migrant Research Institute"),
    ("Police arrested 57 suspects in six countries.", "57", None),
    # a generic "the report" with no named report nearby is not a source
    ("According to the report, 15 percent of cases were dismissed.", "15 percent", None),
    # a figure inside the source phrase is not covered by it
    ("According to a survey of 40 countries, 12 percent of victims were men.", "40", None),
]


@pytest.mark.parametrize("text, stat_text, source", SOURCES, ids=[s[1] for s in SOURCES])
def test_source(stats, text, stat_text, source):
    rows = [r for r in stats(text) if r["text"] == stat_text]
    assert rows, stat_text
    assert rows[0]["source"] == source


EXCLUDED = [
    "The meeting took place on 8 March 2021 in Geneva.",
    "The plan was adopted on 30 July and reviewed on July 31.",
    "The session will be held from 6-10 October in Vienna.",
    "The strategy covers the period 2021-2025.",
    "The Protocol entered into force in 2003.",
    "In 2023, the group met twice.",
    "This is the fifth annual report of the Special Rapporteur.",
    "The 24th session of the Commission opened on Monday.",
    "The office will chair the group for the second year running.",
    "Priority 2 focuses on climate change and displacement.",
    "1. Strengthening national referral mechanisms",
    "See Article 3 of the Protocol for the definition.",
    "Tier 2 countries must do more to protect victims.",
    "Goal 8 of the Sustainable Development Goals addresses decent work.",
    "The General Assembly adopted resolution 64/293 on the Global Plan of Action.",
    "Photo: UNICEF/UN0456789/Smith",
    "Tel: +41 22 917 9000",
    "The COVID-19 pandemic disrupted services for survivors.",
    "Leaders discussed the issue at the G20 summit.",
    "The 2030 Agenda for Sustainable Development calls for an end to forced labour.",
    "One of the speakers called for stronger action.",
    "The partners spoke with one voice.",
    "The workshop started at 9:30 a.m. in the main hall.",
    "The Conference of the Parties meets every two years.",
    "The meeting was held two years ago.",
    "Double standards undermine the response.",
    "States must double their efforts to end child labour.",
    "The triple nexus approach links humanitarian action and development.",
    "The report covers the first half of 2024.",
    "The case was referred to a third country.",
    "The International Labour Organization (ILO)1 published the estimates.",
    "She joined the organization in May 2019 as one of its first staff members.",
    "The Government has zero tolerance for trafficking.",
    "ILO Convention No. 182 protects children from the worst forms of child labour.",
    "Call the hotline at 1-888-373-7888 for help.",
    "The majority of victims were women.",  # vague: off by default (config include_majority)
]


@pytest.mark.parametrize("sentence", EXCLUDED)
def test_not_a_statistic(stats, sentence):
    assert stats(sentence) == []


def test_exclusion_list_is_large_enough():
    assert len(EXCLUDED) >= 15


def test_majority_when_enabled(nlp_base):
    comp = make_statistics(nlp_base, "release_stats", include_majority=True)
    rows = comp(nlp_base("The majority of victims were women."))._.statistics
    assert [(r["text"], r["value"], r["unit"], r["qualifier"]) for r in rows] == [("The majority", 0.5, "ratio", "over")]
    assert "victims" in rows[0]["subject"]


def test_shares_continue_the_previous_population(stats):
    """A share standing as a clause subject continues the population counted before it."""
    rows = stats("An estimated 2,400 migrants were assisted last year. 60 per cent were women "
                 "and 15 per cent were children.")
    by_text = {r["text"]: r for r in rows}
    assert "migrants" in by_text["60 per cent"]["subject"]
    assert "migrants" in by_text["15 per cent"]["subject"]


@pytest.mark.parametrize("sentence, low, high", [
    ("Some 3 to 5 million people are at risk of forced labour.", ("Some 3", 3e6), ("5 million", 5e6)),
    ("Between 20 and 30 percent of the workers had no contract.", ("20", 20), ("30 percent", 30)),
    ("The shelters will receive grants worth USD 2-4 million each.", ("USD 2", 2e6), ("4 million", 4e6)),
    ("Girls aged 12 to 15 years were the most exposed.", ("12", 12), ("15 years", 15)),
])
def test_range_gives_one_consistent_row_per_end(stats, sentence, low, high):
    """A range is two rows, one per stated number, that agree on everything else."""
    rows = [r for r in stats(sentence) if r["range_bound"] is not None]
    assert [r["range_bound"] for r in rows] == ["low", "high"]
    lo, hi = rows
    assert (lo["text"], hi["text"]) == (low[0], high[0])
    assert math.isclose(lo["value"], low[1]) and math.isclose(hi["value"], high[1])
    assert lo["end_char"] < hi["start_char"]
    assert all(lo[k] == hi[k] for k in ("unit", "qualifier", "subject", "source"))
    assert lo["subject"] is not None


def test_frequency_and_time_point_are_not_durations(stats):
    rows = stats("The board meets every three years and last met four years ago; it has existed for ten years.")
    assert [(r["text"], r["unit"]) for r in rows] == [("ten years", "year")]


def test_time_windows_are_not_statistics(stats):
    """A window only says when: over the past N years, in the last N months, within N days,
    N weeks into the year. A measured length stays (for N years, over a year)."""
    rows = stats("Over the past six years the fund grew; in the last two months it doubled its staff. "
                 "Claims must be filed within 45 days. Barely three weeks into the year, the office "
                 "had worked for eight years without a break.")
    assert [(r["text"], r["unit"]) for r in rows if r["unit"] in {"year", "month", "day", "week"}] == \
        [("eight years", "year")]


def test_partitive_and_every_nth_are_ratios(stats):
    rows = stats("Six of the eight regional offices closed, and every fourth pupil left school.")
    got = [(r["text"], r["value"], r["unit"]) for r in rows]
    assert got == [("Six of the eight", 0.75, "ratio"), ("every fourth", 0.25, "ratio")]
    assert "offices" in rows[0]["subject"] and rows[1]["subject"] == "pupil"


def test_every_nth_time_unit_is_a_frequency(stats):
    assert stats("The census is held every third year.") == []


def test_hyphenated_counts_count_the_glued_noun(stats):
    rows = stats("A 12-member board drafted a nine-point strategy and a two-way exchange.")
    assert [(r["text"], r["value"], r["unit"], r["subject"]) for r in rows] == [
        ("12-member", 12, "count", "board"), ("nine-point", 9, "count", "strategy")]


def test_ordinal_session_names_are_not_numbers(stats):
    assert stats("The Sixty-second session of the Assembly and its twenty-fourth meeting opened.") == []


def test_spans_of_years_are_not_counts(stats):
    rows = stats("The 2018-19 season and the years 1996\u201399 saw 35 arrests.")
    assert [r["text"] for r in rows] == ["35"]


def test_hyphenated_adjective_is_not_a_multiple(stats):
    assert stats("Online recruitment is a double-edged tool for job seekers.") == []


def test_dateline_place_is_not_the_subject(parse):
    from pipeline.extract.stats.component import extract_statistics
    doc = parse("NAIROBI \u2013 Recorded cases of child marriage have tripled since 2016.")
    doc._.dateline_range = [0, 7]
    rows = extract_statistics(doc)
    assert [(r["text"], r["subject"]) for r in rows] == [("tripled", "Recorded cases of child marriage")]


def test_age_bound_after_a_noun_names_the_noun(stats):
    rows = stats("The scheme pays a grant to mothers under 21 years of age.")
    assert [(r["text"], r["unit"], r["qualifier"], r["subject"]) for r in rows] == [
        ("under 21 years", "year", "under", "mothers")]


def test_a_rate_per_unit_of_time_is_one_row(stats):
    rows = stats("The shelter stays open 12 hours a day.")
    assert [(r["text"], r["value"], r["unit"], r["subject"]) for r in rows] == [("12 hours a day", 12, "hour", None)]


def test_figures_before_the_headline_are_site_clutter(parse):
    from pipeline.extract.stats.component import extract_statistics
    text = "Menu 45 items\nWarehouse Fire Destroys Stock\nThe fire destroyed 300 tonnes of grain."
    doc = parse(text)
    doc._.title_range = [text.index("Warehouse"), text.index("\nThe")]
    assert [r["text"] for r in extract_statistics(doc)] == ["300 tonnes"]


def test_organization_reporting_after_the_figures_is_their_source(stats):
    rows = stats("Of the 90 migrants intercepted, 35 were minors, Frontex reported on Friday.")
    assert {r["text"]: r["source"] for r in rows} == {"90": "Frontex", "35": "Frontex"}


def test_organization_finding_is_the_source_but_a_person_is_not(stats):
    rows = stats("The WHO found that 22 per cent of adults smoke.")
    assert [(r["text"], r["source"]) for r in rows] == [("22 per cent", "WHO")]
    rows = stats("Okafor said that 22 per cent of adults smoke.")
    assert [(r["text"], r["source"]) for r in rows] == [("22 per cent", None)]


def test_an_organization_the_model_takes_for_a_person_is_still_the_source(nlp_base):
    # the release's organization mentions decide, not the entity label (a charity named
    # like a person or a star is often tagged PERSON)
    from pipeline.extract.organizations.recognizer import make_release_orgs

    orgs = make_release_orgs(nlp_base, "release_orgs", use_gazetteer=True, use_patterns=True,
                             ner_labels=["ORG"])
    comp = make_statistics(nlp_base, "release_stats")
    doc = nlp_base("Polaris reported that calls to the hotline rose 25 percent in 2018.")
    assert doc[0].ent_type_ != "ORG"  # the case this test is about
    rows = comp(orgs(doc))._.statistics
    assert [(r["text"], r["source"]) for r in rows] == [("25 percent", "Polaris")]


def test_a_named_claim_is_the_source_of_the_figures_in_its_that_clause(stats):
    rows = stats("Responding to a Frontex warning that up to 3,000 migrants were stranded, the "
                 "minister said 40 boats had left.")
    assert {r["text"]: r["source"] for r in rows} == {"up to 3,000": "Frontex", "40": None}
    rows = stats("A WHO estimate that 12 million children lack vaccines was published.")
    assert [(r["text"], r["source"]) for r in rows] == [("12 million", "WHO")]
    # an unnamed claim cites nobody
    rows = stats("The warning that 5,000 jobs could go came as a shock.")
    assert [(r["text"], r["source"]) for r in rows] == [("5,000", None)]


def test_title_of_a_source_ends_at_its_comma(stats):
    rows = stats("According to the agency\u2019s 2030 Food Outlook, some 250 million people face hunger.")
    assert [(r["text"], r["source"]) for r in rows] == [("some 250 million", "agency\u2019s 2030 Food Outlook")]


def test_table_cells_take_their_column_header(stats):
    text = ("Estimates by province\n"
            "Province | Rate of child labour (per 100 of children) | Children working | Households |\n"
            "---|---|---|---|\n"
            "North | 4.5 | 12,000 | 80,500 |\n"
            "South | 2.1 | 7,400 | 61,200 |\n")
    rows = stats(text)
    got = [(r["text"], r["value"], r["unit"], r["subject"]) for r in rows]
    assert got == [("4.5", 4.5, "per 100", "children"), ("12,000", 12000, "count", "Children working"),
                   ("80,500", 80500, "count", "Households"), ("2.1", 2.1, "per 100", "children"),
                   ("7,400", 7400, "count", "Children working"), ("61,200", 61200, "count", "Households")]
    for r in rows:
        assert text[r["start_char"]:r["end_char"]] == r["text"]


def test_counts_taken_of_these_and_counts_said_to_be_a_noun(stats):
    rows = stats("Some 30 million people were displaced. Of these, 18 million were internally displaced "
                 "and 7 million are children.")
    assert [(r["text"], r["subject"]) for r in rows] == [
        ("Some 30 million", "people"), ("18 million", "people"), ("7 million", "children")]


def test_of_which_continues_the_total(stats):
    rows = stats("The total number of complaints was 320 of which 75 are still open.")
    assert [(r["text"], r["subject"]) for r in rows] == [("320", "complaints"), ("75", "complaints")]


def test_bracketed_gloss_shares_the_subject_of_its_figure(stats):
    rows = stats("About 61% (2,440) of the callers were women, up 4% on the previous quarter (2,350).")
    got = {r["text"]: r["subject"] for r in rows}
    assert got["About 61%"] == "callers" and got["2,440"] == "callers" and got["2,350"] == "callers"


def test_a_figure_that_names_nothing_continues_the_one_before(stats):
    rows = stats("One in five teachers now works part-time versus one in eight in 2005.")
    assert [r["subject"] for r in rows] == ["teachers", "teachers"]
    rows = stats("In 2022, nearly 90,000 dengue cases were recorded, more than tripling from 2021.")
    assert [r["subject"] for r in rows] == ["dengue cases", "dengue cases"]


def test_up_and_down_figures_measure_the_clause_subject(stats):
    rows = stats("- Border detections were down 25% to 41,300;")
    assert [(r["text"], r["subject"]) for r in rows] == [("25%", "Border detections"), ("41,300", "Border detections")]


def test_years_of_a_gerund(stats):
    rows = stats("The committee marked its 20 years of reviewing national laws.")
    assert [(r["text"], r["subject"]) for r in rows] == [("20 years", "reviewing")]


def test_a_sentence_with_a_duration_and_no_measured_noun_has_no_subject(stats):
    rows = stats("The smuggler was sentenced to 14 years in prison, and the victims spent 3 years in the network.")
    assert [(r["text"], r["subject"]) for r in rows] == [("14 years", None), ("3 years", None)]


def test_hard_wrapped_line_keeps_its_qualifier(stats):
    rows = stats("The database holds records of victims of more\nthan 80 nationalities.")
    assert [(r["value"], r["qualifier"]) for r in rows] == [(80, "over")]


def test_rows_are_plain_and_survive_serialization(nlp_base, stats):
    comp = make_statistics(nlp_base, "release_stats")
    doc = comp(nlp_base("Nearly 40 percent of the 1,200 survivors were children."))
    rows = doc._.statistics
    assert len(rows) == 2
    for row in rows:
        assert set(row) == {"start_char", "end_char", "text", "value", "unit", "qualifier", "subject", "source",
                            "range_bound"}
        assert row["range_bound"] is None
        assert isinstance(row["start_char"], int) and isinstance(row["value"], float)
    restored = Doc(nlp_base.vocab).from_bytes(doc.to_bytes())
    assert restored._.statistics == rows


# --------------------------------------------------------------------------------------
# The seed releases and the dev corpus (read from ../shared, never copied)
# --------------------------------------------------------------------------------------


def _corpus() -> list[Path]:
    return sorted(RAW.glob("*.txt")) + sorted(Path(DEV_CORPUS).glob("d*.txt"))


@pytest.fixture(scope="module")
def corpus_rows(stats):
    paths = _corpus()
    if not paths:
        pytest.skip("no corpus files")
    return {p.name: (p.read_text(encoding="utf-8"), stats(p.read_text(encoding="utf-8"))) for p in paths}


def _allowed_unit(unit: str) -> bool:
    vocab = load_vocab()
    measures = set(vocab["measure_units"].values()) | set(vocab["degree_scales"].values()) | {"degree"}
    return unit in {"percent", "ratio", "count", "multiple"} or unit in measures \
        or re.fullmatch(r"currency:[A-Z]{3}", unit) is not None or re.fullmatch(r"per \d+", unit) is not None


def test_corpus_rows_are_well_formed(corpus_rows):
    for name, (text, rows) in corpus_rows.items():
        starts = [r["start_char"] for r in rows]
        assert starts == sorted(starts), name
        for r in rows:
            assert text[r["start_char"]:r["end_char"]] == r["text"], (name, r)
            assert math.isfinite(r["value"]), (name, r)
            assert r["value"] >= 0 or (r["unit"] == "percent" and r["text"][:1] in "-\u2212"), (name, r)
            assert _allowed_unit(r["unit"]), (name, r)
            assert r["qualifier"] is None or r["qualifier"] in CONTRACT_QUALIFIERS, (name, r)


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end != -1 else len(text)]


def test_corpus_has_no_false_hits_of_known_kinds(corpus_rows):
    """No phone numbers, identifiers, list numbers, bare years, dates or ordinals."""
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    for name, (text, rows) in corpus_rows.items():
        for r in rows:
            line = _line_of(text, r["start_char"])
            assert not re.match(r"\s*(Tel|Phone|Fax)\b", line), (name, r)
            assert "/" not in r["text"], (name, r)
            assert not re.fullmatch(r"(1[89]|20)\d\d", r["text"]), (name, r)
            after = text[r["end_char"]:r["end_char"] + 12]
            before = text[max(0, r["start_char"] - 12):r["start_char"]]
            assert not re.match(rf"\s*({months})\b", after), (name, r)
            assert not re.search(rf"\b({months})\s*$", before), (name, r)
            assert not re.search(r"\b(Priority|Tier|Goal|Target|resolution)\s*$", before), (name, r)
            assert not (line.lstrip().startswith(r["text"]) and re.match(r"[.)]", after)), (name, r)


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpus/dev not beside the repo")
def test_corpus_percentages_and_ratios_are_all_found(corpus_rows):
    """Every written percentage and 'N in M' ratio in the corpus is extracted as such."""
    pattern = re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
    ratio_pattern = re.compile(r"\b(one|two|three|four|1|2|3|4) in (three|four|five|10|4|3|5)\b", re.I)
    seen = 0
    for name, (text, rows) in corpus_rows.items():
        for m in pattern.finditer(text):
            covering = [r for r in rows if r["start_char"] <= m.start() < r["end_char"]]
            assert covering and covering[0]["unit"] == "percent", (name, m.group())
            sign = -1 if text[m.start() - 1:m.start()] in {"-", "\u2212"} else 1  # (-31%): a signed change
            assert covering[0]["value"] == sign * float(m.group(1)), (name, m.group())
            seen += 1
        for m in ratio_pattern.finditer(text):
            covering = [r for r in rows if r["start_char"] <= m.start() < r["end_char"]]
            assert covering and covering[0]["unit"] == "ratio", (name, m.group())
            seen += 1
    assert seen >= 30  # the corpus has many; an empty loop would prove nothing


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpus/dev not beside the repo")
def test_corpus_european_thousands_are_counts(corpus_rows):
    pattern = re.compile(r"\b(\d{1,3})\.(\d{3})\s+[a-z]")
    found = 0
    for name, (text, rows) in corpus_rows.items():
        for m in pattern.finditer(text):
            covering = [r for r in rows if r["start_char"] <= m.start() < r["end_char"]]
            assert covering and covering[0]["value"] == float(m.group(1) + m.group(2)), (name, m.group())
            found += 1
    assert found >= 1


def test_seed_counts_name_their_noun_and_skip_the_determiner_one(corpus_rows):
    """A careful reader's expectations on the seeds: spelled-out counts are found with
    the counted noun as subject, and 'one of ...' / 'one unified ...' are not counts."""
    seeds = {name: v for name, v in corpus_rows.items() if not name.startswith("d")}
    assert seeds, "seed releases missing"
    for name, (text, rows) in seeds.items():
        for r in rows:
            assert r["text"].lower() != "one", (name, r)
            if r["unit"] == "count":
                assert r["subject"], (name, r)
        for m in re.finditer(r"\b(three|ten|31|10|190) ([a-z]+ ){0,2}(priorities|themes|actions|areas|videos|"
                             r"organizations|entities|points|workstreams|countries)\b", text):
            hit = [r for r in rows if r["start_char"] == m.start()]
            assert hit and hit[0]["unit"] == "count", (name, m.group())
            assert m.group(3) in hit[0]["subject"], (name, m.group(), hit[0]["subject"])


def test_entity_bounds_agree_with_the_docs_entities(parse):
    """The IOB walk finds the same entity spans as ``doc.ents``, for every token in one."""
    from pipeline.extract.stats.sources import entity_bounds

    doc = parse("The Northern Harbour Workers Union said 40 percent of members in Port Alden "
                "lost work, and the Coastal Fisheries Board reported 120 closures in March.")
    ents = {(e.start, e.end) for e in doc.ents}
    assert ents
    for start, end in ents:
        for i in range(start, end):
            assert entity_bounds(doc, i) == (start, end)


@pytest.mark.parametrize("text", [
    "Police identified 12 of the",             # a page cut off after a partitive
    "seven of the",
    "Officials said 3 in",
    "The agency reported 40 of them in 2023 and 17 out of",
])
def test_a_ratio_cut_off_at_the_end_of_the_text_is_no_crash(stats, text):
    """Scraped pages end mid-sentence: a ratio link ("of the", "out of") with nothing after
    it reads no denominator, and the number is read as what it is without one."""
    rows = stats(text)
    assert all(r["unit"] != "ratio" for r in rows)
