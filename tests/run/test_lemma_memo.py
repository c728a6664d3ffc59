"""The lemma memo gives exactly the model lemmatizer's lemmas."""
import pytest
import spacy

from pipeline.run.lemma_memo import LemmaMemo, swap_lemmatizer
from tests.conftest import RAW, parse_until

# My own sentences: base forms met twice (the lemmatizer's cache skips them), inflections,
# a lemma the attribute rules set ("gon na"), and the same word as noun and verb.
TEXTS = [
    "The reports said the report was reported twice; she reports it and they're reporting.",
    "We were gon na leave, but the children's children stayed. Better, best, good.",
]


def _before_lemmatizer(nlp, text: str):
    return parse_until(nlp, text, "lemmatizer")


@pytest.fixture(scope="module")
def lemmatizer_and_memo(nlp_base):
    lemmatizer = nlp_base.get_pipe("lemmatizer")
    return lemmatizer, LemmaMemo(lemmatizer)


def _lemmas(doc) -> list[str]:
    return [t.lemma_ for t in doc]


def test_same_lemmas_as_the_lemmatizer(nlp_base, lemmatizer_and_memo):
    lemmatizer, memo = lemmatizer_and_memo
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))[:2]]
    for text in texts * 2:  # the second round answers from the memo
        expected = _lemmas(lemmatizer(_before_lemmatizer(nlp_base, text)))
        assert _lemmas(memo(_before_lemmatizer(nlp_base, text))) == expected
    assert memo.memo  # it did remember


def test_a_lemma_set_before_is_kept(nlp_base, lemmatizer_and_memo):
    _, memo = lemmatizer_and_memo
    doc = _before_lemmatizer(nlp_base, "They were reporting it.")
    doc[2].lemma_ = "kept"
    assert _lemmas(memo(doc))[2] == "kept"
    assert _lemmas(doc)[1] == "be"


def test_swap_needs_a_form_based_lemmatizer():
    nlp = spacy.blank("en")
    assert swap_lemmatizer(nlp) is False
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.get_pipe("lemmatizer").initialize(lookups=_lookup_table())
    assert swap_lemmatizer(nlp) is True and nlp.pipe_names == ["release_lemma_memo"]
    assert _lemmas(nlp("mice ran")) == ["mouse", "ran"]


def _lookup_table():
    from spacy.lookups import Lookups

    lookups = Lookups()
    lookups.add_table("lemma_lookup", {"mice": "mouse"})
    return lookups


def test_it_asks_its_own_copy_and_leaves_the_models_lemmatizer_alone(lemmatizer_and_memo):
    lemmatizer, memo = lemmatizer_and_memo
    inner = memo.lemmatizer
    assert inner is not lemmatizer and inner.cache is not lemmatizer.cache
    assert inner.lemmatize.__self__ is inner  # not the model's bound method
    index, own = (lz.lookups.get_table("lemma_index") for lz in (lemmatizer, inner))
    assert all(isinstance(forms, list) for forms in index.values())
    assert all(isinstance(forms, frozenset) for forms in own.values())
    assert {k: set(v) for k, v in index.items()} == {k: set(v) for k, v in own.items()}


def test_the_memo_is_bounded(nlp_base, lemmatizer_and_memo, monkeypatch):
    import pipeline.run.lemma_memo as lemma_memo

    lemmatizer, _ = lemmatizer_and_memo
    memo = LemmaMemo(lemmatizer)
    monkeypatch.setattr(lemma_memo, "MEMO_LIMIT", 5)
    memo(_before_lemmatizer(nlp_base, TEXTS[0]))
    assert len(memo.memo) > 5
    doc = memo(_before_lemmatizer(nlp_base, TEXTS[1]))  # emptied, then refilled
    assert _lemmas(doc) == _lemmas(lemmatizer(_before_lemmatizer(nlp_base, TEXTS[1])))
    assert 0 < len(memo.memo) <= len(doc)  # forms of this Doc only
