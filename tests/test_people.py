"""People: name / honorific / title helpers (pure), in-release coreference on small invented
texts, and the corpus resolve on synthetic person rows."""
from __future__ import annotations

import itertools
import random

import pytest

from pipeline.people import (
    acronym_map,
    build_people,
    clean_name,
    genders_compatible,
    honorific_form,
    honorific_gender,
    is_acronym,
    is_subname,
    looks_like_name,
    name_key_tokens,
    office_of_title,
    org_like,
    resolve_people,
    slugify,
    split_honorific,
    split_org_title,
    split_title_org,
    strip_acronym,
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
@pytest.fixture(scope="module")
def parse(nlp_base):
    def _parse(text: str):
        doc = nlp_base.make_doc(text)
        for i in range(1, len(doc)):
            if "\n" in doc[i - 1].text or "\n" in doc[i - 1].whitespace_:
                doc[i].is_sent_start = True
        for _, proc in nlp_base.pipeline:
            doc = proc(doc)
        return doc

    return _parse


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


def test_resolve_rows_have_contract_fields():
    res = resolve_people([row("a", "sara-lind", "Sara Lind", "Ms."), row("b", "sara-lind", "Sara Lind", None)])
    assert res.people == [{"person_id": "sara-lind", "name": "Sara Lind", "honorific": "Ms.",
                           "aliases": [], "n_documents": 2}]


def test_resolve_ignores_rows_without_a_name():
    assert resolve_people([row("a", "x", "")]).people == []


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_fullest_name_wins_whatever_the_order(order):
    names = ["Clara Estevez", "Clara Maria Estevez", "Estevez"]
    rows = [row(f"d{i}", slugify(names[i]), names[i], "Ms.") for i in order]
    res = resolve_people(rows)
    assert [p["name"] for p in res.people] == ["Clara Maria Estevez"]
