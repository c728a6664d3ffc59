"""The model multiplies through numpy's BLAS with the same annotations, on one thread."""
import spacy
from threadpoolctl import threadpool_info

from pipeline.run.blas import blas_threads, blis_layers, swap_gemm
from tests.conftest import RAW

# My own sentences: a long one with nested clauses and entities, a short one, a list.
TEXTS = [
    "The agency's director, Ana Pereira, said on 3 March that 41 per cent of the 2,310 "
    "victims identified in Lisbon and Porto were children, according to the ministry.",
    "No.",
    "Partners: UNHCR; the Red Cross; Save the Children (SCF) and the World Bank.",
]


def _annotations(nlp, texts: list[str]) -> list[list[tuple]]:
    return [[(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.lemma_) for t in doc]
            for doc in nlp.pipe(texts)]


def test_same_annotations_as_blis(nlp_base):
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))[:2]]
    expected = _annotations(nlp_base, texts)
    layers = blis_layers(nlp_base)
    before = {id(layer): layer.ops for layer in layers}
    try:
        assert layers and swap_gemm(nlp_base) == len(layers)
        assert len(blis_layers(nlp_base)) == 0
        assert swap_gemm(nlp_base) == 0  # nothing left to change
        with blas_threads():
            assert _annotations(nlp_base, texts) == expected
    finally:  # the session's model goes back to blis for the other tests
        for layer in layers:
            layer.ops = before[id(layer)]


def test_a_pipeline_without_models_is_left_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert swap_gemm(nlp) == 0


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_one_blas_thread_inside_and_restored_after():
    outside = _blas_threads()
    with blas_threads():
        assert _blas_threads() and set(_blas_threads()) == {1}
    assert _blas_threads() == outside
