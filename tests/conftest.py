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
