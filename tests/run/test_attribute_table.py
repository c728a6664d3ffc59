"""The attribute table gives exactly the attribute ruler's annotations."""
import numpy
import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from tests.conftest import RAW, parse_until
from pipeline.run.attribute_table import AttributeTable, split_rules, swap_attribute_ruler

ATTRS = [TAG, POS, MORPH, LEMMA, DEP]

# Texts of my own with the cases the English rules single out: contractions, colloquial
# spellings, whitespace tokens, existential "there", possessive pronouns, auxiliaries.
TEXTS = [
    "I ain't gonna sign it, let's wait. Y'all know nothin' changed.\n\n  She's got ta go.",
    "There were 12 victims; its report, which they've read, is due.\tC'mon!",
    "The agency said on Monday that it would not have been possible without them.",
]


def _before_ruler(nlp, text: str):
    return parse_until(nlp, text, "attribute_ruler")


@pytest.fixture(scope="module")
def ruler_and_table(nlp_base):
    ruler = nlp_base.get_pipe("attribute_ruler")
    return ruler, AttributeTable(ruler)


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_the_models_ruler(nlp_base, ruler_and_table, text):
    ruler, table = ruler_and_table
    expected = ruler(_before_ruler(nlp_base, text)).to_array(ATTRS)
    got = table(_before_ruler(nlp_base, text)).to_array(ATTRS)
    assert numpy.array_equal(expected, got)


def test_same_annotations_on_real_releases(nlp_base, ruler_and_table):
    ruler, table = ruler_and_table
    for path in sorted(RAW.glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8")
        expected = ruler(_before_ruler(nlp_base, text)).to_array(ATTRS)
        got = table(_before_ruler(nlp_base, text)).to_array(ATTRS)
        assert numpy.array_equal(expected, got)


def test_the_models_rules_leave_the_matcher(ruler_and_table):
    _, table = ruler_and_table
    assert len(table.matcher) == 0  # the English rules all compile to tables and scans


# A hand-made ruler with every kind of rule the table handles, and one it must not.
RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TAG": "NN", "LOWER": "report"}]], "attrs": {"POS": "VERB", "LEMMA": "rep"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"TAG": {"IN": ["DT", "WDT"]}, "DEP": {"NOT_IN": ["det", ""]}}]],
     "attrs": {"POS": "PRON"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"LEMMA": "much"},
     "index": -1},
]


def _doc(vocab) -> Doc:
    words = ["The", "report", "is", "gon", "na", "be", "y'", "all", "that", "very", "very",
             "good", "  ", "report"]
    tags = ["DT", "NN", "VBZ", "VBG", "TO", "VB", "PRP", "DT", "DT", "RB", "RB", "JJ", "_SP",
            "NN"]
    deps = ["det", "nsubj", "ROOT", "aux", "aux", "xcomp", "nsubj", "appos", "nsubj", "advmod",
            "advmod", "acomp", "dep", "npadvmod"]
    heads = [1, 2, 2, 5, 5, 2, 5, 6, 11, 11, 11, 5, 11, 2]
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=heads)


def test_hand_made_rules_same_as_the_ruler():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns(RULES)
    table = AttributeTable(ruler)
    assert len(table.matcher) == 1  # the rule with an operator stays with the Matcher
    expected = ruler(_doc(nlp.vocab))
    got = table(_doc(nlp.vocab))
    assert numpy.array_equal(expected.to_array(ATTRS), got.to_array(ATTRS))
    assert got[1].pos_ == "VERB" and got[1].lemma_ == "rep"  # the later rule wins
    assert got[13].pos_ == "VERB"                            # the same rule, another token
    assert got[4].lemma_ == "to" and got[6].lemma_ == "you"   # index -1; regex first token
    assert got[8].pos_ == "PRON" and got[0].pos_ == ""        # NOT_IN keeps the "det"
    assert got[11].lemma_ == "much"                           # the Matcher's rule


def test_split_rules_sorts_rules_by_how_they_are_matched():
    nlp = spacy.blank("en")
    tables, scans, rest = split_rules(RULES, nlp.vocab.strings)
    plain = {n for t in tables for found in t.plain.values() for n in found}
    checked = {c.number for t in tables for found in t.checked.values() for c in found}
    assert plain == {0, 1, 5}
    assert checked == {2, 4}
    assert [c.number for c in scans] == [3]
    assert [n for n, _ in rest] == [6]


def test_an_index_outside_the_pattern_is_an_error():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}, index=2)
    with pytest.raises(ValueError, match="index 2"):
        AttributeTable(ruler)(_doc(nlp.vocab))


def test_swap_needs_an_attribute_ruler():
    nlp = spacy.blank("en")
    assert swap_attribute_ruler(nlp) is False and nlp.pipe_names == []
    nlp.add_pipe("attribute_ruler").add([[{"LOWER": "na"}]], {"LEMMA": "to"})
    assert swap_attribute_ruler(nlp) is True
    assert nlp.pipe_names == ["release_attribute_table"]
    assert nlp("gon na")[1].lemma_ == "to"


def test_the_memos_are_bounded(nlp_base, monkeypatch):
    import pipeline.run.attribute_table as attribute_table

    ruler = nlp_base.get_pipe("attribute_ruler")
    table = AttributeTable(ruler)
    monkeypatch.setattr(attribute_table, "MEMO_LIMIT", 3)
    table(_before_ruler(nlp_base, TEXTS[0]))
    assert len(table._seen) > 3
    doc = _before_ruler(nlp_base, TEXTS[2])
    expected = ruler(_before_ruler(nlp_base, TEXTS[2])).to_array(ATTRS)
    assert numpy.array_equal(table(doc).to_array(ATTRS), expected)  # emptied, then refilled
    assert 0 < len(table._seen) <= len(doc)  # rows of this Doc only


def test_only_the_tested_attributes_are_read(ruler_and_table):
    _, table = ruler_and_table
    from spacy.attrs import IDS

    assert sorted(table._column_ids) == sorted(IDS[a] for a in ("LOWER", "TAG", "DEP", "IS_SPACE"))
