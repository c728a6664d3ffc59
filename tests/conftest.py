"""Shared fixtures: the spaCy model is loaded once per session."""
from pathlib import Path

import pytest
import spacy

from pipeline import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RAW = ROOT / "raw"
DEV_CORPUS = SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def nlp_base():
    """The bare English pipeline, for tests that call one component by hand."""
    return spacy.load(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def parse(nlp_base):
    """Parse like the runner: hard sentence starts at line breaks (``release_sections``),
    then the model's own components; the shared model is not changed."""
    from pipeline.sections import set_line_starts

    def _parse(text: str):
        doc = set_line_starts(nlp_base.make_doc(text))
        for _, proc in nlp_base.pipeline:
            doc = proc(doc)
        return doc

    return _parse


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory):
    """The whole pipeline run once on raw/ (no cache): (outputs folder, run summary)."""
    from pipeline.runner import run

    out = tmp_path_factory.mktemp("outputs")
    summary = run([RAW], out, use_cache=False)
    return out, summary
