"""The spaCy pipeline as built for a run: order, declared data flow, settings."""
from pipeline.run.nlp import COMPONENTS, SECTIONS, build_nlp


def test_order_and_data_flow_as_spacy_analyses_it():
    nlp = build_nlp()
    ours = [SECTIONS[1], *(f for _, f in COMPONENTS)]
    assert [n for n in nlp.pipe_names if n.startswith("release_")] == ours
    assert nlp.pipe_names.index(SECTIONS[1]) < nlp.pipe_names.index("parser")
    analysis = nlp.analyze_pipes(pretty=False)
    assert {name: p for name, p in analysis["problems"].items() if p} == {}
    for name in ours:  # the budget wrapper reports what the wrapped factory declares
        assert analysis["summary"][name]["assigns"], name
    assert "doc.ents" in analysis["summary"]["release_quotes"]["requires"]
