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
def seed_outputs(tmp_path_factory):
    """The whole pipeline run once on raw/ (no cache): (outputs folder, run summary)."""
    from pipeline.runner import run

    out = tmp_path_factory.mktemp("outputs")
    summary = run([RAW], out, use_cache=False)
    return out, summary
