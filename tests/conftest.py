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


def parse_until(nlp, text: str, stop: str):
    """``text`` through the components of ``nlp`` that come before ``stop``."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == stop:
            return doc
        doc = proc(doc)
    raise AssertionError(f"the pipeline has no {stop!r}")


@pytest.fixture(scope="session")
def parse(nlp_base):
    """Parse like the runner: hard sentence starts at line breaks (``release_sections``),
    then the model's own components; the shared model is not changed."""
    from pipeline.extract.sections.component import set_line_starts

    def _parse(text: str):
        doc = set_line_starts(nlp_base.make_doc(text))
        for _, proc in nlp_base.pipeline:
            doc = proc(doc)
        return doc

    return _parse


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory):
    """The whole pipeline run once on raw/ (no cache): (outputs folder, run summary)."""
    from pipeline.run.runner import run

    out = tmp_path_factory.mktemp("outputs")
    summary = run([RAW], out, use_cache=False)
    return out, summary


@pytest.fixture(scope="session")
def dev_outputs(tmp_path_factory):
    """The whole pipeline run once on ../shared/corpus/dev (no cache): (outputs, summary)."""
    from pipeline.run.runner import run

    if not DEV_CORPUS.is_dir():
        pytest.skip("../shared/corpus/dev not beside the repo")
    out = tmp_path_factory.mktemp("dev_outputs")
    return out, run([DEV_CORPUS], out, use_cache=False)


def read_outputs(out: Path) -> dict:
    """Every table of an outputs folder, as Arrow tables without file metadata."""
    from pipeline.run import tables

    return {name: tables.read_table(out, name).replace_schema_metadata(None)
            for name in tables.TABLES}


def assert_same_outputs(a: Path, b: Path, ignore: tuple[str, ...] = ()) -> None:
    """Two outputs folders hold tables of identical contents (row order included).

    ``ignore`` names columns left out, e.g. ``source`` when the inputs sat in other folders.
    """
    left, right = read_outputs(a), read_outputs(b)
    for name in left:
        lt, rt = left[name], right[name]
        drop = [c for c in ignore if c in lt.column_names]
        lt, rt = lt.drop_columns(drop), rt.drop_columns(drop)
        assert lt.equals(rt), (
            f"{name} differs: {left[name].num_rows} vs {right[name].num_rows} rows")
