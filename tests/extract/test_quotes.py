"""Quotes: quote-mark pairing (pure), and direct / partial / indirect quotes with their
speakers on small invented releases (the shared model, a component called by hand).

Every text here is made up for the test; names are fictional, agencies are real-world ones.
"""
from __future__ import annotations

import itertools

import pytest

from pipeline.extract.extensions import register
from pipeline.extract.quotes.component import DEFAULT_CONFIG, make_release_quotes
from pipeline.extract.quotes.marks import (
    dateline_length,
    find_quote_spans,
    is_title_like,
    preceded_by_cue,
    text_blocks,
)
from pipeline.resources.speech import is_non_speaker_noun, is_org_noun, is_speech_lemma, speech_data


# --------------------------------------------------------------------------- fixtures
# ``parse`` (tests/conftest.py) parses like the runner.


@pytest.fixture(scope="module")
def run(nlp_base, parse):
    """text -> Doc with ._.quotes and ._.people set by release_quotes."""
    comp = make_release_quotes(nlp_base, "release_quotes", **DEFAULT_CONFIG)

    def _run(text: str, org_mentions=None):
        doc = parse(text)
        if org_mentions is not None:
            register("org_mentions", default=None)  # as release_orgs registers it
            doc._.org_mentions = org_mentions
        return comp(doc)

    return _run


def inners(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_quote_spans(text)]


def by_text(doc, fragment: str) -> dict:
    hits = [q for q in doc._.quotes if fragment in q["text"]]
    assert len(hits) == 1, (fragment, doc._.quotes)
    return hits[0]


def person(doc, key: str | None) -> dict | None:
    for p in doc._.people:
        if p["key"] == key:
            return p
    return None


def speaker_name(doc, q: dict) -> str | None:
    p = person(doc, q["speaker_key"])
    return p["name"] if p else None


# --------------------------------------------------------------------------- pure: marks
def test_curly_and_straight_pairs():
    text = 'He said “We act now.” Then she said "We act later."'
    assert inners(text) == ["We act now.", "We act later."]


def test_nested_single_quotes_stay_inside_the_quote():
    text = "“Our ‘Delivering as One’ model works,” said Mr. Abel Tran."
    spans = find_quote_spans(text)
    assert [text[q.start:q.end] for q in spans] == ["Our ‘Delivering as One’ model works"]
    assert not spans[0].single


def test_split_quote_gives_two_spans():
    text = "“Data matter,” she said, “and so do people.”"
    assert inners(text) == ["Data matter", "and so do people."]


def test_stray_closing_mark_is_ignored():
    text = 'Several groups need to "act faster" now." The end.'
    assert inners(text) == ["act faster"]


def test_unclosed_mark_mid_paragraph_never_swallows():
    text = "The plan” was adopted and “nobody objected to it at all.\nNext line with “a real quote” here."
    spans = find_quote_spans(text)
    assert [text[q.start:q.end] for q in spans] == ["a real quote"]


def test_quote_running_over_paragraphs():
    text = "She added:\n“First paragraph of the quote goes on.\n“Second paragraph ends it,” she said."
    assert inners(text) == ["First paragraph of the quote goes on.", "Second paragraph ends it"]


def test_quote_cut_short_at_end_of_text_is_kept_after_its_attribution():
    text = "Intro line.\nThe harbour master told reporters, “The final words of a release that was cut"
    spans = find_quote_spans(text)
    assert len(spans) == 1 and not spans[0].closed
    assert text[spans[0].start:spans[0].end] == "The final words of a release that was cut"
    text = "Intro line.\nThe harbour master said: “The final words of a release that was cut"
    assert inners(text) == ["The final words of a release that was cut"]


def test_quote_cut_short_opening_its_paragraph_is_dropped():
    # its attribution would have followed the cut: nobody is said to have said it (gold.md)
    text = "Intro line.\n“The final words of a release that was cut"
    assert find_quote_spans(text) == []


def test_two_closing_single_marks_close_a_double_quote():
    # typed for one closing double mark in some house styles: “… 21,’’ he said
    text = "“The lowest number of cases was 21,’’ the commander said. It’s ‘fine’ now."
    assert inners(text) == ["The lowest number of cases was 21", "fine"]
    # with no double quote open they are left to the single marks
    assert inners("It was ’’ odd.") == []


def test_apostrophes_do_not_pair():
    text = "The agency’s work and the children’s rights, its members’ duty."
    assert find_quote_spans(text) == []


def test_hard_wrapped_quote_pairs_across_the_wrap():
    text = "“The register is used for\nresearch as well,” says Ms. Ines Vidal, Head\nof Research."
    assert text_blocks(text) == [(0, len(text))]
    assert inners(text) == ["The register is used for\nresearch as well"]


def test_any_mark_sequence_never_crashes_nor_crosses_paragraphs():
    for chars in itertools.product('“”"‘’\'a ', repeat=4):
        seq = "".join(chars)
        text = f"{seq} word {seq}\n\nSecond {seq[::-1]} paragraph."
        for q in find_quote_spans(text):
            assert 0 <= q.start <= q.end <= len(text)
            assert "\n" not in text[q.start:q.end]


def test_title_like():
    assert is_title_like("Call for Stronger Action to End Forced Labour by 2030")
    assert not is_title_like("we must end forced labour by 2030")
    assert not is_title_like("Forced Labour Must End.")


def test_preceded_by_cue():
    text = "the campaign titled “Blue Hands”"
    assert preceded_by_cue(text, text.index("“"), speech_data().title_cues, 2)
    text = "the so-called ‘safe houses’"
    assert preceded_by_cue(text, text.index("‘"), speech_data().scare_cues, 3)
    text = "she said “now”"
    assert not preceded_by_cue(text, text.index("“"), speech_data().title_cues, 2)


def test_speech_verbs_are_data():
    assert is_speech_lemma("say") and is_speech_lemma("emphasize") and is_speech_lemma("urge")
    assert not is_speech_lemma("organize")


# --------------------------------------------------------------------------- quote marks (model)
def test_direct_quote_curly_with_speaker_title_and_org(run):
    doc = run("“Every victim deserves protection,” said Ms. Lena Ortiz, Deputy Director of the "
              "International Labour Organization (ILO).")
    q = by_text(doc, "Every victim")
    assert q["kind"] == "direct" and q["cue"] == "say" and q["speaker_mention"] == "Ms. Lena Ortiz"
    p = person(doc, q["speaker_key"])
    assert p["name"] == "Lena Ortiz" and p["honorific"] == "Ms."
    assert p["title"] == "Deputy Director"
    assert p["organization"] == "International Labour Organization"


def test_straight_quotes_and_offsets(run):
    text = 'Mr. Kofi Mensah said: "Borders alone will not stop traffickers."'
    doc = run(text)
    q = by_text(doc, "Borders alone")
    assert doc.text[q["start_char"]:q["end_char"]] == q["text"] == "Borders alone will not stop traffickers."
    assert q["kind"] == "direct" and speaker_name(doc, q) == "Kofi Mensah"


def test_quote_over_several_sentences_is_one_row(run):
    doc = run("“We trained 400 officers. We also opened two shelters,” said Dr. Tomas Brandt.")
    assert len([q for q in doc._.quotes if q["kind"] != "indirect"]) == 1
    q = by_text(doc, "two shelters")
    assert q["text"].startswith("We trained 400 officers.")


def test_split_quote_two_rows_same_speaker(run):
    doc = run("“Prevention works,” Ms. Aiko Sato said, “when communities lead it.”")
    rows = [q for q in doc._.quotes if q["kind"] != "indirect"]
    assert [q["text"] for q in rows] == ["Prevention works", "when communities lead it."]
    assert all(q["kind"] == "direct" for q in rows)
    assert {speaker_name(doc, q) for q in rows} == {"Aiko Sato"}


def test_partial_quote_inside_writers_sentence(run):
    doc = run("Labour inspectors “are the first line of defence against exploitation,” Mr. Kofi Mensah said.")
    q = by_text(doc, "first line of defence")
    assert q["kind"] == "partial" and speaker_name(doc, q) == "Kofi Mensah"


def test_editorial_brackets_kept_inside_quote(run):
    doc = run("“The plan [for survivors] is funded,” said Ms. Aiko Sato.")
    q = by_text(doc, "The plan")
    assert q["text"] == "The plan [for survivors] is funded"


def test_unbalanced_marks_do_not_swallow_paragraph(run):
    text = ("The board met in Geneva and approved the “budget for the year.\n"
            "“Funding is secured,” said Ms. Rosa Quint.")
    doc = run(text)
    texts = [q["text"] for q in doc._.quotes if q["kind"] != "indirect"]
    assert texts == ["Funding is secured"]


# --------------------------------------------------------------------------- not quotes
def test_titles_of_calls_and_campaigns_are_not_quotes(run):
    doc = run("In 2022 the agencies launched the “Safe Journeys for Every Child” campaign. "
              "UNICEF also issued a \"Roadmap to End Child Labour\" for governments.")
    assert [q for q in doc._.quotes if q["kind"] != "indirect"] == []


def test_scare_quotes_are_not_quotes(run):
    doc = run("Victims are often held in so-called ‘recovery homes’ far from any town.")
    assert doc._.quotes == []
    doc = run("The report describes a “revolving door” between prosecution and release.")
    assert doc._.quotes == []


# --------------------------------------------------------------------------- attribution forms
def test_said_name_title_of_org(run):
    doc = run("“We need data we can trust,” said Mr. Pavel Novak, Chief Statistician of the "
              "United Nations Economic Commission for Europe (UNECE).")
    p = person(doc, by_text(doc, "data we can trust")["speaker_key"])
    assert p["name"] == "Pavel Novak" and p["title"] == "Chief Statistician"
    assert p["organization"] == "United Nations Economic Commission for Europe"


def test_name_said(run):
    doc = run("“Shelters are full,” Ms. Rosa Quint said.")
    q = by_text(doc, "Shelters are full")
    assert q["speaker_mention"] == "Ms. Rosa Quint" and speaker_name(doc, q) == "Rosa Quint"


def test_title_name_said(run):
    doc = run("“The numbers are rising,” UNHCR Deputy High Commissioner Helen Dube said.")
    q = by_text(doc, "numbers are rising")
    p = person(doc, q["speaker_key"])
    assert p["name"] == "Helen Dube" and p["title"] == "Deputy High Commissioner" and p["organization"] == "UNHCR"


def test_org_possessive_title_name(run):
    doc = run("“Migrants must be protected,” said the International Organization for Migration (IOM)’s "
              "Chief of Staff, Mr. Omar Haddad.")
    q = by_text(doc, "Migrants must be protected")
    p = person(doc, q["speaker_key"])
    assert p["name"] == "Omar Haddad" and p["title"] == "Chief of Staff"
    assert p["organization"] in ("IOM", "International Organization for Migration")


def test_org_possessive_acronym_expands_to_long_form(run):
    doc = run("The International Labour Organization (ILO) met on Monday.\n"
              "“Forced labour is a crime,” said ILO’s Director General, Ms. Vera Lind.")
    p = person(doc, by_text(doc, "Forced labour is a crime")["speaker_key"])
    assert p["title"] == "Director General" and p["organization"] == "International Labour Organization"


def test_name_of_org(run):
    doc = run("“Courts must move faster,” said Judge Aminata Diallo of the Economic Community of West "
              "African States Court.")
    p = person(doc, by_text(doc, "Courts must move faster")["speaker_key"])
    assert p["name"] == "Aminata Diallo" and p["organization"].startswith("Economic Community of West African States")


def test_name_representing_org(run):
    doc = run("“We will fund the hotline,” said Mr. Jonas Berg, representing the Nordic Council of Ministers.")
    p = person(doc, by_text(doc, "fund the hotline")["speaker_key"])
    assert p["organization"] == "Nordic Council of Ministers"


def test_speaking_on_behalf_of(run):
    doc = run("Speaking on behalf of UN Women, Ms. Clara Estevez said: “Women must lead this response.”")
    q = by_text(doc, "Women must lead")
    assert speaker_name(doc, q) == "Clara Estevez" and q["kind"] == "direct"
    assert person(doc, q["speaker_key"])["organization"] in ("UN Women",)


def test_according_to_name(run):
    doc = run("According to Dr. Tomas Brandt, “the real number is far higher than reported.”")
    q = by_text(doc, "real number")
    assert speaker_name(doc, q) == "Tomas Brandt"


def test_name_colon_quote(run):
    doc = run("Mr. Kofi Mensah: “Our border posts now screen every child travelling alone.”")
    q = by_text(doc, "border posts")
    assert speaker_name(doc, q) == "Kofi Mensah" and q["kind"] == "direct"


def test_dash_attribution(run):
    doc = run("Intro.\n“No one should be for sale.” – Ms. Rosa Quint")
    q = by_text(doc, "No one should be for sale")
    assert speaker_name(doc, q) == "Rosa Quint"


def test_speaker_in_previous_sentence(run):
    doc = run("Ms. Aiko Sato opened the meeting in Bangkok. “Every country here has made progress this year.”")
    q = by_text(doc, "Every country")
    assert speaker_name(doc, q) == "Aiko Sato"


def test_pronouns_resolve_to_the_right_person(run):
    text = ("“Prosecutions doubled,” said Mr. Pavel Novak, Director of the Anti-Trafficking Unit.\n"
            "“Victims were heard in every case,” said Ms. Lena Ortiz, a legal adviser.\n"
            "“We still lack interpreters,” he added.\n"
            "“Training will start next month,” she emphasized.")
    doc = run(text)
    assert speaker_name(doc, by_text(doc, "lack interpreters")) == "Pavel Novak"
    assert speaker_name(doc, by_text(doc, "Training will start")) == "Lena Ortiz"
    assert by_text(doc, "lack interpreters")["speaker_mention"] == "he"
    assert by_text(doc, "Training will start")["cue"] == "emphasize"


def test_paragraph_only_quote_continues_previous_speaker(run):
    text = ("“The hotline received 3,000 calls,” said Ms. Ines Vidal, the hotline’s director.\n\n"
            "“Most callers were young men looking for work abroad.”\n\n"
            "The report is published in May.")
    doc = run(text)
    q = by_text(doc, "Most callers")
    assert q["kind"] == "direct" and speaker_name(doc, q) == "Ines Vidal"


def test_previous_paragraph_introduces_quote(run):
    text = "Mr. Omar Haddad, Minister of Labour, added:\n“Inspections will be doubled in every province.”"
    doc = run(text)
    q = by_text(doc, "Inspections will be doubled")
    assert speaker_name(doc, q) == "Omar Haddad" and q["cue"] == "add"


def test_a_body_named_by_its_nationality_speaks_as_an_organization(run):
    doc = run("Kenyan authorities said that the border crossing at Busia would reopen on Friday.")
    q = by_text(doc, "the border crossing at Busia")
    assert q["kind"] == "indirect" and q["speaker_key"] is None
    assert q["speaker_mention"] == "Kenyan authorities"
    # an unnamed body stays silent, as an unnamed group of people does
    for text in ("Local authorities said that the border crossing would reopen on Friday.",
                 "Several Kenyan companies said that the border crossing would reopen on Friday.",
                 "A Kenyan company said that the border crossing would reopen on Friday."):
        assert run(text)._.quotes == [], text


def test_a_that_clause_hung_on_the_document_named_is_what_the_verb_reports(run):
    # the parser hangs "that ..." on "letter" / "report", not on the speech verb
    for text, clause in (
            ("The ombudsman pointed out in a letter to the minister that three shelters had "
             "closed since March.", "three shelters had closed since March"),
            ("The charity pointed out in a report that 300 children had been placed with foster "
             "families.", "300 children had been placed with foster families")):
        q = by_text(run(text), clause)
        assert q["kind"] == "indirect" and q["text"] == clause, text
    # a relative clause on that noun reports nothing
    assert run("Ms. Lena Okafor spoke in a hall that was full of students.")._.quotes == []


def test_it_and_they_speak_unless_they_take_up_a_document(run):
    doc = run("Two aid groups visited the camp at Dadaab. They said that 40 children were "
              "sleeping outside.")
    q = by_text(doc, "40 children were sleeping outside")
    assert q["kind"] == "indirect" and q["speaker_key"] is None and q["speaker_mention"] == "They"
    doc = run("The shelters ran out of beds in May. Most families found rooms, it said in its "
              "monthly bulletin.")
    assert by_text(doc, "Most families found rooms")["speaker_mention"] == "it"
    for text in ("The annual review was published on Monday. It says that 40 children were "
                 "sleeping outside.",
                 "It is said that 40 children were sleeping outside."):
        assert run(text)._.quotes == [], text


def test_who_joins_others_in_calling_for_something_calls_for_it(run):
    doc = run("Today the federation joins 40 unions in calling on clothing brands to stop buying "
              "cotton from the region.")
    q = by_text(doc, "clothing brands to stop buying cotton")
    assert q["kind"] == "indirect" and q["speaker_mention"] == "the federation" and q["cue"] == "call"


@pytest.mark.parametrize("text,fragment,speaker", [
    ("In a letter to the board, the chair of the panel, Omar Haddad, says the fund is short.",
     "the fund is short", "Omar Haddad"),
    ("In a statement issued by the agency, its head, Lidia Moreno, warns that “shelters are full”.",
     "shelters are full", "Lidia Moreno"),
])
def test_a_name_the_parser_hung_elsewhere_still_speaks(run, text, fragment, speaker):
    """The name right before a subjectless speech verb is its speaker, not the words after."""
    doc = run(text)
    q = by_text(doc, fragment)
    assert (q["speaker_mention"], speaker_name(doc, q)) == (speaker, speaker)


def test_a_group_or_a_watchdog_speaks_as_an_organization(run):
    """'the group' of NGO and news copy is an organization speaking; an indefinite one
    ('a group of experts') names no speaker."""
    doc = run("The rights group said in a statement that the new law was unjust. "
              "A group of experts said that the plan would fail.")
    q = by_text(doc, "the new law was unjust")
    assert (q["kind"], q["speaker_mention"], q["speaker_key"]) == ("indirect", "The rights group", None)
    assert not [q for q in doc._.quotes if "the plan would fail" in q["text"]]


def test_organization_speaker_has_no_person(run):
    doc = run("“Aid must reach everyone,” the agency said in a statement.")
    q = by_text(doc, "Aid must reach")
    assert q["speaker_key"] is None and q["speaker_mention"] == "the agency"


def test_definite_description_resolves_to_named_person(run):
    text = ("The Special Rapporteur on contemporary forms of slavery, Mr. Idris Kamara, presented a report.\n"
            "“Debt bondage persists in many sectors,” the Special Rapporteur said.")
    doc = run(text)
    q = by_text(doc, "Debt bondage")
    assert speaker_name(doc, q) == "Idris Kamara" and q["speaker_mention"] == "the Special Rapporteur"


def test_org_mentions_are_used_when_present(run):
    text = "“We will expand the programme,” said Ms. Vera Lind, Head of Safe Harbour Initiative."
    start = text.index("Safe Harbour")
    mention = {"start_char": start, "end_char": start + len("Safe Harbour Initiative"),
               "text": "Safe Harbour Initiative", "name": "Safe Harbour Initiative", "acronym": None}
    without = run(text)
    assert person(without, by_text(without, "expand")["speaker_key"])["organization"] is None
    doc = run(text, org_mentions=[mention])
    p = person(doc, by_text(doc, "expand")["speaker_key"])
    assert p["title"] == "Head" and p["organization"] == "Safe Harbour Initiative"


# --------------------------------------------------------------------------- indirect speech
def test_indirect_said_that(run):
    doc = run("Ms. Rosa Quint said that the number of identified victims had doubled since 2020.")
    q = by_text(doc, "number of identified victims")
    assert q["kind"] == "indirect" and q["cue"] == "say"
    assert q["text"] == "the number of identified victims had doubled since 2020"
    assert speaker_name(doc, q) == "Rosa Quint"


def test_indirect_emphasized_object(run):
    doc = run("Mr. Kofi Mensah emphasized the importance of cooperation between labour inspectors and police.")
    q = by_text(doc, "importance of cooperation")
    assert q["kind"] == "indirect" and q["cue"] == "emphasize"
    assert q["text"] == "the importance of cooperation between labour inspectors and police"


def test_indirect_with_pronoun_subject(run):
    doc = run("Ms. Lena Ortiz opened the session. She stressed that survivors must be paid for their expertise.")
    q = by_text(doc, "survivors must be paid")
    assert q["kind"] == "indirect" and q["speaker_mention"] == "She" and speaker_name(doc, q) == "Lena Ortiz"


def test_indirect_called_for_and_urged_and_warned(run):
    doc = run("Dr. Tomas Brandt called for stronger checks on recruitment agencies. "
              "He urged governments to ratify the Protocol without delay. "
              "He warned that criminal networks were moving online.")
    calls = by_text(doc, "stronger checks")
    assert calls["cue"] == "call" and calls["text"] == "stronger checks on recruitment agencies"
    urged = by_text(doc, "ratify the Protocol")
    assert urged["cue"] == "urge" and urged["text"].startswith("governments to ratify")
    warned = by_text(doc, "criminal networks")
    assert warned["cue"] == "warn" and warned["text"] == "criminal networks were moving online"
    assert {speaker_name(doc, q) for q in (calls, urged, warned)} == {"Tomas Brandt"}


def test_indirect_not_passive_nor_group_of_people(run):
    doc = run("The need for better data was emphasized during the meeting. "
              "Participants noted that progress was slow. UN agencies warned that funding had fallen.")
    assert [q for q in doc._.quotes if q["kind"] == "indirect"] == []


def test_indirect_coordinated_verbs_split(run):
    doc = run("Mr. Pavel Novak underscored the role of prosecutors and stressed that courts needed more judges.")
    rows = [q for q in doc._.quotes if q["kind"] == "indirect"]
    assert [q["cue"] for q in rows] == ["underscore", "stress"]
    assert rows[0]["text"] == "the role of prosecutors"
    assert rows[1]["text"] == "courts needed more judges"


def test_indirect_and_partial_together(run):
    doc = run('Ms. Aiko Sato said the current approach was "not fit for purpose" and had to change.')
    kinds = sorted(q["kind"] for q in doc._.quotes)
    assert kinds == ["indirect", "partial"]
    partial = [q for q in doc._.quotes if q["kind"] == "partial"][0]
    assert partial["text"] == "not fit for purpose" and speaker_name(doc, partial) == "Aiko Sato"


def test_quote_cue_does_not_double_as_indirect(run):
    doc = run("“The law is clear,” she said.\nMs. Rosa Quint said: “It must be applied everywhere.”")
    assert [q["kind"] for q in doc._.quotes] == ["direct", "direct"]


# --------------------------------------------------------------------------- people in a release
def test_people_include_named_but_not_quoted(run):
    doc = run("The session was chaired by Mr. Jonas Berg, Ambassador of Norway.\n"
              "“We are ready,” said Ms. Clara Estevez.")
    names = {p["name"] for p in doc._.people}
    assert {"Jonas Berg", "Clara Estevez"} <= names


def test_in_release_coreference_full_short_pronoun(run):
    text = ("“Trafficking is a business,” said Ms. Ines Vidal Moreno, Executive Director of the "
            "Global Alliance against Traffic in Women.\n"
            "Ms. Vidal Moreno presented new figures.\n"
            "“Profits are huge,” Moreno said.\n"
            "“And impunity is the norm,” she added.")
    doc = run(text)
    rows = [q for q in doc._.quotes if q["kind"] != "indirect"]
    assert len(rows) == 3
    assert {speaker_name(doc, q) for q in rows} == {"Ines Vidal Moreno"}
    p = person(doc, rows[0]["speaker_key"])
    assert len(p["mentions"]) >= 4
    for s, e in p["mentions"]:
        assert doc.text[s:e] in ("Ms. Ines Vidal Moreno", "Ms. Vidal Moreno", "Moreno", "she")


def test_component_output_is_plain_and_offsets_exact(run):
    text = ("Mr. Omar Haddad said that 12 cases were opened.\n"
            "“We will not stop,” he said, “until every case is closed.”")
    doc = run(text)
    assert doc._.quotes and doc._.people
    for q in doc._.quotes:
        assert doc.text[q["start_char"]:q["end_char"]] == q["text"]
        assert set(q) == {"start_char", "end_char", "text", "kind", "cue", "speaker_mention", "speaker_key"}
        assert q["kind"] in ("direct", "partial", "indirect")
    for p in doc._.people:
        assert set(p) == {"key", "name", "honorific", "title", "organization", "mentions"}
        assert all(isinstance(m, list) and len(m) == 2 for m in p["mentions"])
    assert doc._.quotes == sorted(doc._.quotes, key=lambda q: q["start_char"])


def test_empty_and_quote_free_text(run):
    assert run("")._.quotes == []
    doc = run("The office opened in 2019 and employs 40 staff.")
    assert doc._.quotes == [] and doc._.people == []


def test_sentence_after_a_full_stop_introduces_the_next_quote(run):
    doc = run("The minister, Mr. Juan Perez, stated: “The law will be amended.” He added, “Victims will be "
              "protected.”")
    first, second = [q for q in doc._.quotes if q["kind"] != "indirect"]
    assert first["cue"] == "state" and first["speaker_mention"] == "Mr. Juan Perez" and first["kind"] == "direct"
    assert second["cue"] == "add" and second["speaker_mention"] == "He"
    assert first["speaker_key"] == second["speaker_key"] is not None


def test_parenthesised_organization_after_name(run):
    doc = run('Ms. Maria Santos (UNHCR) said: "We are seeing more arrivals at night."')
    p = person(doc, by_text(doc, "more arrivals")["speaker_key"])
    assert p["name"] == "Maria Santos" and p["organization"] == "UNHCR"


def test_indirect_noted_highlighted_and_relative_clause(run):
    doc = run("Ms. Clara Estevez noted that reporting had improved in 14 countries.\n"
              "The panel included Mr. Jonas Berg, who highlighted the risks faced by seasonal workers.")
    noted = by_text(doc, "reporting had improved")
    assert noted["cue"] == "note" and speaker_name(doc, noted) == "Clara Estevez"
    high = by_text(doc, "risks faced by seasonal workers")
    assert high["cue"] == "highlight" and speaker_name(doc, high) == "Jonas Berg"
    assert high["text"] == "the risks faced by seasonal workers"


def test_indirect_participle_inherits_the_speaker(run):
    doc = run("“Children cannot wait,” said Dr. Tomas Brandt, calling for faster family reunification.")
    q = by_text(doc, "faster family reunification")
    assert q["kind"] == "indirect" and q["cue"] == "call" and speaker_name(doc, q) == "Tomas Brandt"
    assert q["text"] == "faster family reunification"


def test_quote_over_two_paragraphs_keeps_its_speaker(run):
    text = ("Ms. Ines Vidal, Director of the Migrant Rights Centre, said:\n"
            "“The first group arrived in March and was placed in shelters.\n"
            "“The second group is still waiting for papers,” Ms. Vidal said.")
    doc = run(text)
    rows = [q for q in doc._.quotes if q["kind"] != "indirect"]
    assert [q["text"] for q in rows] == ["The first group arrived in March and was placed in shelters.",
                                         "The second group is still waiting for papers"]
    assert {speaker_name(doc, q) for q in rows} == {"Ines Vidal"}


def test_unattributed_whole_sentence_quote_is_kept_without_speaker(run):
    doc = run("Campaign launch\n“Trafficking hides in plain sight in every city, every single day.”")
    q = by_text(doc, "hides in plain sight")
    assert q["kind"] == "direct" and q["speaker_key"] is None and q["cue"] is None


def test_short_unattributed_quote_is_dropped(run):
    doc = run("Campaign launch\n“Stop it now.”\nThe campaign runs until June.")
    assert doc._.quotes == []


def test_title_cue_counts_only_right_before_the_mark():
    text = "Campaign launch\n“Words here”"
    assert not preceded_by_cue(text, text.index("“"), speech_data().title_cues, 2)
    text = "a report called “Words here”"
    assert preceded_by_cue(text, text.index("“"), speech_data().title_cues, 2)


# --------------------------------------------------------------------------- attribution after the clause
def test_dateline_length():
    assert dateline_length("GENEVA (2 May 2021) – Shelters are full, she said.") == len("GENEVA (2 May 2021) – ")
    assert dateline_length("LIMA, 4 June 2019 - Shelters are full.") == len("LIMA, 4 June 2019 - ")
    assert dateline_length("Cape Town/Pretoria, 9 March (UNIS) - Shelters are full.") == \
        len("Cape Town/Pretoria, 9 March (UNIS) - ")
    # a name and an aside between dashes is no dateline
    assert dateline_length("Ms. Ruiz – the new Director – opened the session.") == 0
    assert dateline_length("Shelters are full, she said.") == 0


def test_clause_before_indefinite_description_resolves_to_person_named_next(run):
    text = ("LIMA (3 May 2022) – Labour inspections must double in the farming sector, a UN expert said today.\n"
            "The Special Rapporteur on slavery, Mr. Arno Kessler, presented his report to the Council.")
    doc = run(text)
    q = by_text(doc, "Labour inspections")
    assert q["kind"] == "indirect" and q["cue"] == "say"
    assert q["text"] == "Labour inspections must double in the farming sector"  # no dateline
    assert q["speaker_mention"] == "a UN expert" and speaker_name(doc, q) == "Arno Kessler"


def test_clause_before_definite_role_resolves_by_title_named_later(run):
    text = ("Shelters in the north are full, the Director said on Tuesday.\n"
            "The Director of the Refugee Service, Ms. Lia Ortega, visited two camps.")
    doc = run(text)
    q = by_text(doc, "Shelters in the north")
    assert q["text"] == "Shelters in the north are full" and speaker_name(doc, q) == "Lia Ortega"


def test_description_of_another_organization_is_not_resolved_to_its_person(run):
    text = ("Arrests rose by a third, the UNICEF official said.\n"
            "“We train border guards,” said Ms. Lia Ortega, Director of the International Labour "
            "Organization (ILO).")
    doc = run(text)
    q = by_text(doc, "Arrests rose")
    assert q["kind"] == "indirect" and q["speaker_key"] is None


def test_clause_before_unresolved_person_description_kept_without_speaker(run):
    doc = run("Arrivals fell by half in the first quarter, a senior official said.\n"
              "Ms. Ana Ruiz and Mr. Omar Haddad met the press.")  # two people: ambiguous
    q = by_text(doc, "Arrivals fell")
    assert q["kind"] == "indirect" and q["speaker_key"] is None
    assert q["speaker_mention"] == "a senior official"


def test_organization_and_non_speaker_nouns_are_data():
    assert is_org_noun("agency") and is_org_noun("Ministry") and is_org_noun("office")
    assert not is_org_noun("report") and not is_org_noun("participants")
    assert is_non_speaker_noun("report") and is_non_speaker_noun("Study") and is_non_speaker_noun("briefing")
    assert is_non_speaker_noun("Principals") and not is_non_speaker_noun("agency")


# ---- organizations as speakers (decision 8 of tests/gold/README.md): indirect, no person
def org_rows(doc) -> list[dict]:
    return [q for q in doc._.quotes if q["kind"] == "indirect" and q["speaker_key"] is None]


def test_clause_before_organization_is_indirect_speech_without_person(run):
    doc = run("Arrivals fell by half in the second quarter, the ministry said.")
    [q] = doc._.quotes
    assert q["kind"] == "indirect" and q["cue"] == "say"
    assert q["text"] == "Arrivals fell by half in the second quarter"
    assert q["speaker_key"] is None and q["speaker_mention"] == "the ministry"
    assert doc._.people == []


def test_definite_description_of_an_organization_speaks(run):
    doc = run("The agency stressed that funding for shelters had fallen.\n"
              "Closures rose in three provinces, the UN agency said in a statement.")
    stressed, said = by_text(doc, "funding for shelters"), by_text(doc, "Closures rose")
    assert stressed["speaker_mention"] == "The agency" and stressed["text"] == "funding for shelters had fallen"
    assert said["speaker_mention"] == "the UN agency" and said["text"] == "Closures rose in three provinces"
    assert all(q["speaker_key"] is None and q["kind"] == "indirect" for q in (stressed, said))


def test_possessive_office_reports_a_finding(run):
    doc = run("Our country office reports 40 families having left the shelters since March.")
    [q] = org_rows(doc)
    assert q["cue"] == "report" and q["speaker_mention"] == "Our country office"
    assert q["text"] == "40 families having left the shelters since March"


def test_organization_mention_subject_speaks(run):
    text = "Lighthouse reported that calls to its helpline had doubled since March."
    assert org_rows(run(text)) == []  # an unknown capitalised word is no speaker by itself
    mention = {"start_char": 0, "end_char": 10, "text": "Lighthouse", "name": "Lighthouse", "acronym": None}
    [q] = org_rows(run(text, org_mentions=[mention]))
    assert q["speaker_mention"] == "Lighthouse" and q["cue"] == "report"
    assert q["text"] == "calls to its helpline had doubled since March"


def test_organization_entity_and_relative_clause_speak(run):
    text = ("UNICEF warned that children on the move face new risks.\n"
            "The ILO, which noted that inspections had doubled, opened a new office.")
    k = text.index("ILO")
    doc = run(text, org_mentions=[{"start_char": k, "end_char": k + 3, "text": "ILO",
                                   "name": "International Labour Organization", "acronym": "ILO"}])
    warned, noted = by_text(doc, "children on the move"), by_text(doc, "inspections had doubled")
    assert warned["speaker_mention"] == "UNICEF" and noted["speaker_mention"] == "The ILO"
    assert warned["speaker_key"] is None and noted["speaker_key"] is None


def test_reported_clause_split_by_the_parser_is_whole(run):
    # the small model reads ``reported to`` as a second reported clause: one ccomp ends at
    # ``Hotline``, another starts at ``are projected``; they are one clause
    doc = run("The council reported that the number of incidents of labour exploitation reported to the city "
              "helpline are projected to rise at least 15 percent in 2031.")
    [q] = org_rows(doc)
    assert q["text"] == ("the number of incidents of labour exploitation reported to the city helpline are "
                         "projected to rise at least 15 percent in 2031")


def test_documents_events_and_groups_do_not_speak(run):
    doc = run("Child labour is on the rise, a new UN study warns.\n"
              "A report by UNODC says that most detected victims are women.\n"
              "The report says that most detected victims are women.\n"
              "The briefing underscored that funding had fallen sharply.\n"
              "The Convention requires States to protect victims of trafficking.\n"
              "Experts from the agency warned that the cases were rising.")
    assert [q for q in doc._.quotes if q["kind"] == "indirect"] == []


def test_document_does_the_calling_after_its_issuer(run):
    doc = run("UNODC published a new report on Monday, calling for stronger action against trafficking.\n"
              "UNODC opened the meeting on Tuesday, calling for stronger protection of victims.")
    [q] = org_rows(doc)
    assert q["text"] == "stronger protection of victims" and q["speaker_mention"] == "UNODC"


def test_direct_quote_of_an_organization_has_no_person(run):
    doc = run("“Aid must reach every child,” UNICEF said.")
    q = by_text(doc, "Aid must reach")
    assert q["kind"] == "direct" and q["speaker_key"] is None and q["speaker_mention"] == "UNICEF"


def test_two_subjects_prefer_the_person(run):
    doc = run("Progress, said Mr. Omar Haddad, has been slow in most regions.")
    q = by_text(doc, "slow in most regions")
    assert q["kind"] == "indirect" and speaker_name(doc, q) == "Omar Haddad"


def test_parenthetical_attribution_reports_what_follows(run):
    text = ("Ms. Nadia Cole opened the hearing.\n"
            "The main obstacle, she said, is that victims fear deportation.")
    doc = run(text)
    q = by_text(doc, "victims fear deportation")
    assert q["kind"] == "indirect" and q["cue"] == "say"
    assert q["text"] == "is that victims fear deportation"
    assert q["speaker_mention"] == "she" and speaker_name(doc, q) == "Nadia Cole"


def test_attribution_with_appositive_or_relative_clause_adds_no_indirect(run):
    doc = run("“Borders matter a great deal,” said Mr. Paul Ferris, Head of the Border Unit.\n"
              "“Data matter,” said Ms. Nadia Cole, who chairs the working group on statistics.")
    assert [q["kind"] for q in doc._.quotes] == ["direct", "direct"]


def test_quote_verb_reports_its_source_and_finding(run):
    doc = run("Mr. Paul Ferris spoke first. He quoted a recent ILO study that found 27 million people "
              "in forced labour.")
    q = by_text(doc, "27 million")
    assert q["kind"] == "indirect" and q["cue"] == "quote" and speaker_name(doc, q) == "Paul Ferris"
    assert q["text"] == "a recent ILO study that found 27 million people in forced labour"


def test_wh_clause_after_speech_verb(run):
    # the parser reads ``cuts`` as a noun: no clausal complement, yet a wh-word opens one
    doc = run("Ms. Nadia Cole spoke. She described how forced labour cuts across borders and is closely "
              "linked with organized crime, and she said courts must act faster.")
    how = by_text(doc, "forced labour")
    assert how["cue"] == "describe"
    assert how["text"] == "how forced labour cuts across borders and is closely linked with organized crime"
    said = by_text(doc, "courts must act")
    assert said["text"] == "courts must act faster"
    assert {speaker_name(doc, q) for q in (how, said)} == {"Nadia Cole"}


def test_reported_clause_runs_over_a_line_broken_mid_sentence(run):
    text = ("Mr. Paul Ferris said the findings showed that the\n\n"
            "National Referral Mechanism works well for adults. Other findings were mixed.")
    doc = run(text)
    q = by_text(doc, "findings showed")
    assert q["text"] == "the findings showed that the\n\nNational Referral Mechanism works well for adults"
    # a line that ends a sentence is not continued
    doc = run("Mr. Paul Ferris said the findings were clear.\nNational data were mixed.")
    assert by_text(doc, "findings were")["text"] == "the findings were clear"


def test_possessive_description_is_not_the_last_person_named(run):
    doc = run("Mr. Omar Haddad visited the agency.\n"
              "The agency, its spokesperson said, will publish new guidance next month.")
    q = by_text(doc, "publish new guidance")
    assert q["kind"] == "indirect" and q["speaker_key"] is None


def test_two_releases_interleaved_in_threads_never_see_each_other(nlp_base, parse):
    """Per-document state lives on each Doc: two releases run through the people and quote
    extractors at once, in two threads, give exactly what each gives alone."""
    import sys
    import threading

    from pipeline.extract.people.docspans import entities

    texts = [
        "GENEVA (4 May 2031) – Ms. Ilse Maranta, Director of the Tundra Relief Office (TRO), said the "
        "convoy reached the valley. “We will stay as long as we are needed,” Ms. Maranta said.\n"
        "She added that three clinics had reopened.",
        "NAIROBI – The Coastal Water Agency warned that wells were running dry.\n"
        "“Rationing starts on Monday,” said Dr. Tobias Ekwueme, head of planning at the agency. "
        "Dr. Ekwueme told reporters that the rains had failed for a second year.",
    ]
    comp = make_release_quotes(nlp_base, "release_quotes", **DEFAULT_CONFIG)
    alone = []
    for t in texts:
        doc = comp(parse(t))
        alone.append((doc._.quotes, doc._.people))
    assert {p["name"] for p in alone[0][1]} == {"Ilse Maranta"}
    assert {p["name"] for p in alone[1][1]} == {"Tobias Ekwueme"}
    docs = [parse(t) for t in texts]  # parsed up front: the extractors are what runs in threads
    results: list[list] = [[], []]
    barrier = threading.Barrier(2)

    def work(k: int) -> None:
        for _ in range(15):
            barrier.wait()  # both threads start each round together
            doc = docs[k]
            entities(doc)  # the per-Doc indexes are built, then the other thread builds its own
            out = comp(doc)
            results[k].append((out._.quotes, out._.people))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in (0, 1)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)
    for k in (0, 1):
        assert len(results[k]) == 15
        assert all(r == alone[k] for r in results[k])
        assert ("people", "indexes") not in docs[k].user_data  # scratch indexes are dropped


def test_adding_that_is_a_second_reported_clause(run):
    doc = run("Dr. Lina Ferro said the clinic had treated 40 patients this week, adding that two more "
              "doctors would arrive on Friday.")
    first = by_text(doc, "the clinic had treated")
    assert first["text"] == "the clinic had treated 40 patients this week"
    added = by_text(doc, "two more doctors")
    assert added["cue"] == "add" and speaker_name(doc, added) == "Lina Ferro"
    # ``adding up to`` reports nothing: the clause keeps it
    doc = run("Dr. Lina Ferro said one mother dies every hour in the district, adding up to thousands "
              "of deaths each year.")
    assert by_text(doc, "one mother dies")["text"].endswith("thousands of deaths each year")


def test_a_speech_verb_inside_the_reported_clause_ends_it(run):
    # a conjunct or side clause with a speech verb and a clause of its own reports speech of
    # its own: the first report stops before it
    doc = run("Inspector Omar Reyes said the patrols caught nine boats in May and said that the "
              "smugglers had changed their routes.")
    assert by_text(doc, "the patrols caught")["text"] == "the patrols caught nine boats in May"
    doc = run("Judge Amara Kell said the hearings would resume in June, though she noted that the "
              "defence had asked for more time.")
    assert by_text(doc, "the hearings would")["text"] == "the hearings would resume in June"


def test_news_role_descriptions_and_responded_that_report_speech(run):
    # a later definite description by a news role noun takes up the named person; a
    # that-clause after ``responded`` is what was said
    doc = run("Mayor Dana Holt visited the shelter on Monday. The mayor noted that every bed was "
              "taken. Councillor Ivo Marsh responded that new beds would arrive in May.")
    assert speaker_name(doc, by_text(doc, "every bed was taken")) == "Dana Holt"
    assert speaker_name(doc, by_text(doc, "new beds would arrive")) == "Ivo Marsh"
    # ``responded to`` something reports nothing
    doc = run("Councillor Ivo Marsh responded to the flooding within hours.")
    assert [q for q in doc._.quotes if q["kind"] == "indirect"] == []


@pytest.mark.parametrize("sentence,called_for", [
    # ``in a statement``, ``at a briefing``, ``on Monday`` on the speech verb say where and when
    ("The Harbour Safety Board called for stricter port inspections in a statement on Monday.",
     "stricter port inspections"),
    ("The Harbour Safety Board called for stricter port inspections on Monday.",
     "stricter port inspections"),
    # a phrase of the call itself stays
    ("The Harbour Safety Board called for stricter port inspections in all regions.",
     "stricter port inspections in all regions"),
])
def test_the_occasion_of_a_call_is_not_what_was_called_for(run, sentence, called_for):
    assert by_text(run(sentence), "port inspections")["text"] == called_for


def test_a_quote_after_the_verb_and_its_addressee_is_the_speakers(run):
    doc = run("The owner was arrested. The harbour inspector told reporters, “We acted within an "
              "hour of the call.”")
    q = by_text(doc, "We acted within an hour")
    assert q["speaker_mention"] == "The harbour inspector"
    doc = run("Inspector Lena Voss said in a statement on Monday, “We acted within an hour.”")
    assert speaker_name(doc, by_text(doc, "We acted within an hour")) == "Lena Voss"
    # a quoted title inside the addressee is no speech
    doc = run("Lena Voss told Harbour Radio's “Morning Tide” programme that the port was safe.")
    assert not [q for q in doc._.quotes if q["text"] == "Morning Tide"]


def test_a_testimonial_signed_after_a_horizontal_bar(run):
    # testimonials of survivors and volunteers are signed after the quote, with any dash
    doc = run("Volunteers shared their stories.\n\n“The shelter gave me back my name and my "
              "future.” ― Amara Osei\n\n“I learned to speak up for the others.” ― Tomas Reyes")
    assert speaker_name(doc, by_text(doc, "gave me back my name")) == "Amara Osei"
    assert speaker_name(doc, by_text(doc, "speak up for the others")) == "Tomas Reyes"


def test_a_two_word_title_in_the_lead_names_the_person_introduced_later(run):
    # ``The Director General of X`` speaks before the release names her: the title's last
    # word is its head, and the determiner is no name that would rule her out
    doc = run("The Director General of the Harbour Agency affirms that “ports are in a state of "
              "emergency” and calls for action.\n\nIn a statement, its director general, Lena "
              "Voss, warns that the ports need help.")
    first = [q for q in doc._.quotes if q["text"].startswith("ports are in a state")][0]
    assert first["speaker_mention"] == "The Director General"
    assert speaker_name(doc, first) == "Lena Voss"


def test_a_speaker_called_by_the_given_name_is_the_person_named_in_full(run):
    # releases and news refer to some people by the given name (``Tedros said``)
    doc = run("The head of the agency, Selam Worku, opened the session.\n\nSelam said the new "
              "shelters would open in March.")
    assert speaker_name(doc, by_text(doc, "new shelters would open")) == "Selam Worku"


def test_a_warning_keeps_its_addressee_and_its_purpose(run):
    doc = run("Prof. Ada Obi cautioned young jobseekers against irregular migration so as not to be "
              "enslaved by smugglers.")
    assert by_text(doc, "young jobseekers")["text"] == (
        "young jobseekers against irregular migration so as not to be enslaved by smugglers")
    # a side clause that states no purpose is the writer's, not the warning's
    doc = run("Prof. Ada Obi cautioned young jobseekers against irregular migration because "
              "smugglers lie to them.")
    assert by_text(doc, "young jobseekers")["text"] == "young jobseekers against irregular migration"


def test_a_trailing_citation_of_a_report_is_no_second_report(run):
    # ``X said that Y, the paper reports``: the paper only says where it read X's report
    doc = run("The Harbour Board said that inspectors found nine unsafe vessels, AFP reported.")
    assert [q["text"] for q in doc._.quotes] == ["inspectors found nine unsafe vessels"]
    doc = run("The Harbour Board said in a statement that the inspections found nine unsafe "
              "vessels as well as identified 60 new suspects, DW reports.")
    assert [q["text"] for q in doc._.quotes] == [
        "the inspections found nine unsafe vessels as well as identified 60 new suspects"]
    # a bare clause before the attribution is still its report
    doc = run("Nine vessels failed the inspections, the Harbour Board reported.")
    assert [q["text"] for q in doc._.quotes] == ["Nine vessels failed the inspections"]


def test_a_headline_is_never_a_quote(run):
    doc = run("Mayor Says ‘We Will Rebuild’ After Storm Hits Coast\n\n"
              "Mayor Lena Ortiz said on Monday: “We will rebuild every home that was lost.”")
    assert [q["text"] for q in doc._.quotes if q["kind"] != "indirect"] == \
        ["We will rebuild every home that was lost."]


def test_surname_tagged_as_a_place_still_speaks(run):
    doc = run("Minister Talia R. Brandon opened the meeting.\n"
              "\"These arrests are only the start of our work,\" Brandon acknowledged.")
    q = by_text(doc, "These arrests")
    assert speaker_name(doc, q) == "Talia R. Brandon"


def test_opening_participle_is_a_frame_not_reported_speech(run):
    doc = run("Highlighting the ministry's new shelters, Ms. Vera Lund described a case in Tartu "
              "where two children were found.")
    assert not any(q["text"].startswith("the ministry") for q in doc._.quotes)


def test_partial_quote_in_a_clause_of_a_thing_goes_to_the_person_reporting_it(run):
    doc = run("Dr. Oren Paley spoke in Lyon.\n"
              "Paley said tests in the region found only 12 positive samples, which suggests "
              "“that the outbreak is slowing.”")
    (q,) = [q for q in doc._.quotes if q["kind"] == "partial"]
    assert q["text"] == "that the outbreak is slowing." and speaker_name(doc, q) == "Oren Paley"


def test_a_persons_own_statement_speaks_for_the_person(run):
    doc = run("Ms. Marta Ilves spoke on Monday. Ms. Ilves’ statement called the new law a “turning point.”")
    q = by_text(doc, "turning point")
    assert speaker_name(doc, q) == "Marta Ilves"


def test_clause_before_the_speaker_keeps_its_trailing_list(run):
    doc = run("Those regions have much in common, such as weak labour laws or open borders, "
              "Dr. Ana Ruiz said.")
    q = by_text(doc, "Those regions")
    assert q["text"] == "Those regions have much in common, such as weak labour laws or open borders"


def test_governing_speech_verb_found_past_a_long_relative_clause(run):
    doc = run("Dr. Oren Paley spoke in Lyon.\n"
              "Paley said in the south, nurses tested more than 3,000 samples from the wards and only 12 were "
              "positive for the virus, which suggests “that the outbreak is slowing.”")
    (q,) = [q for q in doc._.quotes if q["kind"] == "partial"]
    assert speaker_name(doc, q) == "Oren Paley"


def test_statement_quoted_paragraph_by_paragraph_keeps_its_speaker(run):
    doc = run("Mr. Kofi Mensah, the zonal commander, spoke to reporters on Friday.\n"
              "He also said that the number of cases had fallen in 2014.\n"
              "“The number of victims rescued in 2013 was 314, while in 2014 we rescued 254.\n"
              "“We have 226 females, 16 males and 12 minors, but in 2013 we had only adults.\n"
              "“We will keep working with the police in every state.”")
    direct = [q for q in doc._.quotes if q["kind"] == "direct"]
    assert len(direct) == 3 and {speaker_name(doc, q) for q in direct} == {"Kofi Mensah"}


def test_an_appeal_for_money_is_not_reported_speech(run):
    doc = run("Ms. Rosa Delgado appealed for US$ 40 million to feed families in the valley.")
    assert doc._.quotes == []
    doc = run("Ms. Rosa Delgado called for an end to the blockade of the valley.")
    assert by_text(doc, "an end to")["kind"] == "indirect"


def test_quoted_list_whose_paragraphs_end_in_colons_is_read_without_looping(run):
    # each paragraph of a long quote opens a mark and never closes it; one ends in a colon
    doc = run("Ms. Lena Okafor then set out what a shelter must offer:\n\n"
              "“In my letter of last spring I named the needs. Here they are:\n\n"
              "“Does the shelter have a trained counsellor on every shift?\n\n"
              "“Does it keep the names of residents from anyone who asks?")
    direct = [q for q in doc._.quotes if q["kind"] == "direct"]
    assert any("trained counsellor" in q["text"] for q in direct)
