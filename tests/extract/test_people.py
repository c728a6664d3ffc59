"""People: name / honorific / title helpers (pure), in-release coreference on small invented
texts, and the corpus resolve on synthetic person rows."""
from __future__ import annotations

import itertools
import random

import pytest

from pipeline.extract.people import resolve as people_resolve
from pipeline.extract.people import (
    acronym_map,
    build_people,
    clean_name,
    genders_compatible,
    honorific_form,
    honorific_gender,
    institution_of_title,
    is_acronym,
    is_subname,
    looks_like_name,
    name_key_tokens,
    names_a_body,
    names_organization,
    office_of_title,
    org_like,
    represents_place,
    resolve_people,
    slugify,
    split_honorific,
    split_org_title,
    split_title_org,
    strip_acronym,
    title_head,
    work_unit_owner,
)


# --------------------------------------------------------------------------- honorifics, names
def test_honorifics_from_data():
    assert honorific_form("Ms") == "Ms." and honorific_form("Dr.") == "Dr." and honorific_form("H.E.") == "H.E."
    assert honorific_form("Director") is None
    assert honorific_gender("Mrs.") == "female" and honorific_gender("Mr") == "male"
    assert honorific_gender("Dr.") is None and honorific_gender(None) is None
    assert genders_compatible("female", None) and not genders_compatible("female", "male")


def test_split_honorific_and_post_nominals():
    assert split_honorific("Ms. Ana Lopes") == ("Ms.", "Ana Lopes")
    assert split_honorific("H.E. Mr. Jon Berg") == ("H.E.", "Jon Berg")
    assert split_honorific("Her Excellency Dalia Nour") == ("Her Excellency", "Dalia Nour")
    assert split_honorific("Ana Lopes") == (None, "Ana Lopes")
    assert clean_name("Mr Peter Okafor OBE") == ("Mr.", "Peter Okafor")
    assert clean_name("Dr. Mira Kos’s") == ("Dr.", "Mira Kos")


def test_name_tokens_and_slug_ignore_apostrophe_style_and_accents():
    assert name_key_tokens("Amira Ben M’barek") == name_key_tokens("Amira Ben M'barek") == ("amira", "ben", "mbarek")
    assert slugify("Amira Ben M’barek") == "amira-ben-mbarek"
    assert slugify("José Núñez-Ruiz") == "jose-nunez-ruiz"


@pytest.mark.parametrize("short,full,expected", [
    ("Amira Ben", "Amira Ben Mbarek", True),      # first names kept
    ("Ben Mbarek", "Amira Ben Mbarek", True),     # surname kept
    ("Mbarek", "Amira Ben Mbarek", True),         # surname alone
    ("Ben", "Amira Ben Mbarek", True),            # part of a compound surname
    ("Amira", "Amira Ben Mbarek", False),         # a first name alone is too weak
    ("Amira Mbarek", "Amira Ben Mbarek", True),
    ("Mbarek Amira", "Amira Ben Mbarek", False),  # order matters
    ("Sara Ben", "Amira Ben Mbarek", False),
])
def test_is_subname(short, full, expected):
    assert is_subname(name_key_tokens(short), name_key_tokens(full)) is expected


def test_looks_like_name():
    assert looks_like_name(["Maria", "de", "la", "Cruz"])
    assert looks_like_name(["Nguyen"])
    assert not looks_like_name(["Executive", "Director"])
    assert not looks_like_name(["UNODC"])
    assert not looks_like_name(["Migration", "Office"])
    assert not looks_like_name(["COVID-19"])


# --------------------------------------------------------------------------- titles, organizations
def test_split_title_of_org():
    assert split_title_org("Executive Director of the World Food Programme (WFP)") == (
        "Executive Director", "World Food Programme")
    assert split_title_org("the Senior Legal Officer at the Council of Europe") == (
        "Senior Legal Officer", "Council of Europe")


def test_split_title_keeps_roles_and_portfolios_whole():
    # what follows 'of' is a role, not an employer
    assert split_title_org("Special Envoy of the Secretary-General for Youth") == (
        "Special Envoy of the Secretary-General for Youth", None)
    # a minister's portfolio is part of the title
    assert split_title_org("Minister of Labour and Social Affairs") == ("Minister of Labour and Social Affairs", None)
    assert split_title_org("Coordinator for Migrant Rights at the African Union Commission") == (
        "Coordinator for Migrant Rights", "African Union Commission")


def test_split_title_with_outside_knowledge():
    assert split_title_org("Founder of Safe Passage") == ("Founder of Safe Passage", None)
    assert split_title_org("Founder of Safe Passage", is_org=lambda t: t == "Safe Passage") == (
        "Founder", "Safe Passage")


def test_split_org_title_before_a_name():
    assert split_org_title("UNICEF’s Regional Director") == ("UNICEF", "Regional Director")
    assert split_org_title("WHO Director-General") == ("WHO", "Director-General")
    assert split_org_title("European Commission Anti-Fraud Coordinator") == ("European Commission",
                                                                            "Anti-Fraud Coordinator")
    assert split_org_title("Senior Protection Officer") == (None, "Senior Protection Officer")
    assert split_org_title("Ghana’s Labour Commissioner", is_place=lambda t: t == "Ghana") == (
        None, "Labour Commissioner")


def test_lowercase_role_words_after_an_organization_belong_to_the_title():
    known = {"Europol", "Harbour Authority", "University of Lakeside", "Harbour Lobby"}.__contains__
    assert split_org_title("Europol police inspector", known) == ("Europol", "police inspector")
    assert split_org_title("Harbour Authority press officer", known) == (
        "Harbour Authority", "press officer")
    assert split_org_title("University of Lakeside marine biology professor", known) == (
        "University of Lakeside", "marine biology professor")
    # after a place, a lowercase head word is the organization's own
    assert split_org_title("Dunmore police chief", known) == ("Dunmore police", "chief")
    # a lowercase stretch whose role head comes only after a connector is no title
    assert split_org_title("Harbour Lobby visitors and the staff of Director", known)[0] is None


def test_org_like_and_acronyms():
    assert org_like("United Nations Development Programme")
    assert org_like("Ministry of Justice of Peru")
    assert org_like("OHCHR")
    assert not org_like("Secretary-General on Children and Armed Conflict")
    assert not org_like("Combating Forced Labour at the Ministry")
    assert is_acronym("UNHCR") and is_acronym("OSRSG-CAAC") and not is_acronym("Office")
    assert strip_acronym("World Health Organization (WHO)") == ("World Health Organization", "WHO")


def test_acronym_map_and_office_of_title():
    text = ("The Office of the High Commissioner for Human Rights (OHCHR) and the "
            "International Labour Organization (ILO) met.\nThe ILO (a UN agency) agreed.")
    assert acronym_map(text) == {"OHCHR": "Office of the High Commissioner for Human Rights",
                                 "ILO": "International Labour Organization"}
    assert office_of_title(text, "High Commissioner for Human Rights") == \
        "Office of the High Commissioner for Human Rights"
    assert office_of_title(text, "Director-General") is None


# --------------------------------------------------------------------------- in-release persons
# ``parse`` (tests/conftest.py) parses like the runner.


def test_build_people_clusters_variants(parse):
    doc = parse("Dr. Amira Ben Mbarek, Director of the Arab Institute for Human Rights, opened the forum.\n"
                "Later Dr. Ben Mbarek met Mr. Jon Berg.\nMbarek thanked the hosts.")
    idx = build_people(doc)
    names = [p.name for p in idx.persons]
    assert names == ["Amira Ben Mbarek", "Jon Berg"]
    amira = idx.persons[0]
    assert amira.honorific == "Dr." and amira.title == "Director"
    assert amira.organization == "Arab Institute for Human Rights"
    assert [m.text for m in amira.mentions] == ["Dr. Amira Ben Mbarek", "Dr. Ben Mbarek", "Mbarek"]
    assert amira.as_dict()["key"] == "amira-ben-mbarek"


def test_single_unlinked_word_is_not_a_person(parse):
    doc = parse("Traffickers moved victims through Calais and Dover last winter.")
    assert build_people(doc).persons == []


def test_honorific_gender_blocks_wrong_link(parse):
    doc = parse("Ms. Hana Novak and Mr. Petr Novak spoke. Later Mr. Novak left.")
    idx = build_people(doc)
    mr = [m for m in idx.mentions if m.text == "Mr. Novak"][0]
    assert idx.persons[mr.person].name == "Petr Novak"


def test_pronoun_resolution_prefers_subject_and_gender(parse):
    doc = parse("Ms. Hana Novak met Mr. Petr Novak in Vienna. She said the talks went well. "
                "At dinner with Ms. Hana Novak, he said little.")
    idx = build_people(doc)
    she = [t for t in doc if t.text == "She"][0]
    he = [t for t in doc if t.text == "he"][0]
    assert idx.persons[idx.resolve_pronoun(she)].name == "Hana Novak"
    assert idx.persons[idx.resolve_pronoun(he)].name == "Petr Novak"


# --------------------------------------------------------------------------- corpus resolve
def row(doc_id: str, key: str, name: str, honorific: str | None = None) -> dict:
    return {"doc_id": doc_id, "key": key, "name": name, "honorific": honorific,
            "title": None, "organization": None, "mentions": []}


def test_resolve_same_full_name_and_variants_merge():
    rows = [
        row("a", "amira-ben-mbarek", "Amira Ben Mbarek", "Dr."),
        row("b", "amira-ben", "Amira Ben", "Dr."),
        row("c", "ben-mbarek", "Ben Mbarek", "Dr."),
        row("d", "amira-ben-mbarek", "Amira Ben M’barek", "Dr."),
    ]
    res = resolve_people(rows)
    assert len(res.people) == 1
    p = res.people[0]
    assert p["person_id"] == "amira-ben-mbarek" and p["honorific"] == "Dr."
    assert p["name"] in ("Amira Ben Mbarek", "Amira Ben M’barek")
    for r in rows:
        assert res.person_id_for(r["doc_id"], r["key"]) == "amira-ben-mbarek"


def test_resolve_surname_only_links_to_the_single_compatible_person():
    rows = [row("a", "sara-lind", "Sara Lind", "Ms."), row("b", "lind", "Lind", "Ms."),
            row("b", "omar-haddad", "Omar Haddad", "Mr.")]
    res = resolve_people(rows)
    assert res.person_id_for("b", "lind") == "sara-lind"
    assert [p["person_id"] for p in res.people] == ["omar-haddad", "sara-lind"]


def test_resolve_incompatible_honorific_does_not_link():
    rows = [row("a", "sara-lind", "Sara Lind", "Ms."), row("b", "lind", "Lind", "Mr.")]
    res = resolve_people(rows)
    assert res.person_id_for("b", "lind") == "lind"
    assert len(res.people) == 2


def test_resolve_ambiguous_surname_stays_unlinked():
    rows = [row("a", "sara-lind", "Sara Lind", "Ms."), row("b", "eva-lind", "Eva Lind", "Ms."),
            row("c", "lind", "Lind", "Ms.")]
    res = resolve_people(rows)
    assert res.person_id_for("c", "lind") == "lind"  # its own row, not a guess
    assert res.person_id_for("a", "sara-lind") == "sara-lind"
    assert res.person_id_for("b", "eva-lind") == "eva-lind"
    assert sorted(p["person_id"] for p in res.people) == ["eva-lind", "lind", "sara-lind"]


def test_resolve_is_deterministic_under_shuffling():
    rows = [
        row("a", "amira-ben-mbarek", "Amira Ben Mbarek", "Dr."),
        row("b", "ben-mbarek", "Ben Mbarek", None),
        row("b", "sara-lind", "Sara Lind", "Ms."),
        row("c", "lind", "Lind", "Ms."),
        row("c", "omar-haddad", "Omar Haddad", "Mr."),
        row("d", "haddad", "Haddad", None),
        row("d", "amira-ben-mbarek", "Amira Ben M’barek", "Dr."),
    ]
    first = resolve_people(rows)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = rows[:]
        rng.shuffle(shuffled)
        again = resolve_people(shuffled)
        assert again.people == first.people
        for r in rows:
            assert again.person_id_for(r["doc_id"], r["key"]) == first.person_id_for(r["doc_id"], r["key"])


def test_adding_a_release_can_merge_and_keeps_other_ids():
    base = [row("a", "haddad", "Haddad", "Mr."), row("a", "sara-lind", "Sara Lind", "Ms.")]
    before = resolve_people(base)
    assert before.person_id_for("a", "haddad") == "haddad"
    after = resolve_people(base + [row("b", "omar-haddad", "Omar Haddad", "Mr.")])
    assert after.person_id_for("a", "haddad") == "omar-haddad"
    assert after.person_id_for("a", "sara-lind") == before.person_id_for("a", "sara-lind")
    assert after.person_id_for("zz", "nobody") is None


def test_ids_of_names_in_other_scripts_are_their_own_and_stay_when_names_are_added():
    """Folded to ASCII, such names were all 'unknown', numbered in the order they sort: a new
    name that sorts first renumbered the people already there."""
    names = ["Ольга Смирнова", "Борис Волков", "Lee Сергеев", "Sara Lind"]
    before = resolve_people([row(f"d{i}", slugify(n), n) for i, n in enumerate(names)])
    assert {p["name"]: p["person_id"] for p in before.people} == {
        "Ольга Смирнова": "ольга-смирнова", "Борис Волков": "борис-волков",
        "Lee Сергеев": "lee-сергеев", "Sara Lind": "sara-lind"}
    more = names + ["Анна Белова", "Lee Борис"]
    after = resolve_people([row(f"d{i}", slugify(n), n) for i, n in enumerate(more)])
    assert {p["person_id"] for p in before.people} < {p["person_id"] for p in after.people}


def test_resolve_rows_have_contract_fields():
    res = resolve_people([row("a", "sara-lind", "Sara Lind", "Ms."), row("b", "sara-lind", "Sara Lind", None)])
    assert res.people == [{"person_id": "sara-lind", "name": "Sara Lind", "honorific": "Ms.",
                           "aliases": [], "n_documents": 2}]


def test_resolve_ignores_rows_without_a_name():
    assert resolve_people([row("a", "x", "")]).people == []


def test_sub_names_are_found_through_any_of_their_tokens(monkeypatch):
    """The search looks among the holders of one token of a name (the rarest): it must link
    exactly as a search through every name does, whichever token is rarest."""
    rng = random.Random(11)
    firsts, middles = ["Ana", "Omar", "Li", "Sara", "Eva"], ["Maria", "Ben"]
    lasts = ["Lind", "Haddad", "Ana", "Okafor", "Novak", "Silva", "Tanaka", "Moreau"]
    rows = []
    for i in range(60):
        parts = [rng.choice(firsts), rng.choice(middles), rng.choice(lasts)]
        keep = rng.choice([(0, 1, 2), (0, 2), (1, 2), (2,), (0, 1)])
        name = " ".join(parts[k] for k in keep)
        rows.append(row(f"d{i}", slugify(name), name, rng.choice(["Ms.", "Mr.", None])))
    found = resolve_people(rows)

    def every_name(n, by_token):
        return list(dict.fromkeys(o for names in by_token.values() for o in names))

    monkeypatch.setattr(people_resolve, "_holders", every_name)
    everywhere = resolve_people(rows)
    assert found.people == everywhere.people
    assert found.by_name == everywhere.by_name
    assert any(pid != slugify(name) for name, pid in found.by_name.items())  # some did link


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_fullest_name_wins_whatever_the_order(order):
    names = ["Clara Estevez", "Clara Maria Estevez", "Estevez"]
    rows = [row(f"d{i}", slugify(names[i]), names[i], "Ms.") for i in order]
    res = resolve_people(rows)
    assert [p["name"] for p in res.people] == ["Clara Maria Estevez"]


# --------------------------------------------------------------------------- title heads, offices, institutions
def test_title_head():
    assert title_head("UN High Commissioner for Refugees") == "high commissioner"
    assert title_head("Thailand’s ACWC Representative for Women’s Rights") == "representative"
    assert title_head("Deputy Minister of Labour") == "minister"
    assert title_head("Head of Research") == "head"
    assert title_head("Rights of Children") is None


def test_represents_place():
    is_place = {"Chile", "Viet Nam"}.__contains__
    assert represents_place("Viet Nam’s ASEAN Representative for Children", is_place) == \
        "ASEAN Representative for Children"
    assert represents_place("Chile's Ambassador to the UN", is_place) == "Ambassador to the UN"
    # an employer's role, or a country's non-representative role, is left to the splitters
    assert represents_place("UNICEF’s Representative in Chile", is_place) is None
    assert represents_place("Chile’s Labour Inspector", is_place) is None
    assert represents_place("Viet Nam’s ASEAN Representative", None) is None


def test_institution_of_title():
    names = ["European Union", "European Commission", "Ministry of Labour", "Council of Europe"]
    acr = {"EU": "European Union"}
    assert institution_of_title("European Commissioner for Home Affairs", names) == "European Commission"
    assert institution_of_title("EU Home Affairs Commissioner", names, acr) == "European Commission"
    assert institution_of_title("Commissioner", names, acr, context="European Union") == "European Commission"
    assert institution_of_title("Minister of Labour", names) == "Ministry of Labour"
    # the title must name which institution; other heads have none
    assert institution_of_title("Commissioner for Human Rights", names) is None
    assert institution_of_title("Council of Europe Commissioner for Human Rights", names) is None
    assert institution_of_title("European Commissioner", ["Commission"]) is None
    assert institution_of_title("Executive Director", names) is None
    assert institution_of_title(None, names) is None


def test_names_organization():
    org = "United Nations Office on Drugs and Crime"
    assert names_organization("UNODC", org) and names_organization("UN", org)
    assert names_organization("Drugs", org)
    assert not names_organization("UNICEF", org) and not names_organization("ILO", org)


def _mention(text: str, surface: str, name: str, acronym: str | None) -> dict:
    s = text.index(surface)
    return {"start_char": s, "end_char": s + len(surface), "text": surface, "name": name, "acronym": acronym}


def test_title_that_is_an_office_mention_gives_that_organization(parse):
    text = "UN High Commissioner for Refugees Maria Lopes said that camps are full."
    doc = parse(text)
    bare = build_people(doc).persons[0]
    assert bare.name == "Maria Lopes" and bare.organization == "UN"  # only the split-off prefix
    office = _mention(text, "UN High Commissioner for Refugees",
                      "Office of the United Nations High Commissioner for Refugees", "UNHCR")
    un = {"start_char": 0, "end_char": 2, "text": "UN", "name": "United Nations", "acronym": "UN"}
    p = build_people(doc, [un, office]).persons[0]
    assert p.organization == "Office of the United Nations High Commissioner for Refugees"


def test_commissioner_speaks_for_the_commission_the_release_names(parse):
    text = ("Delegates from the European Commission attended.\n"
            "Paula Brenner, the European Commissioner for Home Affairs, told the meeting that rules were coming.")
    doc = parse(text)
    assert build_people(doc).persons[0].organization is None  # the text alone does not say
    p = build_people(doc, [_mention(text, "European Commission", "European Commission", None)]).persons[0]
    assert p.title == "European Commissioner for Home Affairs" and p.organization == "European Commission"


def test_country_representative_has_no_organization_from_the_title(parse):
    doc = parse("“Migrant women carry the heaviest burden,” said Ms. Lan Pham, Viet Nam’s ASEAN "
                "Representative for Children.")
    p = build_people(doc).persons[0]
    assert p.title == "ASEAN Representative for Children" and p.organization is None


def test_bare_surname_missed_by_ner_is_a_mention(parse):
    doc = parse("Ms. Ana Marquetti, Director of the Harbour Project, opened the meeting.\n"
                "At the press conference, Marquetti said funding was far below target.")
    tok = [t for t in doc if t.text == "Marquetti"][-1]
    assert tok.ent_type_ != "PERSON"  # the case this rule is for
    idx = build_people(doc)
    m = idx.mention_at(tok.i)
    assert m is not None and idx.persons[m.person].name == "Ana Marquetti"


def test_description_resolves_forward_to_the_person_named_next(parse):
    doc = parse("Abuses are rising, a UN expert warned on Monday.\n"
                "The Special Rapporteur on slavery, Mr. Arno Kessler, presented a report.")
    idx = build_people(doc)
    expert = [t for t in doc if t.text == "expert"][0]
    assert idx.persons[idx.resolve_description(expert)].name == "Arno Kessler"
    # two people named next and no title fits: no guess
    doc = parse("Abuses are rising, a senior official warned.\nMs. Ines Vidal met Mr. Arno Kessler.")
    idx = build_people(doc)
    official = [t for t in doc if t.text == "official"][0]
    assert idx.resolve_description(official) is None


# --------------------------------------------------------------------------- units of work, bodies run
def test_acronym_led_unit_of_work_stays_in_the_title():
    # the programme / portfolio inside the employer is part of the title; the acronym is the employer
    assert split_title_org("Chief of UNHCR Emergency Operations") == (
        "Chief of UNHCR Emergency Operations", "UNHCR")
    assert split_title_org("Head of the WFP Nutrition Portfolio") == (
        "Head of the WFP Nutrition Portfolio", "WFP")
    # an organization-like unit or a bare acronym is still split off
    assert split_title_org("Director of UNODC Regional Office for Southern Africa") == (
        "Director", "UNODC Regional Office for Southern Africa")
    assert split_title_org("Director of UNFPA") == ("Director", "UNFPA")


def test_work_unit_owner_vetoes():
    assert work_unit_owner("ILO Fundamental Rights Work") == "ILO"
    assert work_unit_owner("ILO") is None                      # nothing after the acronym
    assert work_unit_owner("ILO Country Office") is None       # an office is a body
    assert work_unit_owner("UN Women", is_whole_org=lambda t: t == "UN Women") is None
    assert work_unit_owner("IOM Nepal", is_place=lambda t: t == "Nepal") is None  # a country office


def test_names_a_body():
    assert names_a_body("Coastal Migrant Helpline")
    assert names_a_body("Blue Lantern Shelter")
    assert not names_a_body("Annual Report")                  # a document
    assert not names_a_body("Counter-Trafficking Programmes")  # plural: a portfolio of work
    assert not names_a_body("Republic")                       # one word: too weak
    assert not names_a_body("Regional Coordinator")           # a role


def test_director_of_the_named_body_gives_the_organization():
    assert split_title_org("Director of the Blue Lantern Shelter") == ("Director", "Blue Lantern Shelter")
    assert split_title_org("Founder of the Harbour Light Refuge for Women") == (
        "Founder", "Harbour Light Refuge for Women")
    # without 'the', with a portfolio head, or naming a non-body: the whole is the title
    assert split_title_org("Director of Safe Passage") == ("Director of Safe Passage", None)
    assert split_title_org("Rapporteur of the Regional Forced Labour Dialogue") == (
        "Rapporteur of the Regional Forced Labour Dialogue", None)
    assert split_title_org("Director of the Counter-Trafficking Programmes") == (
        "Director of the Counter-Trafficking Programmes", None)
    assert split_title_org("Editor of the Annual Report") == ("Editor of the Annual Report", None)


def test_speaker_heading_a_programme_across_a_line_break(parse):
    text = ("“Shelters are full,” said Lena Ortiz, Chief\n"
            "of UNICEF Child Protection Programmes. “We need funds.”\n"
            "The United Nations Children's Fund (UNICEF) leads the work.")
    doc = parse(text)
    s = text.index("UNICEF")
    unicef = {"start_char": s, "end_char": s + 6, "text": "UNICEF",
              "name": "United Nations Children's Fund", "acronym": "UNICEF"}
    p = build_people(doc, [unicef]).persons[0]
    assert p.title == "Chief of UNICEF Child Protection Programmes"
    assert p.organization == "United Nations Children's Fund"


def test_speaker_directing_a_named_body_without_org_mention(parse):
    doc = parse("“Calls doubled this year,” said Tom Berger, Director of the Coastal Migrant Helpline.")
    p = build_people(doc).persons[0]
    assert p.title == "Director" and p.organization == "Coastal Migrant Helpline"


def test_hyphenated_surname_is_one_name(parse):
    doc = parse("The Director General, Dr. Amaka Obi-Nwosu, said the agency would open two shelters. "
                "Obi-Nwosu added that more staff were coming.")
    index = build_people(doc)
    assert [p.name for p in index.persons] == ["Amaka Obi-Nwosu"]
    assert len(index.persons[0].mentions) == 2  # the bare surname joins her


def test_headline_words_after_a_name_do_not_rename_the_person(parse):
    # a scraped title ends with a full stop and reads ``Name Verb ...``
    doc = parse("Budget Chief Tova Lindqvist Warns Reserves Are Running Out.\n\n"
                "Tova Lindqvist, the budget chief, said on Monday that reserves would last six weeks.")
    assert [p.name for p in build_people(doc).persons] == ["Tova Lindqvist"]


def test_title_line_with_a_full_stop_is_a_headline():
    from pipeline.extract.people.mentions import is_headline_line

    text = "Mayor Ruiz Says Bridge Will Reopen Soon.\nThe Mayor Said It Would Reopen Soon, And Then Left."
    first = text.index("\n")
    assert is_headline_line(text, 0, first)
    assert not is_headline_line(text, first + 1, len(text))  # later lines need no sentence end


def test_a_line_is_judged_a_headline_once(monkeypatch):
    """A scraped page of one long line: each name or quote on it must not read it again."""
    import pipeline.extract.people.mentions as mentions

    calls = []
    real = mentions.is_headline_line
    monkeypatch.setattr(mentions, "is_headline_line", lambda *a: calls.append(a[1:]) or real(*a))
    line = "“We will act,” said Ines Okoro of the River Council. " * 30
    text = f"Council Pledges Action On Flooding\n{line}\nShe spoke in Accra."
    seen: dict[int, bool] = {}
    body = text.index("\n") + 1
    verdicts = [mentions.headline_at(text, body + k * 40, seen) for k in range(30)]
    assert verdicts == [False] * 30 and mentions.headline_at(text, 3, seen) is True
    assert calls == [(body, text.rindex("\n")), (0, body - 1)]  # one reading per line


def test_one_word_name_is_a_person_when_it_speaks(parse):
    doc = parse("“The numbers are clear,” Harmsen said. Harmsen added that the camp would grow.")
    assert [p.name for p in build_people(doc).persons] == ["Harmsen"]
    # one capitalised word that never speaks stays no person
    assert build_people(parse("Traffickers moved victims through Calais last winter.")).persons == []


def test_headline_glue_never_renames_a_body_person(parse):
    doc = parse("Nora Vance Hammers Delta Freight Over Late Wages.\n\n"
                "Senator Nora Vance questioned Delta Freight chief Omar Pell on Tuesday.")
    names = [p.name for p in build_people(doc).persons]
    assert "Nora Vance" in names and not any("Hammers" in n for n in names)


def test_a_fuller_form_used_only_inside_a_quotation_is_no_name(parse):
    doc = parse("Senator Hillary Vance spoke in Ohio.\n"
                "He said, “Working that microphone was harder than working Crooked Hillary Vance.”")
    assert [p.name for p in build_people(doc).persons] == ["Hillary Vance"]


def test_an_organization_that_speaks_is_no_one_word_person(parse):
    doc = parse("Lumora said the hotline had taken 900 calls. Lumora added that most callers were minors.")
    orgs = [{"start_char": m.start(), "end_char": m.end(), "text": "Lumora", "name": "Lumora"}
            for m in __import__("re").finditer("Lumora", doc.text)]
    assert build_people(doc, orgs).persons == []


def test_police_and_military_ranks_are_titles_not_names(parse):
    doc = parse("Lt Col Ravi Menon told reporters that the convoy had been delayed.")
    assert {p.name: p.title for p in build_people(doc).persons} == {"Ravi Menon": "Lt Col"}
    doc = parse("Cmdr Ingrid Solberg said the ship would dock on Friday.")
    assert {p.name: p.title for p in build_people(doc).persons} == {"Ingrid Solberg": "Cmdr"}


def test_speaker_called_by_the_given_name_of_one_person_joins_them(parse):
    doc = parse("Dr. Amare Tesfaye spoke in Geneva.\nAmare said the clinics would stay open.")
    (person,) = build_people(doc).persons
    assert person.name == "Amare Tesfaye" and len(person.mentions) == 2


def test_a_document_is_never_a_name():
    assert not looks_like_name(["Framework", "Convention"])
    assert not looks_like_name(["Global", "Report"])
    assert looks_like_name(["Jude", "Law"])  # short words may be surnames


@pytest.mark.parametrize("text,title,org", [
    # a lowercase role after the name: modifiers, then its head
    ("Ines Varga, executive director of the Coastal Migrant Helpline, said the shelter "
     "had opened.", "executive director", "Coastal Migrant Helpline"),
    # a hyphenated title before the name, then an honorific
    ("Director-general of the Harbour Protection Agency (HPA), Dr. Kofi Mensah-Boateng, warned "
     "parents on Monday.", "Director-general", "Harbour Protection Agency"),
    # a lowercase head and its postpositive 'general' before the name, after 'its'
    ("The report was issued by the Harbour Protection Agency, its director general, Kofi "
     "Mensah, said on Monday.", "director general", "Harbour Protection Agency"),
    # a sentence's opening 'And' is no part of a body
    ("And Ghana's deputy attorney general, Kofi Mensah, said the law was clear.",
     "deputy attorney general", None),
    # a briefing's spokesperson: 'X for ORG said'
    ("Petra Lindqvist for the Harbour Protection Agency said calls had doubled.", None,
     "Harbour Protection Agency"),
])
def test_roles_written_around_a_name(parse, text, title, org):
    p = build_people(parse(text)).persons[0]
    assert (p.title, p.organization) == (title, org)


def test_for_capitalised_words_is_no_organization(parse):
    p = build_people(parse("Maria Lopez for Peace and Justice said that she will run.")).persons[0]
    assert p.organization is None


def test_a_mandate_holder_speaks_for_the_body_that_gives_the_mandate(parse):
    """A Special Rapporteur is a UN mandate holder: the UN, when the release names it."""
    from pipeline.extract.people.titles import mandate_body

    assert mandate_body("Special Rapporteur on the right to food", ["United Nations"], []) == "United Nations"
    assert mandate_body("Independent Expert on albinism", [], ["UN"]) == "United Nations"
    assert mandate_body("Special Rapporteur on the right to food", ["Council of Europe"], ["CoE"]) is None
    assert mandate_body("Executive Director", ["United Nations"], ["UN"]) is None
    doc = parse("The Special Rapporteur on the right to housing, Lena Okafor, urged States to act, "
                "a UN human rights expert said today.")
    p = build_people(doc, [{"start_char": doc.text.index("UN "), "end_char": doc.text.index("UN ") + 2,
                            "text": "UN", "name": "United Nations", "acronym": "UN"}]).persons[0]
    assert (p.name, p.organization) == ("Lena Okafor", "United Nations")
