"""Every notebook in notebooks/ runs top to bottom in a real kernel (nbclient, the venv's
`python3` kernel) against the tables of a fresh run of raw/, so the notebooks never rot.

The committed notebooks carry no outputs; executing them here produces the outputs the
assertions read: no error anywhere, figures where there are plots, every table's score in
the gold check.
"""
import asyncio
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.review.scores import TABLE_LABELS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
GOLD = ROOT / "tests" / "gold"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline", **extra}


async def _execute(path: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    await client.async_execute(env=env)  # passed on to the kernel process
    return nb


def execute_all(jobs: list[tuple[Path, dict[str, str]]]) -> list[nbformat.NotebookNode]:
    """Run notebooks top to bottom, each in its own kernel with its own environment, all
    at once (kernels are processes; this halves the wall time). Cell errors are kept as
    outputs (allow_errors) so a test can name the failing cell."""
    async def run():
        return await asyncio.gather(*(_execute(p, env) for p, env in jobs))
    return asyncio.run(run())


def code_cells(nb, tag: str | None = None):
    return [c for c in nb.cells if c.cell_type == "code"
            and (tag is None or tag in c.get("metadata", {}).get("tags", []))]


def outputs(cells, mime: str | None = None):
    for c in cells:
        for o in c.get("outputs", []):
            if mime is None or mime in o.get("data", {}):
                yield o


def empty_outputs(folder: Path) -> Path:
    """An outputs folder of one release where nothing was extracted."""
    import pyarrow.parquet as pq

    from pipeline.run.tables import SCHEMAS, to_table

    rows = {name: [] for name in SCHEMAS}
    rows["documents"] = [{"doc_id": "empty", "title": "Nothing here", "text": "Nothing here.",
                          "reference_date": "2024-01-01", "n_sentences": 1}]
    for name, table_rows in rows.items():
        (folder / name).mkdir(parents=True)
        pq.write_table(to_table(name, table_rows), folder / name / "part-00000.parquet")
    return folder


@pytest.fixture(scope="module")
def executed(seed_outputs, tmp_path_factory):
    """Every notebook run on the seed outputs (with tests/gold), and again on an outputs
    folder where nothing was extracted (with an empty gold folder): {(corpus, name): nb}."""
    out, summary = seed_outputs
    assert summary.read > 0, "the seed run produced no release"
    tmp = tmp_path_factory.mktemp("empty_corpus")
    empty = empty_outputs(tmp / "out")
    (tmp / "gold").mkdir()
    jobs = [(("seeds", p.name), p, _env(OUTPUTS=str(out), GOLD=str(GOLD))) for p in NOTEBOOKS]
    jobs += [(("empty", p.name), p, _env(OUTPUTS=str(empty), GOLD=str(tmp / "gold"))) for p in NOTEBOOKS]
    results = execute_all([(p, env) for _, p, env in jobs])
    return {key: nb for (key, _, _), nb in zip(jobs, results)}


def errors_of(nb) -> list[str]:
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells)
            for o in c.get("outputs", []) if o.output_type == "error"]


def test_there_are_notebooks_and_they_are_committed_without_outputs():
    names = {p.name for p in NOTEBOOKS}
    assert {"corpus_overview.ipynb", "gold_check.ipynb", "who_said_what.ipynb"} <= names
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in code_cells(nb):
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs not stripped"
        assert any(c.cell_type == "markdown" for c in nb.cells)


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom_without_error(executed, name):
    nb = executed["seeds", name]
    cells = code_cells(nb)
    assert cells and all(c.execution_count is not None for c in cells)
    assert not errors_of(nb)
    # every code cell shows something: a table, a figure or a message (one may be silent)
    silent = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not c.outputs]
    assert len(silent) <= 1, f"cells without output: {silent}"


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_on_a_corpus_where_nothing_was_extracted(executed, name):
    """No quotes, statistics, dates or gold: every cell still runs and says so."""
    nb = executed["empty", name]
    assert not errors_of(nb)
    assert all(c.execution_count is not None for c in code_cells(nb))


def test_corpus_overview_draws_figures_for_each_question(executed):
    nb = executed["seeds", "corpus_overview.ipynb"]
    plots = code_cells(nb, "plot")
    assert len(plots) >= 4  # speakers, organizations together, statistics, timeline
    figures = [c for c in plots if any(outputs([c], "image/png"))]
    assert len(figures) == len(plots), "a plot cell drew no figure"
    markdown = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for question in ("who speaks", "appear together", "statistics are cited", "timeline"):
        assert question in markdown


def test_gold_check_shows_scores_for_every_table_and_lists_the_issues(executed):
    nb = executed["seeds", "gold_check.ipynb"]
    (scores,) = code_cells(nb, "scores")
    html = "".join(o["data"]["text/html"] for o in outputs([scores], "text/html"))
    for name, label in TABLE_LABELS.items():
        if name != "documents":  # documents has accuracies only
            assert label in html, label
    (accuracy,) = code_cells(nb, "accuracy")
    acc_html = "".join(o["data"]["text/html"] for o in outputs([accuracy], "text/html"))
    assert "documents" in acc_html and "reference_date" in acc_html
    assert any(outputs(code_cells(nb, "plot"), "image/png"))
    (issues,) = code_cells(nb, "issues")
    assert issues.outputs  # the grouped issues, or the message that there are none
    (per_set,) = code_cells(nb, "per-set")
    per_set_html = "".join(o["data"]["text/html"] for o in outputs([per_set], "text/html"))
    assert "gold" in per_set_html and "organizations" in per_set_html  # one column per gold set
    (classes,) = code_cells(nb, "error-classes")
    assert classes.outputs
