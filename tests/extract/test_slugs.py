"""Ids of names in scripts other than Latin (pipeline/extract/slugs.py), as the people and
organization resolvers make them."""
import unicodedata

import pytest

from pipeline.extract.organizations.vocabulary import slugify as org_slug
from pipeline.extract.people.names import name_key_tokens, slugify as person_slug
from pipeline.extract.slugs import has_latin_spelling, needs_script_slug, script_words


@pytest.mark.parametrize("word, latin", [("Núñez", True), ("O'Brien", True), ("Ł", True),
                                         ("Ø", True), ("ß", True), ("Ｊｏｈｎ", True),
                                         ("7", True), ("Ольга", False), ("علي", False),
                                         ("王", False)])
def test_a_word_is_latin_when_it_folds_to_ascii_or_has_latin_letters(word, latin):
    assert has_latin_spelling(word) is latin


def test_a_name_needs_its_own_script_when_one_word_is_in_another():
    assert not needs_script_slug(script_words("Jan Ł. Kowalski"))
    assert needs_script_slug(script_words("Lee Сергей"))
    assert script_words("UN - Habitat_2, सुनीता") == ["UN", "-", "Habitat_2", "सुनीता"]


@pytest.mark.parametrize("name, slug", [
    ("Ольга Смирнова", "ольга-смирнова"),
    ("Пётр  Иванов-Сидоров", "петр-иванов-сидоров"),        # as the resolver compares it
    ("Ελένη Σταύρου", "ελενη-σταυρου"),
    ("عَلِي حَسَن", "علي-حسن"),                                  # vowel points dropped
    ("박지민", "박지민"),
    ("李明", "李明"),
    ("सुनीता शर्मा", "सुनीता-शरमा"),                              # vowel signs kept, virama not
    ("Jan Ł. Kowalski", "jan-kowalski"),                         # Latin: the slug it had
    ("Søren Æ. Lund", "sren-lund"),
])
def test_person_slug(name, slug):
    assert person_slug(name) == slug
    assert person_slug(unicodedata.normalize("NFD", name)) == slug  # however it is encoded


def test_spellings_the_resolver_takes_for_one_name_give_one_id():
    """The id is of the name as compared, not as most often written: which spelling is the
    more common does not change it."""
    for a, b in [("Пётр Иванов", "Петр Иванов"), ("Ελένη Σταύρου", "ΕΛΕΝΗ ΣΤΑΥΡΟΥ"),
                 ("ＪＯＨＮ 李明", "John 李明"), ("عَلِي", "علي")]:
        assert name_key_tokens(a) == name_key_tokens(b) and person_slug(a) == person_slug(b)
    assert name_key_tokens("सुनीता शर्मा") == ("सुनीता", "शरमा")  # words, not single letters


@pytest.mark.parametrize("name, slug", [("Фонд Развития", "фонд-развития"), ("ООН", "оон"),
                                        ("Красный Крест", "красныи-крест"),
                                        ("Jens Ø. Hansen AS", "jens-hansen-as"), ("—", "org")])
def test_organization_slug(name, slug):
    assert org_slug(name) == slug == org_slug(unicodedata.normalize("NFD", name))
