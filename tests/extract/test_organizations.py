"""Organizations (pipeline/extract/organizations/): pure helpers, the component, the corpus resolve.

Every sentence here is made up for the test, in the style of agency press releases.
"""
import random

import pytest
from spacy.tokens import Doc

from pipeline.extract.organizations.gazetteer import (
    GAZETTEER_FILE,
    GazEntry,
    Gazetteer,
    PhraseIndex,
    gazetteer,
)
from pipeline.extract.organizations.recognizer import make_release_orgs
from pipeline.extract.organizations.resolve import (
    per_release_organizations,
    resolve_organizations,
)
from pipeline.extract.organizations.spans import (
    extend_span,
    name_runs,
    repair_span,
    split_coordination,
    strip_title_prefix,
)
from pipeline.extract.organizations.vocabulary import (
    classify_name,
    is_well_formed_name,
    name_key,
    slugify,
    word_keys,
)
from pipeline.resources import path

# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def orgs(nlp_base):
    """Run the component on a text; returns the Doc (the shared model is not changed)."""
    comp = make_release_orgs(nlp_base, "release_orgs", use_gazetteer=True, use_patterns=True,
                             ner_labels=["ORG"])
    return lambda text: comp(nlp_base(text))


@pytest.fixture(scope="module")
def orgs_no_gazetteer(nlp_base):
    comp = make_release_orgs(nlp_base, "release_orgs", use_gazetteer=False, use_patterns=True,
                             ner_labels=["ORG"])
    return lambda text: comp(nlp_base(text))


def texts(doc):
    return [m["text"] for m in doc._.org_mentions]


def by_text(doc):
    return {m["text"]: m for m in doc._.org_mentions}


# --------------------------------------------------------------------------- merge keys

@pytest.mark.parametrize("a,b", [
    ("Inter-agency Working Group Against Forced Labour", "Inter-Agency Working Group against Forced Labour"),
    ("Organisation for Economic Co-operation and Development", "Organization for Economic Cooperation and Development"),
    ("UN Office at Nairobi", "United Nations Office at Nairobi"),
    ("the UN Commission on Narcotic Drugs", "Commission on Narcotic Drugs"),
    ("Office of the High Commissioner for Refugee", "Office of the High Commissioner for Refugees"),
    ("International Labor Organization", "International Labour Organization"),
    ("Regional Centre for Migrants", "Regional Center for Migrants"),
    ("UNHCR’s", "UNHCR"),
])
def test_name_key_folds_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [
    ("UN Migration", "Migration"),  # one word left after "UN": not the same
    ("Office of Legal Affairs", "Office of Economic Affairs"),
    ("Commission on the Status of Women", "Committee on the Status of Women"),
])
def test_name_key_keeps_different_names_apart(a, b):
    assert name_key(a) != name_key(b)


def test_word_keys_expand_un_only_in_capitals():
    assert word_keys("UN") == ["united", "nation"]
    assert word_keys("un") == ["un"]


@pytest.mark.parametrize("text,ok", [
    ("International Labour Organization", True), ("Europol", True), ("ILO", False),
    ("the Regional Office", False), ("Office of the", False), ("lower case name", False),
])
def test_is_well_formed_name(text, ok):
    assert is_well_formed_name(text) is ok


def test_slugify():
    assert slugify("OSRSG-VAC") == "osrsg-vac"
    assert slugify("J/TIP") == "j-tip"
    assert slugify("Médecins Sans Frontières") == "medecins-sans-frontieres"
    assert slugify("Фонд Развития") == "фонд-развития" and slugify("ООН") == "оон"


def test_ids_of_organizations_in_other_scripts_are_their_own_and_stay_when_more_come():
    """Folded to ASCII, each was 'org', the first by name kept it and the others took a hash:
    an organization that sorts first took 'org' from one already in the tables."""
    def ids(names):
        res = resolve_organizations([{"text": n, "name": n, "acronym": None} for n in names])
        return {o["name"]: o["org_id"] for o in res.organizations}

    before = ids(["Фонд Развития", "Детский Фонд"])
    assert before == {"Фонд Развития": "фонд-развития", "Детский Фонд": "детскии-фонд"}
    assert before.items() <= ids(["Фонд Развития", "Детский Фонд", "Агентство Мира"]).items()


# --------------------------------------------------------------------------- classification

@pytest.mark.parametrize("name,cls", [
    ("Regional Office for Southern Africa", "org"),
    ("Migrant Protection and Assistance Section", "org"),
    ("Inter-Agency Working Group against Forced Labour", "org"),
    ("Austrian Government", "government"),
    ("Government of Ruritania", "government"),
    ("Marlow Administration", "government"),
    ("Drug Enforcement Administration", "neutral"),
    ("Operation Silver Heron", "document"),
    ("Global Plan of Action to End Forced Labour", "document"),
    ("Call to Action on Child Labour", "document"),
    ("Convention on the Rights of Migrant Workers", "document"),
    ("Conference of the Parties", "document"),
    ("Regional Report on Forced Labour 2021", "document"),
    ("National Referral Mechanism", "document"),
    ("Global Slavery Index", "document"),
    ("Youth Leadership Program", "document"),
    ("Office for Refugees Annual Meeting for Donors", "document"),
    ("Network Principals", "people"),
    ("EU Agencies", "people"),
    ("Special Rapporteur on the Sale of Children", "title"),
    ("Forced Labour", "topic"),
    ("Twitter", "platform"),
    ("Mozambique", "place"),
    ("Organization", "generic"),
    ("Trust Fund", "generic"),
    ("Light of Hope", "neutral"),
    ("Gallup", "neutral"),
])
def test_classify_name(name, cls):
    assert classify_name(name) == cls


def test_strip_title_prefix():
    t = "Founder and CEO of the Safe Harbour Trust"
    assert t[strip_title_prefix(t, 0, len(t)):] == "Safe Harbour Trust"
    t = "Executive Director of the UN Office at Nairobi"
    assert t[strip_title_prefix(t, 0, len(t)):] == "UN Office at Nairobi"
    t = "Office of the Special Envoy on Youth"
    assert strip_title_prefix(t, 0, len(t)) == 0


@pytest.mark.parametrize("text,kept", [
    ("Budget Committee and Jana Novak", "Budget Committee"),
    ("WFP and UNFPA", "WFP"),
    ("Regional Network of Shelters and the Youth Platform", "Regional Network of Shelters"),
    ("Ministry of Labour and Social Policy", "Ministry of Labour and Social Policy"),
    ("Office for Democratic Institutions and Human Rights", "Office for Democratic Institutions and Human Rights"),
    ("Child Protection and Family Support Section", "Child Protection and Family Support Section"),
    ("Regional Office for West and Central Africa", "Regional Office for West and Central Africa"),
])
def test_split_coordination(text, kept):
    assert text[:split_coordination(text, 0, len(text))] == kept


def test_extend_span_after_a_trailing_function_word():
    t = "the Working Group against Forced Labour met"
    start = t.index("Working")
    end = t.index(" Forced")  # the model stopped at "against"
    assert t[start:extend_span(t, start, end)] == "Working Group against Forced Labour"


def test_extend_span_over_of_the():
    t = "the Office of the Special Envoy of the Secretary-General on Youth said"
    start = t.index("Office")
    end = t.index(" of the Secretary")
    assert t[start:extend_span(t, start, end)] == "Office of the Special Envoy of the Secretary-General on Youth"


def test_extend_span_continues_over_and_inside_a_phrase():
    t = "contact the Regional Office for West and Central Africa in Dakar"
    start = t.index("Regional")
    end = t.index(" for West")
    assert t[start:extend_span(t, start, end)] == "Regional Office for West and Central Africa"
    t = "the Government of Italy and UNICEF signed"
    start, end = t.index("Government"), t.index(" and")
    assert extend_span(t, start, end) == end


def test_extend_span_stops_before_a_place():
    t = "the Department of Labor in Washington said"
    start = t.index("Department")
    end = t.index(" in Washington")
    assert extend_span(t, start, end) == end


def test_extend_span_takes_a_missing_head_word():
    t = "the Northern Emergency Response Mechanism was praised"
    start = t.index("Northern")
    end = t.index(" Mechanism")
    assert t[start:extend_span(t, start, end)] == "Northern Emergency Response Mechanism"


def test_repair_span():
    t = "Speakers praised the State Department’s work."
    s, e = repair_span(t, t.index("the State"), t.index(" work"))
    assert t[s:e] == "State Department"
    t = "with Chairman and Founder of the Safe Harbour Trust, Ms. Doe"
    s, e = repair_span(t, t.index("Chairman"), t.index(","))
    assert t[s:e] == "Safe Harbour Trust"
    t = "Follow WFP Kenya online"
    s, e = repair_span(t, t.index("WFP"), t.index(" online"))
    assert t[s:e] == "WFP"


def test_name_runs():
    t = "The Regional Office for Europe met IOM’s Migrant Services Division today."
    runs = [t[s:e] for s, e in name_runs(t)]
    assert "Regional Office for Europe" in runs
    assert "Migrant Services Division" in runs  # a possessive ends a name
    assert "IOM" in runs


# --------------------------------------------------------------------------- gazetteer

def test_gazetteer_names_its_source_and_parses():
    first = path(GAZETTEER_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert "_source" in first and "UN System Chart" in first
    gaz = gazetteer()
    assert len(gaz.entries) > 100
    assert all(e.name for e in gaz.entries.values())


def test_gazetteer_lookup_by_variant_and_acronym():
    gaz = gazetteer()
    assert gaz.entry_for("UN Office on Drugs and Crime") == gaz.entry_for("UNODC") == "unodc"
    assert gaz.entry_for("the Organisation for Security and Cooperation in Europe") == "osce"
    assert gaz.entry_for("Walk Free Foundation") == gaz.entry_for("Walk Free")
    assert gaz.entry_for("Regional Office for Europe") is None


def test_gazetteer_does_not_match_lower_case_phrases():
    index = PhraseIndex()
    index.add("General Assembly", "ga")
    t = "a general assembly of members; the General Assembly voted"
    assert [t[s:e] for s, e, _ in index.find(t)] == ["General Assembly"]


def test_gazetteer_acronyms_skip_all_caps_phrases():
    gaz = gazetteer()
    t = "WHO WE ARE\nHelp for WHO partners"
    assert [t[s:e] for s, e, _ in gaz.find_acronyms(t)] == ["WHO"]


def test_small_custom_gazetteer():
    gaz = Gazetteer([GazEntry("x", "Exampleland Relief Agency", "ERA", ("ERA Relief",), False)])
    assert gaz.entry_for("Exampleland Relief Agency") == "x"
    assert gaz.entry_for("ERA") == "x"
    t = "aid from the Exampleland Relief Agency and ERA staff"
    assert [t[s:e] for s, e, _ in gaz.index.find(t)] == ["Exampleland Relief Agency"]


# --------------------------------------------------------------------------- component

def test_mentions_are_consistent(orgs):
    text = ("The Regional Council for Migrant Welfare (RCMW) opened a shelter. Later, the RCMW "
            "said the RCMW-led project would grow.")
    doc = orgs(text)
    ms = doc._.org_mentions
    assert ms
    for m in ms:
        assert text[m["start_char"]:m["end_char"]] == m["text"]
        assert set(m) >= {"start_char", "end_char", "text", "name", "acronym", "source"}
    spans = sorted((m["start_char"], m["end_char"]) for m in ms)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "mentions overlap"


def test_definition_gives_two_mentions_and_links_later_acronyms(orgs):
    text = ("The Regional Council for Migrant Welfare (RCMW) opened a shelter. Later, the RCMW "
            "said the RCMW-led project would grow.")
    doc = orgs(text)
    assert texts(doc) == ["Regional Council for Migrant Welfare", "RCMW", "RCMW", "RCMW"]
    assert {m["name"] for m in doc._.org_mentions} == {"Regional Council for Migrant Welfare"}
    assert {m["acronym"] for m in doc._.org_mentions} == {"RCMW"}
    assert [m["source"] for m in doc._.org_mentions] == ["definition", "definition", "acronym", "acronym"]
    (d,) = doc._.acronyms
    assert (d["short"], d["long"], d["is_org"]) == ("RCMW", "Regional Council for Migrant Welfare", True)


def test_spaced_and_hyphenated_acronym_are_one_organization(orgs):
    doc = orgs("The Office of the Special Representative of the Secretary-General for Children "
               "and Armed Conflict (OSRSG-CAAC) met partners. The OSRSG CAAC said more.")
    ms = by_text(doc)
    assert ms["OSRSG CAAC"]["acronym"] == "OSRSG-CAAC"
    assert ms["OSRSG CAAC"]["name"] == ("Office of the Special Representative of the "
                                        "Secretary-General for Children and Armed Conflict")


def test_definition_in_text_wins_over_gazetteer(orgs):
    doc = orgs("Officials from the UN Refugee Agency (UNHCR) visited the camp. UNHCR staff spoke.")
    assert {m["name"] for m in doc._.org_mentions} == {"UN Refugee Agency"}


def test_gazetteer_names_a_bare_acronym(orgs):
    doc = orgs("UNHCR staff visited the camp on Monday.")
    (m,) = doc._.org_mentions
    assert m["text"] == "UNHCR" and m["acronym"] == "UNHCR"
    assert "High Commissioner for Refugees" in m["name"]


def test_national_enforcement_agencies_in_a_list_are_named(orgs):
    # police, border and revenue bodies are named by acronym alone in operation reports
    doc = orgs("Officers from the RCMP, HMRC and the CBSA searched four farms on Tuesday.")
    named = {m["acronym"]: m["name"] for m in doc._.org_mentions}
    assert named["RCMP"] == "Royal Canadian Mounted Police"
    assert named["HMRC"] == "HM Revenue and Customs"
    assert named["CBSA"] == "Canada Border Services Agency"
    # a statute-long name and its short form are one agency
    gaz = gazetteer()
    assert gaz.entry_for("National Agency for Prohibition of Traffic in Persons and Other "
                         "Related Matters") == gaz.entry_for("NAPTIP")


def test_an_acronym_the_release_defines_as_no_organization_is_none(orgs):
    # a place or an index the release defines stays what it is where the model tags ORG
    doc = orgs("Partners work with authorities of the Kurdistan Region of Iraq (KRI). Camps in "
               "the KRI are full, and KRI authorities registered 900 people.")
    assert "KRI" not in texts(doc)
    doc = orgs("The Global Slavery Index (GSI) 2023 was released. The GSI is the most "
               "comprehensive assessment, GSI authors said.")
    assert "GSI" not in texts(doc)


def test_truncated_name_is_extended_and_loses_its_article(orgs):
    doc = orgs("The envoy met the Office of the Special Envoy of the Secretary-General on "
               "Youth Affairs in Geneva.")
    assert texts(doc) == ["Office of the Special Envoy of the Secretary-General on Youth Affairs"]


def test_regional_office_keeps_its_region_but_not_the_city(orgs):
    doc = orgs("For details, contact the IOM Regional Office for West and Central Africa in Dakar.")
    assert texts(doc) == ["IOM Regional Office for West and Central Africa"]


def test_name_stops_before_lower_case_words(orgs):
    doc = orgs("Delegates from the Water Safety and Food Quality Section of the ministry attended.")
    assert texts(doc) == ["Water Safety and Food Quality Section"]


def test_case_variant_of_a_defined_long_form_is_linked(orgs):
    doc = orgs("The Inter-agency Working Group against Forced Labour (IWGFL) met.\n"
               "About Inter-Agency Working Group Against Forced Labour")
    ms = doc._.org_mentions
    assert ms[-1]["text"] == "Inter-Agency Working Group Against Forced Labour"
    assert ms[-1]["acronym"] == "IWGFL"


@pytest.mark.parametrize("text", [
    "The Global Plan of Action to End Forced Labour was endorsed with the Call to Action on Child Labour.",
    "Delegates attended the Conference of the Parties to the Convention on Migrant Workers in Lisbon.",
    "The Trafficking in Persons (TIP) Report was released on Monday.",
    "Follow the campaign on Twitter, Facebook and Instagram.",
    "The Network Principals met in Rome.",
    "The Youth Leadership Program brought ten activists to Mozambique.",
    "Countries on the Tier 2 Watch List were named.",
    "",
])
def test_non_organizations_are_rejected(orgs, text):
    assert texts(orgs(text)) == []


def test_umbrella_named_as_modifier_or_in_a_title_is_a_mention(orgs):
    doc = orgs("Other UN agencies and EU countries joined.")
    assert texts(doc) == ["UN", "EU"]
    doc = orgs("The pilot runs on EU funding, the UN Secretary-General told delegates.")
    assert texts(doc) == ["EU", "UN"]
    doc = orgs("The United Nations Office on Drugs and Crime opened a desk.")
    assert texts(doc) == ["United Nations Office on Drugs and Crime"]  # no UN inside a name
    doc = orgs("The ambassador to the UN in Geneva spoke, and the EU adopted new rules.")
    assert texts(doc) == ["UN", "EU"]
    assert by_text(doc)["UN"]["name"] == "United Nations"
    doc = orgs("The report tracks the UN’s goals for 2030.")
    assert texts(doc) == ["UN"]


def test_gazetteer_adds_organizations_the_model_missed(orgs, orgs_no_gazetteer):
    text = "Officers from Frontex and Eurojust joined the operation."
    assert texts(orgs(text)) == ["Frontex", "Eurojust"]


def test_organization_called_so_by_the_text(orgs):
    doc = orgs("The workshop was led by Light of Hope, a women-led non-profit organization based in Nairobi.")
    assert texts(doc) == ["Light of Hope"]
    doc = orgs("The grant went to the non-profit organization Safe Harbour Trust for its shelters.")
    assert texts(doc) == ["Safe Harbour Trust"]


def test_possessive_and_place_are_cut(orgs):
    doc = orgs("The State Department's Bureau of Consular Affairs and the Department of Justice "
               "in Washington issued guidance with UNICEF Moldova.")
    assert {"State Department", "Department of Justice", "UNICEF"} <= set(texts(doc))
    assert not any("Washington" in t or "Moldova" in t for t in texts(doc))


def test_coordination_with_a_person_is_split(orgs):
    doc = orgs("The Ministry of Social Affairs and Oleksandr Petrenko, Deputy Minister, opened the event.")
    assert texts(doc) == ["Ministry of Social Affairs"]


def test_all_caps_heading_is_not_an_acronym(orgs):
    doc = orgs("WHO WE ARE\nThe World Health Organization (WHO) works with partners.")
    assert texts(doc) == ["World Health Organization", "WHO"]


def test_without_gazetteer_definitions_and_model_still_work(orgs_no_gazetteer):
    doc = orgs_no_gazetteer("The Regional Council for Migrant Welfare (RCMW) met the "
                            "Frontex delegation.")
    assert "Regional Council for Migrant Welfare" in texts(doc)
    assert all(m["source"] != "gazetteer" for m in doc._.org_mentions)


def test_results_survive_serialization(orgs, nlp_base):
    doc = orgs("The World Food Programme (WFP) and WFP staff met.")
    doc2 = Doc(nlp_base.vocab).from_bytes(doc.to_bytes())
    assert doc2._.org_mentions == doc._.org_mentions
    assert doc2._.acronyms == doc._.acronyms


# --------------------------------------------------------------------------- corpus resolve

def mention(doc_id, text, name=None, acronym=None, source="ner"):
    return {"doc_id": doc_id, "start_char": 0, "end_char": len(text), "text": text,
            "name": name or text, "acronym": acronym, "source": source}


CORPUS = [
    mention("a", "Inter-Agency Working Group against Forced Labour", acronym="IWGFL", source="definition"),
    mention("a", "IWGFL", "Inter-Agency Working Group against Forced Labour", "IWGFL", "definition"),
    mention("b", "Inter-agency Working Group Against Forced Labour", acronym="IWGFL", source="definition"),
    mention("b", "IWGFL", "Inter-agency Working Group Against Forced Labour", "IWGFL", "acronym"),
    mention("c", "Inter-Agency Working Group against Forced Labour"),
    mention("c", "Organization for Security and Co-operation in Europe", acronym="OSCE"),
    mention("d", "Organization for Security and Cooperation in Europe", acronym="OSCE"),
    mention("d", "OSCE", "Organization for Security and Cooperation in Europe", "OSCE"),
    mention("d", "UN Office at Nairobi"),
    mention("e", "United Nations Office at Nairobi"),
    mention("e", "Regional Council for Migrant Welfare", acronym="RCMW", source="definition"),
    mention("f", "RCMW", "RCMW", "RCMW", "acronym"),  # defined only in another release
    mention("f", "Safe Harbour Trust"),
]


def test_resolve_merges_variants_into_one_row():
    res = resolve_organizations(CORPUS)
    rows = {r["org_id"]: r for r in res.organizations}
    assert set(rows) == {"iwgfl", "osce", "rcmw", "united-nations-office-at-nairobi", "safe-harbour-trust"}
    iw = rows["iwgfl"]
    assert iw["name"] == "Inter-Agency Working Group against Forced Labour"  # most common form
    assert iw["acronym"] == "IWGFL"
    assert iw["aliases"] == ["Inter-agency Working Group Against Forced Labour"]
    assert res.org_ids[:5] == ["iwgfl"] * 5
    assert res.org_ids[11] == "rcmw"  # a bare acronym links across releases
    assert rows["rcmw"]["name"] == "Regional Council for Migrant Welfare"


def test_resolve_prefers_the_longer_form_on_ties_and_lists_aliases():
    res = resolve_organizations(CORPUS)
    rows = {r["org_id"]: r for r in res.organizations}
    assert rows["united-nations-office-at-nairobi"]["name"] == "United Nations Office at Nairobi"
    assert rows["united-nations-office-at-nairobi"]["aliases"] == ["UN Office at Nairobi"]
    assert sorted(rows["osce"]["aliases"]) == rows["osce"]["aliases"]
    assert len({rows["osce"]["name"], *rows["osce"]["aliases"]}) == 2


def test_resolve_is_independent_of_input_order():
    res = resolve_organizations(CORPUS)
    shuffled = CORPUS[:]
    random.Random(7).shuffle(shuffled)
    res2 = resolve_organizations(shuffled)
    assert res2.organizations == res.organizations
    assert [res2.org_ids[shuffled.index(m)] for m in CORPUS] == res.org_ids


def test_resolve_rows_are_sorted_and_ids_unique():
    res = resolve_organizations(CORPUS + [mention("g", "Safe Harbor Trust Foundation")])
    ids = [r["org_id"] for r in res.organizations]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_same_slug_for_two_organizations_gets_distinct_ids():
    res = resolve_organizations([mention("a", "Northern Rights Foundation"),
                                 mention("b", "Northern-Rights Foundation Trust")])
    ids = [r["org_id"] for r in res.organizations]
    assert len(set(ids)) == 2


@pytest.mark.parametrize("surface,org_id", [
    ("IWGFL", "iwgfl"),
    ("the IWGFL", "iwgfl"),
    ("IWGFL’s", "iwgfl"),
    ("inter-agency working group against forced labour", "iwgfl"),
    ("Organisation for Security and Cooperation in Europe", "osce"),
    ("the OSCE", "osce"),
    ("United Nations Office at Nairobi", "united-nations-office-at-nairobi"),
    ("UNON", "united-nations-office-at-nairobi"),  # a gazetteer acronym of a corpus organization
    ("Chair of the Safe Harbour Trust", "safe-harbour-trust"),
    ("Regional Council for Migrant Welfare", "rcmw"),
    ("World Health Organization", None),  # known to the gazetteer, absent from the corpus
    ("", None),
])
def test_lookup(surface, org_id):
    assert resolve_organizations(CORPUS).lookup(surface) == org_id


def test_per_release_names_follow_the_release():
    res = resolve_organizations(CORPUS)
    per = per_release_organizations(CORPUS, res)
    assert per["d"] == [{"org_id": "osce", "name": "Organization for Security and Cooperation in Europe",
                         "acronym": "OSCE"},
                        {"org_id": "united-nations-office-at-nairobi", "name": "UN Office at Nairobi", "acronym": None}]
    assert {r["org_id"] for r in per["f"]} == {"rcmw", "safe-harbour-trust"}


def test_component_and_resolve_together(orgs):
    docs = {"a": "The Regional Council for Migrant Welfare (RCMW) met IOM officials.",
            "b": "Later the RCMW and the International Organization for Migration signed a plan."}
    ms = []
    for doc_id, text in docs.items():
        ms += [dict(m, doc_id=doc_id) for m in orgs(text)._.org_mentions]
    res = resolve_organizations(ms)
    assert {r["org_id"] for r in res.organizations} == {"rcmw", "iom"}
    assert res.lookup("IOM") == res.lookup("International Organization for Migration") == "iom"


def test_regional_union_as_a_place_is_not_an_organization(orgs):
    doc = orgs("Cases were reported across the African Union last year. The African Union adopted new rules.")
    assert texts(doc).count("African Union") == 1
    doc = orgs("Smugglers move people into the EU. The EU adopted new rules.")
    assert texts(doc).count("EU") == 1


# --------------------------------------------------------------------------- second pass

from pipeline.extract.organizations.candidates import acronym_named_by, shortened_names  # noqa: E402
from pipeline.extract.organizations.gazetteer import title_case_acronym  # noqa: E402
from pipeline.extract.organizations.spans import (  # noqa: E402
    extend_lowercase_purpose,
    next_conjunct,
    strip_sentence_opener,
    trim_country_suffix,
)


@pytest.mark.parametrize("acronym,expected", [
    ("UNICEF", "Unicef"), ("eu-LISA", "eu-Lisa"), ("DG HOME", "DG Home"),
    ("ILO", None), ("CoE", None), ("Europol", None),
])
def test_title_case_acronym(acronym, expected):
    assert title_case_acronym(acronym) == expected


def test_acronym_in_title_case_is_found(orgs):
    doc = orgs("Experts from Unicef and Nato met in Rome.")
    found = by_text(doc)
    assert found["Unicef"]["acronym"] == "UNICEF"
    assert found["Nato"]["acronym"] == "NATO"


def test_title_case_acronym_that_is_a_first_name_is_not_found(orgs):
    assert texts(orgs("Greta Lind wrote the foreword.")) == []


@pytest.mark.parametrize("name,expected", [
    ("AFET Committee", "AFET"), ("CEDAW Committee", "CEDAW"),
    ("ICAT Secretariat", None), ("OSCE Committee", None), ("Budget Committee", None),
])
def test_acronym_named_by(name, expected):
    assert acronym_named_by(name) == expected


def test_committee_called_by_its_acronym_gets_it(orgs):
    doc = orgs("The session was opened by Jane Roe, Chair of the AFET Committee, on Monday.")
    assert by_text(doc)["AFET Committee"]["acronym"] == "AFET"


def test_union_of_states_after_a_verb_of_movement_is_a_place(orgs):
    doc = orgs("Many families borrow money to travel to the EU by sea.")
    assert "EU" not in texts(doc)
    doc = orgs("The proposal was submitted to the EU in March.")
    assert "EU" in texts(doc)


def test_owner_acronym_before_a_unit_written_alone_is_split(orgs):
    text = ("UNDP Gender Equality Unit: Annual Review\n\n"
            "Last year UNDP’s Gender Equality Unit supported 40 projects.")
    found = texts(orgs(text))
    assert "UNDP Gender Equality Unit" not in found
    assert found.count("Gender Equality Unit") == 2
    assert found.count("UNDP") == 2


def test_owner_acronym_stays_when_the_unit_is_never_alone(orgs):
    assert "UNDP Gender Equality Unit" in texts(orgs("The UNDP Gender Equality Unit met donors."))


def test_agent_head_names_count_when_the_body_acts(orgs):
    doc = orgs("The National Modern Slavery Helpline received 4,000 calls last year.")
    assert texts(doc) == ["National Modern Slavery Helpline"]
    doc = orgs("“We listen,” said Ana Ruiz, Director of the Northern Migrant Rights Hotline.")
    assert "Northern Migrant Rights Hotline" in texts(doc)


def test_agent_head_names_do_not_count_as_a_service(orgs):
    assert texts(orgs("Victims can call the National Modern Slavery Helpline at any time.")) == []


def test_platform_coordinated_with_an_organization_keeps_its_lowercase_purpose(orgs):
    text = ("Regional Youth Network and Andean Business Platform sign a pledge\n\n"
            "Members of the Regional Youth Network and the Andean Business Platform against "
            "forced labour in Lima met on Friday.")
    doc = orgs(text)
    names = {m["name"] for m in doc._.org_mentions}
    assert names == {"Regional Youth Network", "Andean Business Platform against forced labour"}


def test_extend_lowercase_purpose():
    text = "the Coastal Coalition against trafficking in women in Lima"
    end = text.index(" against")
    assert text[:extend_lowercase_purpose(text, end)].endswith("Coalition against trafficking in women")
    text = "the Coastal Coalition against all odds"
    assert extend_lowercase_purpose(text, text.index(" against")) == text.index(" against")


def test_shortened_names():
    assert shortened_names(["Coastal Platform", "Coastal Platform against child labour", "ILO"]) \
        == [(0, 1)]
    assert shortened_names(["Regional Office", "Regional Office for Europe",
                            "Regional Office for Asia"]) == []


def test_head_first_name_and_country_office():
    assert classify_name("Association Solidarité Femmes") == "org"
    text = "Association Solidarité Femmes Senegal"
    assert text[:trim_country_suffix(text, 0, len(text))] == "Association Solidarité Femmes"


def test_sentence_opener_is_not_part_of_the_name():
    text = "  • Support for the Association Solidarité Femmes"
    start = text.index("Support")
    assert text[strip_sentence_opener(text, start, len(text)):] == "Association Solidarité Femmes"
    text = "Office for the Coordination of Humanitarian Affairs"
    assert strip_sentence_opener(text, 0, len(text)) == 0
    text = "We met the Support for the Association Solidarité Femmes"
    start = text.index("Support")
    assert strip_sentence_opener(text, start, len(text)) == start


def test_next_conjunct():
    text = "Youth Network and the Andean Platform"
    assert text[next_conjunct(text, len("Youth Network"), len(text)):] == "Andean Platform"
    assert next_conjunct(text, len(text), len(text)) == len(text)


def test_head_first_organization_in_a_bullet(orgs):
    doc = orgs("Projects include:\n  • Support for the Association Solidarité Femmes Senegal to open two shelters.")
    assert "Association Solidarité Femmes" in texts(doc)


# --------------------------------------------------------------------------- per-release state

def test_releases_interleaved_in_threads_do_not_see_each_other(nlp_base):
    """What the component learns about a release (its words, name runs, all-caps lines)
    travels with that release's text: two releases run in turns on two threads give what
    each gives alone."""
    from concurrent.futures import ThreadPoolExecutor

    comp = make_release_orgs(nlp_base, "release_orgs", use_gazetteer=True, use_patterns=True,
                             ner_labels=["ORG"])
    first = ("The Harbour Light Foundation (HLF) met the Ministry of Fisheries.\n"
             "HLF said the Coastal Care Network would help.")
    second = ("WHO WE ARE AND WHAT WE DO\nThe Northern Rivers Alliance for Clean Water (NRACW) "
              "wrote to the Department of Water Affairs; NRACW thanked the Regional Office for Asia.")
    docs = [nlp_base(t) for t in (first, second)]
    alone = [[(m["text"], m["name"]) for m in comp(nlp_base(t))._.org_mentions]
             for t in (first, second)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(20):
            got = list(pool.map(lambda d: [(m["text"], m["name"]) for m in comp(d)._.org_mentions],
                                docs * 2))
            assert got == alone * 2


# --------------------------------------------------------------------------- unseen-release causes

from pipeline.extract.organizations.candidates import acronyms_spelled_out  # noqa: E402
from pipeline.extract.organizations.filters import in_legal_title, ner_span_is_org  # noqa: E402
from pipeline.extract.organizations.spans import SpanContext  # noqa: E402
from pipeline.extract.organizations.spans import strip_sentence_opener as _opener  # noqa: E402


def test_national_government_is_its_country_but_its_ministry_counts(orgs):
    doc = orgs("The Ruritanian Government and the Ministry of Fisheries agreed on quotas.")
    assert texts(doc) == ["Ministry of Fisheries"]


def test_operation_is_not_a_body(orgs):
    doc = orgs("Operation Silver Heron was led by the Coastal Police Service.")
    assert texts(doc) == ["Coastal Police Service"]


def test_weekday_is_not_part_of_a_name():
    t = "The Ministry of Fisheries Monday announced new quotas."
    assert t[slice(*repair_span(t, t.index("Ministry"), t.index(" announced")))] == "Ministry of Fisheries"
    t = "The Harbour Council on Tuesday approved the plan."
    start = t.index("Harbour")
    assert t[start:extend_span(t, start, t.index(" on Tuesday"))] == "Harbour Council"


def test_country_after_of_completes_the_name():
    t = "The Supreme Court of Appeal of Ghana ruled."
    span = repair_span(t, t.index("Supreme"), t.index(" ruled"))
    assert t[slice(*span)] == "Supreme Court of Appeal of Ghana"


def test_office_holder_possessive_stays_in_the_name(orgs):
    doc = orgs("The District Attorney’s Office and the County Sheriff’s Department opened a case.")
    assert texts(doc) == ["District Attorney’s Office", "County Sheriff’s Department"]


def test_span_starting_at_a_possessive_clitic_and_ending_in_a_capital_connector():
    t = "Delegates of the fund’s Governing Board met."
    span = repair_span(t, t.index("’s"), t.index(" met"))
    assert t[slice(*span)] == "Governing Board"
    t = "Lakeside Newsroom For\nimmediate release"
    assert t[slice(*repair_span(t, 0, t.index("\n")))] == "Lakeside Newsroom"


def test_headline_opener_before_the_name_is_dropped():
    t = "Menu\n\nThe Role of The Harbour Safety Authority\n\nText."
    start = t.index("Role")
    assert t[_opener(t, start, t.index("\n\nText")):t.index("\n\nText")] == "Harbour Safety Authority"


def test_acronym_spelled_out_by_a_name_of_the_release():
    surfaces = ["Coastal Fraud Agency", "CFA", "Eurojust", "EU", "Agency of Ports In Trade", "APIT"]
    assert acronyms_spelled_out(surfaces) == [(1, 0), (5, 4)]  # "Eurojust" does not spell EU
    assert acronyms_spelled_out(surfaces, [False, True, False, False, False, False]) == [(5, 4)]


def test_long_word_in_capitals_is_no_acronym():
    t = "MEMBERSHIP\nThe fund opened."
    assert not ner_span_is_org(t, 0, 10, gazetteer(), SpanContext())
    assert ner_span_is_org("KLTA\nThe fund opened.", 0, 4, gazetteer(), SpanContext())


def test_name_inside_a_legal_title_does_not_count(orgs):
    t = "Parties to the UN Convention against Cross-Border Fraud met; the UNODC Global Report was cited."
    assert in_legal_title(t, t.index("UN "), t.index("UN ") + 2)
    assert not in_legal_title(t, t.index("UNODC"), t.index("UNODC") + 5)
    assert texts(orgs(t)) == ["UNODC"]
    doc = orgs("The Council of Europe Convention on Action against Wage Theft entered into force.")
    assert texts(doc) == []


def test_wire_service_in_the_dateline_is_an_organization():
    from pipeline.extract.organizations.candidates import wire_source_spans
    t = "PORT ELLEN (Harbour News) – New research shows.\nBody text (Not This) – here."
    assert [t[s:e] for s, e in wire_source_spans(t)] == ["Harbour News"]
    t = "SMALLTOWN, ON, Oct. 7, 2014 /NWX/ - Charges were laid."
    assert [t[s:e] for s, e in wire_source_spans(t)] == ["NWX"]
    assert wire_source_spans("GENEVA (12 May) – text") == []


def test_name_cut_off_by_the_end_of_the_excerpt():
    from pipeline.extract.organizations.filters import cut_off_at_end
    t = "Officers came from the Harbour Brigade for "
    assert cut_off_at_end(t, t.index(" for"))
    t = "He cited the National Stra"
    assert cut_off_at_end(t, len(t))
    t = "Officers came from the Harbour Brigade today."
    assert not cut_off_at_end(t, t.index(" today"))


def test_name_that_reads_as_a_person():
    from pipeline.extract.organizations.filters import reads_as_speaker
    t = "Kanayo B. Ndlovu spoke first. Later Ndlovu told delegates the plan works."
    start = t.index("Ndlovu told")
    assert reads_as_speaker(t, start, start + 6, SpanContext())
    t = "The work goes on, Jane Roe, said today."
    s = t.index("Jane")
    said = t.index("said")
    assert reads_as_speaker(t, s, s + 8, SpanContext(speech_verb_starts=frozenset({said})))
    assert not reads_as_speaker(t, s, s + 8, SpanContext())
    t = "Harbour Trust said it would help. The Harbour Trust opened."
    assert not reads_as_speaker(t, 0, 13, SpanContext(speech_verb_starts=frozenset({14})))


def test_government_named_at_the_end_and_forum_acronyms(orgs):
    assert classify_name("Minister Jon Smith for the Government") == "government"
    doc = orgs("Leaders of G20 countries met. The G-20 includes the biggest economies.")
    assert [(m["text"], m["name"]) for m in doc._.org_mentions] == [
        ("G20", "Group of Twenty"), ("G-20", "Group of Twenty")]
    doc = orgs("Leaders of G20 countries met.")
    assert doc._.org_mentions[0]["acronym"] == "G20"  # as the release spells it


def test_tag_line_of_known_acronyms_is_not_shouting():
    gaz = gazetteer()
    t = "Body text.\nUNHCR , OCHA , WHO , IOM\nWHO WE ARE\n"
    found = [t[s:e] for s, e, _ in gaz.find_acronyms(t)]
    assert found == ["UNHCR", "OCHA", "WHO", "IOM"]


def test_each_line_is_judged_once_for_acronyms(monkeypatch):
    """A scraped page can be one long line: its acronyms must not each read it again."""
    import pipeline.extract.organizations.gazetteer as gazetteer_module

    gaz = gazetteer()
    calls = []
    real = gazetteer_module.words
    monkeypatch.setattr(gazetteer_module, "words",
                        lambda *a, **k: calls.append(a[1:]) or real(*a, **k))
    tag_line = "UNICEF , WHO , IOM , " * 40                       # one line, 120 acronyms
    heading = "WHO WE ARE AND WHAT IOM DOES FOR UNICEF " * 20       # capitals, not a tag line
    t = f"Body text.\n{tag_line}\n{heading}\nSupport from WHO and IOM."
    found = [t[s:e] for s, e, _ in gaz.find_acronyms(t)]
    assert found == ["UNICEF", "WHO", "IOM"] * 40 + ["WHO", "IOM"]
    assert len(calls) == 2  # the tag line and the heading, once each


def test_mission_named_after_the_organization_it_is_accredited_to(orgs):
    doc = orgs("The Permanent Mission of Ruritania to the United Nations in Geneva hosted the event.")
    assert texts(doc) == ["Permanent Mission of Ruritania to the United Nations"]


def test_elliptical_list_of_ministries(orgs):
    doc = orgs("Officials from the departments of Health and Education attended.")
    assert [(m["text"], m["name"]) for m in doc._.org_mentions] == [
        ("Health", "Department of Health"), ("Education", "Department of Education")]


def test_honorific_is_no_acronym(orgs):
    doc = orgs("H.E. Ambassador Lina Berg opened the meeting with the Hope Bridge Foundation.")
    assert texts(doc) == ["Hope Bridge Foundation"]


def test_name_continues_over_a_line_break_after_and():
    from pipeline.extract.organizations.spans import extend_across_line
    t = "the Council for Fisheries Research and\nCoastal Development met"
    end = t.index(" and")
    assert t[t.index("Council"):extend_across_line(t, end)] == \
        "Council for Fisheries Research and\nCoastal Development"
    t = "the Council for Fisheries Research.\nCoastal towns"
    assert extend_across_line(t, t.index(".")) == t.index(".")


@pytest.mark.parametrize("name", ["Task Force", "Working Group", "the Steering Committee"])
def test_kind_of_body_is_generic(name):
    assert classify_name(name) == "generic"


def test_acronym_after_a_place_and_comma_is_a_place(orgs):
    from pipeline.extract.organizations.filters import after_a_place
    t = "PORT ELLEN, RLD (12 May 2023) – Officials met."
    assert after_a_place(t, t.index("RLD"), SpanContext())
    t = "A man from Lakeside, QX was charged."
    assert after_a_place(t, t.index("QX"), SpanContext(place_starts=frozenset({t.index("Lakeside")})))
    t = "The IOM, UNHCR and WFP met."
    assert not after_a_place(t, t.index("UNHCR"), SpanContext())


def test_offences_in_a_charge_list_are_no_organizations(orgs):
    """A police release's offences in capitals are no bodies; the police force still is."""
    doc = orgs("The Harbour Police Service arrested two men. Charges include Forcible Confinement, "
               "Obstruct Police, and Failure To Comply with Court Orders and Conditions.")
    assert texts(doc) == ["Harbour Police Service"]
    doc = orgs("One man was charged with trafficking by the Harbour Police Service.")
    assert texts(doc) == ["Harbour Police Service"]  # after the cue, but no list of offences


def test_a_charge_list_is_capitalised_offences_after_the_cue():
    from pipeline.extract.organizations.filters import in_charge_list

    text = "Charges include Assault, Utter Threats, and Failure To Comply with Court Orders."
    assert in_charge_list(text, text.index("Court Orders"))
    text = "He was charged with fraud and will appear at the Harbour Court of Justice."
    assert not in_charge_list(text, text.index("Harbour Court"))
    text = "The Harbour Court of Justice heard the case. Charges were dropped."
    assert not in_charge_list(text, text.index("Harbour Court"))
