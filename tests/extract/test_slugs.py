"""Ids of names without an ASCII spelling (pipeline/extract/slugs.py)."""
import pytest

from pipeline.extract.slugs import has_ascii_spelling, needs_script_slug, script_slug, words_of


@pytest.mark.parametrize("word, ascii_", [("Núñez", True), ("O'Brien", True), ("Ольга", False),
                                          ("علي", False), ("7", True), ("王", False)])
def test_a_word_has_an_ascii_spelling_when_folding_leaves_a_letter(word, ascii_):
    assert has_ascii_spelling(word) is ascii_


def test_a_name_needs_its_own_script_when_one_word_would_be_lost():
    assert not needs_script_slug(words_of("Anna-Lena Núñez"))
    assert needs_script_slug(words_of("Lee Сергей"))
    assert words_of("UN - Habitat_2") == ["UN", "Habitat", "2"]


@pytest.mark.parametrize("name, slug", [
    ("Ольга Смирнова", "ольга-смирнова"),
    ("Пётр  Иванов-Сидоров", "пётр-иванов-сидоров"),
    ("Красный Крест", "красный-крест"),                        # й is a letter of its own
    ("Ελένη Σταύρου", "ελένη-σταύρου"),
    ("عَلِي حَسَن", "علي-حسن"),                                # vowel signs dropped...
    ("علي حسن", "علي-حسن"),                                    # ...so both spellings agree
    ("박지민", "박지민"),                                       # Hangul stays composed
    ("李明", "李明"),
    ("सुनीता", "सुनीता"),                                       # vowel signs are kept
    ("नरेंद्र", "नरेंद्र"),                                       # and the virama
    ("—", ""),
])
def test_script_slug(name, slug):
    assert script_slug(name) == slug
