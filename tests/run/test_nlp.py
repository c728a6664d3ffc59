"""The spaCy pipeline as built for a run: order, declared data flow, settings."""
from pipeline.run.nlp import COMPONENTS, SECTIONS, build_nlp
from pipeline.run.blas import blis_layers


def test_order_and_data_flow_as_spacy_analyses_it():
    nlp = build_nlp()
    ours = [SECTIONS[1], *(f for _, f in COMPONENTS)]
    assert [n for n in nlp.pipe_names if n.startswith("release_") and n in ours] == ours
    # the model's attribute ruler and lemmatizer run as faster equivalents, in their places
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert nlp.pipe_names.index("parser") < nlp.pipe_names.index("release_attribute_table") \
        < nlp.pipe_names.index("release_lemma_memo") < nlp.pipe_names.index("ner")
    assert nlp.pipe_names.index(SECTIONS[1]) < nlp.pipe_names.index("parser")
    assert blis_layers(nlp) == []  # every layer multiplies through numpy's BLAS
    analysis = nlp.analyze_pipes(pretty=False)
    assert {name: p for name, p in analysis["problems"].items() if p} == {}
    for name in ours:  # the budget wrapper reports what the wrapped factory declares
        assert analysis["summary"][name]["assigns"], name
    assert "doc.ents" in analysis["summary"]["release_quotes"]["requires"]
